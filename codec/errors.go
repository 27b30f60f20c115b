package codec

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// UnsupportedTypeError reports a Go value a codec cannot encode, or a
// destination it cannot decode into.
type UnsupportedTypeError struct {
	GoType   string // the Go type, e.g. "time.Duration"
	PGType   string // the PostgreSQL type name, e.g. "int4"
	Decoding bool   // true when scanning into GoType
	Hint     string // what to use instead, when known
}

func (e *UnsupportedTypeError) Error() string {
	var s string
	if e.Decoding {
		s = fmt.Sprintf("cannot scan %s into Go type %s", e.PGType, e.GoType)
	} else {
		s = fmt.Sprintf("cannot encode Go type %s as %s", e.GoType, e.PGType)
	}
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// RangeError reports a value outside what the destination type can hold,
// or one it cannot hold exactly.
type RangeError struct {
	Value  string
	PGType string // or the Go destination type when scanning
	// From, when known, is the type of Value: the column's PostgreSQL
	// type when scanning, the Go type of a parameter.
	From string
}

// rangeErrorValueMax bounds how much of the value an error message quotes:
// a numeric may have 131,072 digits before its point, which no log line
// should carry. Value keeps all of it.
const rangeErrorValueMax = 64

func (e *RangeError) Error() string {
	v := e.Value
	if len(v) > rangeErrorValueMax {
		cut := rangeErrorValueMax
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut--
		}
		v = fmt.Sprintf("%s… (%d bytes)", v[:cut], len(e.Value))
	}
	if e.From != "" {
		return fmt.Sprintf("%s value %s out of range for %s", e.From, v, e.PGType)
	}
	return fmt.Sprintf("value %s out of range for %s", v, e.PGType)
}

// DecodeError reports malformed wire data from the server.
type DecodeError struct {
	PGType string
	Msg    string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("invalid %s value from server: %s", e.PGType, e.Msg)
}

func unsupportedEncode(v any, pgType string, hint string) error {
	return &UnsupportedTypeError{GoType: typeName(v), PGType: pgType, Hint: hint}
}

func unsupportedScan(dst any, pgType string) error {
	return &UnsupportedTypeError{GoType: typeName(dst), PGType: pgType, Decoding: true}
}

// typeName names v's Go type for messages, with this package's types
// under the names callers use (pg.Numeric rather than codec.Numeric).
func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return strings.ReplaceAll(reflect.TypeOf(v).String(), "codec.", "pg.")
}

func badLength(pgType string, want, got int) error {
	return &DecodeError{PGType: pgType, Msg: fmt.Sprintf("want %d bytes, got %d", want, got)}
}

var errTooLarge = fmt.Errorf("value larger than the protocol's 1 GiB limit")
