package boltstore

import "slices"

// A persistent (copy-on-write) B+tree: the building block of the index.
// Every version is immutable once published; a change copies only the
// nodes on the path it touches (O(log N) nodes of at most maxNode entries)
// and shares the rest with the version before, so a write costs the same on
// a small store and a large one, and a reader holding an old version is
// never disturbed.
//
// Within one write, nodes created by that write carry its edit token and
// are changed in place (a "transient"), so a batch of k changes copies each
// touched node once rather than k times. The token is dropped when the
// version is published, after which nothing changes its nodes again.

// maxNode is the most entries (items of a leaf, children of an inner node)
// a node holds; a fuller node splits in two.
const maxNode = 64

// ordering compares two items; implementations are zero-size types, so a
// tree carries no function value.
type ordering[T any] interface{ cmp(a, b T) int }

// edit marks the nodes one write owns.
type edit struct{ _ byte }

type pnode[T any] struct {
	items []T         // leaf: the items, sorted
	kids  []*pnode[T] // inner: the children
	keys  []T         // inner: keys[i] is the first item under kids[i]
	count int         // items in the subtree
	owner *edit       // the write that may change this node in place
}

func (n *pnode[T]) leaf() bool { return n.kids == nil }

func (n *pnode[T]) first() T {
	if n.leaf() {
		return n.items[0]
	}
	return n.keys[0]
}

func (n *pnode[T]) size() int {
	if n.leaf() {
		return len(n.items)
	}
	return len(n.kids)
}

// ptree is one version of a sorted set of T under order O.
type ptree[T any, O ordering[T]] struct {
	root *pnode[T]
	ed   *edit // non-nil while a write changes this version in place
}

// Len is the number of items.
func (t ptree[T, O]) Len() int {
	if t.root == nil {
		return 0
	}
	return t.root.count
}

// transient returns a version the write ed may change in place.
func (t ptree[T, O]) transient(ed *edit) ptree[T, O] { return ptree[T, O]{root: t.root, ed: ed} }

// frozen returns the version with its edit token dropped.
func (t ptree[T, O]) frozen() ptree[T, O] { return ptree[T, O]{root: t.root} }

// own returns n itself when this write owns it, else a copy it owns.
func (t ptree[T, O]) own(n *pnode[T]) *pnode[T] {
	if t.ed != nil && n.owner == t.ed {
		return n
	}
	c := &pnode[T]{count: n.count, owner: t.ed}
	if n.leaf() {
		c.items = slices.Clone(n.items)
	} else {
		c.kids, c.keys = slices.Clone(n.kids), slices.Clone(n.keys)
	}
	return c
}

// seek returns the position in n's items (leaf) or kids (inner) where x belongs.
func seek[T any, O ordering[T]](n *pnode[T], x T) (int, bool) {
	var o O
	if n.leaf() {
		return slices.BinarySearchFunc(n.items, x, o.cmp)
	}
	// The last child whose first key is <= x (the first child if none).
	i, found := slices.BinarySearchFunc(n.keys, x, o.cmp)
	if found {
		return i, true
	}
	return max(i-1, 0), false
}

// Get returns the item equal to x under O.
func (t ptree[T, O]) Get(x T) (T, bool) {
	n := t.root
	for n != nil {
		i, found := seek[T, O](n, x)
		if n.leaf() {
			if found {
				return n.items[i], true
			}
			break
		}
		n = n.kids[i]
	}
	var zero T
	return zero, false
}

// Put inserts x, replacing an equal item.
func (t ptree[T, O]) Put(x T) ptree[T, O] {
	if t.root == nil {
		t.root = &pnode[T]{items: []T{x}, count: 1, owner: t.ed}
		return t
	}
	r, split := t.put(t.root, x)
	if split != nil {
		r = &pnode[T]{kids: []*pnode[T]{r, split}, keys: []T{r.first(), split.first()},
			count: r.count + split.count, owner: t.ed}
	}
	t.root = r
	return t
}

func (t ptree[T, O]) put(n *pnode[T], x T) (*pnode[T], *pnode[T]) {
	i, found := seek[T, O](n, x)
	n = t.own(n)
	if n.leaf() {
		if found {
			n.items[i] = x
			return n, nil
		}
		n.items = slices.Insert(n.items, i, x)
		n.count++
	} else {
		before := n.kids[i].count
		kid, split := t.put(n.kids[i], x)
		n.kids[i], n.keys[i] = kid, kid.first()
		n.count += kid.count - before
		if split != nil {
			n.kids = slices.Insert(n.kids, i+1, split)
			n.keys = slices.Insert(n.keys, i+1, split.first())
			n.count += split.count
		}
	}
	if n.size() <= maxNode {
		return n, nil
	}
	return t.split(n)
}

// split halves an overfull node n (owned by this write).
func (t ptree[T, O]) split(n *pnode[T]) (*pnode[T], *pnode[T]) {
	h := n.size() / 2
	right := &pnode[T]{owner: t.ed}
	if n.leaf() {
		right.items = slices.Clone(n.items[h:])
		n.items = slices.Clip(n.items[:h])
		right.count = len(right.items)
		n.count = len(n.items)
	} else {
		right.kids, right.keys = slices.Clone(n.kids[h:]), slices.Clone(n.keys[h:])
		n.kids, n.keys = slices.Clip(n.kids[:h]), slices.Clip(n.keys[:h])
		for _, k := range right.kids {
			right.count += k.count
		}
		n.count -= right.count
	}
	return n, right
}

// Delete removes the item equal to x, if any.
func (t ptree[T, O]) Delete(x T) ptree[T, O] {
	if t.root == nil {
		return t
	}
	r, removed := t.del(t.root, x)
	if !removed {
		return t
	}
	for r != nil && !r.leaf() && len(r.kids) == 1 {
		r = r.kids[0]
	}
	if r != nil && r.count == 0 {
		r = nil
	}
	t.root = r
	return t
}

func (t ptree[T, O]) del(n *pnode[T], x T) (*pnode[T], bool) {
	i, found := seek[T, O](n, x)
	if n.leaf() {
		if !found {
			return n, false
		}
		n = t.own(n)
		n.items = slices.Delete(n.items, i, i+1)
		n.count--
		return n, true
	}
	kid, removed := t.del(n.kids[i], x)
	if !removed {
		return n, false
	}
	n = t.own(n)
	n.count--
	switch {
	case kid.count == 0:
		n.kids = slices.Delete(n.kids, i, i+1)
		n.keys = slices.Delete(n.keys, i, i+1)
	case kid.size() < maxNode/4 && len(n.kids) > 1:
		// Merge the thin child with a neighbour (and split again if too
		// full), so deletions never leave long chains of tiny nodes.
		j := i + 1
		if j == len(n.kids) {
			i, j = i-1, i
			n.kids[j] = kid
		} else {
			n.kids[i] = kid
		}
		m := t.own(n.kids[i])
		o := n.kids[j]
		if m.leaf() {
			m.items = append(m.items, o.items...)
		} else {
			m.kids, m.keys = append(m.kids, o.kids...), append(m.keys, o.keys...)
		}
		m.count += o.count
		n.kids = slices.Delete(n.kids, j, j+1)
		n.keys = slices.Delete(n.keys, j, j+1)
		n.kids[i], n.keys[i] = m, m.first()
		if m.size() > maxNode {
			l, r := t.split(m)
			n.kids[i], n.keys[i] = l, l.first()
			n.kids = slices.Insert(n.kids, i+1, r)
			n.keys = slices.Insert(n.keys, i+1, r.first())
		}
	default:
		n.kids[i], n.keys[i] = kid, kid.first()
	}
	return n, true
}

// Ascend calls fn with the items from the first one not before from (all
// when from is nil; after it when strict) in order, until fn returns false.
// It returns false when fn stopped it.
func (t ptree[T, O]) Ascend(from *T, strict bool, fn func(T) bool) bool {
	if t.root == nil {
		return true
	}
	return ascend[T, O](t.root, from, strict, fn)
}

func ascend[T any, O ordering[T]](n *pnode[T], from *T, strict bool, fn func(T) bool) bool {
	var o O
	start := 0
	if from != nil {
		i, found := seek[T, O](n, *from)
		start = i
		if n.leaf() && found && strict {
			start++
		}
	}
	if n.leaf() {
		for _, it := range n.items[start:] {
			if !fn(it) {
				return false
			}
		}
		return true
	}
	for i := start; i < len(n.kids); i++ {
		f := from
		if f != nil && i > start {
			f = nil // every later child is past from
		}
		if f != nil && o.cmp(n.keys[i], *f) > 0 {
			f = nil
		}
		if !ascend[T, O](n.kids[i], f, strict, fn) {
			return false
		}
	}
	return true
}

// Descend calls fn with the items from the last one not after from (all
// when from is nil; before it when strict) in reverse order, until fn
// returns false.
func (t ptree[T, O]) Descend(from *T, strict bool, fn func(T) bool) bool {
	if t.root == nil {
		return true
	}
	return descend[T, O](t.root, from, strict, fn)
}

func descend[T any, O ordering[T]](n *pnode[T], from *T, strict bool, fn func(T) bool) bool {
	if n.leaf() {
		end := len(n.items)
		if from != nil {
			i, found := seek[T, O](n, *from)
			end = i
			if found && !strict {
				end++
			}
		}
		for j := end - 1; j >= 0; j-- {
			if !fn(n.items[j]) {
				return false
			}
		}
		return true
	}
	start := len(n.kids) - 1
	if from != nil {
		start, _ = seek[T, O](n, *from)
	}
	for i := start; i >= 0; i-- {
		f := from
		if i < start {
			f = nil
		}
		if !descend[T, O](n.kids[i], f, strict, fn) {
			return false
		}
	}
	return true
}

// Items returns every item in order (tests, small trees).
func (t ptree[T, O]) Items() []T {
	out := make([]T, 0, t.Len())
	t.Ascend(nil, false, func(x T) bool { out = append(out, x); return true })
	return out
}

// pcursor walks a tree's items in order, one at a time (for merging two
// trees without materialising either).
type pcursor[T any] struct {
	stack []pframe[T]
}

type pframe[T any] struct {
	n *pnode[T]
	i int
}

// Cursor returns a cursor before the first item.
func (t ptree[T, O]) Cursor() *pcursor[T] {
	c := &pcursor[T]{}
	if t.root != nil {
		c.stack = append(c.stack, pframe[T]{n: t.root})
	}
	return c
}

// Next returns the next item, false at the end.
func (c *pcursor[T]) Next() (T, bool) {
	for len(c.stack) > 0 {
		f := &c.stack[len(c.stack)-1]
		if f.n.leaf() {
			if f.i < len(f.n.items) {
				f.i++
				return f.n.items[f.i-1], true
			}
		} else if f.i < len(f.n.kids) {
			f.i++
			c.stack = append(c.stack, pframe[T]{n: f.n.kids[f.i-1]})
			continue
		}
		c.stack = c.stack[:len(c.stack)-1]
	}
	var zero T
	return zero, false
}
