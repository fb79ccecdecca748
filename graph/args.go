package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/actorref"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Arguments → store terms, each checked with an error that names the field.

// DefaultPage is the page size when first is not given.
const DefaultPage = 100

// pageSize checks a first argument.
func pageSize(first *int, field string) (int, error) {
	if first == nil {
		return DefaultPage, nil
	}
	if *first < 0 || *first > store.MaxLimit {
		return 0, badInput(field, "must be between 0 and %d, got %d", store.MaxLimit, *first)
	}
	return *first, nil
}

// cursorJSON is a cursor's content: the order it belongs to and the
// position. Clients treat it as opaque; it is checked, not trusted.
type cursorJSON struct {
	Field store.SortField `json:"f"`
	Desc  bool            `json:"d,omitempty"`
	Str   string          `json:"s,omitempty"`
	Num   float64         `json:"n,omitempty"`
	ID    string          `json:"i"`
}

func encodeCursor(o store.Order, c store.Cursor) string {
	b, _ := json.Marshal(cursorJSON{Field: o.Field, Desc: o.Desc, Str: c.Str, Num: c.Num, ID: c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads an after argument made under order o.
func decodeCursor(after *string, o store.Order) (*store.Cursor, error) {
	if after == nil || *after == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(*after)
	var c cursorJSON
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return nil, badInput("after", "is not a cursor of this list")
	}
	if c.Field != o.Field || c.Desc != o.Desc {
		return nil, badInput("after", "was made for another order (%s); ask again with the same orderBy", c.Field)
	}
	return &store.Cursor{Str: c.Str, Num: c.Num, ID: c.ID}, nil
}

// page checks first and after together.
func page(first *int, after *string, o store.Order) (store.Page, error) {
	n, err := pageSize(first, "first")
	if err != nil {
		return store.Page{}, err
	}
	c, err := decodeCursor(after, o)
	return store.Page{First: n, After: c}, err
}

func relationOrder(o *model.RelationOrder) store.Order {
	if o == nil {
		return store.Order{Field: store.SortID}
	}
	return store.Order{Field: store.SortField(o.Field), Desc: o.Direction == model.SortDirectionDesc}
}

func actorOrder(o *model.ActorOrder) store.Order {
	if o == nil {
		return store.Order{Field: store.SortName}
	}
	return store.Order{Field: store.SortField(o.Field), Desc: o.Direction == model.SortDirectionDesc}
}

// dateRange checks a DateRange: ISO dates, from <= to.
func dateRange(d *model.DateRange, field string) (store.DateRange, error) {
	if d == nil {
		return store.DateRange{}, nil
	}
	out := store.DateRange{From: deref(d.From), To: deref(d.To), On: store.OnOccurred}
	if d.On != nil && *d.On == model.DateFieldReported {
		out.On = store.OnReported
	}
	for name, v := range map[string]string{"from": out.From, "to": out.To} {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			return out, badInput(field+"."+name, "must be a date YYYY-MM-DD, got %q", v)
		}
	}
	if out.From != "" && out.To != "" && out.From > out.To {
		return out, badInput(field, "is inverted: from %s is after to %s", out.From, out.To)
	}
	return out, nil
}

// cameoRoot checks a two-digit CAMEO root.
func cameoRoot(root *string, field string) (string, error) {
	r := deref(root)
	if r == "" {
		return "", nil
	}
	if !kg.IsCAMEORoot(r) {
		return "", badInput(field, "must be a CAMEO root code 01 … 20, got %q", r)
	}
	return r, nil
}

// ploverCategory checks a PLOVER category against the vocabulary's.
func ploverCategory(p *string, field string) (string, error) {
	v := deref(p)
	if v == "" {
		return "", nil
	}
	if kg.IsPLOVERCategory(v) {
		return v, nil
	}
	return "", badInput(field, "is not a PLOVER category of the vocabulary: %q", v)
}

func confidence(c *float64, field string) (float64, error) {
	if c == nil {
		return 0, nil
	}
	if *c < 0 || *c > 1 {
		return 0, badInput(field, "must be between 0 and 1, got %v", *c)
	}
	return *c, nil
}

// relationFilter turns a RelationFilter argument into a store filter,
// resolving its actor arguments (id, name or alias) and checking that the
// event, source and place it names exist: a filter never selects nothing
// silently because of a typo.
func (r *Resolver) relationFilter(ctx context.Context, f *model.RelationFilter) (store.RelationFilter, error) {
	sf := store.RelationFilter{RollUp: true}
	if f == nil {
		return sf, nil
	}
	sf.Types, sf.From, sf.To, sf.ClaimedBy = f.Types, deref(f.From), deref(f.To), deref(f.ClaimedBy)
	sf.Attribution, sf.Status, sf.Review = deref(f.Attribution), deref(f.Status), deref(f.Review)
	sf.Source, sf.Event, sf.Place = deref(f.Source), deref(f.Event), deref(f.Place)
	sf.FromKinds, sf.ToKinds = f.FromKinds, f.ToKinds
	if f.RollUp != nil {
		sf.RollUp = *f.RollUp
	}
	err := r.actorRefs(ctx, refArg{"filter.from", &sf.From, false}, refArg{"filter.to", &sf.To, true},
		refArg{"filter.claimedBy", &sf.ClaimedBy, false})
	if err == nil {
		err = actorref.CheckIDs(ctx, r.Store, "filter.", sf)
	}
	if err != nil {
		return sf, err
	}
	return sf, valueFilters(&sf, f.CameoRoot, f.Plover, f.MinConfidence, f.DateRange)
}

// neighbourFilter turns a NeighbourFilter into a store filter for direction
// dir (Both: either end, as timelines use it). Its other end becomes To of
// an outgoing filter, From of an incoming one.
func (r *Resolver) neighbourFilter(ctx context.Context, f *model.NeighbourFilter, dir store.Direction) (store.RelationFilter, error) {
	sf := store.RelationFilter{RollUp: true}
	if f == nil {
		return sf, nil
	}
	sf.Types, sf.Attribution, sf.Status, sf.Review = f.Types, deref(f.Attribution), deref(f.Status), deref(f.Review)
	sf.ClaimedBy, sf.Source, sf.Event, sf.Place = deref(f.ClaimedBy), deref(f.Source), deref(f.Event), deref(f.Place)
	other := deref(f.Other)
	switch dir {
	case store.Out:
		sf.ToKinds = f.OtherKinds
	case store.In:
		sf.FromKinds = f.OtherKinds
	default:
		if len(f.OtherKinds) > 0 || other != "" {
			return sf, badInput("filter.other", "has no meaning on a timeline; use pair for the other actor")
		}
	}
	if f.RollUp != nil {
		sf.RollUp = *f.RollUp
	}
	if err := r.actorRefs(ctx, refArg{"filter.other", &other, true}, refArg{"filter.claimedBy", &sf.ClaimedBy, false}); err != nil {
		return sf, err
	}
	if dir == store.Out {
		sf.To = other
	} else if dir == store.In {
		sf.From = other
	}
	if err := actorref.CheckIDs(ctx, r.Store, "filter.", sf); err != nil {
		return sf, err
	}
	return sf, valueFilters(&sf, f.CameoRoot, f.Plover, f.MinConfidence, f.DateRange)
}

// valueFilters checks and sets the filters both filter inputs share.
func valueFilters(sf *store.RelationFilter, root, plover *string, minConf *float64, dates *model.DateRange) error {
	var err error
	if sf.CAMEORoot, err = cameoRoot(root, "filter.cameoRoot"); err != nil {
		return err
	}
	if sf.PLOVER, err = ploverCategory(plover, "filter.plover"); err != nil {
		return err
	}
	if sf.MinConfidence, err = confidence(minConf, "filter.minConfidence"); err != nil {
		return err
	}
	sf.Dates, err = dateRange(dates, "filter.dateRange")
	return err
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
