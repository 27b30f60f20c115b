package codec

import "net"

// macaddrType builds macaddr (6 bytes) or macaddr8 (8 bytes), exchanged as
// net.HardwareAddr.
func macaddrType(oid uint32, name string, size int) *Type {
	toHW := func(v any) (net.HardwareAddr, error) {
		switch x := v.(type) {
		case net.HardwareAddr:
			if len(x) == 6 && size == 8 {
				// A 48-bit address as EUI-64, as macaddr8_in and the
				// macaddr → macaddr8 cast do: FF:FE in the middle.
				return net.HardwareAddr{x[0], x[1], x[2], 0xff, 0xfe, x[3], x[4], x[5]}, nil
			}
			if len(x) != size {
				return nil, &RangeError{Value: x.String(), PGType: name}
			}
			return x, nil
		case []byte:
			if len(x) != size {
				return nil, unsupportedEncode(v, name, "pass a net.HardwareAddr of the right length")
			}
			return x, nil
		}
		return nil, unsupportedEncode(v, name, "use net.HardwareAddr")
	}
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				hw, err := toHW(v)
				if err != nil {
					return dst, err
				}
				return append(dst, hw...), nil
			},
			Decode: func(src []byte) (any, error) {
				if len(src) != size {
					return nil, badLength(name, size, len(src))
				}
				return net.HardwareAddr(copyBytes(nil, src)), nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				switch d := dst.(type) {
				case *net.HardwareAddr:
					if len(src) != size {
						return true, badLength(name, size, len(src))
					}
					*d = net.HardwareAddr(copyBytes(nil, src))
					return true, nil
				case *string:
					if len(src) != size {
						return true, badLength(name, size, len(src))
					}
					*d = net.HardwareAddr(src).String()
					return true, nil
				}
				return false, nil
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				hw, err := toHW(v)
				if err != nil {
					return dst, err
				}
				return append(dst, hw.String()...), nil
			},
			Decode: func(src []byte) (any, error) {
				hw, err := net.ParseMAC(string(src))
				if err != nil {
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				return hw, nil
			},
		},
	}
}
