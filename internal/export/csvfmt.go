package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"slices"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// CSV: a header row, then one row per node or edge, quoted as RFC 4180
// says (encoding/csv); lines end in LF, so a quote's own line breaks stay
// as they are. Lists are joined: aliases with "; ", evidence quotes with
// " […] " (offsets "start-end;…" in evidence_offsets).

func header(first []string, fields []field) []string {
	out := append([]string(nil), first...)
	for _, f := range fields {
		out = append(out, f.name)
	}
	return out
}

func writeCSVNodes(ctx context.Context, sel *selection, w *bufio.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header([]string{"id"}, nodeFields)); err != nil {
		return err
	}
	row := make([]string, 0, 1+len(nodeFields))
	err := sel.nodes(ctx, func(as []kg.Actor, ps []kg.Place) error {
		for i := range as {
			if err := cw.Write(append(append(row[:0], as[i].ID), nodeValues(&as[i], nil)...)); err != nil {
				return err
			}
		}
		for i := range ps {
			if err := cw.Write(append(append(row[:0], ps[i].ID), nodeValues(nil, &ps[i])...)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cameoCol is the CAMEO code's column in the edge CSV.
var cameoCol = slices.Index(header([]string{"id", "source", "target"}, edgeFields), "cameo")

func writeCSVEdges(ctx context.Context, sel *selection, w *bufio.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header([]string{"id", "source", "target"}, edgeFields)); err != nil {
		return err
	}
	row := make([]string, 0, 3+len(edgeFields))
	err := sel.edges(ctx, func(rs []kg.Relation, srcs map[string]kg.Source) error {
		for i := range rs {
			r := &rs[i]
			row = append(append(row[:0], r.ID, r.From, r.To), edgeValues(r, srcs[r.SourceID])...)
			row[cameoCol] = kg.CAMEOText(row[cameoCol]) // text for pandas and spreadsheets (kg.CAMEOTextPrefix)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
