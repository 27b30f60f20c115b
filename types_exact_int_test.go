package pg_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// scanPaths reads the single value of query into dst three ways: Rows.Scan
// (through QueryRow), FetchVal and Record.Scan.
func scanPaths[T any](t *testing.T, c *pg.Conn, query string, args ...any) map[string]func() (T, error) {
	ctx := ctxT(t)
	return map[string]func() (T, error){
		"Rows.Scan": func() (T, error) {
			var v T
			err := c.QueryRow(ctx, query, args...).Scan(&v)
			return v, err
		},
		"FetchVal": func() (T, error) { return pg.FetchVal[T](ctx, c, query, args...) },
		"Record.Scan": func() (T, error) {
			var v T
			rec, err := c.FetchRow(ctx, query, args...)
			if err != nil {
				return v, err
			}
			err = rec.Scan(&v)
			return v, err
		},
	}
}

// Item 3: int4 and int8 into float32 and float64 only when exactly
// representable.
func TestExactIntegerIntoFloat(t *testing.T) {
	t.Parallel()
	c := connect(t)
	for _, tc := range []struct {
		lit  string
		typ  string
		bits int
		ok   bool
	}{
		{"9007199254740992", "int8", 64, true},
		{"9007199254740993", "int8", 64, false},
		{"-9007199254740993", "int8", 64, false},
		{"1152921504606846976", "int8", 64, true}, // 2^60: exact
		{"9223372036854775807", "int8", 64, false},
		{"-9223372036854775808", "int8", 64, true}, // -2^63: exact
		{"2147483647", "int4", 64, true},
		{"16777216", "int4", 32, true},
		{"16777217", "int4", 32, false},
		{"2147483647", "int4", 32, false},
		{"-2147483648", "int4", 32, true},
		{"16777217", "int8", 32, false},
		{"32767", "int2", 32, true},
	} {
		query := "SELECT '" + tc.lit + "'::" + tc.typ + " AS n"
		want, err := strconv.ParseFloat(tc.lit, tc.bits)
		require.NoError(t, err)
		// The server's own cast rounds; where the value is exact it is the
		// value pg must give.
		srv, err := serverFloat(t, c, "'"+tc.lit+"'::"+tc.typ, tc.bits)
		require.NoError(t, err)
		if tc.ok {
			require.Equal(t, want, srv, "oracle for %s", tc.lit)
		}
		check := func(path string, got float64, err error) {
			if tc.ok {
				if assert.NoError(t, err, "%s %s into float%d", path, query, tc.bits) {
					assert.Equal(t, want, got, "%s %s", path, query)
				}
				return
			}
			if assert.Error(t, err, "%s %s into float%d gave %v", path, query, tc.bits, got) {
				assert.Contains(t, err.Error(), tc.lit, path)
				assert.Contains(t, err.Error(), "float", path)
			}
		}
		if tc.bits == 64 {
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
