package export

import (
	"bufio"
	"context"
	"encoding/json"
	"slices"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// jsonList writes the items of one JSON array, one per line.
type jsonList struct {
	w   *bufio.Writer
	enc *json.Encoder
	n   int
}

func newJSONList(w *bufio.Writer) *jsonList {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonList{w: w, enc: enc}
}

// open starts an array after prefix (e.g. `,"edges":`).
func (l *jsonList) open(prefix string) {
	l.w.WriteString(prefix)
	l.w.WriteString("[\n")
	l.n = 0
}

func (l *jsonList) item(v any) error {
	if l.n > 0 {
		l.w.WriteByte(',')
	}
	l.n++
	return l.enc.Encode(v) // ends with a newline
}

func (l *jsonList) close(suffix string) error {
	l.w.WriteString("]")
	_, err := l.w.WriteString(suffix)
	return err
}

func marshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// writeNetworkX writes node-link JSON with its edges under one key,
// "edges": the key networkx.node_link_graph reads by default from 3.6 (the
// version pip installs, see testdata/requirements.txt); 3.4 and 3.5 read it
// with edges="edges", 3.0-3.3 with link="edges", 2.8 with
// attrs={…, "link": "edges"}. One key, not "links" and "edges" both: that
// doubled the file and walked the relations twice. Edges are keyed by
// relation id in a directed multigraph.
func writeNetworkX(ctx context.Context, sel *selection, w *bufio.Writer) error {
	w.WriteString(`{"directed":true,"multigraph":true,"graph":` + marshal(sel.meta()))
	l := newJSONList(w)
	l.open(`,"nodes":`)
	if err := writeJSONNodes(ctx, sel, func(n jsonNode) error { return l.item(n) }); err != nil {
		return err
	}
	l.close("")
	l.open(`,"` + NodeLinkEdges + `":`)
	err := sel.edges(ctx, func(rs []kg.Relation, srcs map[string]kg.Source) error {
		for i := range rs {
			e := newJSONEdge(&rs[i], srcs[rs[i].SourceID])
			e.Key = rs[i].ID
			if err := l.item(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.close("}\n")
}

// NodeLinkEdges is the key of the edge list in the networkx export.
const NodeLinkEdges = "edges"

func writeJSONNodes(ctx context.Context, sel *selection, fn func(jsonNode) error) error {
	return sel.nodes(ctx, func(as []kg.Actor, ps []kg.Place) error {
		for i := range as {
			if err := fn(newJSONNode(&as[i], nil)); err != nil {
				return err
			}
		}
		for i := range ps {
			if err := fn(newJSONNode(nil, &ps[i])); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeCytoscape writes Cytoscape.js elements JSON, which Cytoscape
// desktop reads as .cyjs and networkx.cytoscape_graph reads whole:
//
//	{"directed":true,"multigraph":true,"data":{…},
//	 "elements":{"nodes":[{"data":{"id","value","name",…}}],"edges":[{"data":{"id","key",…}}]}}
//
// cytoscape_graph takes a node's identity from "value" and its name from
// "name", keys a multigraph's parallel edges by "key" and builds a directed
// multigraph only when the top level says so (Cytoscape.js ignores those
// keys); without them it collapsed parallel relations into one undirected edge.
func writeCytoscape(ctx context.Context, sel *selection, w *bufio.Writer) error {
	type element struct {
		Data any `json:"data"`
	}
	type cyNode struct {
		jsonNode
		Value string `json:"value"` // networkx: the node
		Name  string `json:"name"`  // networkx and Cytoscape desktop: the name
	}
	w.WriteString(`{"directed":true,"multigraph":true,"data":` + marshal(sel.meta()) + `,"elements":{`)
	l := newJSONList(w)
	l.open(`"nodes":`)
	err := writeJSONNodes(ctx, sel, func(n jsonNode) error { return l.item(element{cyNode{n, n.ID, n.Label}}) })
	if err != nil {
		return err
	}
	l.close("")
	l.open(`,"edges":`)
	err = sel.edges(ctx, func(rs []kg.Relation, srcs map[string]kg.Source) error {
		for i := range rs {
			e := newJSONEdge(&rs[i], srcs[rs[i].SourceID])
			e.ID, e.Key, e.Label = rs[i].ID, rs[i].ID, string(rs[i].Type)
			if err := l.item(element{e}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return l.close("}}\n")
}

// writeKG writes the project's own JSON (kg.Graph, as internal/seed/data/
// aleppo.json), which `actorgraph import --format json` loads. A part of
// the graph is made whole: it carries every entity its relations refer to
// (actors, claimants, places and their parents, events, sources) and the
// relations they allege or deny, so it imports into an empty store.
func writeKG(ctx context.Context, sel *selection, w *bufio.Writer) error {
	l := newJSONList(w)
	if sel.all() {
		st := sel.st
		l.open("{\n" + `"sources":`)
		err := pages(ctx, st.ListSources, func(s kg.Source) store.Cursor { return store.Cursor{ID: s.ID} },
			func(ss []kg.Source) error { return itemsOf(l, ss) })
		if err != nil {
			return err
		}
		l.close("")
		l.open(",\n" + `"actors":`)
		err = pages(ctx, func(ctx context.Context, p store.Page) (store.PageOf[kg.Actor], error) {
			return st.ListActors(ctx, store.ActorFilter{}, byID, p)
		}, func(a kg.Actor) store.Cursor { return store.ActorCursor(a, byID) },
			func(as []kg.Actor) error { return itemsOf(l, as) })
		if err != nil {
			return err
		}
		l.close("")
		l.open(",\n" + `"places":`)
		err = pages(ctx, st.ListPlaces, func(p kg.Place) store.Cursor { return store.Cursor{Str: kg.Fold(p.Name), ID: p.ID} },
			func(ps []kg.Place) error { return itemsOf(l, ps) })
		if err != nil {
			return err
		}
		l.close("")
		l.open(",\n" + `"events":`)
		err = pages(ctx, st.ListEvents, func(e kg.Event) store.Cursor { return store.Cursor{Str: e.Occurred.Date, ID: e.ID} },
			func(es []kg.Event) error { return itemsOf(l, es) })
		if err != nil {
			return err
		}
		l.close("")
		l.open(",\n" + `"relations":`)
		var relIDs []string // for their review histories
		if err := sel.relations(ctx, func(rs []kg.Relation) error {
			for _, r := range rs {
				relIDs = append(relIDs, r.ID)
			}
			return itemsOf(l, rs)
		}); err != nil {
			return err
		}
		l.close("")
		if err := writeHistory(ctx, st, l, relIDs); err != nil {
			return err
		}
		return l.close("\n}\n")
	}

	c, err := closure(ctx, sel)
	if err != nil {
		return err
	}
	l.open("{\n" + `"sources":`)
	if err := lookupItems(ctx, l, c.sources, sel.st.Sources); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"actors":`)
	if err := lookupItems(ctx, l, c.actors, sel.st.Actors); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"places":`)
	if err := lookupItems(ctx, l, c.places, sel.st.Places); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"events":`)
	if err := lookupItems(ctx, l, c.events, sel.st.Events); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"relations":`)
	if err := sel.relations(ctx, func(rs []kg.Relation) error { return itemsOf(l, rs) }); err != nil {
		return err
	}
	if err := itemsOf(l, c.extra); err != nil {
		return err
	}
	return l.close("\n}\n")
}

// writeHistory writes the whole graph's history after its relations: the
// merge records (undone ones too), the deletion records and the review
// history of every relation reviewed — present, deleted or kept aside by a
// merge — so `import --format json` restores a backup with its history
// (store.History). Up to store.MaxLimit merges and deletions.
func writeHistory(ctx context.Context, st store.Store, l *jsonList, relIDs []string) error {
	merges, err := st.Merges(ctx, store.MaxLimit)
	if err != nil {
		return err
	}
	deletions, err := st.Deletions(ctx, store.MaxLimit)
	if err != nil {
		return err
	}
	ids := set{}
	for _, id := range relIDs {
		ids.add(id)
	}
	for _, m := range merges {
		for _, r := range m.Moved {
			ids.add(r.ID)
		}
	}
	for _, d := range deletions {
		if d.Relation != nil {
			ids.add(d.Relation.ID)
		}
	}
	l.open(",\n" + `"merges":`)
	if err := itemsOf(l, merges); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"deletions":`)
	if err := itemsOf(l, deletions); err != nil {
		return err
	}
	l.close("")
	l.open(",\n" + `"reviews":`)
	return chunks(ids.sorted(), func(chunk []string) error {
		hist, err := st.ReviewsOf(ctx, chunk)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			for _, r := range hist[id] {
				if err := l.item(store.ReviewRecord{Relation: id, ReviewInfo: r}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func itemsOf[T any](l *jsonList, items []T) error {
	for i := range items {
		if err := l.item(&items[i]); err != nil {
			return err
		}
	}
	return nil
}

// lookupItems writes the entities with these ids, PageSize at a time, in id order.
func lookupItems[T any](ctx context.Context, l *jsonList, ids set, get func(context.Context, []string) (map[string]T, error)) error {
	return chunks(ids.sorted(), func(batch []string) error {
		m, err := get(ctx, batch)
		if err != nil {
			return err
		}
		for _, id := range batch {
			if v, ok := m[id]; ok {
				if err := l.item(&v); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

type set map[string]struct{}

func (s set) add(id string) bool {
	if id == "" {
		return false
	}
	if _, ok := s[id]; ok {
		return false
	}
	s[id] = struct{}{}
	return true
}

func (s set) has(id string) bool { _, ok := s[id]; return ok }

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// kgClosure is what a part of the graph refers to, as ids (the relations
// outside the selection that its relations allege or deny are kept whole).
type kgClosure struct {
	sources, actors, places, events set
	extra                           []kg.Relation
}

// closure walks the selected relations once and gathers, by id, everything
// they need; only the ids (and the few linked relations) stay in memory.
func closure(ctx context.Context, sel *selection) (*kgClosure, error) {
	c := &kgClosure{sources: set{}, actors: set{}, places: set{}, events: set{}}
	have, links, ends := set{}, set{}, set{}
	note := func(r *kg.Relation) {
		have.add(r.ID)
		ends.add(r.From)
		ends.add(r.To)
		ends.add(r.ClaimedBy)
		c.sources.add(r.SourceID)
		c.events.add(r.EventID)
		c.places.add(r.PlaceID)
		links.add(r.Alleges)
		links.add(r.Denies)
	}
	err := sel.relations(ctx, func(rs []kg.Relation) error {
		for i := range rs {
			note(&rs[i])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Linked relations, and theirs (a denial → the accusation → the act).
	for {
		var want []string
		for id := range links {
			if !have.has(id) {
				want = append(want, id)
			}
		}
		if len(want) == 0 {
			break
		}
		slices.Sort(want)
		clear(links)
		err := chunks(want, func(batch []string) error {
			m, err := sel.st.Relations(ctx, batch)
			if err != nil {
				return err
			}
			for _, id := range batch {
				have.add(id) // found or not: asked once
				if r, ok := m[id]; ok {
					c.extra = append(c.extra, r)
					note(&c.extra[len(c.extra)-1])
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Events bring their place and source.
	err = chunks(c.events.sorted(), func(batch []string) error {
		m, err := sel.st.Events(ctx, batch)
		if err != nil {
			return err
		}
		for _, e := range m {
			c.places.add(e.PlaceID)
			c.sources.add(e.SourceID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Ends are actors or places.
	err = chunks(ends.sorted(), func(batch []string) error {
		m, err := sel.st.Actors(ctx, batch)
		if err != nil {
			return err
		}
		for _, id := range batch {
			if _, ok := m[id]; ok {
				c.actors.add(id)
			} else {
				c.places.add(id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Places bring their parents.
	seen := set{}
	for {
		var want []string
		for id := range c.places {
			if seen.add(id) {
				want = append(want, id)
			}
		}
		if len(want) == 0 {
			break
		}
		slices.Sort(want)
		err := chunks(want, func(batch []string) error {
			m, err := sel.st.Places(ctx, batch)
			if err != nil {
				return err
			}
			for _, p := range m {
				c.places.add(p.ParentID)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}
