package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The peer's actor kinds and two-letter countries onto actorgraph's enums and
// alpha-3 codes. One-to-one, so Q4's "party" is exactly the GOVERNMENT actors.
var (
	kindOf = map[string]kg.ActorKind{"person": kg.KindPerson, "party": kg.KindGovernment,
		"organisation": kg.KindInternationalOrg, "state": kg.KindState, "media": kg.KindOther}
	alpha3 = map[string]string{"DE": "DEU", "FR": "FRA", "IT": "ITA", "ES": "ESP", "PL": "POL", "NL": "NLD",
		"BE": "BEL", "AT": "AUT", "SE": "SWE", "DK": "DNK", "FI": "FIN", "IE": "IRL", "PT": "PRT", "GR": "GRC",
		"CZ": "CZE", "HU": "HUN", "RO": "ROU", "BG": "BGR", "US": "USA", "GB": "GBR"}
)

// quotesPerSource: the peer keeps each quote on its relationship; actorgraph
// quotes a source text, so consecutive relations share a source (an
// "article") whose text is their quotes, one a line.
const quotesPerSource = 100

// peerRel is one relationship as gen.mjs wrote it.
type peerRel struct {
	typ, id, from, to, quote, modality, date string
	confidence                               float64
}

// export reads the peer's graph from Neo4j and writes it as a kg.Graph (the
// JSON `actorgraph import --format json` reads).
func export(ctx context.Context, uri, out string) error {
	drv, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer drv.Close(ctx)
	g := &kg.Graph{Places: []kg.Place{}, Events: []kg.Event{}} // lists, not nulls: the importer wants lists
	actors, err := neo4j.ExecuteQuery(ctx, drv,
		"MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.kind AS kind, a.country AS country ORDER BY a.id",
		nil, neo4j.EagerResultTransformer)
	if err != nil {
		return err
	}
	for _, r := range actors.Records {
		m := r.AsMap()
		kind, ok := kindOf[str(m["kind"])]
		if !ok {
			return fmt.Errorf("actor %s: unknown kind %q", str(m["id"]), str(m["kind"]))
		}
		g.Actors = append(g.Actors, kg.Actor{ID: str(m["id"]), Name: str(m["name"]), Kind: kind, Country: alpha3[str(m["country"])]})
	}
	rels, err := neo4j.ExecuteQuery(ctx, drv,
		`MATCH (a:Actor)-[r]->(b:Actor)
		 RETURN type(r) AS type, r.id AS id, a.id AS from, b.id AS to, r.quote AS quote, r.modality AS modality,
		        r.date AS date, r.confidence AS confidence
		 ORDER BY toInteger(substring(r.id, 1))`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		return err
	}
	var batch []peerRel
	flush := func() {
		if len(batch) > 0 {
			addArticle(g, len(g.Sources), batch)
			batch = batch[:0]
		}
	}
	for _, r := range rels.Records {
		m := r.AsMap()
		conf, _ := m["confidence"].(float64)
		batch = append(batch, peerRel{typ: str(m["type"]), id: str(m["id"]), from: str(m["from"]), to: str(m["to"]),
			quote: str(m["quote"]), modality: str(m["modality"]), date: str(m["date"]), confidence: conf})
		if len(batch) == quotesPerSource {
			flush()
		}
	}
	flush()
	if err := g.Validate(); err != nil {
		return fmt.Errorf("the converted graph does not validate: %.500v", err)
	}
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		defer bw.Flush()
		w = bw
	}
	fmt.Fprintf(os.Stderr, "peer export: %d actors, %d relations, %d sources\n", len(g.Actors), len(g.Relations), len(g.Sources))
	return json.NewEncoder(w).Encode(g)
}

// addArticle adds source number n holding the quotes of rels, and rels as
// relations quoting it. Quotes are ASCII, so byte offsets are code points.
func addArticle(g *kg.Graph, n int, rels []peerRel) {
	src := kg.Source{ID: fmt.Sprintf("peer-src-%05d", n), Title: "Peer benchmark article " + strconv.Itoa(n),
		Publisher: "peer-bench", Published: "2025-01-01"}
	var text strings.Builder
	for _, p := range rels {
		start := text.Len()
		text.WriteString(p.quote)
		text.WriteByte('\n')
		r := kg.Relation{ID: p.id, Type: kg.RelationType(p.typ), From: p.from, To: p.to,
			Attribution: kg.Asserted, Status: kg.Actual, SourceID: src.ID,
			Occurred: kg.Date{Date: p.date, Precision: kg.PrecisionDay},
			Reported: kg.Date{Date: p.date, Precision: kg.PrecisionDay},
			Evidence: []kg.Evidence{{Quote: p.quote, Start: start, End: start + len(p.quote)}},
			Provenance: kg.Provenance{Confidence: p.confidence, Method: kg.MethodImport,
				Detail: "peer-neo4j-graphql gen.mjs, modality " + p.modality, Review: kg.ReviewProposed}}
		if p.modality == "alleged" {
			r.Attribution, r.ClaimedBy = kg.Alleged, p.from
		}
		g.Relations = append(g.Relations, r)
	}
	src.Text = text.String()
	g.Sources = append(g.Sources, src)
}

func str(v any) string { s, _ := v.(string); return s }
