package stdlib

import (
	"database/sql/driver"
	"fmt"
	"io"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
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
		dest[i] = codec.DriverValue(v)
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
