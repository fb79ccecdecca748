package importer

import (
	"context"
	"encoding/json"
)

// classify sorts a batch's rows into created (the store has no entity with
// the id), updated (it has one that differs) and unchanged (it has the same
// one), counts them in the Summary, and returns the rows to write: the
// unchanged ones are left out, so re-importing a file writes nothing and
// announces nothing, and its summary says every row is unchanged.
func (im *importer) classify(ctx context.Context, items []item) ([]item, error) {
	var rels, actors, sources, places, events []string
	for _, it := range items {
		switch {
		case it.rel != nil:
			rels = append(rels, it.rel.ID)
		case it.actor != nil:
			actors = append(actors, it.actor.ID)
		case it.source != nil:
			sources = append(sources, it.source.ID)
		case it.place != nil:
			places = append(places, it.place.ID)
		case it.event != nil:
			events = append(events, it.event.ID)
		}
	}
	storedRels, err := storedOf(ctx, rels, im.st.Relations)
	if err != nil {
		return nil, err
	}
	storedActors, err := storedOf(ctx, actors, im.st.Actors)
	if err != nil {
		return nil, err
	}
	storedSources, err := storedOf(ctx, sources, im.st.Sources)
	if err != nil {
		return nil, err
	}
	storedPlaces, err := storedOf(ctx, places, im.st.Places)
	if err != nil {
		return nil, err
	}
	storedEvents, err := storedOf(ctx, events, im.st.Events)
	if err != nil {
		return nil, err
	}
	keep := items[:0:0]
	for _, it := range items {
		var st state
		switch {
		case it.rel != nil:
			st = compare(storedRels, it.rel.ID, *it.rel)
		case it.actor != nil:
			st = compare(storedActors, it.actor.ID, *it.actor)
		case it.source != nil:
			st = compare(storedSources, it.source.ID, *it.source)
		case it.place != nil:
			st = compare(storedPlaces, it.place.ID, *it.place)
		case it.event != nil:
			st = compare(storedEvents, it.event.ID, *it.event)
		}
		switch st {
		case created:
			im.sum.Rows.Created++
		case updated:
			im.sum.Rows.Updated++
		default:
			im.sum.Rows.Unchanged++
			continue
		}
		keep = append(keep, it)
	}
	im.sum.Imported += len(items)
	return keep, nil
}

type state int

const (
	created state = iota
	updated
	unchanged
)

func storedOf[T any](ctx context.Context, ids []string, get func(context.Context, []string) (map[string]T, error)) (map[string]T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return get(ctx, ids)
}

// compare says whether v is new, changed or the same as the stored entity
// with its id. Entities are compared as their JSON (the form the stores
// and the export round-trip), so an empty list and no list are the same.
func compare[T any](stored map[string]T, id string, v T) state {
	old, ok := stored[id]
	if !ok {
		return created
	}
	a, errA := json.Marshal(old)
	b, errB := json.Marshal(v)
	if errA != nil || errB != nil || string(a) != string(b) {
		return updated
	}
	return unchanged
}
