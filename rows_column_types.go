package pg

import "github.com/wirepg/pg/codec"

// ColumnTypes returns the type of each result column as the connection's
// registry knows it (enums, composites and domains by their names), in
// column order; an entry is nil for a type the connection does not know,
// whose values arrive as text. The slice belongs to the statement: do not
// modify it.
func (r *Rows) ColumnTypes() []*codec.Type { return r.sd.colTypes }
