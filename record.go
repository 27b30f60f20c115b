package pg

import (
	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// Record is one result row, decoded, addressable by column index and by
// name like asyncpg's Record: Len, Columns, Values, Value, Get, Lookup,
// Map, Scan, ScanStruct. When several columns share a name, Get, Lookup and
// Map see the last of them, as asyncpg does. A Record stays valid after the
// query ends. Composite values decode as Records too.
type Record = codec.Record

// columns holds a result's column names, shared by all of its Records.
type columns = codec.Columns

// newColumns names a result's columns; types (the columns' codec types)
// let Record.Scan take whatever Rows.Scan takes.
func newColumns(fields []pgproto.FieldDescription, types []*codec.Type) *columns {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return codec.NewColumns(names).WithTypes(types)
}

func newRecord(cols *columns, values []any) Record {
	return codec.NewRecord(cols, values)
}
