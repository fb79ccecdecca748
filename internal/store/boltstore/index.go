package boltstore

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// maxRollUpDepth bounds hierarchy walks (the Neo4j store uses the same bound).
const maxRollUpDepth = 20

// actorKey is what the index keeps of an actor to filter and sort without
// reading it.
type actorKey struct {
	id, fold string // fold: the folded name (sort key)
	kind     kg.ActorKind
	country  string
	names    []string // folded name and aliases
}

// relKey is what the index keeps of a relation to filter, sort and
// aggregate without reading it.
type relKey struct {
	id                 string
	typ                kg.RelationType
	from, to           string
	attribution        kg.Attribution
	status             kg.Status
	review             kg.Review
	source             string
	event              string
	claimedBy, place   string
	alleges, denies    string
	cameo, plover      string
	confidence         float64
	occurred, reported string       // ISO dates, "" when unknown
	precision          kg.Precision // of occurred (weekly dyads leave out coarser dates)
	goldstein          *float64
	evidence           int
}

func keyOf(r kg.Relation) *relKey {
	return &relKey{id: r.ID, typ: r.Type, from: r.From, to: r.To, attribution: r.Attribution,
		status: r.Status, review: r.Provenance.Review, source: r.SourceID, event: r.EventID,
		claimedBy: r.ClaimedBy, place: r.PlaceID, alleges: r.Alleges, denies: r.Denies,
		cameo: r.CAMEO, plover: r.PLOVER(), confidence: r.Provenance.Confidence,
		occurred: r.Occurred.Date, reported: r.Reported.Date, precision: r.Occurred.Precision, goldstein: r.Goldstein, evidence: len(r.Evidence)}
}

// named is a place or an event in the index: its id and its sort key
// (folded name; occurred date).
type named struct{ id, key string }

// adj is one key's list of relations (an actor's out- or in-relations, an
// event's relations, the relations alleging one relation, …), by id.
type adj struct {
	key  string
	rels ptree[*relKey, relByID]
}

// multi is one key's list of strings, with repeats (a name's actors, an
// actor's children in the hierarchy); small, copied on change.
type multi struct {
	key string
	ids []string
}

// The orders of the index's trees.
type (
	relByID         struct{}
	relByOccurred   struct{}
	relByReported   struct{}
	relByConfidence struct{}
	actorByID       struct{}
	actorByName     struct{}
	namedByID       struct{}
	namedByKey      struct{}
	adjByKey        struct{}
	multiByKey      struct{}
	strOrder        struct{}
)

func (relByID) cmp(a, b *relKey) int { return cmp.Compare(a.id, b.id) }
func (relByOccurred) cmp(a, b *relKey) int {
	return cmp.Or(cmp.Compare(a.occurred, b.occurred), cmp.Compare(a.id, b.id))
}
func (relByReported) cmp(a, b *relKey) int {
	return cmp.Or(cmp.Compare(a.reported, b.reported), cmp.Compare(a.id, b.id))
}
func (relByConfidence) cmp(a, b *relKey) int {
	return cmp.Or(cmp.Compare(a.confidence, b.confidence), cmp.Compare(a.id, b.id))
}
func (actorByID) cmp(a, b *actorKey) int { return cmp.Compare(a.id, b.id) }
func (actorByName) cmp(a, b *actorKey) int {
	return cmp.Or(cmp.Compare(a.fold, b.fold), cmp.Compare(a.id, b.id))
}
func (namedByID) cmp(a, b named) int { return cmp.Compare(a.id, b.id) }
func (namedByKey) cmp(a, b named) int {
	return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
}
func (adjByKey) cmp(a, b adj) int     { return cmp.Compare(a.key, b.key) }
func (multiByKey) cmp(a, b multi) int { return cmp.Compare(a.key, b.key) }
func (strOrder) cmp(a, b string) int  { return cmp.Compare(a, b) }

type (
	relTree   = ptree[*relKey, relByID]
	adjTree   = ptree[adj, adjByKey]
	multiTree = ptree[multi, multiByKey]
	namedTree = ptree[named, namedByID]
	orderTree = ptree[named, namedByKey]
)

// index is one immutable version of the in-memory indexes, the state of
// the bbolt transaction txid. A write derives the next version from it
// (see builder), sharing all it does not touch.
type index struct {
	txid  int
	stats store.Stats

	actors     ptree[*actorKey, actorByID]
	actorOrder ptree[*actorKey, actorByName]
	byName     multiTree // folded name/alias -> actor ids

	places, events         namedTree
	placeOrder, eventOrder orderTree
	sources                ptree[string, strOrder]

	typeCount map[kg.RelationType]int // small: copied on change

	rels                              relTree // by id
	byOccurred                        ptree[*relKey, relByOccurred]
	byReported                        ptree[*relKey, relByReported]
	byConfid                          ptree[*relKey, relByConfidence]
	byFrom, byTo, byEvent, byClaimant adjTree
	byAlleges, byDenies               adjTree
	children, parents                 multiTree // hierarchy (PART_OF, HOLDS_ROLE): to -> froms, from -> tos
}

func newIndex() *index { return &index{typeCount: map[kg.RelationType]int{}} }

// countAdded counts a relation entering the index: its type, its evidence
// and, for a hierarchy edge, the children/parents maps roll-up walks.
func (x *index) countAdded(k *relKey) {
	x.typeCount[k.typ]++
	x.stats.Evidence += k.evidence
	if k.typ.IsHierarchy() {
		multiAdd(&x.children, k.to, k.from)
		multiAdd(&x.parents, k.from, k.to)
	}
}

func (x *index) actor(id string) (*actorKey, bool) { return x.actors.Get(&actorKey{id: id}) }
func (x *index) hasActor(id string) bool           { _, ok := x.actor(id); return ok }
func (x *index) isPlace(id string) bool            { _, ok := x.places.Get(named{id: id}); return ok }
func (x *index) event(id string) (named, bool)     { return x.events.Get(named{id: id}) }
func (x *index) rel(id string) (*relKey, bool)     { return x.rels.Get(&relKey{id: id}) }

// listOf returns key's relations in one of the adjacency trees.
func listOf(t adjTree, key string) relTree {
	a, _ := t.Get(adj{key: key})
	return a.rels
}

func idsOf(t multiTree, key string) []string {
	m, _ := t.Get(multi{key: key})
	return m.ids
}

// builder derives the next index version from one write's changes. Its
// trees are transients of the write's edit token: each node the write
// touches is copied once, then changed in place.
type builder struct {
	x  *index
	ed *edit
}

// edit starts the next version of x.
func (x *index) edit() *builder {
	ed := &edit{}
	n := *x
	n.typeCount = maps.Clone(x.typeCount)
	for _, t := range []*adjTree{&n.byFrom, &n.byTo, &n.byEvent, &n.byClaimant, &n.byAlleges, &n.byDenies} {
		*t = t.transient(ed)
	}
	for _, t := range []*multiTree{&n.byName, &n.children, &n.parents} {
		*t = t.transient(ed)
	}
	n.actors, n.actorOrder = n.actors.transient(ed), n.actorOrder.transient(ed)
	n.places, n.events = n.places.transient(ed), n.events.transient(ed)
	n.placeOrder, n.eventOrder = n.placeOrder.transient(ed), n.eventOrder.transient(ed)
	n.sources = n.sources.transient(ed)
	n.rels = n.rels.transient(ed)
	n.byOccurred, n.byReported, n.byConfid = n.byOccurred.transient(ed), n.byReported.transient(ed), n.byConfid.transient(ed)
	return &builder{x: &n, ed: ed}
}

// done returns the finished version; nothing changes it afterwards.
func (b *builder) done(txid int) *index {
	n := b.x
	for _, t := range []*adjTree{&n.byFrom, &n.byTo, &n.byEvent, &n.byClaimant, &n.byAlleges, &n.byDenies} {
		*t = t.frozen()
	}
	for _, t := range []*multiTree{&n.byName, &n.children, &n.parents} {
		*t = t.frozen()
	}
	n.actors, n.actorOrder = n.actors.frozen(), n.actorOrder.frozen()
	n.places, n.events = n.places.frozen(), n.events.frozen()
	n.placeOrder, n.eventOrder = n.placeOrder.frozen(), n.eventOrder.frozen()
	n.sources = n.sources.frozen()
	n.rels = n.rels.frozen()
	n.byOccurred, n.byReported, n.byConfid = n.byOccurred.frozen(), n.byReported.frozen(), n.byConfid.frozen()
	n.txid = txid
	n.stats.Actors, n.stats.Places, n.stats.Events = n.actors.Len(), n.places.Len(), n.events.Len()
	n.stats.Sources, n.stats.Relations = n.sources.Len(), n.rels.Len()
	b.x = nil
	return n
}

// adjAdd / adjDel put r into / out of key's list in t.
func (b *builder) adjAdd(t *adjTree, key string, r *relKey) {
	if key == "" {
		return
	}
	a, _ := t.Get(adj{key: key})
	a.key, a.rels = key, a.rels.transient(b.ed).Put(r).frozen()
	*t = t.Put(a)
}

func (b *builder) adjDel(t *adjTree, key string, r *relKey) {
	if key == "" {
		return
	}
	a, ok := t.Get(adj{key: key})
	if !ok {
		return
	}
	a.rels = a.rels.transient(b.ed).Delete(r).frozen()
	if a.rels.Len() == 0 {
		*t = t.Delete(a)
		return
	}
	*t = t.Put(a)
}

func multiAdd(t *multiTree, key, id string) {
	m, _ := t.Get(multi{key: key})
	ids := append(slices.Clip(m.ids), id)
	slices.Sort(ids)
	*t = t.Put(multi{key: key, ids: ids})
}

func multiDel(t *multiTree, key, id string) {
	m, ok := t.Get(multi{key: key})
	if !ok {
		return
	}
	i := slices.Index(m.ids, id)
	if i < 0 {
		return
	}
	ids := slices.Delete(slices.Clone(m.ids), i, i+1)
	if len(ids) == 0 {
		*t = t.Delete(m)
		return
	}
	*t = t.Put(multi{key: key, ids: ids})
}

func (b *builder) putActor(a kg.Actor) {
	b.delActor(a.ID)
	k := &actorKey{id: a.ID, fold: kg.Fold(a.Name), kind: a.Kind, country: a.Country, names: a.Names()}
	x := b.x
	x.actors, x.actorOrder = x.actors.Put(k), x.actorOrder.Put(k)
	for _, n := range k.names {
		multiAdd(&x.byName, n, k.id)
	}
}

func (b *builder) delActor(id string) {
	x := b.x
	k, ok := x.actor(id)
	if !ok {
		return
	}
	x.actors, x.actorOrder = x.actors.Delete(k), x.actorOrder.Delete(k)
	for _, n := range k.names {
		multiDel(&x.byName, n, k.id)
	}
}

func putNamed(t *namedTree, o *orderTree, n named) {
	if old, ok := t.Get(n); ok {
		*o = o.Delete(old)
	}
	*t, *o = t.Put(n), o.Put(n)
}

func delNamed(t *namedTree, o *orderTree, id string) {
	if old, ok := t.Get(named{id: id}); ok {
		*t, *o = t.Delete(old), o.Delete(old)
	}
}

func (b *builder) putRel(r kg.Relation) *relKey {
	b.delRel(r.ID)
	k := keyOf(r)
	x := b.x
	x.rels = x.rels.Put(k)
	x.byOccurred = x.byOccurred.Put(k)
	x.byReported, x.byConfid = x.byReported.Put(k), x.byConfid.Put(k)
	x.countAdded(k)
	b.adjAdd(&x.byFrom, k.from, k)
	b.adjAdd(&x.byTo, k.to, k)
	b.adjAdd(&x.byEvent, k.event, k)
	b.adjAdd(&x.byClaimant, k.claimedBy, k)
	b.adjAdd(&x.byAlleges, k.alleges, k)
	b.adjAdd(&x.byDenies, k.denies, k)
	return k
}

// putRels records a batch of relations written together (an import
// batch): each tree takes the batch's entries in its own order, so
// successive insertions walk neighbouring paths that are in cache and
// already copied by this write, instead of a random path each. It returns
// the entries in the order of rs (a relation given twice: its last value).
func (b *builder) putRels(rs []kg.Relation) []*relKey {
	keys := make([]*relKey, 0, len(rs))
	at := make(map[string]int, len(rs))
	for _, r := range rs {
		b.delRel(r.ID)
		if i, ok := at[r.ID]; ok {
			keys[i] = keyOf(r)
			continue
		}
		at[r.ID] = len(keys)
		keys = append(keys, keyOf(r))
	}
	x := b.x
	x.rels = putSorted(x.rels, keys)
	x.byOccurred, x.byReported = putSorted(x.byOccurred, keys), putSorted(x.byReported, keys)
	x.byConfid = putSorted(x.byConfid, keys)
	for _, k := range keys {
		x.countAdded(k)
	}
	b.adjAddAll(&x.byFrom, keys, func(k *relKey) string { return k.from })
	b.adjAddAll(&x.byTo, keys, func(k *relKey) string { return k.to })
	b.adjAddAll(&x.byEvent, keys, func(k *relKey) string { return k.event })
	b.adjAddAll(&x.byClaimant, keys, func(k *relKey) string { return k.claimedBy })
	b.adjAddAll(&x.byAlleges, keys, func(k *relKey) string { return k.alleges })
	b.adjAddAll(&x.byDenies, keys, func(k *relKey) string { return k.denies })
	return keys
}

// putSorted inserts ks into t in t's order.
func putSorted[T any, O ordering[T]](t ptree[T, O], ks []T) ptree[T, O] {
	var o O
	sorted := slices.Clone(ks)
	slices.SortFunc(sorted, o.cmp)
	for _, k := range sorted {
		t = t.Put(k)
	}
	return t
}

// adjAddAll puts each of ks into the list of its key (keyOf) in t, one
// lookup and one update of t per key.
func (b *builder) adjAddAll(t *adjTree, ks []*relKey, keyOf func(*relKey) string) {
	sorted := slices.Clone(ks)
	slices.SortFunc(sorted, func(a, c *relKey) int { return cmp.Or(cmp.Compare(keyOf(a), keyOf(c)), cmp.Compare(a.id, c.id)) })
	for i := 0; i < len(sorted); {
		key, j := keyOf(sorted[i]), i
		for j < len(sorted) && keyOf(sorted[j]) == key {
			j++
		}
		if key != "" {
			a, _ := t.Get(adj{key: key})
			list := a.rels.transient(b.ed)
			for _, k := range sorted[i:j] {
				list = list.Put(k)
			}
			*t = t.Put(adj{key: key, rels: list.frozen()})
		}
		i = j
	}
}

func (b *builder) delRel(id string) {
	x := b.x
	k, ok := x.rel(id)
	if !ok {
		return
	}
	x.rels = x.rels.Delete(k)
	x.byOccurred = x.byOccurred.Delete(k)
	x.byReported, x.byConfid = x.byReported.Delete(k), x.byConfid.Delete(k)
	if x.typeCount[k.typ]--; x.typeCount[k.typ] == 0 {
		delete(x.typeCount, k.typ)
	}
	x.stats.Evidence -= k.evidence
	b.adjDel(&x.byFrom, k.from, k)
	b.adjDel(&x.byTo, k.to, k)
	b.adjDel(&x.byEvent, k.event, k)
	b.adjDel(&x.byClaimant, k.claimedBy, k)
	b.adjDel(&x.byAlleges, k.alleges, k)
	b.adjDel(&x.byDenies, k.denies, k)
	if k.typ.IsHierarchy() {
		multiDel(&x.children, k.to, k.from)
		multiDel(&x.parents, k.from, k.to)
	}
}

// put records an entity written to bucket (a relation's index entry is
// returned, for relkeys); del one deleted from it.
func (b *builder) put(bucket []byte, v any) *relKey {
	switch v := v.(type) {
	case kg.Actor:
		b.putActor(v)
	case kg.Relation:
		return b.putRel(v)
	case kg.Place:
		putNamed(&b.x.places, &b.x.placeOrder, named{id: v.ID, key: kg.Fold(v.Name)})
	case kg.Event:
		putNamed(&b.x.events, &b.x.eventOrder, named{id: v.ID, key: v.Occurred.Date})
	case kg.Source:
		b.x.sources = b.x.sources.Put(v.ID)
	default:
		panic(fmt.Sprintf("boltstore: index: %T in %s", v, bucket))
	}
	return nil
}

func (b *builder) del(bucket []byte, id string) {
	switch string(bucket) {
	case string(bActors):
		b.delActor(id)
	case string(bRelations):
		b.delRel(id)
	case string(bPlaces):
		delNamed(&b.x.places, &b.x.placeOrder, id)
	case string(bEvents):
		delNamed(&b.x.events, &b.x.eventOrder, id)
	case string(bSources):
		b.x.sources = b.x.sources.Delete(id)
	}
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
			for _, c := range idsOf(x.children, p) {
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
func (x *index) matcher(f store.RelationFilter) func(*relKey) bool {
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
	date := func(r *relKey) string { return r.occurred }
	if f.Dates.On == store.OnReported {
		date = func(r *relKey) string { return r.reported }
	}
	kindIs := func(id string, kinds []kg.ActorKind) bool {
		a, ok := x.actor(id)
		return ok && slices.Contains(kinds, a.kind)
	}
	return func(r *relKey) bool {
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
		if !actors[r.From] && !x.hasActor(r.From) {
			return fmt.Errorf("relation %q: from %q is not an actor: %w", r.ID, r.From, store.ErrInvalid)
		}
		if !actors[r.To] && !places[r.To] && !x.hasActor(r.To) && !x.isPlace(r.To) {
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

// cursorKey is the relKey a cursor stands for under field (a probe for
// the order trees).
func cursorKey(c *store.Cursor, field store.SortField) *relKey {
	k := &relKey{id: c.ID, confidence: c.Num}
	switch field {
	case store.SortOccurred:
		k.occurred = c.Str
	case store.SortReported:
		k.reported = c.Str
	}
	return k
}

// relCmp orders relKeys by field, then id.
func relCmp(field store.SortField) func(a, b *relKey) int {
	switch field {
	case store.SortOccurred:
		return relByOccurred{}.cmp
	case store.SortReported:
		return relByReported{}.cmp
	case store.SortConfidence:
		return relByConfidence{}.cmp
	}
	return relByID{}.cmp
}

// checkEvery is how many items a long scan walks between checks of its
// context: a cancelled request stops within a few thousand items.
const checkEvery = 4096

// pager collects one page from an ordered walk: up to first matches, plus
// whether one more exists; it stops the walk when the page is full or the
// context is done.
type pager[T any] struct {
	ctx   interface{ Err() error }
	first int
	match func(T) bool
	out   []T
	more  bool
	seen  int
	err   error
}

func newPager[T any](ctx interface{ Err() error }, p store.Page, match func(T) bool) *pager[T] {
	return &pager[T]{ctx: ctx, first: clamp(p.First), match: match}
}

// take is the walk's callback.
func (g *pager[T]) take(x T) bool {
	if g.seen++; g.seen%checkEvery == 0 {
		if err := g.ctx.Err(); err != nil {
			g.err = fmt.Errorf("%w: %w", store.ErrUnavailable, err)
			return false
		}
	}
	if g.match != nil && !g.match(x) {
		return true
	}
	if len(g.out) == g.first {
		g.more = true
		return false
	}
	g.out = append(g.out, x)
	return true
}

// some is &x, or nil for the zero value (no cursor).
func some[T comparable](x T) *T {
	var zero T
	if x == zero {
		return nil
	}
	return &x
}

// walk pages through t from the cursor probe (the zero value: from the start).
func walk[T comparable, O ordering[T]](t ptree[T, O], probe T, desc bool, g *pager[T]) {
	if probe := some(probe); desc {
		t.Descend(probe, true, g.take)
	} else {
		t.Ascend(probe, true, g.take)
	}
}

// walkSlice pages through ids (sorted by cmp) from the cursor probe.
func walkSlice[T comparable](ids []T, cmpf func(a, b T) int, probe T, desc bool, g *pager[T]) {
	if probe := some(probe); !desc {
		i := 0
		if probe != nil {
			i, _ = slices.BinarySearchFunc(ids, *probe, cmpf)
			if i < len(ids) && cmpf(ids[i], *probe) == 0 {
				i++
			}
		}
		for ; i < len(ids) && g.take(ids[i]); i++ {
		}
		return
	}
	i := len(ids) - 1
	if probe := some(probe); probe != nil {
		j, _ := slices.BinarySearchFunc(ids, *probe, cmpf)
		i = j - 1
	}
	for ; i >= 0 && g.take(ids[i]); i-- {
	}
}

// actorMatcher compiles an actor filter into a predicate over actorKeys.
func actorMatcher(f store.ActorFilter) func(*actorKey) bool {
	q := kg.Fold(f.NameContains)
	return func(a *actorKey) bool {
		switch {
		case len(f.Kinds) > 0 && !slices.Contains(f.Kinds, a.kind),
			f.Country != "" && a.country != f.Country,
			q != "" && !slices.ContainsFunc(a.names, func(n string) bool { return strings.Contains(n, q) }):
			return false
		}
		return true
	}
}
