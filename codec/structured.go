package codec

import (
	"fmt"
	"reflect"
)

// assignStructured converts the decoded values of arrays ([]any),
// composites (Record) and ranges (Range[any]) into typed destinations, so
// that Record.Scan and scanning from Values work like scanning a column.
func assignStructured(e reflect.Value, v any) (bool, error) {
	switch x := v.(type) {
	case Record:
		switch e.Kind() {
		case reflect.Struct:
			return true, assignRecordToStruct(e, x)
		case reflect.Map:
			if e.Type() == reflect.TypeFor[map[string]any]() {
				e.Set(reflect.ValueOf(x.Map()))
				return true, nil
			}
		}
	case []any:
		switch e.Kind() {
		case reflect.Slice:
			if e.Type().Elem().Kind() == reflect.Uint8 {
				return false, nil
			}
			s := reflect.MakeSlice(e.Type(), len(x), len(x))
			for i, el := range x {
				if err := Assign(s.Index(i).Addr().Interface(), el); err != nil {
					return true, elemError(i, err)
				}
			}
			e.Set(s)
			return true, nil
		case reflect.Array:
			if e.Len() != len(x) {
				return true, fmt.Errorf("cannot assign %d elements to %s", len(x), e.Type())
			}
			for i, el := range x {
				if err := Assign(e.Index(i).Addr().Interface(), el); err != nil {
					return true, elemError(i, err)
				}
			}
			return true, nil
		}
	case Range[any]:
		if rt, ok := e.Addr().Interface().(rangeTarget); ok {
			_, _, f := x.rangeParts()
			rt.setRangeFlags(f)
			if !x.Empty && !x.LowerInf {
				if err := Assign(rt.lowerPtr(), x.Lower); err != nil {
					return true, fmt.Errorf("lower bound: %w", err)
				}
			}
			if !x.Empty && !x.UpperInf {
				if err := Assign(rt.upperPtr(), x.Upper); err != nil {
					return true, fmt.Errorf("upper bound: %w", err)
				}
			}
			return true, nil
		}
	case []Range[any]:
		if e.Kind() == reflect.Slice {
			s := reflect.MakeSlice(e.Type(), len(x), len(x))
			for i, el := range x {
				if err := Assign(s.Index(i).Addr().Interface(), el); err != nil {
					return true, fmt.Errorf("range %d: %w", i+1, err)
				}
			}
			e.Set(s)
			return true, nil
		}
	}
	return false, nil
}
