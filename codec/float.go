package codec

import (
	"encoding/binary"
	"math"
	"reflect"
	"strconv"
)

// floatType builds float4 (size 4) or float8 (size 8). NaN and ±Inf pass
// through unchanged in both directions.
func floatType(oid uint32, name string, size int) *Type {
	return &Type{
		OID:  oid,
		Name: name,
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				f, err := toFloat64(v, name, size)
				if err != nil {
					return dst, err
				}
				return appendFloatText(dst, f, size*8), nil
			},
			Decode: func(src []byte) (any, error) {
				f, err := parseFloatText(string(src), size*8)
				if err != nil {
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				if size == 4 {
					return float32(f), nil
				}
				return f, nil
			},
		},
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				f, err := toFloat64(v, name, size)
				if err != nil {
					return dst, err
				}
				if size == 4 {
					return binary.BigEndian.AppendUint32(dst, math.Float32bits(float32(f))), nil
				}
				return binary.BigEndian.AppendUint64(dst, math.Float64bits(f)), nil
			},
			Decode: func(src []byte) (any, error) {
				f, err := decodeFloat(src, size, name)
				if err != nil {
					return nil, err
				}
				if size == 4 {
					return float32(f), nil
				}
				return f, nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				switch d := dst.(type) {
				case *float64:
					f, err := decodeFloat(src, size, name)
					*d = f
					return true, err
				case *float32:
					if size == 8 {
						return false, nil // float8 into float32 may lose precision: let Assign decide
					}
					f, err := decodeFloat(src, size, name)
					*d = float32(f)
					return true, err
				}
				return false, nil
			},
		},
	}
}

// appendFloatText writes f as PostgreSQL's float input accepts it.
func appendFloatText(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

func parseFloatText(s string, bits int) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, bits)
}

func decodeFloat(src []byte, size int, name string) (float64, error) {
	if len(src) != size {
		return 0, badLength(name, size, len(src))
	}
	if size == 4 {
		return float64(math.Float32frombits(binary.BigEndian.Uint32(src))), nil
	}
	return math.Float64frombits(binary.BigEndian.Uint64(src)), nil
}

// toFloat64 accepts Go floats and integers that the target represents
// exactly (a float4 holds integers up to 2^24, a float8 up to 2^53).
func toFloat64(v any, pgType string, size int) (float64, error) {
	f, isFloat := 0.0, false
	switch x := v.(type) {
	case float64:
		f, isFloat = x, true
	case float32:
		return float64(x), nil
	default:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64 {
			f, isFloat = rv.Float(), true // a named float type
		}
	}
	if isFloat {
		// Rounding to float4's precision is expected; turning a finite
		// value into infinity is not.
		if size == 4 && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return 0, &RangeError{Value: strconv.FormatFloat(f, 'g', -1, 64), PGType: pgType}
		}
		return f, nil
	}
	n, err := toInt64(v, pgType)
	if err != nil {
		if _, ok := err.(*UnsupportedTypeError); ok {
			return 0, unsupportedEncode(v, pgType, "use float32 or float64")
		}
		return 0, err
	}
	limit := int64(1) << 53
	if size == 4 {
		limit = 1 << 24
	}
	if n > limit || n < -limit {
		return 0, &RangeError{Value: strconv.FormatInt(n, 10), PGType: pgType + " (not exactly representable)"}
	}
	return float64(n), nil
}
