package boltstore

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// maxRollUpDepth bounds hierarchy walks (the Neo4j store uses the same bound).
const maxRollUpDepth = 20

// actorKey is what the index keeps of an actor to filter without reading it.
type actorKey struct {
	kind    kg.ActorKind
	country string
	names   []string // folded name and aliases
}

// relKey is what the index keeps of a relation to filter and sort without
// reading it.
type relKey struct {
	typ                kg.RelationType
	from, to           string
	attribution        kg.Attribution
	status             kg.Status
	review             kg.Review
	source             string
	event              string
	claimedBy, place   string
	cameo, plover      string
	confidence         float64
	occurred, reported string // ISO dates, "" when unknown
}

// index is an immutable snapshot of the in-memory indexes.
type index struct {
	stats store.Stats

	actors     map[string]actorKey
	actorOrder []string          // by (folded name, id)
	actorIDs   []string          // by id
	sortKey    map[string]string // actor, place: folded name; event: occurred date
	typeCount  map[kg.RelationType]int
	// relOrders holds relation ids sorted ascending by each sort field, then id.
	relOrders map[store.SortField][]string
	byName    map[string][]string // folded name/alias -> actor ids, sorted

	rels      map[string]relKey
	relOrder  []string            // by id
	byFrom    map[string][]string // actor id -> relation ids, sorted
	byTo      map[string][]string
	byEvent   map[string][]string
	byAlleges map[string][]string // target relation id -> relation ids
	byDenies  map[string][]string
	children  map[string][]string // actor id -> actors PART_OF / HOLDING_ROLE in it

	places                              map[string]bool
	placeOrder, eventOrder, sourceOrder []string
}

func newIndex() *index {
	return &index{
		actors: map[string]actorKey{}, byName: map[string][]string{},
		rels: map[string]relKey{}, byFrom: map[string][]string{}, byTo: map[string][]string{},
		byEvent: map[string][]string{}, byAlleges: map[string][]string{}, byDenies: map[string][]string{},
		children: map[string][]string{}, places: map[string]bool{},
		sortKey: map[string]string{}, typeCount: map[kg.RelationType]int{},
	}
}

type sortable struct{ key, id string }

func sortIDs(items []sortable) []string {
	slices.SortFunc(items, func(a, b sortable) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	return out
}

// build scans every bucket once. Keys come out of bbolt in byte order, so
// id-ordered lists are appended already sorted.
func (x *index) build(tx *bolt.Tx) error {
	var actorSort, placeSort, eventSort []sortable
	err := tx.Bucket(bActors).ForEach(func(k, v []byte) error {
		var a kg.Actor
		if err := json.Unmarshal(v, &a); err != nil {
			return err
		}
		names := a.Names()
		x.actors[a.ID] = actorKey{kind: a.Kind, country: a.Country, names: names}
		actorSort = append(actorSort, sortable{kg.Fold(a.Name), a.ID})
		x.sortKey[a.ID] = kg.Fold(a.Name)
		x.actorIDs = append(x.actorIDs, a.ID)
		for _, n := range names {
			x.byName[n] = append(x.byName[n], a.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.actorOrder = sortIDs(actorSort)
	err = tx.Bucket(bPlaces).ForEach(func(k, v []byte) error {
		var p kg.Place
		if err := json.Unmarshal(v, &p); err != nil {
			return err
		}
		placeSort = append(placeSort, sortable{kg.Fold(p.Name), p.ID})
		x.sortKey[p.ID] = kg.Fold(p.Name)
		x.places[p.ID] = true
		return nil
	})
	if err != nil {
		return err
	}
	x.placeOrder = sortIDs(placeSort)
	err = tx.Bucket(bEvents).ForEach(func(k, v []byte) error {
		var e kg.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		eventSort = append(eventSort, sortable{e.Occurred.Date, e.ID})
		x.sortKey[e.ID] = e.Occurred.Date
		return nil
	})
	if err != nil {
		return err
	}
	x.eventOrder = sortIDs(eventSort)
	err = tx.Bucket(bSources).ForEach(func(k, v []byte) error {
		x.sourceOrder = append(x.sourceOrder, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bRelations).ForEach(func(k, v []byte) error {
		var r kg.Relation
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		x.rels[r.ID] = relKey{typ: r.Type, from: r.From, to: r.To, attribution: r.Attribution,
			status: r.Status, review: r.Provenance.Review, source: r.SourceID, event: r.EventID,
			claimedBy: r.ClaimedBy, place: r.PlaceID,
			cameo: r.CAMEO, plover: r.PLOVER(), confidence: r.Provenance.Confidence,
			occurred: r.Occurred.Date, reported: r.Reported.Date}
		x.typeCount[r.Type]++
		x.relOrder = append(x.relOrder, r.ID)
		x.byFrom[r.From] = append(x.byFrom[r.From], r.ID)
		x.byTo[r.To] = append(x.byTo[r.To], r.ID)
		if r.EventID != "" {
			x.byEvent[r.EventID] = append(x.byEvent[r.EventID], r.ID)
		}
		if r.Alleges != "" {
			x.byAlleges[r.Alleges] = append(x.byAlleges[r.Alleges], r.ID)
		}
		if r.Denies != "" {
			x.byDenies[r.Denies] = append(x.byDenies[r.Denies], r.ID)
		}
		if r.Type.IsHierarchy() {
			x.children[r.To] = append(x.children[r.To], r.From)
		}
		x.stats.Evidence += len(r.Evidence)
		return nil
	})
	if err != nil {
		return err
	}
	x.relOrders = map[store.SortField][]string{store.SortID: x.relOrder}
	for field, key := range map[store.SortField]func(relKey) string{
		store.SortOccurred: func(r relKey) string { return r.occurred },
		store.SortReported: func(r relKey) string { return r.reported },
	} {
		items := make([]sortable, 0, len(x.relOrder))
		for _, id := range x.relOrder {
			items = append(items, sortable{key(x.rels[id]), id})
		}
		x.relOrders[field] = sortIDs(items)
	}
	byConf := slices.Clone(x.relOrder)
	slices.SortStableFunc(byConf, func(a, b string) int {
		return cmp.Compare(x.rels[a].confidence, x.rels[b].confidence) // stable: ids stay ordered
	})
	x.relOrders[store.SortConfidence] = byConf
	x.stats.Actors = len(x.actors)
	x.stats.Places = len(x.placeOrder)
	x.stats.Events = len(x.eventOrder)
	x.stats.Sources = len(x.sourceOrder)
	x.stats.Relations = len(x.relOrder)
	return nil
}

// descendants returns id and every actor below it in the hierarchy (breadth
// first, at most maxRollUpDepth levels), sorted.
func (x *index) descendants(id string) []string {
	seen := map[string]bool{id: true}
	out := []string{id}
	frontier := []string{id}
	for depth := 0; depth < maxRollUpDepth && len(frontier) > 0; depth++ {
		var next []string
		for _, p := range frontier {
			for _, c := range x.children[p] {
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
					next = append(next, c)
				}
			}
		}
		frontier = next
	}
	slices.Sort(out)
	return out
}

// matcher compiles f into a predicate over relKeys.
func (x *index) matcher(f store.RelationFilter) func(relKey) bool {
	endSet := func(id string) map[string]bool {
		if id == "" {
			return nil
		}
		set := map[string]bool{id: true}
		if f.RollUp {
			for _, d := range x.descendants(id) {
				set[d] = true
			}
		}
		return set
	}
	from, to, claimant := endSet(f.From), endSet(f.To), endSet(f.ClaimedBy)
	date := func(r relKey) string { return r.occurred }
	if f.Dates.On == store.OnReported {
		date = func(r relKey) string { return r.reported }
	}
	kindIs := func(id string, kinds []kg.ActorKind) bool {
		a, ok := x.actors[id]
		return ok && slices.Contains(kinds, a.kind)
	}
	return func(r relKey) bool {
		switch {
		case len(f.Types) > 0 && !slices.Contains(f.Types, r.typ),
			from != nil && !from[r.from],
			to != nil && !to[r.to],
			f.Attribution != "" && r.attribution != f.Attribution,
			f.Status != "" && r.status != f.Status,
			f.Review != "" && r.review != f.Review,
			f.Source != "" && r.source != f.Source,
			f.Event != "" && r.event != f.Event,
			claimant != nil && !claimant[r.claimedBy],
			f.Place != "" && r.place != f.Place,
			f.CAMEORoot != "" && !strings.HasPrefix(r.cameo, f.CAMEORoot),
			f.PLOVER != "" && r.plover != f.PLOVER,
			r.confidence < f.MinConfidence,
			!rules.InRange(date(r), f.Dates),
			len(f.FromKinds) > 0 && !kindIs(r.from, f.FromKinds),
			len(f.ToKinds) > 0 && !kindIs(r.to, f.ToKinds):
			return false
		}
		return true
	}
}

// checkLoad refuses a graph the Neo4j store could not hold either: a
// relation type outside the vocabulary, or an end that is neither in the
// graph nor in the store (a relationship needs both nodes).
func (x *index) checkLoad(g *kg.Graph) error {
	actors := map[string]bool{}
	for _, a := range g.Actors {
		actors[a.ID] = true
	}
	places := map[string]bool{}
	for _, p := range g.Places {
		places[p.ID] = true
	}
	for _, r := range g.Relations {
		if !r.Type.IsValid() {
			return fmt.Errorf("relation %q: type %q: %w", r.ID, r.Type, store.ErrInvalid)
		}
		if _, ok := x.actors[r.From]; !ok && !actors[r.From] {
			return fmt.Errorf("relation %q: from %q is not an actor: %w", r.ID, r.From, store.ErrInvalid)
		}
		_, isActor := x.actors[r.To]
		if !isActor && !actors[r.To] && !x.places[r.To] && !places[r.To] {
			return fmt.Errorf("relation %q: to %q is neither an actor nor a place: %w", r.ID, r.To, store.ErrInvalid)
		}
	}
	return nil
}

// isEmpty reports whether f selects every relation (so counts come from
// the index sizes).
func isEmpty(f store.RelationFilter) bool {
	return f.From == "" && f.To == "" && f.Attribution == "" && f.Status == "" && f.Review == "" &&
		f.Source == "" && f.Event == "" && f.ClaimedBy == "" && f.Place == "" && f.CAMEORoot == "" && f.PLOVER == "" && f.MinConfidence == 0 &&
		f.Dates.IsZero() && len(f.FromKinds) == 0 && len(f.ToKinds) == 0
}

// relCmp compares relation id's (sort value, id) with a cursor.
func (x *index) relCmp(field store.SortField) func(id string, c *store.Cursor) int {
	return func(id string, c *store.Cursor) int {
		r := x.rels[id]
		var k int
		switch field {
		case store.SortOccurred:
			k = cmp.Compare(r.occurred, c.Str)
		case store.SortReported:
			k = cmp.Compare(r.reported, c.Str)
		case store.SortConfidence:
			k = cmp.Compare(r.confidence, c.Num)
		}
		return cmp.Or(k, cmp.Compare(id, c.ID))
	}
}

// strCmp compares (key[id], id) with a cursor whose Str is the key.
func strCmp(key map[string]string) func(id string, c *store.Cursor) int {
	return func(id string, c *store.Cursor) int {
		return cmp.Or(cmp.Compare(key[id], c.Str), cmp.Compare(id, c.ID))
	}
}

func idCmp(id string, c *store.Cursor) int { return cmp.Compare(id, c.ID) }

// scan walks ids (sorted ascending by compare's order) in the page's
// direction, starting after the cursor, and collects up to first matches
// plus one more to tell whether a next page exists.
func scan(ids []string, compare func(string, *store.Cursor) int, desc bool, p store.Page, match func(string) bool) ([]string, bool) {
	first := clamp(p.First)
	var out []string
	start, step := 0, 1
	if desc {
		start, step = len(ids)-1, -1
	}
	if p.After != nil {
		if desc { // the last element before the cursor
			start = sort.Search(len(ids), func(i int) bool { return compare(ids[i], p.After) >= 0 }) - 1
		} else {
			start = sort.Search(len(ids), func(i int) bool { return compare(ids[i], p.After) > 0 })
		}
	}
	for i := start; i >= 0 && i < len(ids); i += step {
		if match == nil || match(ids[i]) {
			if len(out) == first {
				return out, true
			}
			out = append(out, ids[i])
		}
	}
	return out, false
}

// actorMatcher compiles an actor filter into a predicate over actor ids.
func (x *index) actorMatcher(f store.ActorFilter) func(string) bool {
	q := kg.Fold(f.NameContains)
	return func(id string) bool {
		a := x.actors[id]
		switch {
		case len(f.Kinds) > 0 && !slices.Contains(f.Kinds, a.kind),
			f.Country != "" && a.country != f.Country,
			q != "" && !slices.ContainsFunc(a.names, func(n string) bool { return strings.Contains(n, q) }):
			return false
		}
		return true
	}
}

// relCursor is relation id's position under field, as a cursor.
func (x *index) relCursor(id string, field store.SortField) *store.Cursor {
	r := x.rels[id]
	c := &store.Cursor{ID: id, Num: r.confidence}
	switch field {
	case store.SortOccurred:
		c.Str = r.occurred
	case store.SortReported:
		c.Str = r.reported
	}
	return c
}
