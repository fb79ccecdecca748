package store

import (
	"errors"
	"fmt"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// CheckStored runs kg's stored-state rules (kg.CheckStored) over a write
// transaction's view and classifies what it finds: a reference to an entity
// that is gone is ErrConflict (the write raced a merge or deletion: its
// checks before the transaction saw the entity); a self-loop or a cycle is
// ErrInvalid. The *kg.FieldError stays reachable with errors.As, so the API
// can name the field.
func CheckStored(v kg.View, rels []kg.Relation) error {
	if len(rels) == 0 {
		return nil
	}
	err := kg.CheckStored(v, rels)
	var fe *kg.FieldError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &fe):
		return err // the view failed: the store's own error
	case errors.Is(err, kg.ErrDangling):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return fmt.Errorf("%w: %w", ErrInvalid, err)
}

// CheckRemoved runs kg.CheckRemoved: a relation taken out that others
// still allege or deny is ErrConflict.
func CheckRemoved(v kg.View, ids []string) error {
	if err := kg.CheckRemoved(v, ids); err != nil {
		if errors.Is(err, kg.ErrLinked) {
			return fmt.Errorf("%w: %w", ErrConflict, err)
		}
		return err
	}
	return nil
}

// AddAliasesTo is WithAliases for the AddAliases writers of both stores:
// the actor with the aliases added must still be a valid actor (alias
// count, length and characters), or the write is ErrInvalid.
func AddAliasesTo(a kg.Actor, aliases []string) (kg.Actor, []string, error) {
	a, added := WithAliases(a, aliases)
	if len(added) == 0 {
		return a, nil, nil
	}
	if err := CheckActor(a); err != nil {
		return a, nil, err
	}
	return a, added, nil
}
