package codec

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/wirepg/pg/internal/structmap"
)

// UnmappedColumnError reports a column that no struct field takes.
type UnmappedColumnError struct {
	Column string
	Struct string
}

func (e *UnmappedColumnError) Error() string {
	return fmt.Sprintf("column %q has no matching field in %s; add a field or a `pg:\"%s\"` tag (or leave the column out of the query)", e.Column, e.Struct, e.Column)
}

// assignRecordToStruct copies a Record's values into the struct v.
func assignRecordToStruct(v reflect.Value, r Record) error {
	sf := structmap.Of(v.Type())
	names := r.cols.Names()
	for i := range r.values {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		idx, ok := sf.Index(name)
		if !ok {
			return &UnmappedColumnError{Column: name, Struct: strings.ReplaceAll(v.Type().String(), "codec.", "pg.")}
		}
		f := structmap.FieldByIndex(v, idx)
		if err := r.scanField(i, f.Addr().Interface()); err != nil {
			return &ScanError{Column: i, Name: name, Err: err}
		}
	}
	return nil
}
