package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/batch"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Writes: each checks the caller's role, validates the input with errors
// naming the field or entry, then makes one store call (one transaction).

// writer returns the caller's name once it may write.
func writer(ctx context.Context) (string, error) {
	if err := auth.Require(ctx, auth.RoleWrite); err != nil {
		return "", err
	}
	p, _ := auth.FromContext(ctx)
	return p.Name, nil
}

// now is the time stamped on write records (UTC, to the millisecond).
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// validation turns a kg.Validate error about one entry into BAD_USER_INPUT.
func validation(err error, field string) error {
	if err == nil {
		return nil
	}
	var fe *kg.FieldError
	if errors.As(err, &fe) {
		field += "." + fe.Field
	}
	return badInput(field, "%v", err)
}

func optionalStr(p *string) string { return deref(p) }

func dateOf(d *model.DateInput) kg.Date {
	if d == nil {
		return kg.Date{Precision: kg.PrecisionUnknown}
	}
	return kg.Date{Date: deref(d.Date), Precision: d.Precision}
}

// contentID derives an id from a value: the same input gives the same id,
// so a repeated write is an upsert of the same record.
func contentID(prefix string, v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return prefix + hex.EncodeToString(sum[:8])
}

func (r *Resolver) putActor(ctx context.Context, in model.ActorInput) (*model.Actor, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	a := kg.Actor{ID: in.ID, Name: in.Name, Kind: in.Kind, Aliases: in.Aliases, Country: optionalStr(in.Country),
		CAMEOCode: optionalStr(in.CameoCode), Wikidata: optionalStr(in.Wikidata), Description: optionalStr(in.Description)}
	if err := validation(kg.ErrorsOf((&kg.Graph{Actors: []kg.Actor{a}}).Validate(), "actor", a.ID), "input"); err != nil {
		return nil, err
	}
	if err := r.Store.PutActor(ctx, a); err != nil {
		return nil, err
	}
	return model.Actors([]kg.Actor{a})[0], nil
}

func (r *Resolver) addAliases(ctx context.Context, actor string, aliases []string) (*model.Actor, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	a, err := r.Store.AddAliases(ctx, actor, aliases)
	if err != nil {
		return nil, err
	}
	return model.Actors([]kg.Actor{a})[0], nil
}

func (r *Resolver) mergeRecord(ctx context.Context, m store.Merge) (*model.MergeRecord, error) {
	rec := &model.MergeRecord{ID: m.ID, Merged: model.Actors([]kg.Actor{m.Actor})[0], By: m.Info.By,
		At: m.Info.At.Format(time.RFC3339), Undone: m.Undone, Moved: []string{}, KeptAside: append([]string{}, m.KeptAside...)}
	if m.Info.Note != "" {
		rec.Note = &m.Info.Note
	}
	for _, rel := range m.Moved {
		rec.Moved = append(rec.Moved, rel.ID)
	}
	got, err := r.Store.Actors(ctx, []string{m.Survivor})
	if err != nil {
		return nil, err
	}
	rec.Survivor = first1(model.Actors, got, m.Survivor)
	return rec, nil
}

func (r *Resolver) mergeActors(ctx context.Context, survivor, merged string, note *string) (*model.MergeRecord, error) {
	who, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	if survivor == merged {
		return nil, badInput("merged", "is the survivor itself")
	}
	m, err := r.Store.MergeActors(ctx, survivor, merged, store.MergeInfo{By: who, Note: deref(note), At: now()})
	if err != nil {
		return nil, err
	}
	return r.mergeRecord(ctx, m)
}

func (r *Resolver) unmergeActors(ctx context.Context, merge string) (*model.MergeRecord, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	m, err := r.Store.Unmerge(ctx, merge)
	if err != nil {
		return nil, err
	}
	return r.mergeRecord(ctx, m)
}

// addRelation validates a relation against what it refers to (fetched from
// the store: its ends, claimant, source text, event, place and linked
// relations) and writes it.
func (r *Resolver) addRelation(ctx context.Context, in model.RelationInput) (*model.Relation, error) {
	who, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	rel := kg.Relation{ID: deref(in.ID), Type: in.Type, From: in.From, To: in.To, Attribution: in.Attribution,
		ClaimedBy: deref(in.ClaimedBy), Status: in.Status, Condition: deref(in.Condition), Role: deref(in.Role),
		Occurred: dateOf(in.Occurred), Reported: dateOf(in.Reported), SourceID: in.Source, EventID: deref(in.Event),
		PlaceID: deref(in.Place), Alleges: deref(in.Alleges), Denies: deref(in.Denies), CAMEO: deref(in.CameoCode),
		Note:       deref(in.Note),
		Provenance: kg.Provenance{Confidence: in.Confidence, Method: kg.MethodCurated, Detail: "api:" + who, Review: kg.ReviewProposed}}
	for _, e := range in.Evidence {
		rel.Evidence = append(rel.Evidence, kg.Evidence{Quote: e.Quote, Start: e.Start, End: e.End})
	}
	if rel.CAMEO != "" {
		if g, ok := kg.Goldstein(rel.CAMEO); ok {
			rel.Goldstein = &g
		}
	}
	if rel.ID == "" {
		rel.ID = contentID("rel-", rel)
	}
	g := &kg.Graph{}
	actors, err := r.Store.Actors(ctx, []string{rel.From, rel.To, rel.ClaimedBy})
	if err != nil {
		return nil, err
	}
	for _, a := range actors {
		g.Actors = append(g.Actors, a)
	}
	places, err := r.Store.Places(ctx, []string{rel.To, rel.PlaceID})
	if err != nil {
		return nil, err
	}
	for _, p := range places {
		p.ParentID = "" // the parent is not fetched; it is not this write's concern
		g.Places = append(g.Places, p)
	}
	sources, err := r.Store.Sources(ctx, []string{rel.SourceID})
	if err != nil {
		return nil, err
	}
	for _, s := range sources {
		g.Sources = append(g.Sources, s)
	}
	events, err := r.Store.Events(ctx, []string{rel.EventID})
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		g.Events = append(g.Events, e)
	}
	linked, err := r.Store.Relations(ctx, []string{rel.Alleges, rel.Denies})
	if err != nil {
		return nil, err
	}
	for _, l := range linked {
		g.Relations = append(g.Relations, l)
	}
	g.Relations = append(g.Relations, rel)
	if err := validation(kg.ErrorsOf(g.Validate(), "relation", rel.ID), "input"); err != nil {
		return nil, err
	}
	if err := r.Store.Load(ctx, &kg.Graph{Relations: []kg.Relation{rel}}); err != nil {
		return nil, err
	}
	return model.Relations([]kg.Relation{rel})[0], nil
}

func (r *Resolver) putSource(ctx context.Context, in model.SourceInput) (*model.Source, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(in.Text))
	src := kg.Source{ID: deref(in.ID), Title: in.Title, Publisher: in.Publisher, URL: deref(in.URL),
		Published: in.Published, OriginalPublisher: deref(in.OriginalPublisher), Original: deref(in.Original),
		Country: deref(in.Country), Text: in.Text, SHA256: hex.EncodeToString(sum[:])}
	if src.ID == "" {
		src.ID = "src-" + src.SHA256[:16]
	}
	g := &kg.Graph{Sources: []kg.Source{src}}
	if err := validation(kg.ErrorsOf(g.Validate(), "source", src.ID), "input"); err != nil {
		return nil, err
	}
	if err := r.Store.Load(ctx, g); err != nil {
		return nil, err
	}
	return &model.Source{Source: src}, nil
}

func (r *Resolver) putPlace(ctx context.Context, in model.PlaceInput) (*model.Place, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	p := kg.Place{ID: in.ID, Name: in.Name, Kind: in.Kind, Aliases: in.Aliases, Country: deref(in.Country),
		ParentID: deref(in.Parent), Wikidata: deref(in.Wikidata)}
	g := &kg.Graph{Places: []kg.Place{p}}
	if p.ParentID != "" {
		parents, err := r.Store.Places(ctx, []string{p.ParentID})
		if err != nil {
			return nil, err
		}
		for _, pp := range parents {
			pp.ParentID = ""
			g.Places = append(g.Places, pp)
		}
	}
	if err := validation(kg.ErrorsOf(g.Validate(), "place", p.ID), "input"); err != nil {
		return nil, err
	}
	if err := r.Store.Load(ctx, &kg.Graph{Places: []kg.Place{p}}); err != nil {
		return nil, err
	}
	return model.Places([]kg.Place{p})[0], nil
}

func (r *Resolver) putEvent(ctx context.Context, in model.EventInput) (*model.Event, error) {
	if _, err := writer(ctx); err != nil {
		return nil, err
	}
	e := kg.Event{ID: in.ID, Name: in.Name, Kind: in.Kind, Occurred: dateOf(in.Occurred), PlaceID: deref(in.Place),
		SourceID: deref(in.Source), Description: deref(in.Description)}
	g := &kg.Graph{Events: []kg.Event{e}}
	places, err := r.Store.Places(ctx, []string{e.PlaceID})
	if err != nil {
		return nil, err
	}
	for _, p := range places {
		p.ParentID = ""
		g.Places = append(g.Places, p)
	}
	sources, err := r.Store.Sources(ctx, []string{e.SourceID})
	if err != nil {
		return nil, err
	}
	for _, s := range sources {
		g.Sources = append(g.Sources, s)
	}
	if err := validation(kg.ErrorsOf(g.Validate(), "event", e.ID), "input"); err != nil {
		return nil, err
	}
	if err := r.Store.Load(ctx, &kg.Graph{Events: []kg.Event{e}}); err != nil {
		return nil, err
	}
	return model.Events([]kg.Event{e})[0], nil
}

func (r *Resolver) reviewRelation(ctx context.Context, relation string, status kg.Review, note *string) (*model.Relation, error) {
	who, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	rel, err := r.Store.Review(ctx, relation, store.ReviewInfo{Status: status, Reviewer: who, Note: deref(note), At: now()})
	if err != nil {
		return nil, err
	}
	return model.Relations([]kg.Relation{rel})[0], nil
}

func deletionRecord(d store.Deletion) *model.DeletionRecord {
	rec := &model.DeletionRecord{ID: d.ID, Kind: d.Kind, By: d.Info.By, At: d.Info.At.Format(time.RFC3339), Reason: d.Info.Reason}
	if d.Actor != nil {
		rec.Actor = model.Actors([]kg.Actor{*d.Actor})[0]
	}
	if d.Relation != nil {
		rec.Relation = model.Relations([]kg.Relation{*d.Relation})[0]
	}
	return rec
}

func (r *Resolver) deleteEntity(ctx context.Context, kind, id, reason string) (*model.DeletionRecord, error) {
	who, err := writer(ctx)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, badInput("reason", "is required: say why")
	}
	// The record the store keeps is the entity as it was, under an id
	// derived from kind, id and time: read the entity first, then answer
	// with that record without reading it back.
	d := store.Deletion{Kind: kind, Info: store.DeletionInfo{By: who, Reason: reason, At: now()}}
	d.ID = store.DeletionID(kind, id, d.Info.At)
	if kind == store.DeletedActor {
		var found map[string]kg.Actor
		if found, err = r.Store.Actors(ctx, []string{id}); err != nil {
			return nil, err
		}
		if a, ok := found[id]; ok {
			d.Actor = &a
		}
		err = r.Store.DeleteActor(ctx, id, d.Info)
	} else {
		var found map[string]kg.Relation
		if found, err = r.Store.Relations(ctx, []string{id}); err != nil {
			return nil, err
		}
		if rel, ok := found[id]; ok {
			d.Relation = &rel
		}
		err = r.Store.DeleteRelation(ctx, id, d.Info)
	}
	if err != nil {
		return nil, err
	}
	return deletionRecord(d), nil
}

func (r *Resolver) merges(ctx context.Context, first *int) ([]*model.MergeRecord, error) {
	n, err := intArg(first, 50, 1, store.MaxLimit, "first")
	if err != nil {
		return nil, err
	}
	ms, err := r.Store.Merges(ctx, n)
	if err != nil {
		return nil, err
	}
	out := make([]*model.MergeRecord, 0, len(ms))
	for _, m := range ms {
		rec, err := r.mergeRecord(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

func (r *Resolver) deletions(ctx context.Context, first *int) ([]*model.DeletionRecord, error) {
	n, err := intArg(first, 50, 1, store.MaxLimit, "first")
	if err != nil {
		return nil, err
	}
	ds, err := r.Store.Deletions(ctx, n)
	if err != nil {
		return nil, err
	}
	out := make([]*model.DeletionRecord, len(ds))
	for i, d := range ds {
		out[i] = deletionRecord(d)
	}
	return out, nil
}

func (r *Resolver) reviews(ctx context.Context, obj *model.Relation) ([]*model.ReviewRecord, error) {
	// One read for the histories of all sibling relations.
	all, err := batch.Do(&obj.Set.Calls, "reviews", func() (map[string][]store.ReviewInfo, error) {
		return r.Store.ReviewsOf(ctx, uniq(relField(obj, relationID)()))
	})
	if err != nil {
		return nil, err
	}
	rs := all[obj.Relation.ID]
	out := make([]*model.ReviewRecord, len(rs))
	for i, x := range rs {
		out[i] = &model.ReviewRecord{Status: x.Status, Reviewer: x.Reviewer, At: x.At.Format(time.RFC3339)}
		if x.Note != "" {
			out[i].Note = &x.Note
		}
	}
	return out, nil
}
