package pg_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// numericFloatCases are numerics whose float4 and float8 casts test the
// edges: overflow, underflow to zero, denormals, double rounding.
var numericFloatCases = []string{
	"0", "-0.000", "0.1", "-12.5", "123456789.123456789",
	"1e400", "-1e400", "1e-400", "-1e-400",
	"1e-320", "2.5e-324", "3e-324", "1e-324", "2.4703282292062328e-324",
	"1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
	"1.0000000596046447753906250001", "1.0000000596046447753906250000", "1.00000005960464477539062499999",
	"3.4028235677973366e38", "3.40282356779733661637539395458142568448e38", "3.40282357e38", "-3.40282357e38",
	"1e39", "1e-40", "1e-45", "1e-46", "7e-46", "7.1e-46",
	"0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333",
	"NaN", "Infinity", "-Infinity",
}

// Item 4: numeric into float32 and float64 as the server's numeric::float4
// and numeric::float8 casts: the same rounding (once, from the exact
// decimal), the same errors.
func TestExactNumericIntoFloat(t *testing.T) {
	t.Parallel()
	c := connect(t)
	for _, lit := range numericFloatCases {
		query := "SELECT '" + lit + "'::numeric AS n"
		for _, bits := range []int{64, 32} {
			want, srvErr := serverFloat(t, c, "'"+lit+"'::numeric", bits)
			check := func(path string, got float64, err error) {
				if srvErr != nil {
					var pe *pg.PgError
					require.True(t, errors.As(srvErr, &pe), "oracle error %v", srvErr)
					require.Equal(t, "22003", pe.Code)
					if assert.Error(t, err, "%s %s into float%d gave %v; the server says %v", path, lit, bits, got, srvErr) {
						assert.Contains(t, err.Error(), "out of range", path)
					}
					return
				}
				if assert.NoError(t, err, "%s %s into float%d", path, lit, bits) {
					assert.True(t, sameFloat(want, got), "%s %s into float%d: got %v (%x), server %v (%x)", path, lit, bits, got, math.Float64bits(got), want, math.Float64bits(want))
				}
			}
			if bits == 64 {
				for path, f := range scanPaths[float64](t, c, query) {
					got, err := f()
					check(path, got, err)
				}
			} else {
				for path, f := range scanPaths[float32](t, c, query) {
					got, err := f()
					check(path, float64(got), err)
				}
			}
		}
	}
}
