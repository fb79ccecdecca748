package importer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// eventRow is a parsed GDELT or ICEWS row: a relation without its ends,
// source and place, which the resolver fills in.
type eventRow struct {
	at     lineRef
	rel    kg.Relation
	a1, a2 actorRef
	source kg.Source // the source the row cites (created unless the store has its id)
	place  *kg.Place // where it happened, when the row says
}

// actorRef is how a row names an actor: a CAMEO actor code (GDELT) or a
// name with sectors and country (ICEWS).
type actorRef struct {
	code                   string
	name, sectors, country string
}

// entity is an actor, source or place the import uses: found in the store
// (committed) or created by the import (committed once a batch wrote it).
type entity struct {
	actor     *kg.Actor
	source    *kg.Source
	place     *kg.Place
	committed bool
	err       error // a created entity that breaks the data model
}

// resolver maps a row's actor codes and names onto actors, and knows which
// sources and places exist. Everything it learns stays cached for the run.
type resolver struct {
	st store.Store

	codesLoaded bool
	byCode      map[string]string // CAMEO actor code -> actor id
	byName      map[string]string // folded ICEWS name -> actor id
	ents        map[string]*entity
}

func newResolver(st store.Store) *resolver {
	return &resolver{st: st, byCode: map[string]string{}, byName: map[string]string{}, ents: map[string]*entity{}}
}

// importedPrefixes mark actor ids the importer made; a curated actor with the
// same CAMEO code is preferred over them.
var importedPrefixes = []string{"cameo-", "icews-"}

// loadCodes indexes the store's actors by CAMEO actor code. When several
// actors share a code (RUSMIL: the Russian military, its General Staff, its
// air force, a general), the code means the most general of them: not a
// person, of the kind the code implies, highest in the PART_OF hierarchy,
// curated rather than imported, then the smallest id.
func (r *resolver) loadCodes(ctx context.Context) error {
	if r.codesLoaded {
		return nil
	}
	actors, err := scanActors(ctx, r.st)
	if err != nil {
		return err
	}
	cands := map[string][]kg.Actor{}
	for _, a := range actors {
		if a.CAMEOCode != "" {
			cands[a.CAMEOCode] = append(cands[a.CAMEOCode], a)
		}
	}
	// Parents of actors that share a code, in one call per 1000.
	var shared []string
	for _, as := range cands {
		if len(as) > 1 {
			for _, a := range as {
				shared = append(shared, a.ID)
			}
		}
	}
	parents := map[string][]string{}
	for chunk := range slices.Chunk(shared, store.MaxLimit) {
		rels, err := r.st.RelationsOf(ctx, chunk, store.Out, store.RelationFilter{Types: []kg.RelationType{kg.PartOf}},
			store.Order{Field: store.SortID}, store.Page{First: store.MaxLimit})
		if err != nil {
			return fmt.Errorf("importer: read the actor hierarchy: %w", err)
		}
		for id, rs := range rels {
			for _, rel := range rs.Items {
				parents[id] = append(parents[id], rel.To)
			}
		}
	}
	for code, as := range cands {
		_, wantKind, _ := describeCode(code)
		ids := map[string]bool{}
		for _, a := range as {
			ids[a.ID] = true
		}
		score := func(a kg.Actor) [4]int {
			var s [4]int
			if a.Kind == kg.KindPerson {
				s[0] = 1
			}
			if a.Kind != wantKind {
				s[1] = 1
			}
			for _, p := range parents[a.ID] {
				if ids[p] {
					s[2] = 1
				}
			}
			for _, p := range importedPrefixes {
				if strings.HasPrefix(a.ID, p) {
					s[3] = 1
				}
			}
			return s
		}
		best := slices.MinFunc(as, func(a, b kg.Actor) int {
			sa, sb := score(a), score(b)
			return cmp.Or(slices.Compare(sa[:], sb[:]), cmp.Compare(a.ID, b.ID))
		})
		r.byCode[code] = best.ID
		r.ents[best.ID] = &entity{actor: &best, committed: true}
	}
	r.codesLoaded = true
	return nil
}

// scanActors lists every actor, a page of store.MaxLimit at a time.
// (A store method to find actors by CAMEO code would read only those.)
func scanActors(ctx context.Context, st store.Store) ([]kg.Actor, error) {
	var out []kg.Actor
	order := store.Order{Field: store.SortID}
	page := store.Page{First: store.MaxLimit}
	for {
		p, err := st.ListActors(ctx, store.ActorFilter{}, order, page)
		if err != nil {
			return nil, fmt.Errorf("importer: list actors: %w", err)
		}
		out = append(out, p.Items...)
		if !p.HasNext || len(p.Items) == 0 {
			return out, nil
		}
		c := store.ActorCursor(p.Items[len(p.Items)-1], order)
		page.After = &c
	}
}

// prepare resolves every actor, source and place the rows need, with one
// store lookup per kind of entity for the whole set of rows.
func (r *resolver) prepare(ctx context.Context, rows []*eventRow) error {
	if len(rows) == 0 {
		return nil
	}
	if err := r.loadCodes(ctx); err != nil {
		return err
	}
	newActors := map[string]kg.Actor{} // id -> the actor to create unless the store has it
	var order []string
	want := func(a kg.Actor) {
		if _, ok := r.ents[a.ID]; ok {
			return
		}
		if _, ok := newActors[a.ID]; !ok {
			order = append(order, a.ID)
			newActors[a.ID] = a
		}
	}
	var code func(c, alias string)
	code = func(c, alias string) {
		if _, ok := r.byCode[c]; ok {
			return
		}
		name, kind, alpha3 := describeCode(c)
		a := kg.Actor{ID: "cameo-" + strings.ToLower(c), Name: name, Kind: kind, Country: alpha3}
		if actorCodeRE.MatchString(c) {
			a.CAMEOCode = c
		}
		if alias != "" && kg.Fold(alias) != kg.Fold(name) {
			a.Aliases = []string{alias}
		}
		r.byCode[c] = a.ID
		want(a)
	}
	for _, row := range rows {
		for _, ref := range []actorRef{row.a1, row.a2} {
			switch {
			case ref.code != "":
				code(ref.code, "")
			case ref.name != "":
				key := kg.Fold(ref.name)
				if _, ok := r.byName[key]; ok {
					continue
				}
				a, err := r.st.ActorByName(ctx, ref.name)
				if err == nil {
					r.byName[key] = a.ID
					if _, ok := r.ents[a.ID]; !ok {
						r.ents[a.ID] = &entity{actor: &a, committed: true}
					}
					continue
				}
				if !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("importer: look up actor %q: %w", ref.name, err)
				}
				if c, alias := icewsCode(ref); c != "" {
					code(c, alias)
					r.byName[key] = r.byCode[c]
					continue
				}
				a = kg.Actor{ID: "icews-" + slugOrHash(ref.name), Name: strings.TrimSpace(ref.name), Kind: icewsKind(ref.sectors)}
				if a3 := alpha3ByName[kg.Fold(ref.country)]; a3 != "" {
					a.Country = a3
				}
				r.byName[key] = a.ID
				want(a)
			}
		}
	}
	if len(order) > 0 {
		found, err := lookup(ctx, order, r.st.Actors)
		if err != nil {
			return fmt.Errorf("importer: look up actors: %w", err)
		}
		for _, id := range order {
			if a, ok := found[id]; ok {
				r.ents[id] = &entity{actor: &a, committed: true}
				continue
			}
			a := newActors[id]
			r.ents[id] = &entity{actor: &a, err: checkEntity(&kg.Graph{Actors: []kg.Actor{a}})}
		}
	}

	// Sources and places: the first row to cite an id describes it.
	srcs := map[string]kg.Source{}
	places := map[string]kg.Place{}
	var srcOrder, placeOrder []string
	for _, row := range rows {
		if id := row.source.ID; r.ents[id] == nil {
			if _, ok := srcs[id]; !ok {
				srcs[id] = row.source
				srcOrder = append(srcOrder, id)
			}
		}
		if p := row.place; p != nil && r.ents[p.ID] == nil {
			if _, ok := places[p.ID]; !ok {
				places[p.ID] = *p
				placeOrder = append(placeOrder, p.ID)
			}
		}
	}
	if len(srcOrder) > 0 {
		found, err := lookup(ctx, srcOrder, r.st.Sources)
		if err != nil {
			return fmt.Errorf("importer: look up sources: %w", err)
		}
		for _, id := range srcOrder {
			if s, ok := found[id]; ok {
				s.Text = "" // imported rows cite no text; keep memory small
				r.ents[id] = &entity{source: &s, committed: true}
				continue
			}
			s := srcs[id]
			r.ents[id] = &entity{source: &s, err: checkEntity(&kg.Graph{Sources: []kg.Source{s}})}
		}
	}
	if len(placeOrder) > 0 {
		found, err := lookup(ctx, placeOrder, r.st.Places)
		if err != nil {
			return fmt.Errorf("importer: look up places: %w", err)
		}
		for _, id := range placeOrder {
			if p, ok := found[id]; ok {
				r.ents[id] = &entity{place: &p, committed: true}
				continue
			}
			p := places[id]
			r.ents[id] = &entity{place: &p, err: checkEntity(&kg.Graph{Places: []kg.Place{p}})}
		}
	}
	return nil
}

// icewsCode maps an ICEWS name onto a CAMEO actor code where one exists: a
// country's name is the state ("Russian Federation" → RUS), a generic
// sector of a country is its CAMEO role ("Government (Syria)" → SYRGOV,
// keeping the ICEWS name as an alias).
func icewsCode(ref actorRef) (code, alias string) {
	name := strings.TrimSpace(ref.name)
	if a3 := alpha3ByName[kg.Fold(name)]; a3 != "" {
		return a3, ""
	}
	open := strings.LastIndex(name, " (")
	if open < 0 || !strings.HasSuffix(name, ")") {
		return "", ""
	}
	sector, where := name[:open], name[open+2:len(name)-1]
	role := icewsSectors[kg.Fold(sector)]
	a3 := alpha3ByName[kg.Fold(where)]
	if role == "" || a3 == "" {
		return "", ""
	}
	return a3 + role, name
}

// lookup calls a store's by-id method in chunks of store.MaxLimit ids.
func lookup[T any](ctx context.Context, ids []string, get func(context.Context, []string) (map[string]T, error)) (map[string]T, error) {
	out := map[string]T{}
	for chunk := range slices.Chunk(ids, store.MaxLimit) {
		m, err := get(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// build turns resolved rows into relations ready to write.
func (im *importer) resolvePending(ctx context.Context) error {
	rows := im.pending
	im.pending = nil
	if len(rows) == 0 {
		return nil
	}
	if err := im.res.prepare(ctx, rows); err != nil {
		return err
	}
	for _, row := range rows {
		rel := row.rel
		ends := [2]*entity{}
		bad := false
		for i, ref := range []actorRef{row.a1, row.a2} {
			var id string
			if ref.code != "" {
				id = im.res.byCode[ref.code]
			} else {
				id = im.res.byName[kg.Fold(ref.name)]
			}
			e := im.res.ents[id]
			if e == nil || e.err != nil {
				im.skip(row.at, ReasonInvalid, true, "actor %q: %v", ref.code+ref.name, entityErr(e))
				bad = true
				break
			}
			ends[i] = e
		}
		if bad {
			continue
		}
		rel.From, rel.To = ends[0].actor.ID, ends[1].actor.ID
		if rel.From == rel.To {
			im.skip(row.at, ReasonSelf, false, "both actors are %s", rel.From)
			continue
		}
		src := im.res.ents[row.source.ID]
		if src == nil || src.err != nil {
			im.skip(row.at, ReasonInvalid, true, "source %s: %v", row.source.ID, entityErr(src))
			continue
		}
		rel.SourceID = src.source.ID
		g := kg.Graph{Relations: []kg.Relation{rel}, Actors: []kg.Actor{*ends[0].actor, *ends[1].actor}, Sources: []kg.Source{*src.source}}
		if row.place != nil {
			// A place that breaks the data model only costs the row its place.
			if p := im.res.ents[row.place.ID]; p != nil && p.err == nil {
				rel.PlaceID = p.place.ID
				g.Relations[0].PlaceID = rel.PlaceID
				g.Places = []kg.Place{*p.place}
			}
		}
		if err := relationErrors(&g, 0); err != nil {
			im.skip(row.at, ReasonInvalid, true, "%v", err)
			continue
		}
		if !im.claim(row.at, rel.ID) {
			continue
		}
		im.out = append(im.out, item{at: row.at, rel: &rel})
	}
	return nil
}

func entityErr(e *entity) error {
	if e == nil {
		return errors.New("not resolved")
	}
	return e.err
}

// checkEntity validates a graph of one new entity.
func checkEntity(g *kg.Graph) error { return g.Validate() }

// relationErrors validates g and returns the problems of relation i alone:
// the entities around it are only context (and may come from the store).
func relationErrors(g *kg.Graph, i int) error {
	err := g.Validate()
	if err == nil {
		return nil
	}
	var msgs []string
	for _, e := range unjoin(err) {
		var ee *kg.EntryError
		if errors.As(e, &ee) && ee.Kind == "relation" && ee.Index == i {
			msgs = append(msgs, ee.Err.Error())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

var (
	actorCodeRE  = regexp.MustCompile(`^[A-Z][A-Z0-9]{2,}$`) // what kg accepts as a CAMEO actor code
	rawActorCode = regexp.MustCompile(`^[A-Za-z0-9]{3,}$`)   // what rows may carry (ethnic codes are lower case)
	rawID        = regexp.MustCompile(`^[A-Za-z0-9]{1,40}$`) // a data set's own row or story id
)

// slug turns text into an id fragment: ASCII letters and digits, accents
// dropped ("Erdoğan" → "erdogan"), runs of anything else one hyphen, at
// most 60 characters. It may be empty.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// slugOrHash is slug(s), with a short hash of s appended when the slug
// dropped letters it could not spell in ASCII (or is empty), so two names
// never share an id.
func slugOrHash(s string) string {
	sl := slug(s)
	lossless := sl != ""
	for _, r := range norm.NFD.String(s) {
		if r >= utf8.RuneSelf && unicode.IsLetter(r) {
			lossless = false
			break
		}
	}
	if lossless && len(sl) < 60 {
		return sl
	}
	h := hash16(s)[:8]
	if sl == "" {
		return h
	}
	return sl + "-" + h
}

func hash16(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func validUTF8(b []byte) bool { return utf8.Valid(b) }

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}
