// Package structmap maps result columns and composite attributes to the
// fields of a Go struct, the one rule shared by CollectRows (package pg)
// and the composite and Record codecs (package codec).
//
// A column matches a field by its `pg:"name"` tag first, else by the
// field's name compared case-insensitively with underscores ignored
// (UserID matches user_id and userid). Fields tagged `pg:"-"` and
// unexported fields are skipped; embedded structs are flattened, the
// shallower field winning a name clash as in Go. Mappings are cached per
// type and safe for concurrent use.
package structmap

import (
	"reflect"
	"strings"
	"sync"
)

// Fields is the mapping of one struct type.
type Fields struct {
	typ    reflect.Type
	byTag  map[string][]int
	byNorm map[string][]int
	// List is every mapped field, in declaration order (shallower
	// embedding levels first). Callers must not modify it.
	List []Field
}

// Field is one mapped field.
type Field struct {
	GoName string
	Tag    string // "" when matched by name
	Index  []int  // as for reflect.Value.FieldByIndex
}

var cache sync.Map // reflect.Type → *Fields

// Of returns the (cached) mapping for struct type t.
func Of(t reflect.Type) *Fields {
	if sf, ok := cache.Load(t); ok {
		return sf.(*Fields)
	}
	sf := &Fields{typ: t, byTag: map[string][]int{}, byNorm: map[string][]int{}}
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
					if f.Anonymous && !f.IsExported() {
						// An embedded pointer to an unexported type:
						// reflect cannot allocate through it, so its
						// fields cannot be filled (encoding/json skips it
						// the same way).
						continue
					}
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
						sf.List = append(sf.List, Field{GoName: f.Name, Tag: tag, Index: index})
					}
					continue
				}
				key := normName(f.Name)
				if _, dup := sf.byNorm[key]; !dup {
					sf.byNorm[key] = index
					sf.List = append(sf.List, Field{GoName: f.Name, Index: index})
				}
			}
		}
		queue = next
	}
	actual, _ := cache.LoadOrStore(t, sf)
	return actual.(*Fields)
}

func normName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// SameName reports whether a column or attribute name and a Go field name
// match by the untagged rule: case-insensitively, underscores ignored.
func SameName(column, goName string) bool {
	return normName(column) == normName(goName)
}

// Index returns the field index path for column name.
func (sf *Fields) Index(name string) ([]int, bool) {
	if idx, ok := sf.byTag[name]; ok {
		return idx, true
	}
	idx, ok := sf.byNorm[normName(name)]
	return idx, ok
}

// Plan returns, per column, the field index path. When a column has no
// field, it returns nil and that column's position.
func (sf *Fields) Plan(names []string) (plan [][]int, unmapped int) {
	out := make([][]int, len(names))
	for i, n := range names {
		idx, ok := sf.Index(n)
		if !ok {
			return nil, i
		}
		out[i] = idx
	}
	return out, -1
}

// FieldByIndex returns v's field at index, allocating nil embedded
// pointers on the way (reflect.Value.FieldByIndex panics on them).
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
