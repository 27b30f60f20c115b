package codec

// scanField stores field i into dst as Rows.Scan would store the wire
// value it was decoded from. Assign serves most destinations straight
// from the decoded value; the rest (a json value into a struct, a date
// into a *string, an array into a pg.Array) are only served by the
// type's codec, which reads the wire form: the value is encoded back
// (decoding is exact, so this gives the same bytes) and scanned as
// Rows.Scan scans it. Errors name the field's type.
func (r Record) scanField(i int, dst any) error {
	v := r.values[i]
	t := r.cols.fieldType(i)
	if v == nil {
		if t == nil {
			return Assign(dst, nil)
		}
		return assignNull(dst, typeLabel(t))
	}
	if rec, ok := v.(Record); ok {
		// A record's fields in order, as a composite scans into *[]any
		// (an anonymous record cannot be encoded back).
		if d, ok := dst.(*[]any); ok {
			*d = append([]any(nil), rec.values...)
			return nil
		}
	}
	err := Assign(dst, v)
	if err == nil || t == nil {
		return err
	}
	format := t.ResultFormat()
	if c := t.Codec(format); c.Encode != nil {
		if src, encErr := c.Encode(nil, v); encErr == nil {
			if src == nil {
				src = []byte{} // an empty value, not NULL
			}
			if ScanValue(t, format, src, dst) == nil {
				return nil
			}
		}
	}
	label := typeLabel(t)
	switch e := err.(type) {
	case *UnsupportedTypeError:
		if e.PGType == "" {
			e.PGType = label
		}
	case *RangeError:
		if e.From == "" {
			e.From = label
		}
	}
	return err
}
