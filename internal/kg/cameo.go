package kg

import "strings"

// The CAMEO event codebook (Conflict and Mediation Event Observations,
// v1.1b3) as GDELT uses it: every 2-, 3- and 4-digit event code from 01 to 20,
// kept as strings with their leading zeros ("010", "0211", "1042", "2041").
//
// Sources, cross-checked against each other and against the GDELT 1.0, GDELT
// 2.0 and ICEWS samples under shared/data/eventdata (see cameo_test.go):
//   - codes and Goldstein scores: GDELT's lookup table CAMEO.goldsteinscale.txt
//     (https://www.gdeltproject.org/data/lookups/), 311 codes. The scores are
//     GDELT's verbatim, including its irregular ones: root 13 is -6.0 while
//     its base code 130 is -4.4; 182 is -9.5 while 1821 and 1822 are -9.0;
//     0874 is 10.0 under 087's 9.0. The CAMEO table that ICEWS ships
//     (andybega/icews cameo_codes) scores 016 -5, 022 3.4, 164 -6.5 and
//     165 -7; GDELT's values are kept, since GDELT's events carry them.
//   - names: the short names of the CAMEO manual, as in the ICEWS table (and
//     in ICEWS's "Event Text"). GDELT's CAMEO.eventcodes.txt garbles several
//     (its names for 101-108 do not match the codes, 1056 and 106 share a
//     line, 044 has mangled quotes), so its names are not used. Codes that
//     ICEWS has but GDELT's table lacks (1213) are not in the codebook.

// goldstein maps every CAMEO event code of the codebook to its Goldstein score
// (GDELT's CAMEO.goldsteinscale.txt). Its keys are the codebook.
var goldstein = map[string]float64{
	// 01 MAKE PUBLIC STATEMENT
	"01": 0.0, "010": 0.0, "011": -0.1, "012": -0.4, "013": 0.4, "014": 0.0, "015": 0.0,
	"016": -2.0, "017": 0.0, "018": 3.4, "019": 3.4,
	// 02 APPEAL
	"02": 3.0, "020": 3.0, "021": 3.4, "0211": 3.4, "0212": 3.4, "0213": 3.4,
	"0214": 3.4, "022": 3.2, "023": 3.4, "0231": 3.4, "0232": 3.4, "0233": 3.4,
	"0234": 3.4, "024": -0.3, "0241": -0.3, "0242": -0.3, "0243": -0.3,
	"0244": -0.3, "025": -0.3, "0251": -0.3, "0252": -0.3, "0253": -0.3,
	"0254": -0.3, "0255": -0.3, "0256": -0.3, "026": 4.0, "027": 4.0, "028": 4.0,
	// 03 EXPRESS INTENT TO COOPERATE
	"03": 4.0, "030": 4.0, "031": 5.2, "0311": 5.2, "0312": 5.2, "0313": 5.2,
	"0314": 5.2, "032": 4.5, "033": 5.2, "0331": 5.2, "0332": 5.2, "0333": 5.2,
	"0334": 6.0, "034": 7.0, "0341": 7.0, "0342": 7.0, "0343": 7.0, "0344": 7.0, "035": 7.0,
	"0351": 7.0, "0352": 7.0, "0353": 7.0, "0354": 7.0, "0355": 7.0, "0356": 7.0, "036": 4.0,
	"037": 5.0, "038": 7.0, "039": 5.0,
	// 04 CONSULT
	"04": 1.0, "040": 1.0, "041": 1.0, "042": 1.9, "043": 2.8, "044": 2.5, "045": 5.0,
	"046": 7.0,
	// 05 ENGAGE IN DIPLOMATIC COOPERATION
	"05": 3.5, "050": 3.5, "051": 3.4, "052": 3.5, "053": 3.8, "054": 6.0, "055": 7.0,
	"056": 7.0, "057": 8.0,
	// 06 ENGAGE IN MATERIAL COOPERATION
	"06": 6.0, "060": 6.0, "061": 6.4, "062": 7.4, "063": 7.4, "064": 7.0,
	// 07 PROVIDE AID
	"07": 7.0, "070": 7.0, "071": 7.4, "072": 8.3, "073": 7.4, "074": 8.5, "075": 7.0,
	// 08 YIELD
	"08": 5.0, "080": 5.0, "081": 5.0, "0811": 5.0, "0812": 5.0, "0813": 5.0, "0814": 5.0,
	"082": 5.0, "083": 5.0, "0831": 5.0, "0832": 5.0, "0833": 5.0, "0834": 5.0, "084": 7.0,
	"0841": 7.0, "0842": 7.0, "085": 7.0, "086": 9.0, "0861": 9.0, "0862": 9.0, "0863": 9.0,
	"087": 9.0, "0871": 9.0, "0872": 9.0, "0873": 9.0, "0874": 10.0,
	// 09 INVESTIGATE
	"09": -2.0, "090": -2.0, "091": -2.0, "092": -2.0, "093": -2.0, "094": -2.0,
	// 10 DEMAND
	"10": -5.0, "100": -5.0, "101": -5.0, "1011": -5.0, "1012": -5.0, "1013": -5.0,
	"1014": -5.0, "102": -5.0, "103": -5.0, "1031": -5.0, "1032": -5.0, "1033": -5.0,
	"1034": -5.0, "104": -5.0, "1041": -5.0, "1042": -5.0, "1043": -5.0, "1044": -5.0,
	"105": -5.0, "1051": -5.0, "1052": -5.0, "1053": -5.0, "1054": -5.0, "1055": -5.0,
	"1056": -5.0, "106": -5.0, "107": -5.0, "108": -5.0,
	// 11 DISAPPROVE
	"11": -2.0, "110": -2.0, "111": -2.0, "112": -2.0, "1121": -2.0, "1122": -2.0, "1123": -2.0,
	"1124": -2.0, "1125": -2.0, "113": -2.0, "114": -2.0, "115": -2.0, "116": -2.0,
	// 12 REJECT
	"12": -4.0, "120": -4.0, "121": -4.0, "1211": -4.0, "1212": -4.0, "122": -4.0, "1221": -4.0,
	"1222": -4.0, "1223": -4.0, "1224": -4.0, "123": -4.0, "1231": -4.0, "1232": -4.0,
	"1233": -4.0, "1234": -4.0, "124": -4.0, "1241": -4.0, "1242": -4.0, "1243": -4.0,
	"1244": -4.0, "1245": -4.0, "1246": -4.0, "125": -5.0, "126": -5.0, "127": -5.0,
	"128": -5.0, "129": -5.0,
	// 13 THREATEN
	"13": -6.0, "130": -4.4, "131": -5.8, "1311": -5.8, "1312": -5.8, "1313": -5.8,
	"132": -5.8, "1321": -5.8, "1322": -5.8, "1323": -5.8, "1324": -5.8,
	"133": -5.8, "134": -5.8, "135": -5.8, "136": -7.0, "137": -7.0, "138": -7.0,
	"1381": -7.0, "1382": -7.0, "1383": -7.0, "1384": -7.0, "1385": -7.0, "139": -7.0,
	// 14 PROTEST
	"14": -6.5, "140": -6.5, "141": -6.5, "1411": -6.5, "1412": -6.5,
	"1413": -6.5, "1414": -6.5, "142": -6.5, "1421": -6.5, "1422": -6.5,
	"1423": -6.5, "1424": -6.5, "143": -6.5, "1431": -6.5, "1432": -6.5,
	"1433": -6.5, "1434": -6.5, "144": -7.5, "1441": -7.5, "1442": -7.5,
	"1443": -7.5, "1444": -7.5, "145": -7.5, "1451": -7.5, "1452": -7.5,
	"1453": -7.5, "1454": -7.5,
	// 15 EXHIBIT FORCE POSTURE
	"15": -7.2, "150": -7.2, "151": -7.2, "152": -7.2, "153": -7.2, "154": -7.2,
	// 16 REDUCE RELATIONS
	"16": -4.0, "160": -4.0, "161": -4.0, "162": -5.6, "1621": -5.6, "1622": -5.6,
	"1623": -5.6, "163": -8.0, "164": -7.0, "165": -6.5, "166": -7.0, "1661": -7.0,
	"1662": -7.0, "1663": -7.0,
	// 17 COERCE
	"17": -7.0, "170": -7.0, "171": -9.2, "1711": -9.2, "1712": -9.2, "172": -5.0,
	"1721": -5.0, "1722": -5.0, "1723": -5.0, "1724": -5.0, "173": -5.0, "174": -5.0,
	"175": -9.0,
	// 18 ASSAULT
	"18": -9.0, "180": -9.0, "181": -9.0, "182": -9.5, "1821": -9.0, "1822": -9.0,
	"1823": -10.0, "183": -10.0, "1831": -10.0, "1832": -10.0, "1833": -10.0, "184": -8.0,
	"185": -8.0, "186": -10.0,
	// 19 FIGHT
	"19": -10.0, "190": -10.0, "191": -9.5, "192": -9.5, "193": -10.0, "194": -10.0,
	"195": -10.0, "196": -9.5,
	// 20 USE UNCONVENTIONAL MASS VIOLENCE
	"20": -10.0, "200": -10.0, "201": -9.5, "202": -10.0, "203": -10.0, "204": -10.0,
	"2041": -10.0, "2042": -10.0,
}

// cameoNames maps every CAMEO event code of the codebook to its short name
// (CAMEO manual v1.1b3; root codes in capitals). Same keys as goldstein.
var cameoNames = map[string]string{
	// 01
	"01":  "MAKE PUBLIC STATEMENT",
	"010": "Make statement",
	"011": "Decline comment",
	"012": "Make pessimistic comment",
	"013": "Make optimistic comment",
	"014": "Consider policy option",
	"015": "Acknowledge or claim responsibility",
	"016": "Deny responsibility",
	"017": "Engage in symbolic act",
	"018": "Make empathetic comment",
	"019": "Express accord",
	// 02
	"02":   "APPEAL",
	"020":  "Make an appeal or request",
	"021":  "Appeal for material cooperation",
	"0211": "Appeal for economic cooperation",
	"0212": "Appeal for military cooperation",
	"0213": "Appeal for judicial cooperation",
	"0214": "Appeal for intelligence",
	"022":  "Appeal for diplomatic cooperation (such as policy support)",
	"023":  "Appeal for aid",
	"0231": "Appeal for economic aid",
	"0232": "Appeal for military aid",
	"0233": "Appeal for humanitarian aid",
	"0234": "Appeal for military protection or peacekeeping",
	"024":  "Appeal for political reform",
	"0241": "Appeal for change in leadership",
	"0242": "Appeal for policy change",
	"0243": "Appeal for rights",
	"0244": "Appeal for change in institutions, regime",
	"025":  "Appeal to yield",
	"0251": "Appeal for easing of administrative sanctions",
	"0252": "Appeal for easing of political dissent",
	"0253": "Appeal for release of persons or property",
	"0254": "Appeal for easing of economic sanctions, boycott, or embargo",
	"0255": "Appeal for target to allow international involvement (non-mediation)",
	"0256": "Appeal for de-escalation of military engagement",
	"026":  "Appeal to others to meet or negotiate",
	"027":  "Appeal to others to settle dispute",
	"028":  "Appeal to engage in or accept mediation",
	// 03
	"03":   "EXPRESS INTENT TO COOPERATE",
	"030":  "Express intent to cooperate",
	"031":  "Express intent to engage in material cooperation",
	"0311": "Express intent to cooperate economically",
	"0312": "Express intent to cooperate militarily",
	"0313": "Express intent to cooperate on judicial matters",
	"0314": "Express intent to cooperate on intelligence",
	"032":  "Express intent to engage in diplomatic cooperation (such as policy support)",
	"033":  "Express intent to provide material aid",
	"0331": "Express intent to provide economic aid",
	"0332": "Express intent to provide military aid",
	"0333": "Express intent to provide humanitarian aid",
	"0334": "Express intent to provide military protection or peacekeeping",
	"034":  "Express intent to institute political reform",
	"0341": "Express intent to change leadership",
	"0342": "Express intent to change policy",
	"0343": "Express intent to provide rights",
	"0344": "Express intent to change institutions, regime",
	"035":  "Express intent to yield",
	"0351": "Express intent to ease administrative sanctions",
	"0352": "Express intent to ease popular dissent",
	"0353": "Express intent to release persons or property",
	"0354": "Express intent to ease economic sanctions, boycott, or embargo",
	"0355": "Express intent to allow international involvement (non-mediation)",
	"0356": "Express intent to de-escalate military engagement",
	"036":  "Express intent to meet or negotiate",
	"037":  "Express intent to settle dispute",
	"038":  "Express intent to accept mediation",
	"039":  "Express intent to mediate",
	// 04
	"04":  "CONSULT",
	"040": "Consult",
	"041": "Discuss by telephone",
	"042": "Make a visit",
	"043": "Host a visit",
	"044": "Meet at a 'third' location",
	"045": "Mediate",
	"046": "Engage in negotiation",
	// 05
	"05":  "ENGAGE IN DIPLOMATIC COOPERATION",
	"050": "Engage in diplomatic cooperation",
	"051": "Praise or endorse",
	"052": "Defend verbally",
	"053": "Rally support on behalf of",
	"054": "Grant diplomatic recognition",
	"055": "Apologize",
	"056": "Forgive",
	"057": "Sign formal agreement",
	// 06
	"06":  "ENGAGE IN MATERIAL COOPERATION",
	"060": "Engage in material cooperation",
	"061": "Cooperate economically",
	"062": "Cooperate militarily",
	"063": "Engage in judicial cooperation",
	"064": "Share intelligence or information",
	// 07
	"07":  "PROVIDE AID",
	"070": "Provide aid",
	"071": "Provide economic aid",
	"072": "Provide military aid",
	"073": "Provide humanitarian aid",
	"074": "Provide military protection or peacekeeping",
	"075": "Grant asylum",
	// 08
	"08":   "YIELD",
	"080":  "Yield",
	"081":  "Ease administrative sanctions",
	"0811": "Ease restrictions on political freedoms",
	"0812": "Ease ban on political parties or politicians",
	"0813": "Ease curfew",
	"0814": "Ease state of emergency or martial law",
	"082":  "Ease political dissent",
	"083":  "Accede to requests or demands for political reform",
	"0831": "Accede to demands for change in leadership",
	"0832": "Accede to demands for change in policy",
	"0833": "Accede to demands for rights",
	"0834": "Accede to demands for change in institutions, regime",
	"084":  "Return, release",
	"0841": "Return, release person(s)",
	"0842": "Return, release property",
	"085":  "Ease economic sanctions, boycott, embargo",
	"086":  "Allow international involvement",
	"0861": "Receive deployment of peacekeepers",
	"0862": "Receive inspectors",
	"0863": "Allow humanitarian access",
	"087":  "De-escalate military engagement",
	"0871": "Declare truce, ceasefire",
	"0872": "Ease military blockade",
	"0873": "Demobilize armed forces",
	"0874": "Retreat or surrender militarily",
	// 09
	"09":  "INVESTIGATE",
	"090": "Investigate",
	"091": "Investigate crime, corruption",
	"092": "Investigate human rights abuses",
	"093": "Investigate military action",
	"094": "Investigate war crimes",
	// 10
	"10":   "DEMAND",
	"100":  "Demand",
	"101":  "Demand material cooperation",
	"1011": "Demand economic cooperation",
	"1012": "Demand military cooperation",
	"1013": "Demand judicial cooperation",
	"1014": "Demand intelligence cooperation",
	"102":  "Demand diplomatic cooperation (such as policy support)",
	"103":  "Demand material aid",
	"1031": "Demand economic aid",
	"1032": "Demand military aid",
	"1033": "Demand humanitarian aid",
	"1034": "Demand military protection or peacekeeping",
	"104":  "Demand political reform",
	"1041": "Demand change in leadership",
	"1042": "Demand policy change",
	"1043": "Demand rights",
	"1044": "Demand change in institutions, regime",
	"105":  "Demand that target yields",
	"1051": "Demand easing of administrative sanctions",
	"1052": "Demand easing of political dissent",
	"1053": "Demand release of persons or property",
	"1054": "Demand easing of economic sanctions, boycott, or embargo",
	"1055": "Demand that target allows international involvement (non-mediation)",
	"1056": "Demand de-escalation of military engagement",
	"106":  "Demand meeting, negotiation",
	"107":  "Demand settling of dispute",
	"108":  "Demand mediation",
	// 11
	"11":   "DISAPPROVE",
	"110":  "Disapprove",
	"111":  "Criticize or denounce",
	"112":  "Accuse",
	"1121": "Accuse of crime, corruption",
	"1122": "Accuse of human rights abuses",
	"1123": "Accuse of aggression",
	"1124": "Accuse of war crimes",
	"1125": "Accuse of espionage, treason",
	"113":  "Rally opposition against",
	"114":  "Complain officially",
	"115":  "Bring lawsuit against",
	"116":  "Find guilty or liable (legally)",
	// 12
	"12":   "REJECT",
	"120":  "Reject",
	"121":  "Reject material cooperation",
	"1211": "Reject economic cooperation",
	"1212": "Reject military cooperation",
	"122":  "Reject request or demand for material aid",
	"1221": "Reject request for economic aid",
	"1222": "Reject request for military aid",
	"1223": "Reject request for humanitarian aid",
	"1224": "Reject request for military protection or peacekeeping",
	"123":  "Reject request or demand for political reform",
	"1231": "Reject request for change in leadership",
	"1232": "Reject request for policy change",
	"1233": "Reject request for rights",
	"1234": "Reject request for change in institutions, regime",
	"124":  "Refuse to yield",
	"1241": "Refuse to ease administrative sanctions",
	"1242": "Refuse to ease popular dissent",
	"1243": "Refuse to release persons or property",
	"1244": "Refuse to ease economic sanctions, boycott, or embargo",
	"1245": "Refuse to allow international involvement (non mediation)",
	"1246": "Refuse to de-escalate military engagement",
	"125":  "Reject proposal to meet, discuss, or negotiate",
	"126":  "Reject mediation",
	"127":  "Reject plan, agreement to settle dispute",
	"128":  "Defy norms, law",
	"129":  "Veto",
	// 13
	"13":   "THREATEN",
	"130":  "Threaten",
	"131":  "Threaten non-force",
	"1311": "Threaten to reduce or stop aid",
	"1312": "Threaten with sanctions, boycott, embargo",
	"1313": "Threaten to reduce or break relations",
	"132":  "Threaten with administrative sanctions",
	"1321": "Threaten with restrictions on political freedoms",
	"1322": "Threaten to ban political parties or politicians",
	"1323": "Threaten to impose curfew",
	"1324": "Threaten to impose state of emergency or martial law",
	"133":  "Threaten with political dissent, protest",
	"134":  "Threaten to halt negotiations",
	"135":  "Threaten to halt mediation",
	"136":  "Threaten to halt international involvement (non-mediation)",
	"137":  "Threaten with repression",
	"138":  "Threaten with military force",
	"1381": "Threaten blockade",
	"1382": "Threaten occupation",
	"1383": "Threaten unconventional violence",
	"1384": "Threaten conventional attack",
	"1385": "Threaten attack with WMD",
	"139":  "Give ultimatum",
	// 14
	"14":   "PROTEST",
	"140":  "Engage in political dissent",
	"141":  "Demonstrate or rally",
	"1411": "Demonstrate for leadership change",
	"1412": "Demonstrate for policy change",
	"1413": "Demonstrate for rights",
	"1414": "Demonstrate for change in institutions, regime",
	"142":  "Conduct hunger strike",
	"1421": "Conduct hunger strike for leadership change",
	"1422": "Conduct hunger strike for policy change",
	"1423": "Conduct hunger strike for rights",
	"1424": "Conduct hunger strike for change in institutions, regime",
	"143":  "Conduct strike or boycott",
	"1431": "Conduct strike or boycott for leadership change",
	"1432": "Conduct strike or boycott for policy change",
	"1433": "Conduct strike or boycott for rights",
	"1434": "Conduct strike or boycott for change in institutions, regime",
	"144":  "Obstruct passage, block",
	"1441": "Obstruct passage to demand leadership change",
	"1442": "Obstruct passage to demand policy change",
	"1443": "Obstruct passage to demand rights",
	"1444": "Obstruct passage to demand change in institutions, regime",
	"145":  "Protest violently, riot",
	"1451": "Engage in violent protest for leadership change",
	"1452": "Engage in violent protest for policy change",
	"1453": "Engage in violent protest for rights",
	"1454": "Engage in violent protest for change in institutions, regime",
	// 15
	"15":  "EXHIBIT FORCE POSTURE",
	"150": "Demonstrate military or police power",
	"151": "Increase police alert status",
	"152": "Increase military alert status",
	"153": "Mobilize or increase police power",
	"154": "Mobilize or increase armed forces",
	// 16
	"16":   "REDUCE RELATIONS",
	"160":  "Reduce relations",
	"161":  "Reduce or break diplomatic relations",
	"162":  "Reduce or stop material aid",
	"1621": "Reduce or stop economic assistance",
	"1622": "Reduce or stop military assistance",
	"1623": "Reduce or stop humanitarian assistance",
	"163":  "Impose embargo, boycott, or sanctions",
	"164":  "Halt negotiations",
	"165":  "Halt mediation",
	"166":  "Expel or withdraw",
	"1661": "Expel or withdraw peacekeepers",
	"1662": "Expel or withdraw inspectors, observers",
	"1663": "Expel or withdraw aid agencies",
	// 17
	"17":   "COERCE",
	"170":  "Coerce",
	"171":  "Seize or damage property",
	"1711": "Confiscate property",
	"1712": "Destroy property",
	"172":  "Impose administrative sanctions",
	"1721": "Impose restrictions on political freedoms",
	"1722": "Ban political parties or politicians",
	"1723": "Impose curfew",
	"1724": "Impose state of emergency or martial law",
	"173":  "Arrest, detain, or charge with legal action",
	"174":  "Expel or deport individuals",
	"175":  "Use tactics of violent repression",
	// 18
	"18":   "ASSAULT",
	"180":  "Use unconventional violence",
	"181":  "Abduct, hijack, or take hostage",
	"182":  "Physically assault",
	"1821": "Sexually assault",
	"1822": "Torture",
	"1823": "Kill by physical assault",
	"183":  "Conduct suicide, car, or other non-military bombing",
	"1831": "Carry out suicide bombing",
	"1832": "Carry out car bombing",
	"1833": "Carry out roadside bombing",
	"184":  "Use as human shield",
	"185":  "Attempt to assassinate",
	"186":  "Assassinate",
	// 19
	"19":  "FIGHT",
	"190": "Use conventional military force",
	"191": "Impose blockade, restrict movement",
	"192": "Occupy territory",
	"193": "Fight with small arms and light weapons",
	"194": "Fight with artillery and tanks",
	"195": "Employ aerial weapons",
	"196": "Violate ceasefire",
	// 20
	"20":   "USE UNCONVENTIONAL MASS VIOLENCE",
	"200":  "Use unconventional mass violence",
	"201":  "Engage in mass expulsion",
	"202":  "Engage in mass killings",
	"203":  "Engage in ethnic cleansing",
	"204":  "Use weapons of mass destruction",
	"2041": "Use chemical, biological, or radiological weapons",
	"2042": "Detonate nuclear weapons",
}

// CAMEOName returns the short name of a CAMEO event code of the codebook.
func CAMEOName(code string) (string, bool) { n, ok := cameoNames[code]; return n, ok }

// CAMEOTextPrefix marks a CAMEO code written as text in CSV: "cameo:016".
// pandas, spreadsheets and R read a bare "016" as the number 16 — CAMEO
// 016 (deny) would turn into 16 (reduce relations) — while a prefixed code
// stays a string with every tool's defaults. CSV exports write codes so;
// the CSV importer accepts both forms.
const CAMEOTextPrefix = "cameo:"

// CAMEOText is code in its CSV form ("" stays "").
func CAMEOText(code string) string {
	if code == "" {
		return ""
	}
	return CAMEOTextPrefix + code
}

// ParseCAMEOText reads a code in either form: "cameo:016" or "016".
func ParseCAMEOText(s string) string {
	if len(s) >= len(CAMEOTextPrefix) && strings.EqualFold(s[:len(CAMEOTextPrefix)], CAMEOTextPrefix) {
		return s[len(CAMEOTextPrefix):]
	}
	return s
}
