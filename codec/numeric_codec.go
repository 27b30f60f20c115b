package codec

import (
	"encoding"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// numeric's binary form (numeric_send): ndigits, weight, sign, dscale as
// 16-bit integers, then ndigits base-10000 digits, most significant first.
// The value is Σ digit[i] × 10000^(weight-i).
const (
	numericPos    = 0x0000
	numericNeg    = 0x4000
	numericNaN    = 0xC000
	numericPInf   = 0xD000
	numericNInf   = 0xF000
	numericDScMax = 0x3FFF
	// numericIntDigitsMax is how many digits PostgreSQL keeps before the
	// point (a weight of 32767 base-10000 digits).
	numericIntDigitsMax = 131072
	numericRangeLabel   = "numeric (at most 131072 digits before the point and 16383 after)"
)

var numericType = &Type{
	OID:  NumericOID,
	Name: "numeric",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			n, err := toNumeric(v)
			if err != nil {
				return dst, err
			}
			return appendNumericBinary(dst, n)
		},
		Decode: func(src []byte) (any, error) { return decodeNumeric(src) },
		Scan:   scanNumeric,
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			n, err := toNumeric(v)
			if err != nil {
				return dst, err
			}
			return n.AppendText(dst), nil
		},
		Decode: func(src []byte) (any, error) {
			n, err := ParseNumeric(string(src))
			if err != nil {
				return nil, &DecodeError{PGType: "numeric", Msg: err.Error()}
			}
			return n, nil
		},
	},
}

// toNumeric converts the Go values numeric accepts. A string that is not a
// plain decimal is left to the server (an UnsupportedTypeError makes
// EncodeValue send it as text), so its own syntax and errors apply.
func toNumeric(v any) (Numeric, error) {
	switch x := v.(type) {
	case Numeric:
		return x, nil
	case int64:
		return NumericFromInt64(x), nil
	case int:
		return NumericFromInt64(int64(x)), nil
	case int32:
		return NumericFromInt64(int64(x)), nil
	case uint64:
		return NumericFromUint64(x), nil
	case float64:
		return NumericFromFloat64(x), nil
	case float32:
		return NumericFromFloat64(float64(x)), nil
	case string:
		return parseNumericArg(v, x)
	case big.Int:
		return NumericFromBigInt(&x), nil
	case *big.Int:
		return NumericFromBigInt(x), nil
	case big.Rat:
		return NumericFromBigRat(&x)
	case *big.Rat:
		return NumericFromBigRat(x)
	case big.Float:
		return NumericFromBigFloat(&x)
	case *big.Float:
		return NumericFromBigFloat(x)
	}
	if n, ok := reflectInt(v); ok {
		return NumericFromInt64(n), nil
	}
	if u, ok := reflectUint(v); ok {
		return NumericFromUint64(u), nil
	}
	switch x := v.(type) {
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return Numeric{}, err
		}
		return parseNumericArg(v, string(b))
	case fmt.Stringer:
		// Decimal types (shopspring/decimal, cockroachdb/apd) print their
		// exact value.
		return parseNumericArg(v, x.String())
	}
	return Numeric{}, unsupportedEncode(v, "numeric", "use pg.Numeric, a Go integer or float, *big.Int, *big.Rat, *big.Float or a decimal string")
}

func parseNumericArg(v any, s string) (Numeric, error) {
	n, err := ParseNumeric(s)
	if err != nil {
		return Numeric{}, unsupportedEncode(v, "numeric", err.Error())
	}
	return n, nil
}

func floorDiv4(p int64) int64 {
	if p >= 0 {
		return p / 4
	}
	return -((-p + 3) / 4)
}

var pow10x4 = [4]int16{1, 10, 100, 1000}

// appendNumericBinary appends n in numeric's binary form.
func appendNumericBinary(dst []byte, n Numeric) ([]byte, error) {
	switch n.kind {
	case numNaN:
		return append(dst, 0, 0, 0, 0, numericNaN>>8, 0, 0, 0), nil
	case numPosInf:
		return append(dst, 0, 0, 0, 0, numericPInf>>8, 0, 0, 0), nil
	case numNegInf:
		return append(dst, 0, 0, 0, 0, numericNInf>>8, 0, 0, 0), nil
	}
	dscale := int64(n.Scale())
	if dscale > numericDScMax {
		return dst, &RangeError{Value: n.String(), PGType: "numeric (scale above 16383)"}
	}
	sign := uint16(numericPos)
	if n.neg && !n.isZero() {
		sign = numericNeg
	}
	if n.isZero() {
		dst = binary.BigEndian.AppendUint16(dst, 0)
		dst = binary.BigEndian.AppendUint16(dst, 0)
		dst = binary.BigEndian.AppendUint16(dst, sign)
		return binary.BigEndian.AppendUint16(dst, uint16(dscale)), nil
	}
	var dbuf [24]byte
	ds := n.appendDigits(dbuf[:0])
	// Digit i has power of ten firstPow-i; base-10000 group g holds powers
	// 4g..4g+3, so digit i lands in group floor(p/4) at 10^(p mod 4).
	firstPow := int64(len(ds)) - 1 + int64(n.exp)
	wFirst := floorDiv4(firstPow)
	if wFirst > math.MaxInt16 || wFirst < math.MinInt16 {
		return dst, &RangeError{Value: n.String(), PGType: "numeric"}
	}
	// Trailing zero digits make trailing zero groups; the server expects
	// them stripped, so stop at the last non-zero digit.
	last := len(ds) - 1
	for last > 0 && ds[last] == '0' {
		last--
	}
	wLast := floorDiv4(firstPow - int64(last))
	ngroups := wFirst - wLast + 1
	if ngroups > math.MaxInt16 {
		return dst, &RangeError{Value: n.String(), PGType: "numeric"}
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(ngroups))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(wFirst)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	dst = binary.BigEndian.AppendUint16(dst, uint16(dscale))
	at := len(dst)
	for range ngroups {
		dst = append(dst, 0, 0)
	}
	for i := 0; i <= last; i++ {
		p := firstPow - int64(i)
		g := wFirst - floorDiv4(p)
		slot := at + 2*int(g)
		cur := int16(binary.BigEndian.Uint16(dst[slot:]))
		cur += int16(ds[i]-'0') * pow10x4[p-4*floorDiv4(p)]
		binary.BigEndian.PutUint16(dst[slot:], uint16(cur))
	}
	return dst, nil
}

// decodeNumeric reads numeric's binary form.
func decodeNumeric(src []byte) (Numeric, error) {
	if len(src) < 8 {
		return Numeric{}, &DecodeError{PGType: "numeric", Msg: fmt.Sprintf("%d bytes is shorter than the header", len(src))}
	}
	ndigits := int(int16(binary.BigEndian.Uint16(src)))
	weight := int64(int16(binary.BigEndian.Uint16(src[2:])))
	sign := binary.BigEndian.Uint16(src[4:])
	dscale := binary.BigEndian.Uint16(src[6:])
	switch sign {
	case numericNaN:
		return NumericNaN(), nil
	case numericPInf:
		return NumericInf(1), nil
	case numericNInf:
		return NumericInf(-1), nil
	case numericPos, numericNeg:
	default:
		return Numeric{}, &DecodeError{PGType: "numeric", Msg: fmt.Sprintf("bad sign 0x%04x", sign)}
	}
	if ndigits < 0 || len(src) != 8+2*ndigits || dscale > numericDScMax {
		return Numeric{}, &DecodeError{PGType: "numeric", Msg: "bad header"}
	}
	digits := src[8:]
	neg := sign == numericNeg
	// The digits make an integer D; value = D × 10^e.
	e := 4 * (weight - int64(ndigits) + 1)
	target := -int64(dscale)
	if dscale == 0 && e > 0 {
		target = e
	}
	if ndigits <= 4 {
		var d uint64
		for i := 0; i < ndigits; i++ {
			g := binary.BigEndian.Uint16(digits[2*i:])
			if g > 9999 {
				return Numeric{}, &DecodeError{PGType: "numeric", Msg: "digit above 9999"}
			}
			d = d*10000 + uint64(g)
		}
		if n, ok := scaleInline(d, e, target); ok {
			n.neg = neg && !n.isZero()
			return n, nil
		}
	}
	b := new(big.Int)
	ten4 := big.NewInt(10000)
	var g big.Int
	for i := 0; i < ndigits; i++ {
		gv := binary.BigEndian.Uint16(digits[2*i:])
		if gv > 9999 {
			return Numeric{}, &DecodeError{PGType: "numeric", Msg: "digit above 9999"}
		}
		b.Mul(b, ten4)
		b.Add(b, g.SetUint64(uint64(gv)))
	}
	switch {
	case e > target:
		b.Mul(b, pow10Big(e-target))
	case e < target:
		// Digits past the display scale: zeros normally; keep them
		// otherwise rather than lose precision.
		q, r := new(big.Int).QuoRem(b, pow10Big(target-e), new(big.Int))
		if r.Sign() == 0 {
			b = q
		} else {
			target = e
		}
	}
	if target < math.MinInt32 || target > math.MaxInt32 {
		return Numeric{}, &DecodeError{PGType: "numeric", Msg: "exponent out of range"}
	}
	return newNumericBig(b, int32(target), neg), nil
}

// scaleInline rescales D × 10^e to exponent target within a uint64.
func scaleInline(d uint64, e, target int64) (Numeric, bool) {
	for e > target {
		hi, lo := bits.Mul64(d, 10)
		if hi != 0 {
			return Numeric{}, false
		}
		d, e = lo, e-1
	}
	for e < target {
		if d%10 != 0 {
			break // digits past the display scale: keep them
		}
		d, e = d/10, e+1
	}
	return Numeric{coef: d, exp: int32(e)}, true
}

// scanNumeric serves the destinations of a numeric column that need no
// boxing.
func scanNumeric(src []byte, dst any) (bool, error) {
	if !isNumericDest(dst) {
		return false, nil
	}
	n, err := decodeNumeric(src)
	if err != nil {
		return true, err
	}
	return assignNumeric(dst, n)
}

func isNumericDest(dst any) bool {
	switch dst.(type) {
	case *Numeric, *float64, *float32, *string, *big.Int, *big.Rat, *big.Float:
		return true
	}
	return isIntDest(dst)
}

// assignNumeric stores n into dst when dst is one of numeric's own
// destinations, exactly or with an error: floats as the server's
// numeric::float8 and numeric::float4 casts round (once) and fail (out of
// range), integers and big.Int only without a fractional part, big.Rat
// exactly, big.Float rounded to its precision (256 bits when zero).
func assignNumeric(dst any, n Numeric) (bool, error) {
	switch d := dst.(type) {
	case *Numeric:
		*d = n
		return true, nil
	case *float64:
		f, err := n.toFloat(64, "Go float64")
		if err != nil {
			return true, err
		}
		*d = f
		return true, nil
	case *float32:
		f, err := n.toFloat(32, "Go float32")
		if err != nil {
			return true, err
		}
		*d = float32(f)
		return true, nil
	case *string:
		*d = n.String()
		return true, nil
	case *big.Int:
		i, err := n.BigInt()
		if err != nil {
			return true, err
		}
		d.Set(i)
		return true, nil
	case *big.Rat:
		r, err := n.Rat()
		if err != nil {
			return true, err
		}
		d.Set(r)
		return true, nil
	case *big.Float:
		f, err := n.BigFloat(d.Prec())
		if err != nil {
			return true, err
		}
		d.Set(f)
		return true, nil
	}
	if isIntDest(dst) {
		if i, ok := n.int64Fast(); ok {
			return true, setInt(dst, i)
		}
		i, err := n.BigInt()
		if err != nil {
			return true, err
		}
		if !i.IsInt64() {
			if u, ok := dst.(*uint64); ok && i.IsUint64() {
				*u = i.Uint64()
				return true, nil
			}
			return true, &RangeError{Value: n.String(), PGType: "Go " + typeName(dst)[1:]}
		}
		return true, setInt(dst, i.Int64())
	}
	return false, nil
}
