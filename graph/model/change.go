package model

// Change is one entry of the change log (see feed and store.ChangeLog).
type Change struct {
	Cursor   string
	Seq      float64
	At       string
	Op       string
	Entity   ChangeEntity
	Kind     ChangeKind
	ID       string
	Actor    *Actor
	Relation *Relation
}

// ChangeConnection is a page of the change log.
type ChangeConnection struct {
	Nodes    []*Change
	PageInfo *PageInfo
}

// RelationAdded is one message of the relationAdded subscription: the
// relation and the cursor of the entry that created it.
type RelationAdded struct {
	Cursor   string
	Seq      float64
	Relation *Relation
}
