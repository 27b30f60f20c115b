package stdlib

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/wirepg/pg/codec"
)

// ColumnTypeDatabaseTypeName is the column type's name in upper case, as
// the connection knows it: enums, composites and domains by their own
// names, arrays with PostgreSQL's leading underscore (_INT4); the OID in
// decimal for a type the connection has no name for.
func (r *rows) ColumnTypeDatabaseTypeName(index int) string {
	if t := r.cols[index].typ; t != nil && t.Name != "" {
		return strings.ToUpper(t.Name)
	}
	return strconv.FormatUint(uint64(r.column(index).TypeOID), 10)
}

var (
	scanInt64   = reflect.TypeFor[int64]()
	scanFloat64 = reflect.TypeFor[float64]()
	scanBool    = reflect.TypeFor[bool]()
	scanBytes   = reflect.TypeFor[[]byte]()
	scanString  = reflect.TypeFor[string]()
	scanTime    = reflect.TypeFor[time.Time]()
	scanAny     = reflect.TypeFor[any]()
)

// ColumnTypeScanType is the Go type of the values Next gives the column:
// int64, float64, bool, []byte, time.Time, or string for every type that
// arrives in its text form.
func (r *rows) ColumnTypeScanType(index int) reflect.Type {
	c := &r.cols[index]
	if !c.natural || c.typ == nil {
		return scanString
	}
	switch baseOID(c.typ) {
	case boolOID:
		return scanBool
	case int2OID, int4OID, int8OID, oidOID, xidOID, cidOID:
		return scanInt64
	case float4OID, float8OID:
		return scanFloat64
	case byteaOID, jsonOID, jsonbOID:
		return scanBytes
	case textOID, varcharOID, bpcharOID, nameOID:
		return scanString
	case dateOID, timestampOID, timestamptzOID:
		// ±infinity arrives as the string "infinity"; finite values as
		// time.Time.
		return scanTime
	}
	return scanAny
}

// varHeaderSize is what a varchar's or numeric's type modifier adds to
// the declared length (VARHDRSZ).
const varHeaderSize = 4

// ColumnTypeLength is the declared length of varchar(n) and char(n)
// columns, math.MaxInt64 for text, bytea and varchar without a limit.
func (r *rows) ColumnTypeLength(index int) (int64, bool) {
	c := &r.cols[index]
	mod := r.column(index).TypeModifier
	switch baseOID(c.typ) {
	case textOID, byteaOID:
		return math.MaxInt64, true
	case varcharOID, bpcharOID:
		if mod < varHeaderSize {
			return math.MaxInt64, true
		}
		return int64(mod - varHeaderSize), true
	}
	return 0, false
}

// ColumnTypePrecisionScale is numeric(p, s)'s precision and scale; false
// for other types and for numeric without them.
func (r *rows) ColumnTypePrecisionScale(index int) (precision, scale int64, ok bool) {
	mod := r.column(index).TypeModifier
	if baseOID(r.cols[index].typ) != numericOID || mod < varHeaderSize {
		return 0, 0, false
	}
	mod -= varHeaderSize
	// The scale is stored in 11 bits with a sign (numeric_typmod_scale).
	return int64(mod >> 16 & 0xffff), int64((mod&0x7ff ^ 1024) - 1024), true
}

// ColumnTypeNullable reports whether a column read straight from a table
// may hold NULL (pg_attribute.attnotnull), once the connection knows the
// table: a statement from Prepare looks its tables up at Prepare; rows of
// a plain query do so when closed, so the first query of a table on a
// connection reports ok false. Computed columns are ok false.
func (r *rows) ColumnTypeNullable(index int) (nullable, ok bool) {
	f := r.column(index)
	if f.TableOID == 0 || f.ColumnNumber <= 0 || f.ColumnNumber > math.MaxUint16 {
		return false, false
	}
	notNull, known := r.c.notNull[attrKey{f.TableOID, uint16(f.ColumnNumber)}]
	if !known {
		r.c.wantTables(f.TableOID)
		return false, false
	}
	return !notNull, true
}

// baseOID is the OID of t's base type through domains; 0 for nil.
func baseOID(t *codec.Type) uint32 {
	for t != nil && t.Kind == codec.KindDomain {
		t = t.Elem
	}
	if t == nil {
		return 0
	}
	return t.OID
}
