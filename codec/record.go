package codec

import (
	"fmt"
	"reflect"
	"strings"
)

// Columns are the field names of a result or a composite type, shared by
// all of its Records. A name that occurs more than once refers to its last
// occurrence, as in asyncpg.
type Columns struct {
	names []string
	index map[string]int
	// types are the fields' types when known (nil otherwise), so that
	// Record.Scan can serve every destination Rows.Scan does.
	types []*Type
}

// NewColumns indexes names. The slice is kept; do not change it afterwards.
func NewColumns(names []string) *Columns {
	c := &Columns{names: names, index: make(map[string]int, len(names))}
	for i, n := range names {
		c.index[n] = i // later duplicates win
	}
	return c
}

// WithTypes returns columns with c's names whose fields have types (one
// per name, nil where unknown), which lets Record.Scan reach every
// destination the types' codecs scan into. The slice is kept.
func (c *Columns) WithTypes(types []*Type) *Columns {
	if c == nil {
		return nil
	}
	return &Columns{names: c.names, index: c.index, types: types}
}

// fieldType is field i's type, nil when unknown.
func (c *Columns) fieldType(i int) *Type {
	if c == nil || i >= len(c.types) {
		return nil
	}
	return c.types[i]
}

// Names returns the names in order. Do not modify the slice.
func (c *Columns) Names() []string {
	if c == nil {
		return nil
	}
	return c.names
}

// Index returns the position of the last field called name.
func (c *Columns) Index(name string) (int, bool) {
	if c == nil {
		return 0, false
	}
	i, ok := c.index[name]
	return i, ok
}

// Record is one row, or one value of a composite type, decoded:
// addressable by index and by name (like asyncpg's Record). It stays
// valid after the query ends. The zero Record has no fields.
type Record struct {
	cols   *Columns
	values []any
}

// NewRecord returns a Record of values named by cols (which must have as
// many names as there are values).
func NewRecord(cols *Columns, values []any) Record {
	return Record{cols: cols, values: values}
}

// Len is the number of fields.
func (r Record) Len() int { return len(r.values) }

// Columns returns the field names in order. Do not modify the slice.
func (r Record) Columns() []string { return r.cols.Names() }

// Values returns the decoded values in order. Do not modify the slice.
func (r Record) Values() []any { return r.values }

// Value returns field i's value, or nil when i is out of range.
func (r Record) Value(i int) any {
	if i < 0 || i >= len(r.values) {
		return nil
	}
	return r.values[i]
}

// Get returns the value of the field called name (the last one, when
// several share the name); nil when there is none: use Lookup to tell that
// apart from NULL.
func (r Record) Get(name string) any {
	v, _ := r.Lookup(name)
	return v
}

// Lookup returns the value of the field called name (the last one, when
// several share the name) and whether such a field exists.
func (r Record) Lookup(name string) (any, bool) {
	i, ok := r.cols.Index(name)
	if !ok || i >= len(r.values) {
		return nil, false
	}
	return r.values[i], true
}

// Map returns the record as name → value (later duplicate names win).
func (r Record) Map() map[string]any {
	m := make(map[string]any, len(r.values))
	names := r.cols.Names()
	for i, v := range r.values {
		if i < len(names) {
			m[names[i]] = v
		}
	}
	return m
}

// Scan assigns the values to dest pointers in order (a nil dest skips its
// field). It accepts the destinations Rows.Scan accepts for the same
// columns, with the same conversions.
func (r Record) Scan(dest ...any) error {
	if len(dest) != len(r.values) {
		return fmt.Errorf("pg: Scan got %d destinations for %d columns", len(dest), len(r.values))
	}
	names := r.cols.Names()
	for i, d := range dest {
		if d == nil {
			continue
		}
		if err := r.scanField(i, d); err != nil {
			name := ""
			if i < len(names) {
				name = names[i]
			}
			return &ScanError{Column: i, Name: name, Err: err}
		}
	}
	return nil
}

// ScanStruct assigns the values to the fields of the struct dst points to,
// matching each field name to a struct field by its `pg:"name"` tag, else
// by the field's name compared case-insensitively and ignoring
// underscores (UserID matches user_id). A name with no matching field is
// an error; struct fields with no matching name are left alone.
func (r Record) ScanStruct(dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("pg: ScanStruct needs a non-nil pointer to a struct, got %s", typeName(dst))
	}
	return assignRecordToStruct(rv.Elem(), r)
}

// String renders the record like asyncpg: <Record a=1 b='x'>.
func (r Record) String() string {
	var b strings.Builder
	b.WriteString("<Record")
	names := r.cols.Names()
	for i, v := range r.values {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		fmt.Fprintf(&b, " %s=", name)
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

// ScanError reports a column (or composite field) that could not be
// scanned into its destination.
type ScanError struct {
	Column int    // 0-based index
	Name   string // column name
	Err    error
}

func (e *ScanError) Error() string {
	return fmt.Sprintf("pg: scan column %d (%q): %v", e.Column, e.Name, e.Err)
}

func (e *ScanError) Unwrap() error { return e.Err }
