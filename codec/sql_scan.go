package codec

import (
	"fmt"
	"net/netip"
	"reflect"
	"time"
)

// Scan implements sql.Scanner for database/sql, whose PostgreSQL drivers
// (pg's stdlib, lib/pq, pgx's stdlib) deliver arrays in their text form:
// "{1,2,NULL}", "[0:1]={7,8}". The elements are read as the PostgreSQL
// type that T maps to (int32 as int4, string as text, time.Time as
// timestamptz, Numeric as numeric ...; any as text, so each element is
// its text). NULL is an error, as for Array anywhere else; scan into
// Null[Array[T]] for a nullable column.
func (a *Array[T]) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		return &NullError{GoType: fmt.Sprintf("%T", *a), PGType: "array"}
	case Array[T]:
		*a = s
		return nil
	case string:
		return a.Scan([]byte(s))
	case []byte:
		return scanTextAs(reflect.TypeFor[T](), s, func(elem *Type) *Type { return NewArrayType(0, "_"+elem.Name, elem) }, a)
	}
	return fmt.Errorf("cannot scan Go type %T into %T: it takes an array's text form", src, *a)
}

// Scan implements sql.Scanner for database/sql, which delivers ranges in
// their text form ("[1,5)", "empty"); the bounds are read as the
// PostgreSQL type T maps to, as for Array. NULL is an error; scan into
// Null[Range[T]] for a nullable column.
func (r *Range[T]) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		return &NullError{GoType: fmt.Sprintf("%T", *r), PGType: "range"}
	case Range[T]:
		*r = s
		return nil
	case string:
		return r.Scan([]byte(s))
	case []byte:
		return scanTextAs(reflect.TypeFor[T](), s, func(elem *Type) *Type { return NewRangeType(0, elem.Name+"range", elem) }, r)
	}
	return fmt.Errorf("cannot scan Go type %T into %T: it takes a range's text form", src, *r)
}

// scanTextAs reads text into dst as the container type that of builds
// over the element type of Go type t. time.Time elements are
// timestamptz's text, or timestamp's when they carry no offset (a tsrange
// or timestamp[]).
func scanTextAs(t reflect.Type, text []byte, of func(*Type) *Type, dst any) error {
	elem := sqlElemType(t)
	err := ScanValue(of(elem), TextFormat, text, dst)
	if err != nil && elem.OID == TimestamptzOID {
		if ts := Default().Lookup(TimestampOID); ts != nil && ScanValue(of(ts), TextFormat, text, dst) == nil {
			return nil
		}
	}
	return err
}

// sqlElemType is the built-in type whose text form Go type t is read
// from, for Array and Range's Scan.
func sqlElemType(t reflect.Type) *Type {
	name := "text"
	switch t {
	case reflect.TypeFor[time.Time](), reflect.TypeFor[Timestamp]():
		name = "timestamptz"
	case reflect.TypeFor[Date]():
		name = "date"
	case reflect.TypeFor[Numeric]():
		name = "numeric"
	case reflect.TypeFor[UUID]():
		name = "uuid"
	case reflect.TypeFor[Interval](), reflect.TypeFor[time.Duration]():
		name = "interval"
	case reflect.TypeFor[Time]():
		name = "time"
	case reflect.TypeFor[Bits]():
		name = "varbit"
	case reflect.TypeFor[netip.Addr](), reflect.TypeFor[netip.Prefix]():
		name = "inet"
	case reflect.TypeFor[[]byte]():
		name = "bytea"
	default:
		switch t.Kind() {
		case reflect.Bool:
			name = "bool"
		case reflect.Int8, reflect.Int16, reflect.Uint8:
			name = "int2"
		case reflect.Int32, reflect.Uint16:
			name = "int4"
		case reflect.Int, reflect.Int64, reflect.Uint32:
			name = "int8"
		case reflect.Uint, reflect.Uint64:
			name = "numeric"
		case reflect.Float32:
			name = "float4"
		case reflect.Float64:
			name = "float8"
		case reflect.Pointer:
			return sqlElemType(t.Elem())
		case reflect.Struct:
			// Null[T]: the element type is T's.
			if t.NumField() == 2 && t.Field(0).Name == "V" && t.Field(1).Name == "Valid" {
				return sqlElemType(t.Field(0).Type)
			}
		}
	}
	return Default().LookupName(name)
}
