package pg

import (
	"fmt"
	"strings"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// columns holds a result's column names, shared by all of its Records.
type columns struct {
	names []string
	index map[string]int // first column of each name
}

func newColumns(fields []pgproto.FieldDescription) *columns {
	c := &columns{names: make([]string, len(fields)), index: make(map[string]int, len(fields))}
	for i, f := range fields {
		c.names[i] = f.Name
		if _, dup := c.index[f.Name]; !dup {
			c.index[f.Name] = i
		}
	}
	return c
}

// Record is one result row, decoded, addressable by column index and name
// (like asyncpg's Record). It stays valid after the query ends.
type Record struct {
	cols   *columns
	values []any
}

// Len is the number of columns.
func (r Record) Len() int { return len(r.values) }

// Columns returns the column names in order. Do not modify the slice.
func (r Record) Columns() []string {
	if r.cols == nil {
		return nil
	}
	return r.cols.names
}

// Values returns the decoded values in column order. Do not modify the slice.
func (r Record) Values() []any { return r.values }

// Value returns column i's value, or nil when i is out of range.
func (r Record) Value(i int) any {
	if i < 0 || i >= len(r.values) {
		return nil
	}
	return r.values[i]
}

// Get returns the value of the first column named name (nil when there is
// none; use Lookup to tell that apart from NULL).
func (r Record) Get(name string) any {
	v, _ := r.Lookup(name)
	return v
}

// Lookup returns the value of the first column named name and whether such a
// column exists.
func (r Record) Lookup(name string) (any, bool) {
	if r.cols == nil {
		return nil, false
	}
	i, ok := r.cols.index[name]
	if !ok {
		return nil, false
	}
	return r.values[i], true
}

// Map returns the record as column name → value (later duplicate names win).
func (r Record) Map() map[string]any {
	m := make(map[string]any, len(r.values))
	for i, v := range r.values {
		m[r.cols.names[i]] = v
	}
	return m
}

// Scan assigns the record's values to dest pointers, converting as Rows.Scan
// does for decoded values.
func (r Record) Scan(dest ...any) error {
	if len(dest) != len(r.values) {
		return fmt.Errorf("pg: Scan got %d destinations for %d columns", len(dest), len(r.values))
	}
	for i, d := range dest {
		if d == nil {
			continue
		}
		if err := codec.Assign(d, r.values[i]); err != nil {
			return &ScanError{Column: i, Name: r.cols.names[i], Err: err}
		}
	}
	return nil
}

// String renders the record like asyncpg: <Record a=1 b='x'>.
func (r Record) String() string {
	var b strings.Builder
	b.WriteString("<Record")
	for i, v := range r.values {
		fmt.Fprintf(&b, " %s=", r.cols.names[i])
		switch x := v.(type) {
		case string:
			fmt.Fprintf(&b, "%q", x)
		case nil:
			b.WriteString("NULL")
		default:
			fmt.Fprintf(&b, "%v", x)
		}
	}
	b.WriteString(">")
	return b.String()
}
