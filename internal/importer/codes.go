package importer

import (
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// country is one row of the country table: ISO 3166-1 alpha-3 (which CAMEO
// actor codes use for states), the FIPS 10-4 code GDELT's geography columns
// use (empty where the table does not know it), and a short common name.
type country struct {
	alpha3, fips, name string
}

// countries is ISO 3166-1 alpha-3 for the sovereign states and the few
// territories event data mentions. A code missing here still imports: the
// actor is named by its code and gets no country.
var countries = []country{
	{"AFG", "AF", "Afghanistan"}, {"ALB", "AL", "Albania"}, {"DZA", "AG", "Algeria"},
	{"AND", "AN", "Andorra"}, {"AGO", "AO", "Angola"}, {"ATG", "AC", "Antigua and Barbuda"},
	{"ARG", "AR", "Argentina"}, {"ARM", "AM", "Armenia"}, {"AUS", "AS", "Australia"},
	{"AUT", "AU", "Austria"}, {"AZE", "AJ", "Azerbaijan"}, {"BHS", "BF", "Bahamas"},
	{"BHR", "BA", "Bahrain"}, {"BGD", "BG", "Bangladesh"}, {"BRB", "BB", "Barbados"},
	{"BLR", "BO", "Belarus"}, {"BEL", "BE", "Belgium"}, {"BLZ", "BH", "Belize"},
	{"BEN", "BN", "Benin"}, {"BMU", "BD", "Bermuda"}, {"BTN", "BT", "Bhutan"},
	{"BOL", "BL", "Bolivia"}, {"BIH", "BK", "Bosnia and Herzegovina"}, {"BWA", "BC", "Botswana"},
	{"BRA", "BR", "Brazil"}, {"BRN", "BX", "Brunei"}, {"BGR", "BU", "Bulgaria"},
	{"BFA", "UV", "Burkina Faso"}, {"BDI", "BY", "Burundi"}, {"CPV", "CV", "Cape Verde"},
	{"KHM", "CB", "Cambodia"}, {"CMR", "CM", "Cameroon"}, {"CAN", "CA", "Canada"},
	{"CAF", "CT", "Central African Republic"}, {"TCD", "CD", "Chad"}, {"CHL", "CI", "Chile"},
	{"CHN", "CH", "China"}, {"COL", "CO", "Colombia"}, {"COM", "CN", "Comoros"},
	{"COG", "CF", "Republic of the Congo"}, {"COD", "CG", "Democratic Republic of the Congo"},
	{"CRI", "CS", "Costa Rica"}, {"CIV", "IV", "Côte d'Ivoire"}, {"HRV", "HR", "Croatia"},
	{"CUB", "CU", "Cuba"}, {"CYP", "CY", "Cyprus"}, {"CZE", "EZ", "Czech Republic"},
	{"DNK", "DA", "Denmark"}, {"DJI", "DJ", "Djibouti"}, {"DMA", "DO", "Dominica"},
	{"DOM", "DR", "Dominican Republic"}, {"ECU", "EC", "Ecuador"}, {"EGY", "EG", "Egypt"},
	{"SLV", "ES", "El Salvador"}, {"GNQ", "EK", "Equatorial Guinea"}, {"ERI", "ER", "Eritrea"},
	{"EST", "EN", "Estonia"}, {"SWZ", "WZ", "Eswatini"}, {"ETH", "ET", "Ethiopia"},
	{"FJI", "FJ", "Fiji"}, {"FIN", "FI", "Finland"}, {"FRA", "FR", "France"},
	{"GAB", "GB", "Gabon"}, {"GMB", "GA", "Gambia"}, {"GEO", "GG", "Georgia"},
	{"DEU", "GM", "Germany"}, {"GHA", "GH", "Ghana"}, {"GRC", "GR", "Greece"},
	{"GRL", "GL", "Greenland"}, {"GRD", "GJ", "Grenada"}, {"GTM", "GT", "Guatemala"},
	{"GIN", "GV", "Guinea"}, {"GNB", "PU", "Guinea-Bissau"}, {"GUY", "GY", "Guyana"},
	{"HTI", "HA", "Haiti"}, {"VAT", "VT", "Vatican"}, {"HND", "HO", "Honduras"},
	{"HKG", "HK", "Hong Kong"}, {"HUN", "HU", "Hungary"}, {"ISL", "IC", "Iceland"},
	{"IND", "IN", "India"}, {"IDN", "ID", "Indonesia"}, {"IRN", "IR", "Iran"},
	{"IRQ", "IZ", "Iraq"}, {"IRL", "EI", "Ireland"}, {"ISR", "IS", "Israel"},
	{"ITA", "IT", "Italy"}, {"JAM", "JM", "Jamaica"}, {"JPN", "JA", "Japan"},
	{"JOR", "JO", "Jordan"}, {"KAZ", "KZ", "Kazakhstan"}, {"KEN", "KE", "Kenya"},
	{"KIR", "KR", "Kiribati"}, {"PRK", "KN", "North Korea"}, {"KOR", "KS", "South Korea"},
	{"KWT", "KU", "Kuwait"}, {"KGZ", "KG", "Kyrgyzstan"}, {"LAO", "LA", "Laos"},
	{"LVA", "LG", "Latvia"}, {"LBN", "LE", "Lebanon"}, {"LSO", "LT", "Lesotho"},
	{"LBR", "LI", "Liberia"}, {"LBY", "LY", "Libya"}, {"LIE", "LS", "Liechtenstein"},
	{"LTU", "LH", "Lithuania"}, {"LUX", "LU", "Luxembourg"}, {"MAC", "MC", "Macau"},
	{"MDG", "MA", "Madagascar"}, {"MWI", "MI", "Malawi"}, {"MYS", "MY", "Malaysia"},
	{"MDV", "MV", "Maldives"}, {"MLI", "ML", "Mali"}, {"MLT", "MT", "Malta"},
	{"MHL", "RM", "Marshall Islands"}, {"MRT", "MR", "Mauritania"}, {"MUS", "MP", "Mauritius"},
	{"MEX", "MX", "Mexico"}, {"FSM", "FM", "Micronesia"}, {"MDA", "MD", "Moldova"},
	{"MCO", "MN", "Monaco"}, {"MNG", "MG", "Mongolia"}, {"MNE", "MJ", "Montenegro"},
	{"MAR", "MO", "Morocco"}, {"MOZ", "MZ", "Mozambique"}, {"MMR", "BM", "Myanmar"},
	{"NAM", "WA", "Namibia"}, {"NRU", "NR", "Nauru"}, {"NPL", "NP", "Nepal"},
	{"NLD", "NL", "Netherlands"}, {"NZL", "NZ", "New Zealand"}, {"NIC", "NU", "Nicaragua"},
	{"NER", "NG", "Niger"}, {"NGA", "NI", "Nigeria"}, {"MKD", "MK", "North Macedonia"},
	{"NOR", "NO", "Norway"}, {"OMN", "MU", "Oman"}, {"PAK", "PK", "Pakistan"},
	{"PLW", "PS", "Palau"}, {"PSE", "WE", "Palestine"}, {"PAN", "PM", "Panama"},
	{"PNG", "PP", "Papua New Guinea"}, {"PRY", "PA", "Paraguay"}, {"PER", "PE", "Peru"},
	{"PHL", "RP", "Philippines"}, {"POL", "PL", "Poland"}, {"PRT", "PO", "Portugal"},
	{"PRI", "RQ", "Puerto Rico"}, {"QAT", "QA", "Qatar"}, {"ROU", "RO", "Romania"},
	{"RUS", "RS", "Russia"}, {"RWA", "RW", "Rwanda"}, {"KNA", "SC", "Saint Kitts and Nevis"},
	{"LCA", "ST", "Saint Lucia"}, {"VCT", "VC", "Saint Vincent and the Grenadines"},
	{"WSM", "WS", "Samoa"}, {"SMR", "SM", "San Marino"}, {"STP", "TP", "São Tomé and Príncipe"},
	{"SAU", "SA", "Saudi Arabia"}, {"SEN", "SG", "Senegal"}, {"SRB", "RI", "Serbia"},
	{"SYC", "SE", "Seychelles"}, {"SLE", "SL", "Sierra Leone"}, {"SGP", "SN", "Singapore"},
	{"SVK", "LO", "Slovakia"}, {"SVN", "SI", "Slovenia"}, {"SLB", "BP", "Solomon Islands"},
	{"SOM", "SO", "Somalia"}, {"ZAF", "SF", "South Africa"}, {"SSD", "OD", "South Sudan"},
	{"ESP", "SP", "Spain"}, {"LKA", "CE", "Sri Lanka"}, {"SDN", "SU", "Sudan"},
	{"SUR", "NS", "Suriname"}, {"SWE", "SW", "Sweden"}, {"CHE", "SZ", "Switzerland"},
	{"SYR", "SY", "Syria"}, {"TWN", "TW", "Taiwan"}, {"TJK", "TI", "Tajikistan"},
	{"TZA", "TZ", "Tanzania"}, {"THA", "TH", "Thailand"}, {"TLS", "TT", "Timor-Leste"},
	{"TGO", "TO", "Togo"}, {"TON", "TN", "Tonga"}, {"TTO", "TD", "Trinidad and Tobago"},
	{"TUN", "TS", "Tunisia"}, {"TUR", "TU", "Turkey"}, {"TKM", "TX", "Turkmenistan"},
	{"TUV", "TV", "Tuvalu"}, {"UGA", "UG", "Uganda"}, {"UKR", "UP", "Ukraine"},
	{"ARE", "AE", "United Arab Emirates"}, {"GBR", "UK", "United Kingdom"},
	{"USA", "US", "United States"}, {"URY", "UY", "Uruguay"}, {"UZB", "UZ", "Uzbekistan"},
	{"VUT", "NH", "Vanuatu"}, {"VEN", "VE", "Venezuela"}, {"VNM", "VM", "Vietnam"},
	{"ESH", "WI", "Western Sahara"}, {"YEM", "YM", "Yemen"}, {"ZMB", "ZA", "Zambia"},
	{"ZWE", "ZI", "Zimbabwe"},
}

// countryAliases are other names data sets use for countries (ICEWS uses
// ISO's formal short names: "Russian Federation", "Moldova, Republic of").
var countryAliases = map[string]string{
	"Russian Federation": "RUS", "United States of America": "USA", "Great Britain": "GBR",
	"Britain": "GBR", "Syrian Arab Republic": "SYR", "Iran, Islamic Republic of": "IRN",
	"Moldova, Republic of": "MDA", "Republic of Moldova": "MDA",
	"Occupied Palestinian Territory": "PSE", "Palestinian Territory, Occupied": "PSE",
	"Palestinian Territories": "PSE", "State of Palestine": "PSE",
	"the former Yugoslav Republic of Macedonia": "MKD", "Macedonia": "MKD",
	"Cote d'Ivoire": "CIV", "Ivory Coast": "CIV",
	"Democratic Republic of Congo": "COD", "Congo, The Democratic Republic of the": "COD",
	"Congo, Democratic Republic of the": "COD", "DR Congo": "COD", "Congo": "COG",
	"Republic of Congo": "COG", "Swaziland": "SWZ", "East Timor": "TLS", "Czechia": "CZE",
	"Burma": "MMR", "Viet Nam": "VNM", "Korea, Republic of": "KOR", "Republic of Korea": "KOR",
	"Korea, Democratic People's Republic of": "PRK", "Democratic People's Republic of Korea": "PRK",
	"Lao People's Democratic Republic": "LAO", "Tanzania, United Republic of": "TZA",
	"Venezuela, Bolivarian Republic of": "VEN", "Bolivia, Plurinational State of": "BOL",
	"Holy See": "VAT", "Vatican City": "VAT", "Holy See (Vatican City State)": "VAT",
	"Cabo Verde": "CPV", "Brunei Darussalam": "BRN", "Micronesia, Federated States of": "FSM",
	"Sao Tome and Principe": "STP", "Macao": "MAC", "Taiwan, Province of China": "TWN",
	"Libyan Arab Jamahiriya": "LBY", "Turkiye": "TUR", "Türkiye": "TUR",
}

// fipsExtra are FIPS 10-4 codes beyond the table's one per country.
var fipsExtra = map[string]string{"GZ": "PSE"}

var (
	countryByAlpha3 = map[string]country{}
	alpha3ByFIPS    = map[string]string{}
	alpha3ByName    = map[string]string{} // folded name or alias -> alpha-3
)

func init() {
	for _, c := range countries {
		countryByAlpha3[c.alpha3] = c
		if c.fips != "" {
			alpha3ByFIPS[c.fips] = c.alpha3
		}
		alpha3ByName[kg.Fold(c.name)] = c.alpha3
	}
	for n, a := range countryAliases {
		alpha3ByName[kg.Fold(n)] = a
	}
	for f, a := range fipsExtra {
		alpha3ByFIPS[f] = a
	}
}

// part is what one three-letter chunk of a CAMEO actor code means.
type part struct {
	name string
	kind kg.ActorKind // "" when the chunk says nothing of the kind
	// group marks a named organisation (a CAMEO "known group"): it becomes
	// the actor's name, and the chunks before it are its classification.
	group bool
}

// roles are the CAMEO actor type codes (primary and secondary roles,
// organisation types, religions) and the known groups event data mentions
// most. The name is the suffix after the country: "Syria government".
var roles = map[string]part{
	// primary roles
	"GOV": {"government", kg.KindGovernment, false},
	"MIL": {"military", kg.KindMilitary, false},
	"REB": {"rebels", kg.KindArmedGroup, false},
	"INS": {"insurgents", kg.KindArmedGroup, false},
	"SEP": {"separatists", kg.KindArmedGroup, false},
	"UAF": {"armed group", kg.KindArmedGroup, false},
	"OPP": {"opposition", kg.KindOther, false},
	"PTY": {"political party", kg.KindOther, false},
	"COP": {"police", kg.KindGovernment, false},
	"JUD": {"judiciary", kg.KindGovernment, false},
	"LEG": {"legislature", kg.KindGovernment, false},
	"SPY": {"intelligence", kg.KindGovernment, false},
	"ELI": {"elites", kg.KindOther, false},
	"BUS": {"business", kg.KindOther, false},
	"MED": {"media", kg.KindOther, false},
	"CVL": {"civilians", kg.KindCivilians, false},
	"REF": {"refugees", kg.KindCivilians, false},
	"EDU": {"education", kg.KindOther, false},
	"HLH": {"health", kg.KindOther, false},
	"LAB": {"labor", kg.KindOther, false},
	"AGR": {"agriculture", kg.KindOther, false},
	"ENV": {"environmental groups", kg.KindOther, false},
	"CRM": {"criminals", kg.KindOther, false},
	"HRI": {"human rights groups", kg.KindHumanitarian, false},
	"MOD": {"moderates", kg.KindOther, false},
	"RAD": {"radicals", kg.KindOther, false},
	"SET": {"settlers", kg.KindCivilians, false},
	"DEV": {"development", kg.KindOther, false},
	// organisation types
	"IGO": {"intergovernmental organization", kg.KindInternationalOrg, false},
	"NGO": {"non-governmental organization", kg.KindOther, false},
	"NGM": {"non-governmental movement", kg.KindOther, false},
	"IMG": {"international militarized group", kg.KindArmedGroup, false},
	"INT": {"international", kg.KindOther, false},
	"MNC": {"multinational corporation", kg.KindOther, false},
	// religions
	"REL": {"religious", kg.KindOther, false},
	"CHR": {"Christian", kg.KindOther, false},
	"CTH": {"Catholic", kg.KindOther, false},
	"PRO": {"Protestant", kg.KindOther, false},
	"ORT": {"Orthodox", kg.KindOther, false},
	"MOS": {"Muslim", kg.KindOther, false},
	"SHI": {"Shia", kg.KindOther, false},
	"SUN": {"Sunni", kg.KindOther, false},
	"JEW": {"Jewish", kg.KindOther, false},
	"HIN": {"Hindu", kg.KindOther, false},
	"BUD": {"Buddhist", kg.KindOther, false},
	"SIK": {"Sikh", kg.KindOther, false},
	// known groups
	"UNO": {"United Nations", kg.KindInternationalOrg, true},
	"EEC": {"European Union", kg.KindInternationalOrg, true},
	"NAT": {"NATO", kg.KindInternationalOrg, true},
	"ARL": {"Arab League", kg.KindInternationalOrg, true},
	"AFU": {"African Union", kg.KindInternationalOrg, true},
	"ASN": {"ASEAN", kg.KindInternationalOrg, true},
	"WBK": {"World Bank", kg.KindInternationalOrg, true},
	"IMF": {"International Monetary Fund", kg.KindInternationalOrg, true},
	"OPC": {"OPEC", kg.KindInternationalOrg, true},
	"HCR": {"UNHCR", kg.KindInternationalOrg, true},
	"WHO": {"World Health Organization", kg.KindInternationalOrg, true},
	"SAD": {"Southern African Development Community", kg.KindInternationalOrg, true},
	"AMN": {"Amnesty International", kg.KindHumanitarian, true},
	"HRW": {"Human Rights Watch", kg.KindHumanitarian, true},
	"XFM": {"Oxfam", kg.KindHumanitarian, true},
	"TAL": {"Taliban", kg.KindArmedGroup, true},
}

// regions are CAMEO's regional "country" codes.
var regions = map[string]string{
	"AFR": "Africa", "ASA": "Asia", "BLK": "Balkans", "CRB": "Caribbean", "CAU": "Caucasus",
	"CFR": "Central Africa", "CAS": "Central Asia", "CEU": "Central Europe", "EIN": "East Indies",
	"EAF": "Eastern Africa", "EEU": "Eastern Europe", "EUR": "Europe", "LAM": "Latin America",
	"MEA": "Middle East", "MDT": "Mediterranean", "NAF": "North Africa", "NMR": "North America",
	"PGS": "Persian Gulf", "SCN": "Scandinavia", "SAM": "South America", "SAS": "South Asia",
	"SEA": "Southeast Asia", "SAF": "Southern Africa", "WAF": "West Africa", "WST": "the West",
}

// describeCode derives an actor's name, kind and country from a CAMEO actor
// code alone, so the same code always yields the same actor whatever row
// creates it: "SYRGOV" → "Syria government", GOVERNMENT, SYR; "RUS" →
// "Russia", STATE; "IGOEUREEC" → "European Union". Chunks it does not know
// (ethnic codes such as "kur", numbered groups) stay as written.
func describeCode(code string) (name string, kind kg.ActorKind, alpha3 string) {
	var chunks []string
	for i := 0; i < len(code); i += 3 {
		chunks = append(chunks, code[i:min(i+3, len(code))])
	}
	var base string
	var suffix []string
	for i, c := range chunks {
		if co, ok := countryByAlpha3[c]; ok && base == "" {
			base, alpha3 = co.name, c
			if i == 0 {
				kind = kg.KindState
			}
			continue
		}
		if r, ok := regions[c]; ok && base == "" {
			base = r
			continue
		}
		if p, ok := roles[c]; ok {
			if p.group {
				base, suffix = p.name, nil
			} else {
				suffix = append(suffix, p.name)
			}
			if p.kind != "" {
				kind = p.kind
			}
			continue
		}
		suffix = append(suffix, c)
	}
	if kind == "" {
		kind = kg.KindOther
	}
	words := suffix
	if base != "" {
		words = append([]string{base}, suffix...)
	}
	if base == "" && len(words) > 0 && isKnownChunk(chunks[0]) {
		words[0] = strings.ToUpper(words[0][:1]) + words[0][1:] // "Business civilians"
	}
	name = strings.Join(words, " ")
	if name == "" {
		name = code
	}
	return name, kind, alpha3
}

func isKnownChunk(c string) bool { _, ok := roles[c]; return ok }

// icewsSectors maps ICEWS's generic sector actors, "Government (Syria)",
// onto the CAMEO role of the same meaning, so they meet the actors CAMEO
// codes name (SYRGOV).
var icewsSectors = map[string]string{
	"government": "GOV", "military": "MIL", "police": "COP", "citizen": "CVL",
	"media": "MED", "business": "BUS", "legislature": "LEG", "insurgent": "INS",
	"rebel group": "REB", "refugee": "REF", "opposition": "OPP",
}

// icewsKind guesses an actor kind from ICEWS's sector list.
func icewsKind(sectors string) kg.ActorKind {
	s := strings.ToLower(sectors)
	switch {
	case strings.Contains(s, "international government organization") || strings.Contains(s, "igo"):
		return kg.KindInternationalOrg
	case strings.Contains(s, "rebel") || strings.Contains(s, "insurgent") || strings.Contains(s, "separatist") ||
		strings.Contains(s, "armed band") || strings.Contains(s, "militant") || strings.Contains(s, "terrorist"):
		return kg.KindArmedGroup
	case strings.Contains(s, "ngo") || strings.Contains(s, "humanitarian") || strings.Contains(s, "human rights"):
		return kg.KindHumanitarian
	}
	return kg.KindOther
}
