package codec

import (
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// ScanValue decodes src (a value of type t in format) into dst, a non-nil
// pointer. A nil src is SQL NULL. This is what Rows.Scan calls per column.
//
// The codec's Scan handles the common destinations without boxing; then
// *Null[T], *any, sql.Scanner and pointers to pointers are resolved here;
// anything else gets the codec's default Go value converted by Assign.
func ScanValue(t *Type, format int16, src []byte, dst any) error {
	if src == nil {
		return assignNull(dst, typeLabel(t))
	}
	c := t.Codec(format)
	if c.Scan != nil {
		if ok, err := c.Scan(src, dst); ok {
			return err
		}
	}
	return scanSlow(t, format, c, src, dst)
}

func scanSlow(t *Type, format int16, c *Codec, src []byte, dst any) error {
	switch d := dst.(type) {
	case nullable:
		err := ScanValue(t, format, src, d.nullTarget())
		d.setValid(err == nil)
		return err
	case *any:
		v, err := decodeWith(t, c, src)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	if _, isScanner := dst.(sql.Scanner); !isScanner {
		// A pointer to a pointer: allocate the pointee and scan into it, so
		// the codec's fast paths serve *T destinations too.
		rv := reflect.ValueOf(dst)
		if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Pointer {
			n := reflect.New(rv.Elem().Type().Elem())
			if err := ScanValue(t, format, src, n.Interface()); err != nil {
				return err
			}
			rv.Elem().Set(n)
			return nil
		}
	}
	v, err := decodeWith(t, c, src)
	if err != nil {
		return err
	}
	if err := Assign(dst, v); err != nil {
		if e, ok := err.(*UnsupportedTypeError); ok && e.PGType == "" {
			e.PGType = typeLabel(t)
		}
		if e, ok := err.(*RangeError); ok && e.From == "" {
			e.From = typeLabel(t)
		}
		return err
	}
	return nil
}

func decodeWith(t *Type, c *Codec, src []byte) (any, error) {
	if c.Decode == nil {
		return nil, &DecodeError{PGType: typeLabel(t), Msg: "codec has no decoder"}
	}
	return c.Decode(src)
}

// DecodeValue returns the default Go value of src (nil for NULL).
func DecodeValue(t *Type, format int16, src []byte) (any, error) {
	if src == nil {
		return nil, nil
	}
	c := t.Codec(format)
	if c.Decode == nil {
		return nil, &DecodeError{PGType: typeLabel(t), Msg: "codec has no decoder"}
	}
	return c.Decode(src)
}

func typeLabel(t *Type) string {
	return t.displayName()
}

// assignNull stores SQL NULL into dst: nil for pointers, interfaces, slices
// and maps, Scanner.Scan(nil) for scanners; anything else cannot hold NULL.
func assignNull(dst any, pgType string) error {
	switch d := dst.(type) {
	case nullable:
		d.setValid(false)
		return nil
	case arrayTarget, rangeTarget:
		// Array and Range are sql.Scanners for database/sql only; here
		// NULL is refused with the column's type named, below.
	case sql.Scanner:
		return d.Scan(nil)
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("cannot scan into %s: destination must be a non-nil pointer", typeName(dst))
	}
	e := rv.Elem()
	switch e.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		e.SetZero()
		return nil
	}
	return &NullError{GoType: e.Type().String(), PGType: pgType}
}

// NullError reports a NULL that arrived for a destination that cannot hold it.
type NullError struct {
	GoType string
	PGType string
}

func (e *NullError) Error() string {
	return fmt.Sprintf("cannot scan NULL %s into Go type %s; scan into a pointer (*%s) or a sql.Null type", e.PGType, e.GoType, e.GoType)
}

// Assign stores v, a decoded value, into dst, a non-nil pointer, converting
// between Go types where no information is lost.
func Assign(dst any, v any) error {
	switch d := dst.(type) {
	case *any:
		*d = v
		return nil
	case nullable:
		if v == nil {
			d.setValid(false)
			return nil
		}
		err := Assign(d.nullTarget(), v)
		d.setValid(err == nil)
		return err
	}
	// numeric and money fill their own destinations exactly or fail, as
	// their Scan does; other destinations (sql.Scanners included) continue.
	switch x := v.(type) {
	case Numeric:
		if ok, err := assignNumeric(dst, x); ok {
			return err
		}
	case Money:
		if ok, err := assignMoney(dst, x); ok {
			return err
		}
	}
	if v != nil {
		// database/sql's Null floats would convert in their Scan with
		// strconv, which rounds an integer (int8 2^53+1) and reads an
		// underflowing decimal (numeric 1e-400) as 0; fill them with the
		// exact conversions instead.
		switch d := dst.(type) {
		case *sql.NullFloat64:
			err := Assign(&d.Float64, v)
			d.Valid = err == nil
			return err
		case *sql.Null[float64]:
			err := Assign(&d.V, v)
			d.Valid = err == nil
			return err
		case *sql.Null[float32]:
			err := Assign(&d.V, v)
			d.Valid = err == nil
			return err
		}
	}
	if d, ok := dst.(sql.Scanner); ok {
		return d.Scan(DriverValue(v))
	}
	if v == nil {
		return assignNull(dst, "")
	}
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("cannot scan into %s: destination must be a non-nil pointer", typeName(dst))
	}
	return assignValue(rv.Elem(), v, dst)
}

func assignValue(e reflect.Value, v any, dst any) error {
	sv := reflect.ValueOf(v)
	if sv.Type().AssignableTo(e.Type()) {
		e.Set(sv)
		return nil
	}
	switch e.Kind() {
	case reflect.Pointer:
		n := reflect.New(e.Type().Elem())
		if s, ok := n.Interface().(sql.Scanner); ok {
			if err := s.Scan(DriverValue(v)); err != nil {
				return err
			}
		} else if err := assignValue(n.Elem(), v, dst); err != nil {
			return err
		}
		e.Set(n)
		return nil
	case reflect.Interface:
		if sv.Type().Implements(e.Type()) {
			e.Set(sv)
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, ok := reflectInt(v); ok {
			if e.OverflowInt(n) {
				return &RangeError{Value: strconv.FormatInt(n, 10), PGType: "Go " + e.Type().String()}
			}
			e.SetInt(n)
			return nil
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := reflectInt(v); ok {
			if n < 0 || e.OverflowUint(uint64(n)) {
				return &RangeError{Value: strconv.FormatInt(n, 10), PGType: "Go " + e.Type().String()}
			}
			e.SetUint(uint64(n))
			return nil
		}
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case float32:
			e.SetFloat(float64(x))
			return nil
		case float64:
			if e.Kind() == reflect.Float32 && !math.IsInf(x, 0) && !math.IsNaN(x) && float64(float32(x)) != x {
				return &RangeError{Value: strconv.FormatFloat(x, 'g', -1, 64), PGType: "Go float32 (inexact)"}
			}
			e.SetFloat(x)
			return nil
		}
		goType := "Go " + e.Type().String()
		bits := 64
		if e.Kind() == reflect.Float32 {
			bits = 32
		}
		switch x := v.(type) {
		case Numeric:
			f, err := x.toFloat(bits, goType)
			if err != nil {
				return err
			}
			e.SetFloat(f)
			return nil
		case Money:
			f, err := x.numeric().toFloat(bits, goType)
			if err != nil {
				return err
			}
			e.SetFloat(f)
			return nil
		}
		if n, ok := reflectInt(v); ok {
			// Only exactly: int8 9007199254740993 has no float64.
			f, err := intToFloat(n, bits/8, goType)
			if err != nil {
				return err
			}
			e.SetFloat(f)
			return nil
		}
	case reflect.String:
		switch x := v.(type) {
		case string:
			e.SetString(x)
			return nil
		case []byte:
			e.SetString(string(x))
			return nil
		}
		switch x := v.(type) {
		case Numeric:
			e.SetString(x.String())
			return nil
		case Money:
			e.SetString(x.String())
			return nil
		}
		if s, ok := reflectString(v); ok {
			e.SetString(s)
			return nil
		}
	case reflect.Slice:
		if e.Type().Elem().Kind() == reflect.Uint8 {
			switch x := v.(type) {
			case []byte:
				e.SetBytes(append([]byte(nil), x...))
				return nil
			case string:
				e.SetBytes([]byte(x))
				return nil
			}
		}
	case reflect.Bool:
		if b, ok := v.(bool); ok {
			e.SetBool(b)
			return nil
		}
	}
	if ok, err := assignStructured(e, v); ok {
		return err
	}
	if sv.Type().ConvertibleTo(e.Type()) && sv.Kind() == e.Kind() {
		e.Set(sv.Convert(e.Type()))
		return nil
	}
	return &UnsupportedTypeError{GoType: typeName(dst), Decoding: true, Hint: "the value decodes as Go " + sv.Type().String()}
}
