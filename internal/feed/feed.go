// Package feed serves live changes from the store's change log: one tailer
// per process polls the log with a cursor and fans the entries out to
// subscribers. Because every write — from any server process, the CLI or a
// mutation — appends to the log in its own transaction, every subscriber of
// every server sees every write, in sequence order.
//
// Delivery is at least once, in sequence order, with the sequence on each
// entry so clients dedupe and resume. A subscriber never slows the tailer
// or the writers: it keeps its own cursor and reads the entries after it
// from the tailer's recent window, or from the log itself when it has
// fallen behind the window (so a slow subscriber is resumed from the log,
// never dropped). One whose cursor the log has compacted away ends with
// store.ErrCursorExpired.
package feed

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/actorgraph/actorgraph/internal/store"
)

// Defaults.
const (
	DefaultInterval     = 200 * time.Millisecond
	DefaultCompactEvery = time.Minute
	// Window is how many recent entries the tailer keeps for subscribers
	// to read without a store query.
	Window = 4096
	// page is how many entries one read of the log asks for.
	page = 500
)

// Options configure New.
type Options struct {
	// Interval between polls of the log when idle (default 200 ms). A
	// local write may wake the tailer earlier (Wake).
	Interval time.Duration
	// Retention bounds the log (the zero value: unbounded); the tailer
	// compacts it every CompactEvery (default every minute). A negative
	// CompactEvery disables compaction by this process.
	Retention    store.Retention
	CompactEvery time.Duration
	Logger       *slog.Logger
}

// Feed tails one change log.
type Feed struct {
	log  store.ChangeLog
	opts Options
	wake chan struct{}

	mu      sync.Mutex
	kept    bool               // Start was called: the tailer runs for good
	subs    int                // subscribers (a lazily started tailer stops at 0)
	stop    context.CancelFunc // stops a running tailer; nil when none runs
	polls   int64              // reads of the log by the tailer
	last    int64              // the newest sequence tailed
	window  []store.Change     // the newest entries tailed, consecutive, ending at last
	changed chan struct{}      // closed and replaced when entries arrive
}

// New returns a feed over log. Start runs its tailer for good (a server);
// without Start, the first subscriber starts it and the last one stops it.
func New(log store.ChangeLog, opts Options) *Feed {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.CompactEvery == 0 {
		opts.CompactEvery = DefaultCompactEvery
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Feed{log: log, opts: opts, wake: make(chan struct{}, 1), changed: make(chan struct{})}
}

// Start runs the tailer until ctx ends, from the log's newest entry
// (subscribers see what follows, or replay from their cursor).
func (f *Feed) Start(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kept = true
	return f.startLocked(ctx)
}

// startLocked positions the tailer at the newest entry and runs it.
func (f *Feed) startLocked(ctx context.Context) error {
	if f.stop != nil {
		return nil
	}
	last, err := f.log.LastSeq(ctx)
	if err != nil {
		return err
	}
	ctx, f.stop = context.WithCancel(ctx)
	if last != f.last {
		f.last, f.window = last, nil
	}
	go f.run(ctx)
	return nil
}

// acquire counts a subscriber, starting the tailer if none runs.
func (f *Feed) acquire() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.startLocked(context.Background()); err != nil {
		return err
	}
	f.subs++
	return nil
}

// release uncounts a subscriber; the last one stops a lazily started tailer.
func (f *Feed) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs--
	if f.subs == 0 && !f.kept && f.stop != nil {
		f.stop()
		f.stop = nil
	}
}

// Wake makes the tailer poll now (after a local write) instead of at the
// end of its interval.
func (f *Feed) Wake() {
	if f == nil {
		return
	}
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Polls counts the tailer's reads of the log (one statement each).
func (f *Feed) Polls() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.polls
}

// Last is the newest sequence the tailer has seen.
func (f *Feed) Last() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func (f *Feed) run(ctx context.Context) {
	nextCompact := time.Now()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		full := f.poll(ctx)
		if f.opts.CompactEvery > 0 && time.Now().After(nextCompact) {
			if _, err := f.log.Compact(ctx, f.opts.Retention, time.Now()); err != nil && ctx.Err() == nil {
				f.opts.Logger.Warn("change feed: compaction failed", "err", err)
			}
			nextCompact = time.Now().Add(f.opts.CompactEvery)
		}
		if full {
			continue // more waiting: read on at once
		}
		t.Reset(f.opts.Interval)
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
			if !t.Stop() {
				<-t.C
			}
		case <-t.C:
		}
	}
}

// poll reads the entries after the tailer's cursor into the window; it
// reports whether a full page came (more may be waiting).
func (f *Feed) poll(ctx context.Context) bool {
	f.mu.Lock()
	after := f.last
	f.polls++
	f.mu.Unlock()
	chs, err := f.log.Changes(ctx, after, page)
	if errors.Is(err, store.ErrCursorExpired) {
		// The log was compacted or wiped past the tailer (it was stopped
		// or far behind): subscribers behind it read the log themselves
		// and get CURSOR_EXPIRED; go on from the newest entry.
		if last, lerr := f.log.LastSeq(ctx); lerr == nil {
			f.mu.Lock()
			f.last, f.window = last, nil
			f.mu.Unlock()
		}
		return false
	}
	if err != nil {
		if ctx.Err() == nil {
			f.opts.Logger.Warn("change feed: poll failed", "err", err)
		}
		return false
	}
	if len(chs) == 0 {
		return false
	}
	f.mu.Lock()
	f.window = append(f.window, chs...)
	if n := len(f.window) - Window; n > 0 {
		f.window = append([]store.Change(nil), f.window[n:]...)
	}
	f.last = chs[len(chs)-1].Seq
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
	return len(chs) == page
}

// next returns entries after seq (up to page), and a channel closed when
// newer ones arrive. It serves from the window, or from the log when seq
// is older than the window.
func (f *Feed) next(ctx context.Context, seq int64) ([]store.Change, <-chan struct{}, error) {
	f.mu.Lock()
	last, changed := f.last, f.changed
	if seq >= last {
		f.mu.Unlock()
		return nil, changed, nil
	}
	if len(f.window) > 0 && seq >= f.window[0].Seq-1 {
		i := int(seq - (f.window[0].Seq - 1))
		out := append([]store.Change(nil), f.window[i:min(len(f.window), i+page)]...)
		f.mu.Unlock()
		return out, changed, nil
	}
	f.mu.Unlock()
	chs, err := f.log.Changes(ctx, seq, page)
	// Entries the tailer has not seen yet wait for it: every subscriber
	// sees the same prefix of the log as the tailer.
	for len(chs) > 0 && chs[len(chs)-1].Seq > last {
		chs = chs[:len(chs)-1]
	}
	return chs, changed, err
}

// Subscribe streams the entries after cursor after that match accepts
// (after < 0: from the tailer's current position, i.e. from now on), in
// sequence order, until ctx ends or the subscriber's cursor expires (then
// the channel closes after errc receives store.ErrCursorExpired). A cursor
// already expired fails here. match sees each batch of entries in order
// and returns those to deliver (it may read the store: roll-up and kinds).
func (f *Feed) Subscribe(ctx context.Context, after int64, match func(context.Context, []store.Change) ([]store.Change, error)) (<-chan store.Change, error) {
	if after >= 0 {
		if _, err := f.log.Changes(ctx, after, 1); err != nil {
			return nil, err
		}
	}
	if err := f.acquire(); err != nil {
		return nil, err
	}
	if after < 0 {
		after = f.Last()
	}
	out := make(chan store.Change)
	go func() {
		defer close(out)
		defer f.release()
		cursor := after
		for {
			chs, changed, err := f.next(ctx, cursor)
			if err != nil {
				if ctx.Err() == nil {
					f.opts.Logger.Info("change feed: subscriber ends", "cursor", cursor, "err", err)
				}
				return
			}
			if len(chs) == 0 {
				select {
				case <-ctx.Done():
					return
				case <-changed:
				}
				continue
			}
			deliver, err := match(ctx, chs)
			if err != nil {
				if ctx.Err() == nil {
					f.opts.Logger.Warn("change feed: filter failed", "err", err)
				}
				return
			}
			for _, ch := range deliver {
				select {
				case out <- ch:
				case <-ctx.Done():
					return
				}
			}
			cursor = chs[len(chs)-1].Seq
		}
	}()
	return out, nil
}
