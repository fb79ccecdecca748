package kg

import "errors"

// ErrorsOf keeps, of a Validate error, only the problems of one entry
// (kind and id): writes that validate a new entry against a partial graph
// fetched from a store use it to ignore what the partial graph lacks
// elsewhere. It returns nil when the entry has no problem.
func ErrorsOf(err error, kind, id string) error {
	if err == nil {
		return nil
	}
	var all []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		all = joined.Unwrap()
	} else {
		all = []error{err}
	}
	var keep []error
	for _, e := range all {
		var ee *EntryError
		if errors.As(e, &ee) && ee.Kind == kind && ee.ID == id {
			keep = append(keep, e)
		}
	}
	return errors.Join(keep...)
}
