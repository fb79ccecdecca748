package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/graph/model"
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/kg"
	"github.com/actorgraph/actorgraph/internal/store"
)

// Live changes: subscriptions and the changes query, all read from the
// store's change log through the server's feed (package feed), so writes
// made by other servers and the CLI are announced like this server's own.

const cursorPrefix = "change:"

// ChangeCursor is the opaque cursor of sequence seq.
func ChangeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(seq, 10)))
}

// changeSeq decodes an after argument; nil is -1 (no cursor).
func changeSeq(after *string) (int64, error) {
	if after == nil {
		return -1, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*after)
	if err == nil && strings.HasPrefix(string(raw), cursorPrefix) {
		if n, err := strconv.ParseInt(strings.TrimPrefix(string(raw), cursorPrefix), 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, badInput("after", "not a change cursor")
}

// changeFilter turns a ChangeFilter into the feed's filter.
func (r *Resolver) changeFilter(ctx context.Context, in *model.ChangeFilter) (feed.Filter, error) {
	var f feed.Filter
	if in == nil {
		return f, nil
	}
	for _, e := range in.Entities {
		f.Entities = append(f.Entities, store.ChangeEntity(e))
	}
	for _, k := range in.Kinds {
		f.Kinds = append(f.Kinds, store.ChangeKind(k))
	}
	f.IDs = in.Ids
	if in.Relation != nil {
		rf, err := r.relationFilter(ctx, in.Relation)
		if err != nil {
			return f, err
		}
		f.Relation = &rf
	}
	return f, nil
}

// changeModels converts entries; their relations and actors form one
// sibling set each, so nested fields load in one batch.
func changeModels(chs []store.Change) []*model.Change {
	out := make([]*model.Change, len(chs))
	var rels []kg.Relation
	var actors []kg.Actor
	for _, ch := range chs {
		if r := ch.Last(); r != nil {
			rels = append(rels, *r)
		}
		if ch.Actor != nil {
			actors = append(actors, *ch.Actor)
		}
	}
	mr, ma := model.Relations(rels), model.Actors(actors)
	for i, ch := range chs {
		c := &model.Change{Cursor: ChangeCursor(ch.Seq), Seq: float64(ch.Seq), At: ch.At.UTC().Format(time.RFC3339Nano),
			Op: ch.Op, Entity: model.ChangeEntity(ch.Entity), Kind: model.ChangeKind(ch.Kind), ID: ch.ID}
		if ch.Last() != nil {
			c.Relation, mr = mr[0], mr[1:]
		}
		if ch.Actor != nil {
			c.Actor, ma = ma[0], ma[1:]
		}
		out[i] = c
	}
	return out
}

// subscribe streams the entries after `after` that pass f, converted by conv.
func subscribe[T any](ctx context.Context, r *Resolver, after *string, f feed.Filter, conv func(store.Change) T) (<-chan T, error) {
	seq, err := changeSeq(after)
	if err != nil {
		return nil, err
	}
	in, err := r.Feed.Subscribe(ctx, seq, f.Matcher(r.Store))
	if err != nil {
		return nil, err
	}
	out := make(chan T)
	go func() {
		defer close(out)
		for ch := range in {
			select {
			case out <- conv(ch):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// relationAdded streams created relations that pass filter (roll-up
// applied), each with its entry's cursor, so a client that reconnects
// resumes after the last message it received.
func (r *Resolver) relationAdded(ctx context.Context, filter *model.RelationFilter, after *string) (<-chan *model.RelationAdded, error) {
	rf, err := r.relationFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	f := feed.Filter{Entities: []store.ChangeEntity{store.EntityRelation}, Kinds: []store.ChangeKind{store.ChangeCreated}, Relation: &rf}
	return subscribe(ctx, r, after, f, func(ch store.Change) *model.RelationAdded {
		c := changeModels([]store.Change{ch})[0]
		return &model.RelationAdded{Cursor: c.Cursor, Seq: c.Seq, Relation: c.Relation}
	})
}

// changesSubscription streams every change that passes filter.
func (r *Resolver) changesSubscription(ctx context.Context, after *string, filter *model.ChangeFilter) (<-chan *model.Change, error) {
	f, err := r.changeFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	return subscribe(ctx, r, after, f, func(ch store.Change) *model.Change { return changeModels([]store.Change{ch})[0] })
}

// maxScan bounds how many log entries one changes query reads looking
// for first matching ones; endCursor then points past what it read.
const maxScan = 10 * store.MaxLimit

// changes answers the changes query: a page of the log after the cursor.
func (r *Resolver) changes(ctx context.Context, after *string, first *int, filter *model.ChangeFilter) (*model.ChangeConnection, error) {
	n, err := pageSize(first, "first")
	if err != nil {
		return nil, err
	}
	seq, err := changeSeq(after)
	if err != nil {
		return nil, err
	}
	f, err := r.changeFilter(ctx, filter)
	if err != nil {
		return nil, err
	}
	match := f.Matcher(r.Store)
	cursor := max(seq, 0)
	var got []store.Change
	for scanned := 0; len(got) < n && scanned < maxScan; {
		page, err := r.Store.Changes(ctx, cursor, store.MaxLimit)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		scanned += len(page)
		ok, err := match(ctx, page)
		if err != nil {
			return nil, err
		}
		if len(got)+len(ok) >= n { // stop at the n-th match
			ok = ok[:n-len(got)]
			got = append(got, ok...)
			cursor = ok[len(ok)-1].Seq
			break
		}
		got = append(got, ok...)
		cursor = page[len(page)-1].Seq
	}
	lastSeq, err := r.Store.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	pi := &model.PageInfo{HasNextPage: cursor < lastSeq, HasPreviousPage: seq > 0}
	if cursor > 0 {
		end := ChangeCursor(cursor)
		pi.EndCursor = &end
		if len(got) > 0 {
			start := ChangeCursor(got[0].Seq)
			pi.StartCursor = &start
		}
	}
	return &model.ChangeConnection{Nodes: changeModels(got), PageInfo: pi}, nil
}
