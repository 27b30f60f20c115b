package codec

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numeric into floats as numeric::float8 and numeric::float4: one
// rounding from the exact decimal, 22003 where the server's cast fails.
func TestNumericIntoFloatAsServer(t *testing.T) {
	t.Parallel()
	const bad = "error"
	for _, tc := range []struct {
		s        string
		f64, f32 any
	}{
		{s: "0.1", f64: 0.1, f32: float32(0.1)},
		{s: "-12.5", f64: -12.5, f32: float32(-12.5)},
		{s: "1e400", f64: bad, f32: bad},
		{s: "-1e400", f64: bad, f32: bad},
		{s: "1e-400", f64: bad, f32: bad},
		{s: "1e-320", f64: 1e-320, f32: bad},
		{s: "3e-324", f64: math.SmallestNonzeroFloat64, f32: bad},
		{s: "1e-324", f64: bad, f32: bad},
		{s: "1.7976931348623159e308", f64: bad, f32: bad},
		{s: "1.7976931348623157e308", f64: math.MaxFloat64, f32: bad},
		{s: "1.0000000596046447753906250001", f64: 1.0000000596046448, f32: float32(1.0000001)},
		{s: "1.00000005960464477539062499999", f64: 1.0000000596046448, f32: float32(1)},
		{s: "3.4028235677973366e38", f64: 3.4028235677973366e38, f32: float32(math.MaxFloat32)},
		{s: "3.40282357e38", f64: 3.40282357e38, f32: bad},
		{s: "1e-45", f64: 1e-45, f32: float32(math.SmallestNonzeroFloat32)},
		{s: "1e-46", f64: 1e-46, f32: bad},
		{s: "123456789.123456789", f64: 123456789.12345679, f32: float32(123456790)},
		{s: "NaN", f64: math.NaN(), f32: float32(math.NaN())},
		{s: "Infinity", f64: math.Inf(1), f32: float32(math.Inf(1))},
	} {
		n, err := ParseNumeric(tc.s)
		require.NoError(t, err)
		src := mustEncode(t, Default().Lookup(NumericOID), n)
		var f64 float64
		var f32 float32
		err64 := ScanValue(Default().Lookup(NumericOID), BinaryFormat, src, &f64)
		err32 := ScanValue(Default().Lookup(NumericOID), BinaryFormat, src, &f32)
		// Assign (Record.Scan) and the text codec give the same.
		var a64 float64
		var a32 float32
		errA64 := Assign(&a64, n)
		errA32 := Assign(&a32, n)
		for _, c := range []struct {
			want any
			got  any
			err  error
			what string
		}{
			{tc.f64, f64, err64, "Scan float64"}, {tc.f32, f32, err32, "Scan float32"},
			{tc.f64, a64, errA64, "Assign float64"}, {tc.f32, a32, errA32, "Assign float32"},
		} {
			if c.want == bad {
				if assert.Error(t, c.err, "%s %s gave %v", c.what, tc.s, c.got) {
					assert.Contains(t, c.err.Error(), "numeric value")
					assert.Contains(t, c.err.Error(), "out of range for Go float")
				}
				continue
			}
			if !assert.NoError(t, c.err, "%s %s", c.what, tc.s) {
				continue
			}
			switch w := c.want.(type) {
			case float64:
				assert.Equal(t, math.Float64bits(w), math.Float64bits(c.got.(float64)), "%s %s: %v", c.what, tc.s, c.got)
			case float32:
				assert.Equal(t, math.Float32bits(w), math.Float32bits(c.got.(float32)), "%s %s: %v", c.what, tc.s, c.got)
			}
		}
	}
	// Messages quote a long numeric in scientific notation.
	n, _ := ParseNumeric("-1e-400")
	var f float64
	err := Assign(&f, n)
	assert.EqualError(t, err, "numeric value -1e-400 out of range for Go float64")
}
