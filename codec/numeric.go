package codec

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Numeric is an exact decimal: PostgreSQL's numeric, with its display
// scale, NaN and ±Infinity. The zero value is 0.
//
// The value is coefficient × 10^exp; a negative exp is the display scale
// (1.50 is 150 × 10^-2 and prints as 1.50, as PostgreSQL does). Small
// coefficients are held inline, so decoding one allocates nothing; larger
// ones use a big.Int that a Numeric never changes once built, so Numerics
// may be copied and shared freely.
//
// Convert with ParseNumeric, NumericFromInt64, NumericFromBigInt,
// NumericFromBigRat, NumericFromBigFloat, NumericFromFloat64 and String,
// Int64, BigInt, Rat, BigFloat, Float64.
type Numeric struct {
	coef uint64   // |coefficient| when big is nil
	big  *big.Int // |coefficient| when it exceeds uint64; read-only
	exp  int32
	neg  bool
	kind numKind
}

type numKind uint8

const (
	numFinite numKind = iota
	numNaN
	numPosInf
	numNegInf
)

// NumericNaN returns the numeric NaN.
func NumericNaN() Numeric { return Numeric{kind: numNaN} }

// NumericInf returns +Infinity for sign >= 0 and -Infinity otherwise
// (numeric infinities need PostgreSQL 14 or later).
func NumericInf(sign int) Numeric {
	if sign < 0 {
		return Numeric{kind: numNegInf}
	}
	return Numeric{kind: numPosInf}
}

// NumericFromInt64 returns n with scale 0.
func NumericFromInt64(n int64) Numeric {
	if n < 0 {
		return Numeric{coef: uint64(-(n + 1)) + 1, neg: true}
	}
	return Numeric{coef: uint64(n)}
}

// NumericFromUint64 returns n with scale 0.
func NumericFromUint64(n uint64) Numeric { return Numeric{coef: n} }

// NumericFromBigInt returns the integer i with scale 0.
func NumericFromBigInt(i *big.Int) Numeric {
	return newNumericBig(new(big.Int).Abs(i), 0, i.Sign() < 0)
}

// NewNumeric returns coefficient × 10^exp. A negative exp is the display
// scale: NewNumeric(big.NewInt(150), -2) is 1.50.
func NewNumeric(coefficient *big.Int, exp int32) Numeric {
	return newNumericBig(new(big.Int).Abs(coefficient), exp, coefficient.Sign() < 0)
}

// NumericFromBigRat returns r exactly, with the smallest scale that holds
// it; a fraction with no finite decimal expansion (1/3) is an error: round
// it first (for example with r.FloatString(n) and ParseNumeric).
func NumericFromBigRat(r *big.Rat) (Numeric, error) {
	if r.IsInt() {
		return NumericFromBigInt(r.Num()), nil
	}
	// A fraction terminates in decimal when its reduced denominator is
	// 2^a·5^b; the scale is then max(a, b).
	d := new(big.Int).Set(r.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	var a, b int32
	m := new(big.Int)
	for {
		if q, rem := new(big.Int).QuoRem(d, two, m); rem.Sign() == 0 {
			d, a = q, a+1
			continue
		}
		break
	}
	for {
		if q, rem := new(big.Int).QuoRem(d, five, m); rem.Sign() == 0 {
			d, b = q, b+1
			continue
		}
		break
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return Numeric{}, fmt.Errorf("%s has no exact decimal form; round it (big.Rat.FloatString) before encoding as numeric", r.String())
	}
	scale := max(a, b)
	// coefficient = num × 10^scale / denom, exact by construction.
	c := new(big.Int).Mul(r.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
	c.Quo(c, r.Denom())
	return NewNumeric(c, -scale), nil
}

// NumericFromBigFloat returns f's exact decimal value (every binary float
// has one); NaN is not representable in big.Float, ±Inf maps to ±Infinity.
func NumericFromBigFloat(f *big.Float) (Numeric, error) {
	if f.IsInf() {
		return NumericInf(f.Sign()), nil
	}
	// f is exact in decimal with MinPrec-exp digits after the point, and
	// 2^435412 > 10^131072: check before big.Float.Rat materializes it.
	if exp := int64(f.MantExp(nil)); f.Sign() != 0 && (exp > 435412 || int64(f.MinPrec())-exp > numericDScMax) {
		return Numeric{}, &RangeError{Value: f.Text('g', 10), PGType: numericRangeLabel}
	}
	r, _ := f.Rat(nil)
	return NumericFromBigRat(r)
}

// NumericFromFloat64 returns the shortest decimal that reads back as f
// (0.1 is 0.1, not 0.1000000000000000055…), NaN and ±Inf as such.
func NumericFromFloat64(f float64) Numeric {
	switch {
	case math.IsNaN(f):
		return NumericNaN()
	case math.IsInf(f, 0):
		return NumericInf(int(math.Copysign(1, f)))
	}
	n, err := ParseNumeric(strconv.FormatFloat(f, 'e', -1, 64))
	if err != nil {
		panic("codec: FormatFloat produced an unparsable number: " + err.Error()) // cannot happen
	}
	return n
}

// ParseNumeric reads PostgreSQL's numeric text form: an optional sign,
// digits with an optional point, an optional exponent (1.5e3), NaN and
// [+-]Infinity (also inf) in any case. The scale is kept: "1.00000" keeps
// five decimals.
func ParseNumeric(s string) (Numeric, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "nan":
		return NumericNaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return NumericInf(1), nil
	case "-infinity", "-inf":
		return NumericInf(-1), nil
	}
	bad := func() (Numeric, error) {
		return Numeric{}, fmt.Errorf("invalid numeric %.64q", s)
	}
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	// Collect the mantissa's digits without the point, counting decimals.
	var coef uint64
	var digits []byte // used once the coefficient outgrows uint64
	nd, frac := 0, 0
	seenPoint, any := false, false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if seenPoint {
				return bad()
			}
			seenPoint = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		any = true
		if seenPoint {
			frac++
		}
		if nd == 0 && c == '0' {
			continue // leading zeros add nothing to the coefficient
		}
		nd++
		if digits == nil && nd <= 19 {
			coef = coef*10 + uint64(c-'0')
			continue
		}
		if digits == nil {
			digits = strconv.AppendUint(make([]byte, 0, 40), coef, 10)
		}
		digits = append(digits, c)
	}
	if !any {
		return bad()
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e, err := strconv.ParseInt(s[i+1:], 10, 64)
		if errors.Is(err, strconv.ErrRange) || e >= math.MaxInt32/2 || e <= -(math.MaxInt32/2) {
			return Numeric{}, &RangeError{Value: s, PGType: numericRangeLabel} // the server's bound
		}
		if err != nil {
			return bad()
		}
		exp = e
		i = len(s)
	}
	if i != len(s) {
		return bad()
	}
	exp -= int64(frac)
	if -exp > numericDScMax || nd > 0 && int64(nd)+exp > numericIntDigitsMax {
		// PostgreSQL refuses these too ("value overflows numeric format"),
		// and expanding 1e2000000000 to digits would take forever.
		return Numeric{}, &RangeError{Value: s, PGType: numericRangeLabel}
	}
	if digits != nil {
		b, _ := new(big.Int).SetString(string(digits), 10)
		return newNumericBig(b, int32(exp), neg), nil
	}
	n := Numeric{coef: coef, exp: int32(exp), neg: neg && coef != 0}
	n.normalize()
	return n, nil
}

// newNumericBig builds a Numeric from |coefficient| b, keeping b only when
// it does not fit inline. b must not be changed afterwards.
func newNumericBig(b *big.Int, exp int32, neg bool) Numeric {
	n := Numeric{exp: exp, neg: neg && b.Sign() != 0}
	if b.IsUint64() {
		n.coef = b.Uint64()
	} else {
		n.big = b
	}
	n.normalize()
	return n
}

// normalize folds a positive exponent into a small coefficient, so 1e2
// and 100 have one representation.
func (n *Numeric) normalize() {
	if n.big == nil && n.coef == 0 && n.exp > 0 {
		n.exp = 0 // 0e999999 is 0, as the server says
		return
	}
	for n.big == nil && n.exp > 0 {
		hi, lo := bits.Mul64(n.coef, 10)
		if hi != 0 {
			return
		}
		n.coef, n.exp = lo, n.exp-1
	}
}

// IsNaN reports whether n is NaN.
func (n Numeric) IsNaN() bool { return n.kind == numNaN }

// IsInf reports whether n is an infinity: +Infinity for sign > 0,
// -Infinity for sign < 0, either for sign 0 (as math.IsInf).
func (n Numeric) IsInf(sign int) bool {
	return sign >= 0 && n.kind == numPosInf || sign <= 0 && n.kind == numNegInf
}

// Sign is -1, 0 or +1 (0 for NaN).
func (n Numeric) Sign() int {
	switch n.kind {
	case numNaN:
		return 0
	case numPosInf:
		return 1
	case numNegInf:
		return -1
	}
	if n.isZero() {
		return 0
	}
	if n.neg {
		return -1
	}
	return 1
}

func (n Numeric) isZero() bool { return n.big == nil && n.coef == 0 }

// Scale is the number of digits after the point PostgreSQL displays.
func (n Numeric) Scale() int32 {
	if n.exp < 0 {
		return -n.exp
	}
	return 0
}

// Exp is the power of ten the coefficient is scaled by.
func (n Numeric) Exp() int32 { return n.exp }

// Coefficient returns the signed coefficient: the value is Coefficient ×
// 10^Exp. It is 0 for NaN and the infinities.
func (n Numeric) Coefficient() *big.Int {
	if n.kind != numFinite {
		return new(big.Int)
	}
	c := n.absBig()
	if n.neg {
		c.Neg(c)
	}
	return c
}

// absBig returns a new big.Int holding |coefficient|.
func (n Numeric) absBig() *big.Int {
	if n.big != nil {
		return new(big.Int).Set(n.big)
	}
	return new(big.Int).SetUint64(n.coef)
}

// appendDigits appends the decimal digits of |coefficient|.
func (n Numeric) appendDigits(dst []byte) []byte {
	if n.big != nil {
		return n.big.Append(dst, 10)
	}
	return strconv.AppendUint(dst, n.coef, 10)
}

// String returns PostgreSQL's text form: "-12.340", "NaN", "Infinity".
func (n Numeric) String() string {
	var buf [48]byte
	return string(n.AppendText(buf[:0]))
}

// AppendText appends the text form (see String) to dst.
func (n Numeric) AppendText(dst []byte) []byte {
	switch n.kind {
	case numNaN:
		return append(dst, "NaN"...)
	case numPosInf:
		return append(dst, "Infinity"...)
	case numNegInf:
		return append(dst, "-Infinity"...)
	}
	if n.neg && !n.isZero() {
		dst = append(dst, '-')
	}
	start := len(dst)
	dst = n.appendDigits(dst)
	nd := len(dst) - start
	if n.exp >= 0 {
		if !n.isZero() {
			for range n.exp {
				dst = append(dst, '0')
			}
		}
		return dst
	}
	scale := int(-n.exp)
	if nd > scale {
		// Insert the point scale digits from the end.
		dst = append(dst, 0)
		at := len(dst) - 1 - scale
		copy(dst[at+1:], dst[at:len(dst)-1])
		dst[at] = '.'
		return dst
	}
	// 0.00ddd: move the digits right past "0." and the leading zeros.
	digits := string(dst[start:])
	dst = append(dst[:start], '0', '.')
	for range scale - nd {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// Int64 returns n as an int64; a fractional part, NaN, the infinities and
// values out of int64's range are errors.
func (n Numeric) Int64() (int64, error) {
	i, err := n.BigInt()
	if err != nil {
		return 0, err
	}
	if !i.IsInt64() {
		return 0, &RangeError{Value: n.String(), PGType: "Go int64"}
	}
	return i.Int64(), nil
}

// int64Fast is Int64 without allocation for inline coefficients.
func (n Numeric) int64Fast() (int64, bool) {
	if n.kind != numFinite || n.big != nil {
		return 0, false
	}
	c := n.coef
	if n.exp < 0 {
		p := uint64(1)
		for range -n.exp {
			if p > math.MaxUint64/10 {
				return 0, false
			}
			p *= 10
		}
		if c%p != 0 {
			return 0, false
		}
		c /= p
	} else if n.exp > 0 {
		return 0, false
	}
	if n.neg {
		if c > 1<<63 {
			return 0, false
		}
		return -int64(c-1) - 1, true
	}
	if c > math.MaxInt64 {
		return 0, false
	}
	return int64(c), true
}

var errNumericNotFinite = errors.New("NaN and infinite numerics have no integer, rational or big.Float value")

// BigInt returns n as an integer; a non-zero fractional part, NaN and the
// infinities are errors.
func (n Numeric) BigInt() (*big.Int, error) {
	if n.kind != numFinite {
		return nil, errNumericNotFinite
	}
	c := n.absBig()
	if n.exp > 0 {
		c.Mul(c, pow10Big(int64(n.exp)))
	} else if n.exp < 0 {
		q, r := new(big.Int).QuoRem(c, pow10Big(int64(-n.exp)), new(big.Int))
		if r.Sign() != 0 {
			return nil, fmt.Errorf("numeric %s has a fractional part; scan it into pg.Numeric, *big.Rat, float64 or string", n.String())
		}
		c = q
	}
	if n.neg {
		c.Neg(c)
	}
	return c, nil
}

// Rat returns n as an exact fraction; NaN and the infinities are errors.
func (n Numeric) Rat() (*big.Rat, error) {
	if n.kind != numFinite {
		return nil, errNumericNotFinite
	}
	r := new(big.Rat).SetInt(n.Coefficient())
	if n.exp > 0 {
		r.Mul(r, new(big.Rat).SetInt(pow10Big(int64(n.exp))))
	} else if n.exp < 0 {
		r.Quo(r, new(big.Rat).SetInt(pow10Big(int64(-n.exp))))
	}
	return r, nil
}

// BigFloat returns n rounded to prec bits (0 means 256); NaN is an error,
// the infinities map to ±Inf.
func (n Numeric) BigFloat(prec uint) (*big.Float, error) {
	if prec == 0 {
		prec = 256
	}
	switch n.kind {
	case numNaN:
		return nil, errors.New("numeric NaN has no big.Float value")
	case numPosInf:
		return new(big.Float).SetInf(false), nil
	case numNegInf:
		return new(big.Float).SetInf(true), nil
	}
	r, _ := n.Rat()
	return new(big.Float).SetPrec(prec).SetRat(r), nil
}

// Float64 returns the float64 nearest to n; NaN and the infinities map to
// their float64 counterparts. A value beyond float64's range gives ±Inf and
// one too small gives ±0, where the server's numeric::float8 cast errors;
// scanning a numeric into a float64 follows the server and errors too.
func (n Numeric) Float64() float64 {
	switch n.kind {
	case numNaN:
		return math.NaN()
	case numPosInf:
		return math.Inf(1)
	case numNegInf:
		return math.Inf(-1)
	}
	if n.big == nil && n.coef < 1<<53 && n.exp >= -22 && n.exp <= 22 {
		// Exact coefficient and power of ten: one correctly rounded
		// operation (the fast path of strconv's own parser).
		f := float64(n.coef)
		if n.exp < 0 {
			f /= float64pow10[-n.exp]
		} else {
			f *= float64pow10[n.exp]
		}
		if n.neg {
			f = -f
		}
		return f
	}
	var buf [64]byte
	b := n.appendDigits(buf[:0])
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(n.exp), 10)
	f, _ := strconv.ParseFloat(string(b), 64) // ±Inf on overflow, like a cast
	if n.neg {
		f = -f
	}
	return f
}

// toFloat converts n as the server's numeric::float8 (bits 64) and
// numeric::float4 (bits 32) casts do: the exact decimal rounded once to
// the nearest float, NaN and the infinities carried over, and a RangeError
// naming goType where the server's cast fails with "out of range" (22003):
// a finite value that would be infinite, or a non-zero one that would be
// zero. Values that round to a denormal are kept, as the server keeps them.
func (n Numeric) toFloat(bits int, goType string) (float64, error) {
	if n.kind != numFinite {
		return n.Float64(), nil
	}
	if bits == 64 && n.big == nil && n.coef < 1<<53 && n.exp >= -22 && n.exp <= 22 {
		return n.Float64(), nil // exact operands, one correctly rounded division
	}
	if bits == 32 && n.big == nil && n.coef < 1<<24 && n.exp >= -10 && n.exp <= 10 {
		// The same in float32: 10^10 and every integer below 2^24 are exact
		// float32 values.
		f := float32(n.coef)
		if n.exp < 0 {
			f /= float32pow10[-n.exp]
		} else {
			f *= float32pow10[n.exp]
		}
		if n.neg {
			f = -f
		}
		return float64(f), nil
	}
	var buf [64]byte
	b := buf[:0]
	if n.neg {
		b = append(b, '-')
	}
	b = n.appendDigits(b)
	b = append(b, 'e')
	b = strconv.AppendInt(b, int64(n.exp), 10)
	f, err := strconv.ParseFloat(string(b), bits)
	if err != nil || f == 0 && !n.isZero() {
		return 0, &RangeError{Value: n.shortString(), PGType: goType, From: "numeric"}
	}
	return f, nil
}

// shortString is String, or for values with many digits, scientific
// notation with the mantissa cut to 40 digits: 1e-400 rather than 400
// zeros, for messages.
func (n Numeric) shortString() string {
	s := n.String()
	if len(s) <= 40 || n.kind != numFinite {
		return s
	}
	d := n.appendDigits(nil)
	e := int64(n.exp) + int64(len(d)) - 1
	var b []byte
	if n.neg {
		b = append(b, '-')
	}
	b = append(b, d[0])
	if rest := bytes.TrimRight(d[1:], "0"); len(rest) > 0 {
		b = append(b, '.')
		if len(rest) > 39 {
			rest = append(rest[:39:39], "…"...)
		}
		b = append(b, rest...)
	}
	b = append(b, 'e')
	return string(strconv.AppendInt(b, e, 10))
}

var float32pow10 = [...]float32{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10}

var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

func pow10Big(e int64) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(e), nil)
}

// Equal reports whether n and o have the same value and scale (the same
// text form); NaN equals NaN, as in PostgreSQL.
func (n Numeric) Equal(o Numeric) bool {
	if n.big == nil && o.big == nil {
		return n.kind == o.kind && (n.kind != numFinite || n.coef == o.coef && n.exp == o.exp && n.Sign() == o.Sign())
	}
	return n.String() == o.String()
}

// MarshalJSON renders a finite numeric as a JSON number and NaN and the
// infinities as strings, since JSON numbers cannot hold them.
func (n Numeric) MarshalJSON() ([]byte, error) {
	if n.kind != numFinite {
		return json.Marshal(n.String())
	}
	return n.AppendText(nil), nil
}

// UnmarshalJSON reads a JSON number or a string holding a numeric.
func (n *Numeric) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) > 0 && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseNumeric(s)
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// MarshalText returns the text form.
func (n Numeric) MarshalText() ([]byte, error) { return n.AppendText(nil), nil }

// UnmarshalText parses the text form (see ParseNumeric).
func (n *Numeric) UnmarshalText(b []byte) error {
	v, err := ParseNumeric(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// Value implements driver.Valuer with the text form.
func (n Numeric) Value() (driver.Value, error) { return n.String(), nil }

// Scan implements sql.Scanner for use with database/sql: it reads
// strings, []byte, integers and floats. NULL is an error; scan into a
// *Numeric pointer or Null[Numeric] to allow it.
func (n *Numeric) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		return &NullError{GoType: "pg.Numeric", PGType: "numeric"}
	case string:
		return n.UnmarshalText([]byte(x))
	case []byte:
		return n.UnmarshalText(x)
	case int64:
		*n = NumericFromInt64(x)
		return nil
	case float64:
		*n = NumericFromFloat64(x)
		return nil
	case Numeric:
		*n = x
		return nil
	}
	return fmt.Errorf("cannot scan %T into pg.Numeric", src)
}

func (Numeric) pgValue() {}
