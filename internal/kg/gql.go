package kg

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// The enum types implement gqlgen's graphql.Marshaler / Unmarshaler (by
// method set only, so kg does not import gqlgen): GraphQL enums bind straight
// to the domain types, and an unknown value is refused at the edge.

func unmarshalEnum[T ~string](v any, valid []T, what string) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string", what)
	}
	if !slices.Contains(valid, T(s)) {
		return "", fmt.Errorf("%q is not a valid %s", s, what)
	}
	return T(s), nil
}

func marshalEnum(w io.Writer, s string) { io.WriteString(w, strconv.Quote(s)) }

// MarshalGQL writes the enum value.
func (k ActorKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }

// UnmarshalGQL accepts only known values.
func (k *ActorKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, ActorKinds, "ActorKind")
	return err
}

// MarshalGQL writes the enum value.
func (k PlaceKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }

// UnmarshalGQL accepts only known values.
func (k *PlaceKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, PlaceKinds, "PlaceKind")
	return err
}

// MarshalGQL writes the enum value.
func (k EventKind) MarshalGQL(w io.Writer) { marshalEnum(w, string(k)) }

// UnmarshalGQL accepts only known values.
func (k *EventKind) UnmarshalGQL(v any) (err error) {
	*k, err = unmarshalEnum(v, EventKinds, "EventKind")
	return err
}

// MarshalGQL writes the enum value.
func (t RelationType) MarshalGQL(w io.Writer) { marshalEnum(w, string(t)) }

// UnmarshalGQL accepts only types of the vocabulary.
func (t *RelationType) UnmarshalGQL(v any) (err error) {
	*t, err = unmarshalEnum(v, RelationTypes(), "RelationType")
	return err
}

// MarshalGQL writes the enum value.
func (a Attribution) MarshalGQL(w io.Writer) { marshalEnum(w, string(a)) }

// UnmarshalGQL accepts only known values.
func (a *Attribution) UnmarshalGQL(v any) (err error) {
	*a, err = unmarshalEnum(v, Attributions, "Attribution")
	return err
}

// MarshalGQL writes the enum value.
func (s Status) MarshalGQL(w io.Writer) { marshalEnum(w, string(s)) }

// UnmarshalGQL accepts only known values.
func (s *Status) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, Statuses, "Status")
	return err
}

// MarshalGQL writes the enum value.
func (p Precision) MarshalGQL(w io.Writer) { marshalEnum(w, string(p)) }

// UnmarshalGQL accepts only known values.
func (p *Precision) UnmarshalGQL(v any) (err error) {
	*p, err = unmarshalEnum(v, Precisions, "Precision")
	return err
}

// MarshalGQL writes the enum value.
func (m Method) MarshalGQL(w io.Writer) { marshalEnum(w, string(m)) }

// UnmarshalGQL accepts only known values.
func (m *Method) UnmarshalGQL(v any) (err error) {
	*m, err = unmarshalEnum(v, Methods, "Method")
	return err
}

// MarshalGQL writes the enum value.
func (r Review) MarshalGQL(w io.Writer) { marshalEnum(w, string(r)) }

// UnmarshalGQL accepts only known values.
func (r *Review) UnmarshalGQL(v any) (err error) {
	*r, err = unmarshalEnum(v, Reviews, "Review")
	return err
}
