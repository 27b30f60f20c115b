package codec

var byteaType = &Type{
	OID:  ByteaOID,
	Name: "bytea",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			switch x := v.(type) {
			case []byte:
				return append(dst, x...), nil
			}
			if b, ok := reflectBytes(v); ok {
				return append(dst, b...), nil
			}
			return dst, unsupportedEncode(v, "bytea", "use []byte")
		},
		// Decode copies: src aliases the read buffer.
		Decode: func(src []byte) (any, error) {
			return append(make([]byte, 0, len(src)), src...), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if d, ok := dst.(*[]byte); ok {
				// Reuse the caller's slice capacity: no allocation per row
				// when scanning into the same variable.
				*d = copyBytes(*d, src)
				return true, nil
			}
			return false, nil
		},
	},
}
