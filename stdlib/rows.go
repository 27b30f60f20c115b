package stdlib

import (
	"database/sql/driver"
	"io"

	"github.com/wirepg/pg"
)

// rows adapts *pg.Rows to driver.Rows.
type rows struct {
	rs   *pg.Rows
	c    *conn
	cols []column // per result column, built at the first Next
	info []pg.Column
}

// column describes result column i; the descriptions are built at the
// first call (database/sql asks only for ColumnTypes and errors).
func (r *rows) column(i int) pg.Column {
	if r.info == nil {
		r.info = r.rs.ColumnInfo()
	}
	return r.info[i]
}

var (
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeLength           = (*rows)(nil)
	_ driver.RowsColumnTypePrecisionScale   = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
)

func newRows(c *conn, rs *pg.Rows) *rows {
	r := &rows{rs: rs, c: c}
	types := rs.ColumnTypes()
	r.cols = make([]column, len(types))
	for i, t := range types {
		// pg asks for each column in its type's result format (the
		// RowDescription of a Describe says text for all).
		r.cols[i] = column{typ: t, format: t.ResultFormat(), natural: natural(t), zone: c.sessionZone}
	}
	return r
}

func (r *rows) Columns() []string { return r.rs.Columns() }

func (r *rows) Close() error {
	err := r.rs.Close()
	r.c.learnNullability(r)
	return err
}

func (r *rows) Next(dest []driver.Value) error {
	if !r.rs.Next() {
		if err := r.rs.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	for i, src := range r.rs.RawValues() {
		v, err := r.cols[i].value(src)
		if err != nil {
			return &pg.ScanError{Column: i, Name: r.column(i).Name, Err: err}
		}
		dest[i] = v
	}
	return nil
}
