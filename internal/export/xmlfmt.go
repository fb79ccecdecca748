package export

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"sort"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// esc writes s as XML character data (or an attribute value): markup,
// quotes and line breaks escaped, characters XML cannot hold replaced by U+FFFD.
func esc(w *bufio.Writer, s string) {
	xml.EscapeText(w, []byte(s))
}

func attr(w *bufio.Writer, name, value string) {
	w.WriteString(" " + name + `="`)
	esc(w, value)
	w.WriteByte('"')
}

// graphFields are the graph-level attributes (sel.meta) of GraphML.
var graphFields = []struct{ name, typ string }{
	{"name", "string"}, {"scope", "string"}, {"actor", "string"}, {"depth", "int"},
	{"direction", "string"}, {"truncated", "boolean"}, {"types", "string"},
	{"attribution", "string"}, {"status", "string"}, {"from", "string"}, {"to", "string"}, {"on", "string"},
}

func graphmlType(t attrType) string {
	switch t {
	case tDouble:
		return "double"
	case tInt:
		return "int"
	}
	return "string"
}

func gexfType(t attrType) string {
	switch t {
	case tDouble:
		return "double"
	case tInt:
		return "integer"
	}
	return "string"
}

// writeGraphML writes GraphML with a key declared, typed, for every
// attribute; edges are directed and keyed by relation id, so networkx
// (read_graphml) builds a MultiDiGraph of them. Edges carry the type both
// as relation and as label (the name Gephi and yEd's mappers look for).
func writeGraphML(ctx context.Context, sel *selection, w *bufio.Writer) error {
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`)
	for _, f := range graphFields {
		fmt.Fprintf(w, `  <key id="g_%s" for="graph" attr.name="%s" attr.type="%s"/>`+"\n", f.name, f.name, f.typ)
	}
	for _, f := range nodeFields {
		fmt.Fprintf(w, `  <key id="n_%s" for="node" attr.name="%s" attr.type="%s"/>`+"\n", f.name, f.name, graphmlType(f.typ))
	}
	w.WriteString(`  <key id="e_label" for="edge" attr.name="label" attr.type="string"/>` + "\n")
	for _, f := range edgeFields {
		fmt.Fprintf(w, `  <key id="e_%s" for="edge" attr.name="%s" attr.type="%s"/>`+"\n", f.name, f.name, graphmlType(f.typ))
	}
	w.WriteString(`  <graph id="actorgraph" edgedefault="directed">` + "\n")
	meta := sel.meta()
	for _, f := range graphFields {
		if v, ok := meta[f.name]; ok {
			w.WriteString(`    <data key="g_` + f.name + `">`)
			esc(w, fmt.Sprint(v))
			w.WriteString("</data>\n")
		}
	}
	data := func(prefix, name, v string) {
		if v == "" {
			return
		}
		w.WriteString(`      <data key="` + prefix + name + `">`)
		esc(w, v)
		w.WriteString("</data>\n")
	}
	err := sel.nodes(ctx, func(as []kg.Actor, ps []kg.Place) error {
		node := func(id string, vals []string) {
			w.WriteString("    <node")
			attr(w, "id", id)
			w.WriteString(">\n")
			for i, f := range nodeFields {
				data("n_", f.name, vals[i])
			}
			w.WriteString("    </node>\n")
		}
		for i := range as {
			node(as[i].ID, nodeValues(&as[i], nil))
		}
		for i := range ps {
			node(ps[i].ID, nodeValues(nil, &ps[i]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = sel.edges(ctx, func(rs []kg.Relation, srcs map[string]kg.Source) error {
		for i := range rs {
			r := &rs[i]
			w.WriteString("    <edge")
			attr(w, "id", r.ID)
			attr(w, "source", r.From)
			attr(w, "target", r.To)
			w.WriteString(">\n")
			data("e_", "label", string(r.Type))
			vals := edgeValues(r, srcs[r.SourceID])
			for j, f := range edgeFields {
				data("e_", f.name, vals[j])
			}
			w.WriteString("    </edge>\n")
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("  </graph>\n</graphml>\n")
	return err
}

// writeGEXF writes GEXF 1.3 (or 1.2draft), a dynamic graph with dates:
// each edge spans its occurred date as precise as it is known (a MONTH from
// its 1st to its last day), so Gephi's timeline shows it; an edge with an
// unknown date has no span and is always shown. The relation type is the
// edge's label and its "relation" attribute (never "type", which GEXF
// reserves for directed/undirected). Attributes are declared, typed, before
// the nodes and edges use them.
func writeGEXF(ctx context.Context, sel *selection, w *bufio.Writer) error {
	ns, schema, version := "http://gexf.net/1.3", "http://gexf.net/1.3/gexf.xsd", "1.3"
	if sel.q.GEXFVersion == GEXF12Draft {
		ns, schema, version = "http://www.gexf.net/1.2draft", "http://www.gexf.net/1.2draft/gexf.xsd", "1.2"
	}
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="%s" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="%s %s" version="%s">
  <meta>
    <creator>actorgraph</creator>
    <description>`, ns, ns, schema, version)
	meta := sel.meta()
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			w.WriteString("; ")
		}
		esc(w, fmt.Sprintf("%s=%v", k, meta[k]))
	}
	w.WriteString(`</description>
  </meta>
  <graph mode="dynamic" defaultedgetype="directed" timeformat="date">
    <attributes class="node" mode="static">
`)
	for _, f := range nodeFields[1:] { // label is the node's own
		fmt.Fprintf(w, `      <attribute id="%s" title="%s" type="%s"/>`+"\n", f.name, f.name, gexfType(f.typ))
	}
	w.WriteString("    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n")
	for _, f := range edgeFields {
		fmt.Fprintf(w, `      <attribute id="%s" title="%s" type="%s"/>`+"\n", f.name, f.name, gexfType(f.typ))
	}
	w.WriteString("    </attributes>\n    <nodes>\n")
	attvalues := func(fields []field, vals []string) {
		opened := false
		for i, f := range fields {
			if vals[i] == "" {
				continue
			}
			if !opened {
				w.WriteString("        <attvalues>\n")
				opened = true
			}
			w.WriteString(`          <attvalue for="` + f.name + `"`)
			attr(w, "value", vals[i])
			w.WriteString("/>\n")
		}
		if opened {
			w.WriteString("        </attvalues>\n")
		}
	}
	err := sel.nodes(ctx, func(as []kg.Actor, ps []kg.Place) error {
		node := func(id string, vals []string) {
			w.WriteString("      <node")
			attr(w, "id", id)
			attr(w, "label", vals[0])
			w.WriteString(">\n")
			attvalues(nodeFields[1:], vals[1:])
			w.WriteString("      </node>\n")
		}
		for i := range as {
			node(as[i].ID, nodeValues(&as[i], nil))
		}
		for i := range ps {
			node(ps[i].ID, nodeValues(nil, &ps[i]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteString("    </nodes>\n    <edges>\n")
	err = sel.edges(ctx, func(rs []kg.Relation, srcs map[string]kg.Source) error {
		for i := range rs {
			r := &rs[i]
			w.WriteString("      <edge")
			attr(w, "id", r.ID)
			attr(w, "source", r.From)
			attr(w, "target", r.To)
			attr(w, "label", string(r.Type))
			if start, end, ok := span(r.Occurred); ok {
				attr(w, "start", start)
				attr(w, "end", end)
			}
			w.WriteString(">\n")
			attvalues(edgeFields, edgeValues(r, srcs[r.SourceID]))
			w.WriteString("      </edge>\n")
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("    </edges>\n  </graph>\n</gexf>\n")
	return err
}
