package pg_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Issue 19: a value is never changed silently. Each test asks the server
// what its own cast gives (a value or an error) and checks that pg gives
// the same value exactly, or an error where the server errors.

// serverFloat returns the server's cast of expr (a SQL expression) to
// float8 or float4, decoded exactly from the binary format, or its error.
func serverFloat(t *testing.T, c *pg.Conn, expr string, bits int, args ...any) (float64, error) {
	t.Helper()
	ctx := ctxT(t)
	if bits == 32 {
		var f float32
		err := c.QueryRow(ctx, "SELECT ("+expr+")::float4", args...).Scan(&f)
		return float64(f), err
	}
	var f float64
	err := c.QueryRow(ctx, "SELECT ("+expr+")::float8", args...).Scan(&f)
	return f, err
}

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// Item 6: a float64 parameter of type float4 as the server's float8::float4
// cast: rounded to nearest, an error on overflow and on underflow to zero.
func TestExactFloat64AsFloat4Parameter(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	for _, f := range []float64{
		0, math.Copysign(0, -1), 1.5, 0.1, 1e-40, -1e-40, 1e-45, 1e-46, 7e-46, 7.1e-46, 1e-50, -1e-50, 1e-300, math.SmallestNonzeroFloat64,
		math.MaxFloat32, 3.4028235e38, 3.4028235677973362e38, 3.4028235677973366e38, 3.40282357e38, 1e39, -1e39, math.MaxFloat64,
		math.Inf(1), math.Inf(-1), math.NaN(),
	} {
		want, srvErr := serverFloat(t, c, "$1::float8", 32, f)
		for _, q := range []string{"SELECT $1::float4", "SELECT ($1::float4[])[1]"} {
			arg := any(f)
			if q != "SELECT $1::float4" {
				arg = []float64{f}
			}
			var got float32
			err := c.QueryRow(ctx, q, arg).Scan(&got)
			if srvErr != nil {
				if assert.Error(t, err, "%s with %v gave %v; the server says %v", q, f, got, srvErr) {
					var ae *pg.ArgumentError
					assert.True(t, errors.As(err, &ae), "%v", err)
					assert.Contains(t, err.Error(), "float4")
				}
				continue
			}
			if assert.NoError(t, err, "%s with %v", q, f) {
				assert.True(t, sameFloat(want, float64(got)), "%s with %v: got %v, server %v", q, f, got, want)
			}
		}
	}
}

// Item 5: float4 and float8 text parsed on the client (CopyRecordsToTable
// with Go strings) as the server's float4in and float8in: denormals are
// accepted, underflow to zero and overflow are errors.
func TestExactFloatTextAsServer(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE exact_float_text (r float4, d float8, ra float4[])")
	require.NoError(t, err)
	for _, s := range []string{
		"1.5", "0", "-0", "0e-500", "1e-40", "1e-45", "7e-46", "8e-46", "1e-46", "1e-50", "-1e-50",
		"3.4028235e38", "3.40282356779733661637539395458142568448e38", "3.40282357e38", "1e39",
		"1e-320", "1e-324", "1e-400", "1e400", "2.5e-324",
		"Infinity", "-Infinity", "NaN", "inf", "-INF", "nan", " 1.5", "1.5 ", "1_0", "0x1p-3", "1e", "",
	} {
		for _, col := range []string{"r", "d", "ra"} {
			bits := 32
			srvExpr := "$1::text::float4"
			arg := s
			if col == "d" {
				bits, srvExpr = 64, "$1::text::float8"
			}
			if col == "ra" {
				arg = "{" + s + "}"
				srvExpr = "($1::text::float4[])[1]"
				if s == "" || s == " 1.5" || s == "1.5 " {
					continue // array_in trims and rejects on its own terms
				}
			}
			want, srvErr := serverFloat(t, c, srvExpr, bits, arg)
			_, err := c.Exec(ctx, "TRUNCATE exact_float_text")
			require.NoError(t, err)
			_, err = c.CopyRecordsToTable(ctx, "exact_float_text", []string{col}, pg.CopyFromRows([][]any{{arg}}))
			if srvErr != nil {
				assert.Error(t, err, "COPY %q into %s; the server says %v", arg, col, srvErr)
				continue
			}
			if !assert.NoError(t, err, "COPY %q into %s", arg, col) {
				continue
			}
			var got float64
			require.NoError(t, c.QueryRow(ctx, "SELECT "+map[string]string{"r": "r::float8", "d": "d", "ra": "ra[1]::float8"}[col]+" FROM exact_float_text").Scan(&got))
			assert.True(t, sameFloat(want, got), "COPY %q into %s: stored %v, server %v", arg, col, got, want)
		}
	}
}
