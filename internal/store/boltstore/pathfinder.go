package boltstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/rules"
)

// Neighbourhoods and paths, each one bbolt read transaction: the walk runs
// over the in-memory index (relation ends, types, attribution, dates), and
// the transaction reads only the records returned. A node's walk stops at
// its perNode+1st match, so a hub costs what a small node does.
//
// The rules (identical in the Neo4j store, see its pathfinder.go):
//
// Neighborhood walks breadth first, level by level. At each level every
// actor of the frontier (places are leaves) selects its first PerNode
// matching relations by id; the level's new relations (not selected before)
// are ordered by (smallest id of a frontier node that selected them,
// relation id) and added until Limit relations are held; a level that does
// not fit stops the walk. The next frontier is the ends of the added
// relations not reached before. Truncated: some node had more than PerNode
// matches, or a level did not fit.
//
// Paths are the shortest undirected paths whose every relation matches,
// ordered by their lists of relation ids; with All, the first Limit of them.

var _ store.PathFinder = (*Store)(nil)

// Neighborhood returns the subgraph around actorID.
func (s *Store) Neighborhood(ctx context.Context, actorID string, q store.NeighborhoodQuery) (store.Subgraph, error) {
	if err := rules.CheckNeighborhood(&q); err != nil {
		return store.Subgraph{}, err
	}
	var out store.Subgraph
	err := s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		if !idx.hasActor(actorID) {
			return fmt.Errorf("actor %q: %w", actorID, store.ErrNotFound)
		}
		ids, nodes, truncated := nbhWalker{idx: idx, q: q}.neighborhood(actorID)
		out.Truncated = truncated
		rels := make(map[string]kg.Relation, len(ids))
		if err := get(tx, bRelations, ids, rels); err != nil {
			return err
		}
		out.Relations = pfOrdered(ids, rels)
		var actorIDs, placeIDs []string
		for _, n := range nodes {
			if idx.isPlace(n) {
				placeIDs = append(placeIDs, n)
			} else {
				actorIDs = append(actorIDs, n)
			}
		}
		actors := make(map[string]kg.Actor, len(actorIDs))
		if err := get(tx, bActors, actorIDs, actors); err != nil {
			return err
		}
		places := make(map[string]kg.Place, len(placeIDs))
		if err := get(tx, bPlaces, placeIDs, places); err != nil {
			return err
		}
		out.Actors, out.Places = pfOrdered(actorIDs, actors), pfOrdered(placeIDs, places)
		return nil
	})
	if err != nil {
		return store.Subgraph{}, err
	}
	return out, nil
}

// pfOrdered returns the values of ids present in m, in id order.
func pfOrdered[T any](ids []string, m map[string]T) []T {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if v, ok := m[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

// nbhWalker walks the index for one Neighborhood call.
type nbhWalker struct {
	idx *index
	q   store.NeighborhoodQuery
}

// neighborhood returns the selected relation ids, the nodes at their ends
// plus the start, and whether anything was cut off.
func (w nbhWalker) neighborhood(start string) (ids, nodes []string, truncated bool) {
	seen := map[string]bool{start: true}
	nodes = []string{start}
	held := map[string]bool{}
	frontier := []string{start}
	for level := 1; level <= w.q.Depth; level++ {
		// best: for each relation new at this level, the smallest frontier
		// node id that selected it.
		best := map[string]string{}
		for _, n := range frontier {
			if w.idx.isPlace(n) {
				continue // places are leaves
			}
			sel, cut := w.selectRels(n)
			truncated = truncated || cut
			for _, id := range sel {
				if held[id] {
					continue
				}
				if b, ok := best[id]; !ok || n < b {
					best[id] = n
				}
			}
		}
		added := make([]string, 0, len(best))
		for id := range best {
			added = append(added, id)
		}
		slices.SortFunc(added, func(a, b string) int { return cmp.Or(cmp.Compare(best[a], best[b]), cmp.Compare(a, b)) })
		stop := false
		if room := w.q.Limit - len(ids); len(added) > room {
			added, truncated, stop = added[:room], true, true
		}
		frontier = nil
		for _, id := range added {
			held[id] = true
			ids = append(ids, id)
			k, _ := w.idx.rel(id)
			for _, n := range [2]string{k.from, k.to} {
				if !seen[n] {
					seen[n] = true
					nodes = append(nodes, n)
					frontier = append(frontier, n)
				}
			}
		}
		if stop {
			break
		}
	}
	return ids, nodes, truncated
}

// selectRels returns node n's first PerNode matching relations in the query's
// direction, by id, and whether it has more.
func (w nbhWalker) selectRels(n string) (sel []string, cut bool) {
	w.idx.eachRel(n, w.q.Direction, func(k *relKey) bool {
		if !w.matches(k) {
			return true
		}
		if len(sel) == w.q.PerNode {
			cut = true
			return false
		}
		sel = append(sel, k.id)
		return true
	})
	return sel, cut
}

// eachRel calls fn with node n's relations in direction dir, by id (a
// self-loop once), until fn returns false: the two lists are merged as
// they are walked, so stopping early costs only what was read.
func (x *index) eachRel(n string, dir store.Direction, fn func(k *relKey) bool) {
	var out, in *pcursor[*relKey]
	if dir == store.Out || dir == store.Both {
		out = listOf(x.byFrom, n).Cursor()
	} else {
		out = relTree{}.Cursor()
	}
	if dir == store.In || dir == store.Both {
		in = listOf(x.byTo, n).Cursor()
	} else {
		in = relTree{}.Cursor()
	}
	a, aok := out.Next()
	b, bok := in.Next()
	for aok || bok {
		var k *relKey
		switch {
		case !bok || (aok && a.id < b.id):
			k = a
			a, aok = out.Next()
		case !aok || b.id < a.id:
			k = b
			b, bok = in.Next()
		default: // a self-loop is in both lists
			k = a
			a, aok = out.Next()
			b, bok = in.Next()
		}
		if !fn(k) {
			return
		}
	}
}

// matches applies the type and date filters to relation id.
func (w nbhWalker) matches(k *relKey) bool {
	if len(w.q.Types) > 0 && !slices.Contains(w.q.Types, k.typ) {
		return false
	}
	if w.q.Dates.IsZero() {
		return true
	}
	date := k.occurred
	if w.q.Dates.On == store.OnReported {
		date = k.reported
	}
	// An unknown date never matches a non-empty range.
	return date != "" && (w.q.Dates.From == "" || date >= w.q.Dates.From) && (w.q.Dates.To == "" || date <= w.q.Dates.To)
}

// Paths returns the shortest paths between two actors.
func (s *Store) Paths(ctx context.Context, fromID, toID string, q store.PathQuery) ([]store.Path, error) {
	limit, err := rules.CheckPaths(fromID, toID, q)
	if err != nil {
		return nil, err
	}
	out := []store.Path{}
	err = s.read(ctx, func(tx *bolt.Tx, idx *index) error {
		for _, id := range []string{fromID, toID} {
			if !idx.hasActor(id) {
				return fmt.Errorf("actor %q: %w", id, store.ErrNotFound)
			}
		}
		f := pathWalker{idx: idx, q: q}
		dist := f.distances(toID, fromID)
		paths := [][]string{}
		if _, ok := dist[fromID]; ok {
			f.enumerate(fromID, dist, nil, limit, &paths)
		}
		var all []string
		for _, p := range paths {
			all = append(all, p...)
		}
		rels := make(map[string]kg.Relation, len(all))
		if err := get(tx, bRelations, all, rels); err != nil {
			return err
		}
		for _, p := range paths {
			path := make(store.Path, 0, len(p))
			at := fromID
			for _, id := range p {
				r := rels[id]
				fwd := r.From == at
				if fwd {
					at = r.To
				} else {
					at = r.From
				}
				path = append(path, store.Hop{Relation: r, Forward: fwd})
			}
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pathWalker walks the index for one Paths call.
type pathWalker struct {
	idx *index
	q   store.PathQuery
}

func (f pathWalker) ok(k *relKey) bool {
	return (len(f.q.Types) == 0 || slices.Contains(f.q.Types, k.typ)) &&
		(f.q.Attribution == "" || k.attribution == f.q.Attribution)
}

// each calls fn with every matching relation of node n (either end), by id,
// and the node at its other end.
func (f pathWalker) each(n string, fn func(id, other string) bool) {
	f.idx.eachRel(n, store.Both, f.visit(n, fn))
}

// eachAny is each in no particular order (out-relations, then in), which
// saves the merge where the order does not matter (distances).
func (f pathWalker) eachAny(n string, fn func(id, other string) bool) {
	v := f.visit(n, fn)
	if listOf(f.idx.byFrom, n).Ascend(nil, false, v) {
		listOf(f.idx.byTo, n).Ascend(nil, false, v)
	}
}

// visit adapts fn to the relations of node n: self-loops (on no shortest
// path) and relations the query excludes are skipped.
func (f pathWalker) visit(n string, fn func(id, other string) bool) func(*relKey) bool {
	return func(k *relKey) bool {
		if k.from == k.to || !f.ok(k) {
			return true
		}
		other := k.to
		if other == n {
			other = k.from
		}
		return fn(k.id, other)
	}
}

// distances runs a breadth-first search from target, at most MaxLength
// levels, stopping after the level that reaches source; it returns the
// distance to target of every node reached.
func (f pathWalker) distances(target, source string) map[string]int {
	dist := map[string]int{target: 0}
	frontier := []string{target}
	for d := 1; d <= f.q.MaxLength && len(frontier) > 0; d++ {
		// When the source is next to the frontier it is at distance d, and
		// the level need not be expanded: walking the source's own list
		// replaces walking every frontier node's (which, past a hub, is
		// most of the graph). Only levels below d matter to enumerate.
		near := false
		f.eachAny(source, func(_, other string) bool {
			od, ok := dist[other]
			near = ok && od == d-1
			return !near
		})
		if near {
			dist[source] = d
			break
		}
		if d == f.q.MaxLength {
			break // the source is not within reach; nothing beyond matters
		}
		var next []string
		for _, n := range frontier {
			f.eachAny(n, func(_, other string) bool {
				if _, ok := dist[other]; !ok {
					dist[other] = d
					next = append(next, other)
				}
				return true
			})
		}
		if _, ok := dist[source]; ok {
			break
		}
		frontier = next
	}
	return dist
}

// enumerate appends the shortest paths from n to the target (distance 0) to
// paths, in order of their relation ids, until there are limit of them.
func (f pathWalker) enumerate(n string, dist map[string]int, prefix []string, limit int, paths *[][]string) {
	d := dist[n]
	if d == 0 {
		*paths = append(*paths, slices.Clone(prefix))
		return
	}
	f.each(n, func(id, other string) bool {
		if od, ok := dist[other]; ok && od == d-1 {
			f.enumerate(other, dist, append(prefix, id), limit, paths)
		}
		return len(*paths) < limit
	})
}
