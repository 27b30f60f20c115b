package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
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
					if _, ok := err.(*RangeError); ok {
						return nil, err
					}
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				if size == 4 {
					return float32(f), nil
				}
				return f, nil
			},
		},
		Binary: markInline(&Codec{
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
		}, elemFloat, size),
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

// parseFloatText reads a float4 (bits 32) or float8 (bits 64) from its text
// form as the server's float4in and float8in do (strtof and strtod around
// PostgreSQL's checks): surrounding white space is skipped; NaN, Infinity
// and Inf in any case and hexadecimal forms are accepted; the decimal is
// rounded once, to nearest, and a value that rounds to a denormal is kept,
// but one that overflows to infinity or underflows to zero is a RangeError,
// as the server's "out of range for type real" (22003).
func parseFloatText(s string, bits int) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	num := strings.TrimFunc(s, isCSpace)
	syntax := func() error {
		return fmt.Errorf("invalid input syntax for type %s: %q", floatSQLName(bits), s)
	}
	if num == "" || strings.IndexByte(num, '_') >= 0 {
		return 0, syntax() // strtod has no digit separators; Go's parser does
	}
	body := strings.TrimLeft(num, "+-")
	switch strings.ToLower(body) {
	case "nan":
		return math.NaN(), nil // strtod takes a signed NaN too
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') && !strings.ContainsAny(body, "pP") {
		num += "p0" // strtod's hexadecimal form needs no exponent; Go's does
	}
	f, err := strconv.ParseFloat(num, bits)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, &RangeError{Value: s, PGType: floatSQLName(bits)}
		}
		return 0, syntax()
	}
	if f == 0 && mantissaNonzero(body) {
		return 0, &RangeError{Value: s, PGType: floatSQLName(bits)}
	}
	return f, nil
}

// isCSpace is C's isspace in the C locale, which float4in and float8in use
// to skip white space.
func isCSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// mantissaNonzero reports whether a float's text (without sign) has a
// non-zero digit before its exponent: whether a zero result underflowed.
func mantissaNonzero(body string) bool {
	hex := len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	if hex {
		body = body[2:]
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '1' && c <= '9':
			return true
		case hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			return true
		case c == '0' || c == '.':
		default:
			return false // the exponent
		}
	}
	return false
}

// floatSQLName is the server's name for a float type in its messages.
func floatSQLName(bits int) string {
	if bits == 32 {
		return "real"
	}
	return "double precision"
}

// float64ToFloat4 converts f as the server's float8-to-float4 cast (dtof):
// rounded to nearest, an error when a finite value becomes infinite or a
// non-zero value becomes zero.
func float64ToFloat4(f float64, pgType string) (float32, error) {
	r := float32(f)
	if math.IsInf(float64(r), 0) && !math.IsInf(f, 0) || r == 0 && f != 0 {
		return 0, &RangeError{Value: strconv.FormatFloat(f, 'g', -1, 64), PGType: pgType, From: "Go float64"}
	}
	return r, nil
}

// intIsExactFloat reports whether n has an exact binary floating-point form
// with a mantissa of mant bits (24 for float32, 53 for float64).
func intIsExactFloat(n int64, mant int) bool {
	u := uint64(n)
	if n < 0 {
		u = -u
	}
	if u == 0 {
		return true
	}
	u >>= uint(bits.TrailingZeros64(u))
	return bits.Len64(u) <= mant
}

// intToFloat converts n for a float destination of the given size in
// bytes; a value it cannot hold exactly is a RangeError naming goType.
func intToFloat(n int64, size int, goType string) (float64, error) {
	mant := 53
	if size == 4 {
		mant = 24
	}
	if !intIsExactFloat(n, mant) {
		return 0, &RangeError{Value: strconv.FormatInt(n, 10), PGType: goType + " (not exactly representable)"}
	}
	return float64(n), nil
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
// exactly. A float64 sent as float4 is rounded as the server's
// float8::float4 cast rounds it, and, as there, overflow and underflow to
// zero are errors.
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
		if size == 4 {
			r, err := float64ToFloat4(f, pgType)
			return float64(r), err
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
	return intToFloat(n, size, pgType)
}
