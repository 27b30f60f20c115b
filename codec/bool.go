package codec

var boolType = &Type{
	OID:  BoolOID,
	Name: "bool",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			b, ok := v.(bool)
			if !ok {
				if rb, ok2 := reflectBool(v); ok2 {
					b = rb
				} else {
					return dst, unsupportedEncode(v, "bool", "use a Go bool")
				}
			}
			if b {
				return append(dst, 1), nil
			}
			return append(dst, 0), nil
		},
		Decode: func(src []byte) (any, error) {
			return decodeBool(src)
		},
		Scan: func(src []byte, dst any) (bool, error) {
			d, ok := dst.(*bool)
			if !ok {
				return false, nil
			}
			b, err := decodeBool(src)
			*d = b
			return true, err
		},
	},
}

func decodeBool(src []byte) (bool, error) {
	if len(src) != 1 {
		return false, badLength("bool", 1, len(src))
	}
	return src[0] != 0, nil
}
