// Package importer loads event data and the project's own files into a
// store, in batches of whole transactions:
//
//	actorgraph import --format gdelt|gdelt2|gdelt1|icews|json|csv [--strict] [--batch N] FILE…
//
// # Formats
//
// gdelt2: GDELT 2.0 Events exports, tab-separated, 61 columns, no header.
// gdelt1: GDELT 1.0 Events, 58 columns (daily files, ending in SOURCEURL) or
// 57 (the historical backfile, without it). gdelt tells the two apart per
// row by the column count. icews: ICEWS coded events, 20 tab-separated
// columns with a header ("Event ID", "Event Date", … "Longitude"); "NA" is
// a missing value, and so is the actor "Unspecified Actor". json: the JSON of kg.Graph (internal/seed/data/aleppo.json,
// `actorgraph export --format json`). csv: the relation CSV below.
//
// # Event rows (GDELT, ICEWS)
//
// Each row becomes one relation, with a deterministic id, so importing a
// file again changes nothing: "gdelt-<GLOBALEVENTID>", "icews-<Event ID>".
//
//   - type: the CAMEO event code (a string: "010", "0834" keep their leading
//     zeros) mapped by kg.TypeForCAMEO, longest prefix first. A code outside
//     the codebook makes the row malformed.
//   - goldstein: the row's own score as given (GDELT GoldsteinScale, ICEWS
//     Intensity), not the codebook's.
//   - occurred: GDELT SQLDATE (YYYYMMDD → DAY; the 1.0 backfile's YYYYMM →
//     MONTH and YYYY → YEAR); ICEWS Event Date (YYYY-MM-DD, or M/D/YYYY).
//     reported: the date of GDELT DATEADDED (2.0: YYYYMMDDHHMMSS, 1.0:
//     YYYYMMDD); for ICEWS the Event Date again.
//   - attribution ASSERTED, status ACTUAL, no evidence (no quote), and
//     provenance {confidence 0.5, method IMPORT, detail = the row's format
//     (gdelt2, gdelt1, icews), review PROPOSED}. 0.5 because the rows are
//     machine-coded and unreviewed; review is what confirms or rejects them.
//   - row (kg.ImportRow): format, the row's id, the actor codes or names as
//     given, QuadClass, NumMentions/NumSources/NumArticles, AvgTone and
//     SOURCEURL.
//   - source: GDELT SOURCEURL becomes a Source with id "url-" + the first 16
//     hex digits of its sha256, publisher = the URL's host, title = the URL,
//     published = DATEADDED's date. A SOURCEURL that is not a web address
//     ("BBC Monitoring") is a publisher's day ("pub-<slug>-<YYYYMMDD>"); rows
//     without one (the 1.0 backfile) cite the data set's day
//     ("gdelt1-<YYYYMMDD>"). ICEWS rows cite their story
//     ("icews-story-<Story ID>", publisher = Publisher).
//   - place: GDELT ActionGeo (none when its Type is 0 or its name empty):
//     a country is "geo-<alpha-3>" (FIPS 10-4 → ISO alpha-3), other places
//     "geo-<FeatureID>", else "place-<slug of the name>"; kind from Geo_Type
//     (1 COUNTRY, 3/4 CITY, 2/5 DISTRICT). ICEWS: City, District, Province,
//     Country, the most specific part deciding the kind.
//
// Sources, places and actors the store already holds (by id) are used as
// they are, never rewritten; the import creates only the missing ones.
//
// # Actors
//
// A GDELT actor code (USA, SYRGOV, RUSMIL, IGOEUREEC) means the store's
// actor with that kg.Actor.CAMEOCode. When several share it (RUSMIL: the
// Russian military, its General Staff, a general) it means the most general:
// not a person, of the kind the code implies, highest in the PART_OF
// hierarchy, curated rather than imported, then the smallest id. Otherwise
// the import creates "cameo-<code in lower case>", named from the code
// ("Syria government", "Russia military", "European Union") with the kind
// its role implies (GOV → GOVERNMENT, MIL → MILITARY, REB → ARMED_GROUP, a
// bare country → STATE) and the country of its alpha-3 prefix.
//
// An ICEWS actor is a name: the store's actor with that name or alias
// (case-folded) when there is one; else a country's name ("Russian
// Federation") is that country's CAMEO code, and a country's generic sector
// ("Government (Syria)", "Police (India)") its CAMEO role code (SYRGOV,
// INDCOP), resolved as above; else the import creates "icews-<slug of the
// name>" with the kind its sectors suggest and the country of Source/Target
// Country.
//
// The code index is built once per import from every actor of the store
// (store.ListActors, page by page).
//
// # Relation CSV
//
// One relation per row, RFC 4180 quoting (a quoted field may span lines),
// a header naming the columns in any order:
//
//	id,type,from,to,attribution,claimedBy,status,condition,role,occurred,occurredPrecision,
//	reported,reportedPrecision,source,event,place,alleges,denies,cameo,goldstein,confidence,
//	method,detail,review,note
//
// id, from, to and source are required, and type or cameo (type may be
// empty when cameo is given: it is then the code's type). Empty fields
// default to: attribution ASSERTED, status ACTUAL, a date's precision DAY
// (UNKNOWN without a date), confidence 0.5, method IMPORT, detail "csv",
// review PROPOSED. from, to, claimedBy, source, event and place are ids of
// entities the store holds; alleges and denies ids of relations in the
// store or the same file. CSV rows carry no evidence, so CURATED and CODER
// relations (which need quotes) belong in the JSON format.
//
// # Bad rows, batches, --strict
//
// A row that cannot be imported is skipped and reported with its file, line
// and reason; the rest import. Malformed rows (wrong column count, bad date,
// a code not in the codebook, invalid UTF-8, a line over the length limit,
// a relation that breaks the data model) are "bad"; one-sided events (no
// second actor), an actor facing itself, a repeated id and blank lines are
// skipped without being bad. Lines are read with a bounded buffer: a 10 MB
// line costs neither memory nor the rest of the file.
//
// Relations are written Options.Batch at a time (default 5000), one
// store.Load — one transaction — each, with the actors, sources and places
// they need that the store lacks. A crash leaves whole batches.
//
// With Options.Strict any bad row refuses the whole input: everything is
// read and checked before anything is written (stdin is spooled to a
// temporary file for the second pass), and nothing is written at all.
package importer
