package boltstore

// SetFailpoint makes every write transaction fail at its end with what f
// returns (nil clears it); tests prove writes are all or nothing.
func SetFailpoint(f func(op string) error) { failpoint = f }
