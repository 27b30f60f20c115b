package codec

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// StructFields maps column names to a struct type's fields: by `pg:"name"`
// tag first, else by the field name compared case-insensitively with
// underscores ignored (UserID matches user_id and userid). Fields tagged
// `pg:"-"` and unexported fields are skipped; embedded structs are
// flattened, the shallower field winning a name clash as in Go.
type StructFields struct {
	typ    reflect.Type
	byTag  map[string][]int
	byNorm map[string][]int
	fields []structField // every mapped field, in declaration order
}

type structField struct {
	goName string
	tag    string // "" when matched by name
	index  []int
}

var structFieldsCache sync.Map // reflect.Type → *StructFields

// StructFieldsOf returns the (cached) mapping for struct type t.
func StructFieldsOf(t reflect.Type) *StructFields {
	if sf, ok := structFieldsCache.Load(t); ok {
		return sf.(*StructFields)
	}
	sf := &StructFields{typ: t, byTag: map[string][]int{}, byNorm: map[string][]int{}}
	type level struct {
		t     reflect.Type
		index []int
	}
	queue := []level{{t, nil}}
	seen := map[reflect.Type]bool{}
	for len(queue) > 0 {
		// Breadth first, so shallower fields are recorded first and win.
		var next []level
		for _, l := range queue {
			if seen[l.t] {
				continue
			}
			seen[l.t] = true
			for i := 0; i < l.t.NumField(); i++ {
				f := l.t.Field(i)
				tag, hasTag := f.Tag.Lookup("pg")
				tag, _, _ = strings.Cut(tag, ",")
				if tag == "-" {
					continue
				}
				index := append(append([]int(nil), l.index...), i)
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if f.Anonymous && !hasTag && ft.Kind() == reflect.Struct {
					next = append(next, level{ft, index})
					continue
				}
				if !f.IsExported() {
					continue
				}
				if hasTag && tag != "" {
					if _, dup := sf.byTag[tag]; !dup {
						sf.byTag[tag] = index
						sf.fields = append(sf.fields, structField{goName: f.Name, tag: tag, index: index})
					}
					continue
				}
				key := normName(f.Name)
				if _, dup := sf.byNorm[key]; !dup {
					sf.byNorm[key] = index
					sf.fields = append(sf.fields, structField{goName: f.Name, index: index})
				}
			}
		}
		queue = next
	}
	actual, _ := structFieldsCache.LoadOrStore(t, sf)
	return actual.(*StructFields)
}

func normName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// Index returns the field index path for column name.
func (sf *StructFields) Index(name string) ([]int, bool) {
	if idx, ok := sf.byTag[name]; ok {
		return idx, true
	}
	idx, ok := sf.byNorm[normName(name)]
	return idx, ok
}

// Plan returns, per column, the field index path, or an error naming the
// first column without a field.
func (sf *StructFields) Plan(names []string) ([][]int, error) {
	out := make([][]int, len(names))
	for i, n := range names {
		idx, ok := sf.Index(n)
		if !ok {
			return nil, &UnmappedColumnError{Column: n, Struct: strings.ReplaceAll(sf.typ.String(), "codec.", "pg.")}
		}
		out[i] = idx
	}
	return out, nil
}

// UnmappedColumnError reports a column that no struct field takes.
type UnmappedColumnError struct {
	Column string
	Struct string
}

func (e *UnmappedColumnError) Error() string {
	return fmt.Sprintf("column %q has no matching field in %s; add a field or a `pg:\"%s\"` tag (or leave the column out of the query)", e.Column, e.Struct, e.Column)
}

// FieldByIndex returns v's field at index, allocating nil embedded
// pointers on the way.
func FieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// assignRecordToStruct copies a Record's values into the struct v.
func assignRecordToStruct(v reflect.Value, r Record) error {
	sf := StructFieldsOf(v.Type())
	names := r.cols.Names()
	for i, val := range r.values {
		name := ""
		if i < len(names) {
			name = names[i]
		}
		idx, ok := sf.Index(name)
		if !ok {
			return &UnmappedColumnError{Column: name, Struct: strings.ReplaceAll(v.Type().String(), "codec.", "pg.")}
		}
		f := FieldByIndex(v, idx)
		if err := Assign(f.Addr().Interface(), val); err != nil {
			return &ScanError{Column: i, Name: name, Err: err}
		}
	}
	return nil
}
