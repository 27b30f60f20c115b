package stdlib

import (
	"database/sql/driver"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/wirepg/pg"
)

// rows adapts *pg.Rows to driver.Rows.
type rows struct {
	rs *pg.Rows
}

var (
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
)

func (r *rows) Columns() []string { return r.rs.Columns() }

func (r *rows) Close() error { return r.rs.Close() }

func (r *rows) Next(dest []driver.Value) error {
	if !r.rs.Next() {
		if err := r.rs.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	vals, err := r.rs.Values()
	if err != nil {
		return err
	}
	for i, v := range vals {
		dest[i] = driverValue(v)
	}
	return nil
}

// ColumnTypeDatabaseTypeName returns the column's type OID as text when pg
// has no name for it.
func (r *rows) ColumnTypeDatabaseTypeName(index int) string {
	f := r.rs.FieldDescriptions()[index]
	if name := typeName(f.DataTypeOID); name != "" {
		return name
	}
	return fmt.Sprint(f.DataTypeOID)
}

// driverValue converts a decoded value to one of database/sql's value types.
func driverValue(v any) driver.Value {
	switch x := v.(type) {
	case nil, int64, float64, bool, []byte, string, time.Time:
		return v
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case float32:
		return float64(x)
	case driver.Valuer:
		if dv, err := x.Value(); err == nil {
			return dv
		}
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return int64(rv.Uint())
	}
	return v
}
