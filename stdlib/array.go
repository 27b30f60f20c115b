package stdlib

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"reflect"
	"time"

	"github.com/wirepg/pg/codec"
)

// Array wraps a Go slice (for a query argument) or a pointer to one (for
// a Scan destination) so that it travels as a PostgreSQL array in the
// text form, like lib/pq's pq.Array: code written for pq.Array moves to
// pg by changing the import.
//
//	db.QueryRow(`SELECT $1::int8[]`, stdlib.Array([]int64{1, 2})).Scan(stdlib.Array(&ids))
//
// The element type is chosen from the Go element type: bool, the Go
// integers (int2, int4, int8), float32 and float64, string, []byte
// (bytea), time.Time (timestamptz), pg.Numeric, pg.UUID, pg.Interval,
// pg.Date, pg.Time, pg.Bits, netip.Addr and netip.Prefix (inet),
// json.RawMessage (jsonb), and pointers, pg.Null[T] and sql.Null* of
// those for arrays with NULLs; slices of slices are multi-dimensional
// arrays. Any other element type is exchanged as its text form.
//
// With pg's own database/sql driver a plain Go slice also works as an
// argument (sent in the binary format) and pg.Array[T] keeps lower
// bounds; Array is for code that must run on other drivers too.
func Array(a any) interface {
	driver.Valuer
	sql.Scanner
} {
	return &array{a: a}
}

type array struct{ a any }

// Value renders the slice in array_in's text form; a nil slice is NULL.
func (a *array) Value() (driver.Value, error) {
	rv := reflect.ValueOf(a.a)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("stdlib.Array: %T is not a slice", a.a)
	}
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return nil, nil
	}
	t, err := arrayTypeFor(rv.Type())
	if err != nil {
		return nil, err
	}
	b, err := t.Codec(codec.TextFormat).Encode(nil, rv.Interface())
	if err != nil {
		return nil, fmt.Errorf("stdlib.Array: %w", err)
	}
	return string(b), nil
}

// Scan reads an array's text form (or NULL, which leaves a nil slice)
// into the pointed-to slice.
func (a *array) Scan(src any) error {
	rv := reflect.ValueOf(a.a)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Slice {
		return fmt.Errorf("stdlib.Array: Scan needs a pointer to a slice, not %T", a.a)
	}
	t, err := arrayTypeFor(rv.Elem().Type())
	if err != nil {
		return err
	}
	var text []byte
	switch s := src.(type) {
	case nil:
		rv.Elem().SetZero()
		return nil
	case string:
		text = []byte(s)
	case []byte:
		text = s
	default:
		return fmt.Errorf("stdlib.Array: cannot read a %T as an array; it takes the array's text form", src)
	}
	if err := codec.ScanValue(t, codec.TextFormat, text, a.a); err != nil {
		return fmt.Errorf("stdlib.Array: %w", err)
	}
	return nil
}

// arrayTypeFor is the array type whose elements match slice type st.
func arrayTypeFor(st reflect.Type) (*codec.Type, error) {
	et := st.Elem()
	for (et.Kind() == reflect.Slice && et != bytesType && et != rawJSONType) || et.Kind() == reflect.Array && et != uuidType {
		et = et.Elem() // a dimension more
	}
	name := elemTypeName(et)
	elem := codec.Default().LookupName(name)
	if elem == nil {
		return nil, fmt.Errorf("stdlib.Array: no type %s", name)
	}
	return codec.NewArrayType(0, "_"+elem.Name, elem), nil
}

var (
	bytesType   = reflect.TypeFor[[]byte]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	uuidType    = reflect.TypeFor[codec.UUID]()
)

// elemTypeName picks the PostgreSQL element type for Go type t.
func elemTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeFor[time.Time](), reflect.TypeFor[sql.NullTime]():
		return "timestamptz"
	case reflect.TypeFor[codec.Numeric]():
		return "numeric"
	case uuidType:
		return "uuid"
	case reflect.TypeFor[codec.Interval](), reflect.TypeFor[time.Duration]():
		return "interval"
	case reflect.TypeFor[codec.Date]():
		return "date"
	case reflect.TypeFor[codec.Time]():
		return "time"
	case reflect.TypeFor[codec.Bits]():
		return "varbit"
	case reflect.TypeFor[codec.Money]():
		return "money"
	case reflect.TypeFor[netip.Addr](), reflect.TypeFor[netip.Prefix](), reflect.TypeFor[net.IP](), reflect.TypeFor[net.IPNet]():
		return "inet"
	case rawJSONType:
		return "jsonb"
	case bytesType:
		return "bytea"
	case reflect.TypeFor[sql.NullString]():
		return "text"
	case reflect.TypeFor[sql.NullInt64]():
		return "int8"
	case reflect.TypeFor[sql.NullInt32]():
		return "int4"
	case reflect.TypeFor[sql.NullInt16](), reflect.TypeFor[sql.NullByte]():
		return "int2"
	case reflect.TypeFor[sql.NullFloat64]():
		return "float8"
	case reflect.TypeFor[sql.NullBool]():
		return "bool"
	}
	if v, ok := nullInner(t); ok {
		return elemTypeName(v)
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int16, reflect.Int8, reflect.Uint8:
		return "int2"
	case reflect.Int32, reflect.Uint16:
		return "int4"
	case reflect.Int, reflect.Int64, reflect.Uint32:
		return "int8"
	case reflect.Uint, reflect.Uint64:
		return "numeric"
	case reflect.Float32:
		return "float4"
	case reflect.Float64:
		return "float8"
	}
	return "text"
}

// nullInner is T of a pg.Null[T] or sql.Null[T].
func nullInner(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct || t.NumField() != 2 {
		return nil, false
	}
	if t.Field(1).Name == "Valid" && (t.Field(0).Name == "V" || t.Field(0).Name == "Value") {
		return t.Field(0).Type, true
	}
	return nil, false
}
