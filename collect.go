package pg

import (
	"context"
	"database/sql"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/internal/structmap"
)

// CollectRows runs the query and returns every row as a T:
//
//   - a struct (not time.Time, not a sql.Scanner, not one of the driver's
//     value types such as Numeric or Range): each column fills the field
//     named by its `pg:"name"` tag, else the field whose name matches the
//     column case-insensitively with underscores ignored (UserID takes
//     user_id). A column no field takes is an error; fields no column fills
//     keep their zero value. Embedded structs are flattened.
//   - Record: the row as Rows.Record returns it.
//   - map[string]any: Record.Map of the row.
//   - a pointer to such a struct: a new struct per row.
//   - anything else: the row must have one column, scanned as Rows.Scan
//     would (so CollectRows[int64] and CollectRows[*string] work).
//
// Columns are decoded straight into the fields, without boxing, as
// Rows.Scan does.
func CollectRows[T any](ctx context.Context, q Querier, sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return ScanRows[T](rows)
}

// CollectOne runs the query and returns its first row as a T (see
// CollectRows for how rows become Ts); ErrNoRows when there is none. Later
// rows are discarded.
func CollectOne[T any](ctx context.Context, q Querier, sql string, args ...any) (T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, err
	}
	return ScanOne[T](rows)
}

// rowScanner picks how rows of this result become Ts; the column-to-field
// plan is made once per query.
func rowScanner[T any](rows *Rows) (func(*Rows, *T) error, error) {
	switch any((*T)(nil)).(type) {
	case *Record:
		return func(r *Rows, dst *T) error {
			rec, err := r.Record()
			if err != nil {
				return err
			}
			*any(dst).(*Record) = rec
			return nil
		}, nil
	case *map[string]any:
		return func(r *Rows, dst *T) error {
			rec, err := r.Record()
			if err != nil {
				return err
			}
			*any(dst).(*map[string]any) = rec.Map()
			return nil
		}, nil
	}
	rt := reflect.TypeFor[T]()
	if rt.Kind() == reflect.Pointer && isRowStruct(rt.Elem()) {
		// *Struct: a new struct per row.
		plan, err := structPlan(rt.Elem(), rows.Columns())
		if err != nil {
			return nil, err
		}
		dest := make([]any, len(plan))
		return func(r *Rows, dst *T) error {
			p := reflect.New(rt.Elem())
			fillDest(dest, p.Elem(), plan)
			if err := r.Scan(dest...); err != nil {
				return err
			}
			reflect.ValueOf(dst).Elem().Set(p)
			return nil
		}, nil
	}
	if !isRowStruct(rt) {
		return func(r *Rows, dst *T) error {
			if n := len(r.sd.fields); n != 1 {
				return &ScanError{Column: 0, Err: &codec.UnsupportedTypeError{
					GoType: rt.String(), PGType: "a row", Decoding: true,
					Hint: "scanning a row into a single value needs a one-column result; this one has " + strconv.Itoa(n) + " (use a struct, Record or map[string]any)",
				}}
			}
			return r.Scan(dst)
		}, nil
	}
	plan, err := structPlan(rt, rows.Columns())
	if err != nil {
		return nil, err
	}
	dest := make([]any, len(plan))
	return func(r *Rows, dst *T) error {
		fillDest(dest, reflect.ValueOf(dst).Elem(), plan)
		return r.Scan(dest...)
	}, nil
}

// structPlan returns, per column, the index path of the field of struct
// type t that takes it.
func structPlan(t reflect.Type, columns []string) ([][]int, error) {
	plan, unmapped := structmap.Of(t).Plan(columns)
	if unmapped >= 0 {
		return nil, &UnmappedColumnError{Column: columns[unmapped], Struct: strings.ReplaceAll(t.String(), "codec.", "pg.")}
	}
	return plan, nil
}

// fillDest points dest at the fields of struct v the plan names.
func fillDest(dest []any, v reflect.Value, plan [][]int) {
	for i, idx := range plan {
		dest[i] = structmap.FieldByIndex(v, idx).Addr().Interface()
	}
}

// isRowStruct reports whether t is a struct filled column by column rather
// than a value one column decodes into.
func isRowStruct(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
		return false
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[sql.Scanner]()) {
		return false
	}
	// The driver's own value types (Numeric, Range[T], Null[T], Array[T] ...)
	// are single values.
	return t.PkgPath() != reflect.TypeFor[codec.Numeric]().PkgPath()
}
