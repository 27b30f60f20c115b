package codec

var boolType = &Type{
	OID:  BoolOID,
	Name: "bool",
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			b, err := toBool(v)
			if err != nil {
				return dst, err
			}
			if b {
				return append(dst, 't'), nil
			}
			return append(dst, 'f'), nil
		},
		Decode: func(src []byte) (any, error) {
			switch string(src) {
			case "t", "true":
				return true, nil
			case "f", "false":
				return false, nil
			}
			return nil, &DecodeError{PGType: "bool", Msg: "not t or f"}
		},
	},
	Binary: markInline(&Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			b, err := toBool(v)
			if err != nil {
				return dst, err
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
	}, elemBool, 1),
}

func decodeBool(src []byte) (bool, error) {
	if len(src) != 1 {
		return false, badLength("bool", 1, len(src))
	}
	return src[0] != 0, nil
}

func toBool(v any) (bool, error) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	if b, ok := reflectBool(v); ok {
		return b, nil
	}
	return false, unsupportedEncode(v, "bool", "use a Go bool")
}
