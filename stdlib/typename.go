package stdlib

import "github.com/wirepg/pg/codec"

// typeName is the registered name of a built-in type OID, upper case as
// database/sql drivers report it.
func typeName(oid uint32) string {
	t := codec.Default().Lookup(oid)
	if t == nil {
		return ""
	}
	b := []byte(t.Name)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
