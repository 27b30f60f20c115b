package codec

// textType builds a string type (text, varchar, name, bpchar, unknown). The
// binary and text formats of these types are the same bytes.
func textType(oid uint32, name string) *Type {
	c := &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			switch x := v.(type) {
			case string:
				return append(dst, x...), nil
			case []byte:
				return append(dst, x...), nil
			case []rune:
				return append(dst, string(x)...), nil
			}
			if s, ok := reflectString(v); ok {
				return append(dst, s...), nil
			}
			if s, ok := v.(interface{ String() string }); ok {
				return append(dst, s.String()...), nil
			}
			return dst, unsupportedEncode(v, name, "use a Go string")
		},
		Decode: decodeString,
		Scan:   scanString,
	}
	return &Type{OID: oid, Name: name, Binary: c}
}

func decodeString(src []byte) (any, error) {
	return string(src), nil
}

// scanString handles the destinations every textual value can fill.
func scanString(src []byte, dst any) (bool, error) {
	switch d := dst.(type) {
	case *string:
		*d = string(src)
		return true, nil
	case *[]byte:
		*d = copyBytes(*d, src)
		return true, nil
	}
	return false, nil
}

// genericTextCodec reads any type in the text format as a string, and sends a
// Go string as is. It serves types the registry does not know.
var genericTextCodec = Codec{
	Format: TextFormat,
	Encode: func(dst []byte, v any) ([]byte, error) {
		switch x := v.(type) {
		case string:
			return append(dst, x...), nil
		case []byte:
			return append(dst, x...), nil
		}
		if s, ok := reflectString(v); ok {
			return append(dst, s...), nil
		}
		return dst, unsupportedEncode(v, "a type without a codec", "pass its text form as a Go string")
	},
	Decode: decodeString,
	Scan:   scanString,
}

// rawBinaryCodec reads a binary value of an unknown type as its raw bytes.
var rawBinaryCodec = Codec{
	Format: BinaryFormat,
	Encode: func(dst []byte, v any) ([]byte, error) {
		if b, ok := v.([]byte); ok {
			return append(dst, b...), nil
		}
		return dst, unsupportedEncode(v, "a binary type without a codec", "pass []byte")
	},
	Decode: func(src []byte) (any, error) {
		return append([]byte(nil), src...), nil
	},
	Scan: func(src []byte, dst any) (bool, error) {
		if d, ok := dst.(*[]byte); ok {
			*d = copyBytes(*d, src)
			return true, nil
		}
		return false, nil
	},
}

// copyBytes copies src into buf's storage when it fits. The result is never
// nil, so an empty value stays distinguishable from NULL.
func copyBytes(buf, src []byte) []byte {
	if buf == nil {
		buf = make([]byte, 0, len(src))
	}
	return append(buf[:0], src...)
}
