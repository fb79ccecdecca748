package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// ErrConflict: the write contradicts the graph's current state (merging an
// actor twice, undoing an undone merge, deleting what others point at).
var ErrConflict = errors.New("conflict")

// Writer changes the graph one atomic transaction per call: all of it or nothing.
//
// Both stores implement it with the same plans (PlanMerge, PlanUnmerge,
// WithAliases below), so they make the same changes. Times are passed in —
// a store never reads the clock — and kept as UTC; a zero time is
// ErrInvalid. Records (merges, reviews, deletions) are stored as JSON and
// read back identically on both stores.
type Writer interface {
	// PutActor creates the actor or replaces its fields (ErrInvalid on a bad kind/empty name).
	PutActor(ctx context.Context, a kg.Actor) error
	// AddAliases adds aliases to an actor (folded duplicates ignored); ErrNotFound.
	AddAliases(ctx context.Context, actorID string, aliases []string) (kg.Actor, error)
	// MergeActors moves everything of `merged` onto `survivor`: relations where it is From, To or ClaimedBy,
	// its name and aliases (as survivor aliases), and hierarchy edges; a relation between the two (of any type),
	// which would become a self-loop of the survivor, is kept aside in the Merge record rather than moved. It deletes `merged` and records
	// a Merge (id deterministic from the pair: "merge:<survivor>:<merged>") holding everything Unmerge needs.
	// Merging an actor into itself → ErrInvalid; either unknown → ErrNotFound; already merged → ErrConflict
	// (this pair merged and not undone, or either actor merged away into another); ErrConflict too
	// when a PART_OF/HOLDS_ROLE path of two or more edges joins the two (the merge would make a cycle).
	MergeActors(ctx context.Context, survivorID, mergedID string, m MergeInfo) (Merge, error)
	// Unmerge restores both actors and every moved relation exactly as before the merge (relations
	// added to the survivor after the merge stay with it); the Merge record is marked undone. Unknown → ErrNotFound;
	// already undone → ErrConflict; ErrConflict too when the survivor is gone (merged or deleted
	// since), the merged actor's id is taken again, or a kept-aside relation's id is in use.
	// A moved relation changed since keeps its changes (a review, say): only the ends the merge
	// rewrote go back; one deleted since stays deleted.
	Unmerge(ctx context.Context, mergeID string) (Merge, error)
	// Merges lists merge records (undone included), newest first by At then id.
	Merges(ctx context.Context, limit int) ([]Merge, error)
	// Review sets a relation's review status (Provenance.Review: PROPOSED, CONFIRMED or REJECTED,
	// any transition) and appends a review record with reviewer and note to its history.
	// ErrNotFound for an unknown relation; ErrInvalid for a bad status. Reviewing again with the
	// same status, reviewer and note as the latest review is a no-op (idempotent, whatever At).
	Review(ctx context.Context, relationID string, r ReviewInfo) (kg.Relation, error)
	// Reviews returns the review history of a relation, oldest first (by At, then the order
	// the reviews were made); empty for a relation never reviewed. The history outlives
	// a deleted relation.
	Reviews(ctx context.Context, relationID string) ([]ReviewInfo, error)
	// ReviewsOf returns the review histories of many relations at once (one
	// read), keyed by relation id; relations never reviewed are absent.
	ReviewsOf(ctx context.Context, relationIDs []string) (map[string][]ReviewInfo, error)
	// DeleteRelation deletes a relation, keeping a Deletion record with the full relation and the reason.
	// A relation that others allege or deny (their Alleges/Denies point at it) → ErrConflict (delete those first).
	DeleteRelation(ctx context.Context, id string, d DeletionInfo) error
	// DeleteActor deletes an actor with no relations (none From, To or ClaimedBy it; else
	// ErrConflict), keeping a Deletion record.
	DeleteActor(ctx context.Context, id string, d DeletionInfo) error
	// Deletions lists deletion records, newest first by At then id.
	Deletions(ctx context.Context, limit int) ([]Deletion, error)
	// RestoreHistory writes merge, deletion and review records as they are,
	// in one transaction (an import of an export, CheckHistory first): a
	// record with the same id is replaced, and each relation named in
	// h.Reviews gets exactly that history. It changes no actor or relation.
	RestoreHistory(ctx context.Context, h History) error
}

// History is the record of what was done to the graph: merges (undone
// ones included), deletions and review histories. The JSON export carries
// it, so a backup restores with it.
type History struct {
	Merges    []Merge        `json:"merges"`
	Deletions []Deletion     `json:"deletions"`
	Reviews   []ReviewRecord `json:"reviews"` // per relation, in the order made
}

// ReviewRecord is one review of one relation, as the export lists them.
type ReviewRecord struct {
	Relation string `json:"relation"`
	ReviewInfo
}

// CheckHistory checks records before RestoreHistory writes them: ids as the
// stores derive them, times, review statuses and the text rules.
func CheckHistory(h History) error {
	for _, m := range h.Merges {
		if m.ID != MergeID(m.Survivor, m.Merged) {
			return fmt.Errorf("merge %q: id is not %q: %w", m.ID, MergeID(m.Survivor, m.Merged), ErrInvalid)
		}
		if _, err := CheckTime("merge "+m.ID, m.Info.At); err != nil {
			return err
		}
		if err := checkTexts(kg.CheckText("by", m.Info.By, kg.MaxName, false), kg.CheckText("note", m.Info.Note, kg.MaxNote, true)); err != nil {
			return err
		}
	}
	for _, d := range h.Deletions {
		var id string
		switch {
		case d.Kind == DeletedActor && d.Actor != nil:
			id = d.Actor.ID
		case d.Kind == DeletedRelation && d.Relation != nil:
			id = d.Relation.ID
		default:
			return fmt.Errorf("deletion %q: kind %q without its entity: %w", d.ID, d.Kind, ErrInvalid)
		}
		if d.ID != DeletionID(d.Kind, id, d.Info.At) {
			return fmt.Errorf("deletion %q: id is not %q: %w", d.ID, DeletionID(d.Kind, id, d.Info.At), ErrInvalid)
		}
		if err := checkTexts(kg.CheckText("by", d.Info.By, kg.MaxName, false), kg.CheckText("reason", d.Info.Reason, kg.MaxNote, true)); err != nil {
			return err
		}
	}
	for _, r := range h.Reviews {
		if r.Relation == "" {
			return fmt.Errorf("review without a relation: %w", ErrInvalid)
		}
		if _, err := CheckReview(r.ReviewInfo); err != nil {
			return fmt.Errorf("review of %q: %w", r.Relation, err)
		}
	}
	return nil
}

// ReviewsByRelation groups review records by relation, keeping their order.
func ReviewsByRelation(rs []ReviewRecord) map[string][]ReviewInfo {
	out := map[string][]ReviewInfo{}
	for _, r := range rs {
		r.At = r.At.UTC()
		out[r.Relation] = append(out[r.Relation], r.ReviewInfo)
	}
	return out
}

// MergeInfo says who merged, when and why.
type MergeInfo struct {
	By   string    `json:"by"` // the API key's name
	Note string    `json:"note,omitempty"`
	At   time.Time `json:"at"`
}

// Merge records a merge and everything Unmerge needs to undo it.
type Merge struct {
	ID       string    `json:"id"` // MergeID(Survivor, Merged)
	Survivor string    `json:"survivor"`
	Merged   string    `json:"merged"`
	Info     MergeInfo `json:"info"`
	Undone   bool      `json:"undone,omitempty"`
	// Actor is the merged actor as it was.
	Actor kg.Actor `json:"actor"`
	// AliasesBefore are the survivor's aliases before the merge; AddedAliases
	// the ones the merge gave it (the merged actor's name and aliases, less
	// folded duplicates), which Unmerge takes away again.
	AliasesBefore []string `json:"aliasesBefore,omitempty"`
	AddedAliases  []string `json:"addedAliases,omitempty"`
	// Moved are the relations the merge changed (merged at From, To or as
	// ClaimedBy), as they were before it, by id.
	Moved []kg.Relation `json:"moved,omitempty"`
	// KeptAside are the ids of the Moved relations that were removed, not
	// moved: every relation between the two actors, which would have become a
	// self-loop of the survivor (no store holds one). Unmerge puts them back.
	KeptAside []string `json:"keptAside,omitempty"`
}

// ReviewInfo is one review of a relation.
type ReviewInfo struct {
	Status   kg.Review `json:"status"`
	Reviewer string    `json:"reviewer"`
	Note     string    `json:"note,omitempty"`
	At       time.Time `json:"at"`
}

// DeletionInfo says who deleted, when and why.
type DeletionInfo struct {
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// Deletion kinds.
const (
	DeletedActor    = "actor"
	DeletedRelation = "relation"
)

// Deletion records a deleted actor or relation in full.
type Deletion struct {
	ID       string       `json:"id"` // DeletionID(Kind, entity id, At)
	Kind     string       `json:"kind"`
	Info     DeletionInfo `json:"info"`
	Actor    *kg.Actor    `json:"actor,omitempty"`
	Relation *kg.Relation `json:"relation,omitempty"`
}

// MergeID is the id of the merge of merged into survivor.
func MergeID(survivorID, mergedID string) string { return "merge:" + survivorID + ":" + mergedID }

// DeletionID is the id of the deletion of an entity of kind at time at.
func DeletionID(kind, id string, at time.Time) string {
	return "deletion:" + kind + ":" + id + ":" + TimeKey(at)
}

// TimeKey formats t as fixed-width UTC RFC 3339 with nanoseconds, so that
// keys sort as times do (both stores order records by it).
func TimeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// CheckTime refuses a zero time (stores never read the clock) and returns
// t in UTC.
func CheckTime(what string, t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, fmt.Errorf("%s: time is required: %w", what, ErrInvalid)
	}
	return t.UTC(), nil
}

// CheckActor validates an actor as Load's callers do (kg.Graph.Validate):
// a slug id, a name, a known kind, distinct aliases, well-formed codes.
func CheckActor(a kg.Actor) error {
	if err := (&kg.Graph{Actors: []kg.Actor{a}}).Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// CheckReview validates a review.
func CheckReview(r ReviewInfo) (ReviewInfo, error) {
	if !slices.Contains(kg.Reviews, r.Status) {
		return r, fmt.Errorf("review status %q: %w", r.Status, ErrInvalid)
	}
	if err := checkTexts(kg.CheckText("reviewer", r.Reviewer, kg.MaxName, false),
		kg.CheckText("note", r.Note, kg.MaxNote, true)); err != nil {
		return r, err
	}
	var err error
	r.At, err = CheckTime("review", r.At)
	return r, err
}

// checkTexts joins the text-rule errors of a record's fields as ErrInvalid.
func checkTexts(errs ...error) error {
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// SameReview reports whether two reviews say the same (At aside).
func SameReview(a, b ReviewInfo) bool {
	return a.Status == b.Status && a.Reviewer == b.Reviewer && a.Note == b.Note
}

// WithAliases returns a with the aliases added that neither its name nor
// an alias already has, folded (empty ones ignored), and the ones added.
func WithAliases(a kg.Actor, aliases []string) (kg.Actor, []string) {
	have := map[string]bool{}
	for _, n := range a.Names() {
		have[n] = true
	}
	var added []string
	for _, al := range aliases {
		al = strings.TrimSpace(al)
		f := kg.Fold(al)
		if f == "" || have[f] {
			continue
		}
		have[f] = true
		added = append(added, al)
	}
	if len(added) > 0 {
		a.Aliases = append(slices.Clone(a.Aliases), added...)
	}
	return a, added
}

// MergePlan is what a merge writes.
type MergePlan struct {
	Record   Merge
	Survivor kg.Actor      // with the merged actor's names as aliases
	Put      []kg.Relation // moved relations with their new ends, by id
	Drop     []string      // ids of kept-aside relations to delete
}

// PlanMerge plans merging merged into survivor; rels are the relations with
// merged at From, To or as ClaimedBy (in any order, no duplicates).
func PlanMerge(survivor, merged kg.Actor, rels []kg.Relation, info MergeInfo) (MergePlan, error) {
	var err error
	if info.At, err = CheckTime("merge", info.At); err != nil {
		return MergePlan{}, err
	}
	if err := checkTexts(kg.CheckText("note", info.Note, kg.MaxNote, true)); err != nil {
		return MergePlan{}, err
	}
	rels = slices.Clone(rels)
	slices.SortFunc(rels, func(a, b kg.Relation) int { return strings.Compare(a.ID, b.ID) })
	p := MergePlan{Record: Merge{
		ID: MergeID(survivor.ID, merged.ID), Survivor: survivor.ID, Merged: merged.ID, Info: info,
		Actor: merged, AliasesBefore: slices.Clone(survivor.Aliases), Moved: rels,
	}}
	p.Survivor, p.Record.AddedAliases = WithAliases(survivor, append([]string{merged.Name}, merged.Aliases...))
	if err := CheckActor(p.Survivor); err != nil { // too many aliases now
		return MergePlan{}, err
	}
	swap := func(id string) string {
		if id == merged.ID {
			return survivor.ID
		}
		return id
	}
	for _, r := range rels {
		n := r
		n.From, n.To, n.ClaimedBy = swap(r.From), swap(r.To), swap(r.ClaimedBy)
		if n.From == n.To { // a relation between the two: a self-loop of the survivor
			p.Record.KeptAside = append(p.Record.KeptAside, r.ID)
			p.Drop = append(p.Drop, r.ID)
			continue
		}
		p.Put = append(p.Put, n)
	}
	return p, nil
}

// UnmergePlan is what an unmerge writes.
type UnmergePlan struct {
	Record   Merge         // marked undone
	Merged   kg.Actor      // recreated
	Survivor kg.Actor      // without the aliases the merge added
	Put      []kg.Relation // relations back at their ends, by id
}

// PlanUnmerge plans undoing m given the survivor now (nil: gone) and the
// current state of m's moved relations (by id; missing ones were deleted
// since). mergedExists says whether m.Merged is an actor again.
func PlanUnmerge(m Merge, survivor *kg.Actor, current map[string]kg.Relation, mergedExists bool) (UnmergePlan, error) {
	if m.Undone {
		return UnmergePlan{}, fmt.Errorf("merge %q is already undone: %w", m.ID, ErrConflict)
	}
	if survivor == nil {
		return UnmergePlan{}, fmt.Errorf("merge %q: survivor %q is gone (merged or deleted since): %w", m.ID, m.Survivor, ErrConflict)
	}
	if mergedExists {
		return UnmergePlan{}, fmt.Errorf("merge %q: actor id %q is in use again: %w", m.ID, m.Merged, ErrConflict)
	}
	p := UnmergePlan{Record: m, Merged: m.Actor, Survivor: *survivor}
	p.Record.Undone = true
	p.Survivor.Aliases = nil
	drop := slices.Clone(m.AddedAliases)
	for _, al := range survivor.Aliases {
		if i := slices.Index(drop, al); i >= 0 {
			drop = slices.Delete(drop, i, i+1)
			continue
		}
		p.Survivor.Aliases = append(p.Survivor.Aliases, al)
	}
	back := func(orig, cur string) string {
		if orig == m.Merged && cur == m.Survivor {
			return m.Merged
		}
		return cur
	}
	for _, orig := range m.Moved {
		cur, ok := current[orig.ID]
		if slices.Contains(m.KeptAside, orig.ID) {
			if ok {
				return UnmergePlan{}, fmt.Errorf("merge %q: kept-aside relation id %q is in use again: %w", m.ID, orig.ID, ErrConflict)
			}
			p.Put = append(p.Put, orig)
			continue
		}
		if !ok {
			continue // deleted since the merge: stays deleted
		}
		n := cur
		n.From, n.To, n.ClaimedBy = back(orig.From, cur.From), back(orig.To, cur.To), back(orig.ClaimedBy, cur.ClaimedBy)
		if n.From != cur.From || n.To != cur.To || n.ClaimedBy != cur.ClaimedBy {
			p.Put = append(p.Put, n)
		}
	}
	return p, nil
}

// NewDeletion builds a deletion record; exactly one of a and r is set.
func NewDeletion(d DeletionInfo, a *kg.Actor, r *kg.Relation) (Deletion, error) {
	var err error
	if d.At, err = CheckTime("deletion", d.At); err != nil {
		return Deletion{}, err
	}
	if err := checkTexts(kg.CheckText("reason", d.Reason, kg.MaxNote, true)); err != nil {
		return Deletion{}, err
	}
	if a != nil {
		return Deletion{ID: DeletionID(DeletedActor, a.ID, d.At), Kind: DeletedActor, Info: d, Actor: a}, nil
	}
	return Deletion{ID: DeletionID(DeletedRelation, r.ID, d.At), Kind: DeletedRelation, Info: d, Relation: r}, nil
}

// SortMerges orders merges newest first by At, then id (descending).
func SortMerges(ms []Merge) {
	slices.SortFunc(ms, func(a, b Merge) int {
		if c := b.Info.At.Compare(a.Info.At); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}

// SortDeletions orders deletions newest first by At, then id (descending).
func SortDeletions(ds []Deletion) {
	slices.SortFunc(ds, func(a, b Deletion) int {
		if c := b.Info.At.Compare(a.Info.At); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}
