// Package batch lets GraphQL child resolvers load data for all their siblings
// at once, so a nested query costs one store call per level and per distinct
// field arguments — never one per result (no N+1), and with no timing window
// as dataloaders use.
//
// When a resolver returns a list, its items share one Calls. The first child
// resolver to need, say, the relations of "its" actor loads them for every
// actor in the list under a key naming the field and its arguments; the other
// siblings wait for that call and pick their share from the result.
package batch

import "sync"

// Calls memoises loads shared by a set of siblings. The zero value is ready.
type Calls struct {
	mu    sync.Mutex
	calls map[string]*call
}

type call struct {
	done chan struct{}
	val  any
	err  error
}

// Do runs fn once per key for the whole set and returns its result to every
// caller with that key. Concurrent callers wait for the first.
func Do[T any](c *Calls, key string, fn func() (T, error)) (T, error) {
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]*call{}
	}
	cl, ok := c.calls[key]
	if !ok {
		cl = &call{done: make(chan struct{})}
		c.calls[key] = cl
	}
	c.mu.Unlock()
	if ok {
		<-cl.done
	} else {
		func() {
			defer close(cl.done)
			cl.val, cl.err = fn()
		}()
	}
	if cl.err != nil {
		var zero T
		return zero, cl.err
	}
	return cl.val.(T), nil
}

// Put records v as key's result, as if a call had returned it, unless a
// call for key exists already: data read along with something else (a
// page's relation ends, read with the page) answers the siblings' later
// Do without a load of its own.
func Put[T any](c *Calls, key string, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]*call{}
	}
	if _, ok := c.calls[key]; ok {
		return
	}
	done := make(chan struct{})
	close(done)
	c.calls[key] = &call{done: done, val: v}
}
