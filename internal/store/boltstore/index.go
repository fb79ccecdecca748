package boltstore

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// maxRollUpDepth bounds hierarchy walks (the Neo4j store uses the same bound).
const maxRollUpDepth = 20

// actorKey is what the index keeps of an actor to filter without reading it.
type actorKey struct {
	kind    kg.ActorKind
	country string
	names   []string // folded name and aliases
}

// relKey is what the index keeps of a relation to filter without reading it.
type relKey struct {
	typ         kg.RelationType
	from, to    string
	attribution kg.Attribution
	status      kg.Status
	source      string
	event       string
}

// index is an immutable snapshot of the in-memory indexes.
type index struct {
	stats store.Stats

	actors     map[string]actorKey
	actorOrder []string            // by (folded name, id)
	byName     map[string][]string // folded name/alias -> actor ids, sorted

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
			status: r.Status, source: r.SourceID, event: r.EventID}
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
	from, to := endSet(f.From), endSet(f.To)
	return func(r relKey) bool {
		switch {
		case len(f.Types) > 0 && !slices.Contains(f.Types, r.typ),
			from != nil && !from[r.from],
			to != nil && !to[r.to],
			f.Attribution != "" && r.attribution != f.Attribution,
			f.Status != "" && r.status != f.Status,
			f.Source != "" && r.source != f.Source,
			f.Event != "" && r.event != f.Event:
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
