package kg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EntryError is one problem with one entry of a Graph. Validate joins one
// EntryError per problem, so every line of its message names the entry:
//
//	relation "us-accuses-russia-convoy": evidence[0]: quote does not match text at [2259,2265): …
//
// Use errors.As to get at the kind and id.
type EntryError struct {
	Kind  string // "source", "actor", "place", "event" or "relation"
	ID    string // the entry's id; empty when the entry has none
	Index int    // the entry's position in its list
	Err   error
}

func (e *EntryError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("%s[%d]: %v", e.Kind, e.Index, e.Err)
	}
	return fmt.Sprintf("%s %q: %v", e.Kind, e.ID, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9._:-]*$`)
	alpha3RE   = regexp.MustCompile(`^[A-Z]{3}$`)
	actorCode  = regexp.MustCompile(`^[A-Z][A-Z0-9]{2,}$`) // CAMEO actor code: USA, RUSMIL, SYRREB
	qidRE      = regexp.MustCompile(`^Q[1-9][0-9]*$`)
	sha256HexR = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Validate checks a whole graph against the data model (ARCHITECTURE.md) and
// returns every problem it finds, joined with errors.Join, or nil. Each problem
// is an *EntryError naming the entry.
//
// Rules beyond the obvious enum and reference checks:
//   - Ids are slugs, unique across all five kinds: a relation's `to` may be an
//     actor or a place, so the two may never share an id.
//   - `from` is always an actor. `to` is an actor, except: CONTROLS takes a
//     place; ATTACKS and BESIEGES take an actor or a place, because news text
//     names places as targets ("attacks on Aleppo", "the besieged city",
//     "strike ... residential quarters in the eastern part of Aleppo").
//   - PART_OF and HOLDS_ROLE (the edges rollUp climbs) form no cycle;
//     HOLDS_ROLE starts at a PERSON and carries a role.
//   - `alleges` only on ACCUSES, `denies` only on (and, unless imported, required by) DENIES;
//     both name another relation of the graph.
//   - Structural types carry no CAMEO code or Goldstein score. A CAMEO code is
//     in the codebook and maps to the relation's type; a curated relation's
//     Goldstein score is its code's.
//   - Curated and coded relations have at least one evidence; structural
//     relations are no exception (the seed finds a quote for each). Every
//     evidence, of relations and events alike, is the exact text of its
//     source at its [start, end) code-point offsets, once per entry.
//   - A source's sha256, when set, is the digest of its text (when loaded).
func (g *Graph) Validate() error {
	if g == nil {
		return errors.New("kg: nil graph")
	}
	v := &validator{
		g:       g,
		kindOf:  map[string]string{},
		actors:  map[string]*Actor{},
		places:  map[string]*Place{},
		events:  map[string]*Event{},
		sources: map[string]*Source{},
		rels:    map[string]*Relation{},
		runes:   map[string][]rune{},
	}
	v.index()
	for i := range g.Sources {
		v.source(i, &g.Sources[i])
	}
	for i := range g.Actors {
		v.actor(i, &g.Actors[i])
	}
	for i := range g.Places {
		v.place(i, &g.Places[i])
	}
	for i := range g.Events {
		v.event(i, &g.Events[i])
	}
	for i := range g.Relations {
		v.relation(i, &g.Relations[i])
	}
	v.hierarchyCycles()
	return errors.Join(v.errs...)
}

type validator struct {
	g       *Graph
	errs    []error
	kindOf  map[string]string // id -> kind of its first owner
	actors  map[string]*Actor
	places  map[string]*Place
	events  map[string]*Event
	sources map[string]*Source
	rels    map[string]*Relation
	runes   map[string][]rune // source id -> text as code points
}

// entry returns a reporter that records problems of one entry.
func (v *validator) entry(kind, id string, index int) func(format string, args ...any) {
	return func(format string, args ...any) {
		v.errs = append(v.errs, &EntryError{Kind: kind, ID: id, Index: index, Err: fmt.Errorf(format, args...)})
	}
}

// entryErr returns a reporter that records errors (FieldErrors) of one entry.
func (v *validator) entryErr(kind, id string, index int) func(error) {
	return func(err error) {
		v.errs = append(v.errs, &EntryError{Kind: kind, ID: id, Index: index, Err: err})
	}
}

// index records every id (first owner wins) so references can be resolved
// whatever the order of the lists.
func (v *validator) index() {
	add := func(kind, id string) bool {
		if id == "" {
			return false
		}
		if _, dup := v.kindOf[id]; dup {
			return false
		}
		v.kindOf[id] = kind
		return true
	}
	for i := range v.g.Sources {
		if s := &v.g.Sources[i]; add("source", s.ID) {
			v.sources[s.ID] = s
			v.runes[s.ID] = []rune(s.Text)
		}
	}
	for i := range v.g.Actors {
		if a := &v.g.Actors[i]; add("actor", a.ID) {
			v.actors[a.ID] = a
		}
	}
	for i := range v.g.Places {
		if p := &v.g.Places[i]; add("place", p.ID) {
			v.places[p.ID] = p
		}
	}
	for i := range v.g.Events {
		if e := &v.g.Events[i]; add("event", e.ID) {
			v.events[e.ID] = e
		}
	}
	for i := range v.g.Relations {
		if r := &v.g.Relations[i]; add("relation", r.ID) {
			v.rels[r.ID] = r
		}
	}
}

// checkID checks an entry's id: present, a slug, and owned by this entry.
func (v *validator) checkID(report func(string, ...any), kind, id string, owner any) {
	switch {
	case id == "":
		report("id is empty")
		return
	case len(id) > MaxID:
		report("%w", &FieldError{Field: "id", Err: fmt.Errorf("is longer than %d characters: %w", MaxID, ErrText)})
		return
	case !slugRE.MatchString(id):
		report("id %q is not a slug (%s)", id, slugRE)
	}
	if v.owns(kind, id, owner) {
		return
	}
	if first := v.kindOf[id]; first == kind {
		report("duplicate id: another %s has id %q", kind, id)
	} else {
		report("duplicate id: %s %s already has id %q", article(first), first, id)
	}
}

func article(kind string) string {
	if strings.ContainsAny(kind[:1], "aeiou") {
		return "an"
	}
	return "a"
}

func (v *validator) owns(kind, id string, owner any) bool {
	switch kind {
	case "source":
		return v.sources[id] == owner
	case "actor":
		return v.actors[id] == owner
	case "place":
		return v.places[id] == owner
	case "event":
		return v.events[id] == owner
	case "relation":
		return v.rels[id] == owner
	}
	return false
}

func (v *validator) source(i int, s *Source) {
	report := v.entry("source", s.ID, i)
	v.checkID(report, "source", s.ID, s)
	textErrors(v.entryErr("source", s.ID, i), s)
	if strings.TrimSpace(s.Title) == "" {
		report("title is empty")
	}
	if strings.TrimSpace(s.Publisher) == "" {
		report("publisher is empty")
	}
	if s.Country != "" && !alpha3RE.MatchString(s.Country) {
		report("country %q is not an ISO 3166-1 alpha-3 code", s.Country)
	}
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			report("url %q is not an absolute http(s) URL", s.URL)
		}
	}
	if err := checkPlainDate(s.Published); err != nil {
		report("published: %v", err)
	}
	if s.Original != "" {
		if err := checkPlainDate(s.Original); err != nil {
			report("original: %v", err)
		}
	}
	if !utf8.ValidString(s.Text) {
		report("text is not valid UTF-8")
	}
	if s.SHA256 != "" {
		if !sha256HexR.MatchString(s.SHA256) {
			report("sha256 %q is not 64 lower-case hex digits", s.SHA256)
		} else if s.Text != "" {
			if sum := sha256.Sum256([]byte(s.Text)); hex.EncodeToString(sum[:]) != s.SHA256 {
				report("sha256 %s does not match the text (its sha256 is %s)", s.SHA256, hex.EncodeToString(sum[:]))
			}
		}
	}
}

// IsSlug reports whether id has the form every entry id must have: a slug
// of at most MaxID characters.
func IsSlug(id string) bool { return len(id) <= MaxID && slugRE.MatchString(id) }

// IsAlpha3 reports whether s has the form of an ISO 3166-1 alpha-3 code.
func IsAlpha3(s string) bool { return alpha3RE.MatchString(s) }

// IsCAMEOActorCode reports whether s has the form of a CAMEO actor code
// (USA, RUSMIL, SYRREB): what an actor's cameoCode must be.
func IsCAMEOActorCode(s string) bool { return actorCode.MatchString(s) }

func (v *validator) actor(i int, a *Actor) {
	report := v.entry("actor", a.ID, i)
	v.checkID(report, "actor", a.ID, a)
	textErrors(v.entryErr("actor", a.ID, i), a)
	if strings.TrimSpace(a.Name) == "" {
		report("name is empty")
	}
	if !slices.Contains(ActorKinds, a.Kind) {
		report("kind %q is not an ActorKind", a.Kind)
	}
	checkAliases(report, a.Aliases)
	if a.Country != "" && !IsAlpha3(a.Country) {
		report("country %q is not an ISO 3166-1 alpha-3 code", a.Country)
	}
	if a.CAMEOCode != "" && !IsCAMEOActorCode(a.CAMEOCode) {
		report("cameoCode %q is not a CAMEO actor code (upper case, e.g. RUSMIL)", a.CAMEOCode)
	}
	if a.Wikidata != "" && !qidRE.MatchString(a.Wikidata) {
		report("wikidata %q is not a QID", a.Wikidata)
	}
}

func (v *validator) place(i int, p *Place) {
	report := v.entry("place", p.ID, i)
	v.checkID(report, "place", p.ID, p)
	textErrors(v.entryErr("place", p.ID, i), p)
	if strings.TrimSpace(p.Name) == "" {
		report("name is empty")
	}
	if !slices.Contains(PlaceKinds, p.Kind) {
		report("kind %q is not a PlaceKind", p.Kind)
	}
	checkAliases(report, p.Aliases)
	if p.Country != "" && !alpha3RE.MatchString(p.Country) {
		report("country %q is not an ISO 3166-1 alpha-3 code", p.Country)
	}
	if p.Wikidata != "" && !qidRE.MatchString(p.Wikidata) {
		report("wikidata %q is not a QID", p.Wikidata)
	}
	if p.ParentID == "" {
		return
	}
	if v.places[p.ParentID] == nil {
		report("parent %q is not a place", p.ParentID)
		return
	}
	// Walk up: a parent chain that comes back to p is a cycle.
	seen := map[string]bool{p.ID: true}
	for id := p.ParentID; id != ""; {
		if seen[id] {
			report("parent chain loops back to %q", id)
			return
		}
		seen[id] = true
		next := v.places[id]
		if next == nil {
			return // reported on that place
		}
		id = next.ParentID
	}
}

func (v *validator) event(i int, e *Event) {
	report := v.entry("event", e.ID, i)
	v.checkID(report, "event", e.ID, e)
	textErrors(v.entryErr("event", e.ID, i), e)
	if strings.TrimSpace(e.Name) == "" {
		report("name is empty")
	}
	if !slices.Contains(EventKinds, e.Kind) {
		report("kind %q is not an EventKind", e.Kind)
	}
	if err := checkDate(e.Occurred); err != nil {
		report("occurred: %v", err)
	}
	if e.PlaceID != "" && v.places[e.PlaceID] == nil {
		report("place %q is not a place", e.PlaceID)
	}
	if e.SourceID != "" && v.sources[e.SourceID] == nil {
		report("source %q is not a source", e.SourceID)
	}
	if len(e.Evidence) > 0 && e.SourceID == "" {
		report("has evidence but no source to check it against")
		return
	}
	v.evidence(report, e.SourceID, e.Evidence)
}

func (v *validator) relation(i int, r *Relation) {
	report := v.entry("relation", r.ID, i)
	v.checkID(report, "relation", r.ID, r)
	textErrors(v.entryErr("relation", r.ID, i), r)

	info, typeOK := r.Type.Info()
	if !typeOK {
		report("type %q is not in the relation vocabulary", r.Type)
	}

	// Endpoints.
	if r.From == "" {
		report("from is empty")
	} else if v.actors[r.From] == nil {
		report("from %q is not an actor", r.From)
	}
	if r.To == "" {
		report("to is empty")
	} else if typeOK {
		_, isActor := v.actors[r.To]
		_, isPlace := v.places[r.To]
		switch r.Type {
		case Controls:
			if !isPlace {
				report("to %q is not a place (CONTROLS points at a place)", r.To)
			}
		case Attacks, Besieges:
			if !isActor && !isPlace {
				report("to %q is neither an actor nor a place", r.To)
			}
		default:
			if !isActor {
				report("to %q is not an actor", r.To)
			}
		}
	}
	if r.From != "" && r.From == r.To {
		report("%w", &FieldError{Field: "to", Err: fmt.Errorf("%q is the relation's from as well: %w", r.To, ErrSelfLoop)})
	}
	if r.Type == HoldsRole {
		if a := v.actors[r.From]; a != nil && a.Kind != KindPerson {
			report("HOLDS_ROLE from %q, a %s, not a PERSON", r.From, a.Kind)
		}
	}

	// Attribution and status.
	if !slices.Contains(Attributions, r.Attribution) {
		report("attribution %q is not an Attribution", r.Attribution)
	}
	switch {
	case r.Attribution == Alleged && r.ClaimedBy == "":
		report("attribution ALLEGED needs claimedBy")
	case r.Attribution != Alleged && r.ClaimedBy != "":
		report("claimedBy %q is set but attribution is %q, not ALLEGED", r.ClaimedBy, r.Attribution)
	case r.ClaimedBy != "" && v.actors[r.ClaimedBy] == nil:
		report("claimedBy %q is not an actor", r.ClaimedBy)
	}
	if !slices.Contains(Statuses, r.Status) {
		report("status %q is not a Status", r.Status)
	}
	switch {
	case r.Status == Conditional && strings.TrimSpace(r.Condition) == "":
		report("status CONDITIONAL needs a condition")
	case r.Status != Conditional && r.Condition != "":
		report("condition is set but status is %q, not CONDITIONAL", r.Status)
	}
	switch {
	case r.Type == HoldsRole && strings.TrimSpace(r.Role) == "":
		report("HOLDS_ROLE needs a role")
	case r.Type != HoldsRole && r.Role != "":
		report("role is set on a %s relation (only HOLDS_ROLE has one)", r.Type)
	}

	// Dates.
	if err := checkDate(r.Occurred); err != nil {
		report("occurred: %v", err)
	}
	if err := checkDate(r.Reported); err != nil {
		report("reported: %v", err)
	}

	// References.
	if r.SourceID == "" {
		report("source is empty")
	} else if v.sources[r.SourceID] == nil {
		report("source %q is not a source", r.SourceID)
	}
	if r.EventID != "" && v.events[r.EventID] == nil {
		report("event %q is not an event", r.EventID)
	}
	if r.PlaceID != "" && v.places[r.PlaceID] == nil {
		report("place %q is not a place", r.PlaceID)
	}
	v.link(report, r, "alleges", r.Alleges, Accuses)
	v.link(report, r, "denies", r.Denies, Denies)
	// An imported event row (CAMEO 016) cannot say which accusation it
	// denies; curated and coded denials must.
	if r.Type == Denies && r.Denies == "" && r.Provenance.Method != MethodImport {
		report("DENIES needs denies (the id of the denied accusation)")
	}

	// Vocabulary codes.
	if typeOK && info.Structural {
		if r.CAMEO != "" {
			report("structural type %s takes no CAMEO code, has %q", r.Type, r.CAMEO)
		}
		if r.Goldstein != nil {
			report("structural type %s takes no Goldstein score", r.Type)
		}
	} else if r.CAMEO != "" {
		if !IsCAMEOCode(r.CAMEO) {
			report("cameo %q is not a code of the CAMEO codebook", r.CAMEO)
		} else if t, err := TypeForCAMEO(r.CAMEO); err != nil {
			report("cameo %q: %v", r.CAMEO, err)
		} else if typeOK && t != r.Type {
			report("cameo %q maps to %s, not %s", r.CAMEO, t, r.Type)
		}
	}
	if gs := r.Goldstein; gs != nil && !(typeOK && info.Structural) {
		switch want, ok := Goldstein(r.CAMEO); {
		case math.IsNaN(*gs) || *gs < -10 || *gs > 10:
			report("goldstein %v is outside [-10, 10]", *gs)
		case ok && r.Provenance.Method == MethodCurated && *gs != want:
			report("goldstein %v is not the score of CAMEO %s (%v)", *gs, r.CAMEO, want)
		}
	}

	// Provenance.
	p := r.Provenance
	if math.IsNaN(p.Confidence) || p.Confidence < 0 || p.Confidence > 1 {
		report("confidence %v is outside [0, 1]", p.Confidence)
	}
	if !slices.Contains(Methods, p.Method) {
		report("method %q is not a Method", p.Method)
	}
	if !slices.Contains(Reviews, p.Review) {
		report("review %q is not a Review", p.Review)
	}
	if (p.Method == MethodCoder || p.Method == MethodImport) && strings.TrimSpace(p.Detail) == "" {
		report("method %s needs a detail (the coder rule id or the import format)", p.Method)
	}

	// Evidence: curated and coded relations are quoted; imported rows need not be.
	if (p.Method == MethodCurated || p.Method == MethodCoder) && len(r.Evidence) == 0 {
		report("a %s relation needs at least one evidence", p.Method)
	}
	if v.sources[r.SourceID] != nil {
		v.evidence(report, r.SourceID, r.Evidence)
	}
}

// link checks an edge-to-edge reference (alleges, denies): only on its own
// relation type, to another existing relation.
func (v *validator) link(report func(string, ...any), r *Relation, field, target string, onlyOn RelationType) {
	if target == "" {
		return
	}
	if r.Type != onlyOn {
		report("%s is set on a %s relation (only %s has it)", field, r.Type, onlyOn)
	}
	switch {
	case target == r.ID:
		report("%s names the relation itself", field)
	case v.rels[target] == nil:
		report("%s %q is not a relation", field, target)
	}
}

// evidence checks quotes against the text of source src.
func (v *validator) evidence(report func(string, ...any), src string, evs []Evidence) {
	if len(evs) == 0 {
		return
	}
	s := v.sources[src]
	if s == nil {
		return // reported as a bad source reference
	}
	text := v.runes[src]
	if s.Text == "" {
		report("has evidence but source %q has no text loaded", src)
		return
	}
	type span struct{ start, end int }
	seen := map[span]int{}
	for i, e := range evs {
		if j, dup := seen[span{e.Start, e.End}]; dup {
			report("evidence[%d]: duplicates evidence[%d] at [%d,%d)", i, j, e.Start, e.End)
			continue
		}
		seen[span{e.Start, e.End}] = i
		switch {
		case e.Quote == "":
			report("evidence[%d]: quote is empty", i)
		case e.Start < 0 || e.End <= e.Start || e.End > len(text):
			report("evidence[%d]: offsets [%d,%d) are not a non-empty span of the text's %d code points%s",
				i, e.Start, e.End, len(text), locate(s.Text, e.Quote))
		case string(text[e.Start:e.End]) != e.Quote:
			report("evidence[%d]: quote does not match text at [%d,%d): quote %q, text %q%s",
				i, e.Start, e.End, clip(e.Quote), clip(string(text[e.Start:e.End])), locate(s.Text, e.Quote))
		}
	}
}

// locate says where a quote does occur, to make a wrong offset easy to fix.
func locate(text, quote string) string {
	b := strings.Index(text, quote)
	if quote == "" || b < 0 {
		return "; the quote is not in the text"
	}
	start := utf8.RuneCountInString(text[:b])
	return fmt.Sprintf("; the quote first occurs at [%d,%d)", start, start+utf8.RuneCountInString(quote))
}

func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// hierarchyCycles reports PART_OF / HOLDS_ROLE cycles, which would make rollUp
// climb forever.
func (v *validator) hierarchyCycles() {
	up := map[string][]*Relation{}
	for i := range v.g.Relations {
		if r := &v.g.Relations[i]; r.Type.IsHierarchy() && r.From != "" && r.To != "" && r.From != r.To {
			up[r.From] = append(up[r.From], r)
		}
	}
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var walk func(id string)
	walk = func(id string) {
		state[id] = onPath
		path = append(path, id)
		for _, r := range up[id] {
			switch state[r.To] {
			case onPath:
				cycle := append(slices.Clone(path[slices.Index(path, r.To):]), r.To)
				v.entry("relation", r.ID, v.relIndex(r))("%s closes a hierarchy cycle: %s", r.Type, strings.Join(cycle, " -> "))
			case unseen:
				walk(r.To)
			}
		}
		path = path[:len(path)-1]
		state[id] = done
	}
	for i := range v.g.Actors {
		if id := v.g.Actors[i].ID; state[id] == unseen {
			walk(id)
		}
	}
}

func (v *validator) relIndex(r *Relation) int {
	for i := range v.g.Relations {
		if &v.g.Relations[i] == r {
			return i
		}
	}
	return -1
}

func checkAliases(report func(string, ...any), aliases []string) {
	seen := map[string]bool{}
	for i, a := range aliases {
		f := Fold(a)
		switch {
		case f == "":
			report("aliases[%d] is empty", i)
		case seen[f]:
			report("aliases[%d] %q repeats another alias", i, a)
		}
		seen[f] = true
	}
}

// checkDate checks a Date: a valid precision; an ISO calendar date, present
// unless the precision is UNKNOWN; for WEEK a Monday, for MONTH the 1st, for
// YEAR January 1st.
func checkDate(d Date) error {
	if !slices.Contains(Precisions, d.Precision) {
		return fmt.Errorf("precision %q is not a Precision", d.Precision)
	}
	if d.Precision == PrecisionUnknown {
		if d.Date != "" {
			return fmt.Errorf("date %q is set but precision is UNKNOWN", d.Date)
		}
		return nil
	}
	if d.Date == "" {
		return fmt.Errorf("precision %s needs a date", d.Precision)
	}
	if err := checkPlainDate(d.Date); err != nil {
		return err
	}
	t, _ := time.Parse(time.DateOnly, d.Date)
	switch {
	case d.Precision == PrecisionWeek && t.Weekday() != time.Monday:
		return fmt.Errorf("WEEK date %s is a %s, not the week's Monday", d.Date, t.Weekday())
	case d.Precision == PrecisionMonth && t.Day() != 1:
		return fmt.Errorf("MONTH date %s is not the 1st of the month", d.Date)
	case d.Precision == PrecisionYear && (t.Day() != 1 || t.Month() != time.January):
		return fmt.Errorf("YEAR date %s is not January 1st", d.Date)
	}
	return nil
}

// checkPlainDate checks an ISO "YYYY-MM-DD" calendar date.
func checkPlainDate(s string) error {
	if s == "" {
		return errors.New("date is empty")
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
		return fmt.Errorf("date %q is not a valid YYYY-MM-DD calendar date", s)
	}
	return nil
}
