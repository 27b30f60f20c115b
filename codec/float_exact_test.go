package codec

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 19, server-free: conversions are exact or an error. The expected
// values are what PostgreSQL 15 answers (types_exact_*_test.go in the root
// package check the same rules against a live server).

// float4in and float8in: denormals kept, underflow to zero and overflow
// are errors, white space trimmed, no digit separators.
func TestParseFloatTextAsServer(t *testing.T) {
	t.Parallel()
	const bad = "error"
	for _, tc := range []struct {
		s      string
		f4, f8 any // float32/float64, or bad
	}{
		{s: "1.5", f4: float32(1.5), f8: 1.5},
		{s: "0e-500", f4: float32(0), f8: 0.0},
		{s: "1e-40", f4: float32(1e-40), f8: 1e-40},
		{s: "8e-46", f4: float32(math.SmallestNonzeroFloat32), f8: 8e-46},
		{s: "7e-46", f4: bad, f8: 7e-46},
		{s: "1e-50", f4: bad, f8: 1e-50},
		{s: "-1e-50", f4: bad, f8: -1e-50},
		{s: "1e-320", f4: bad, f8: 1e-320},
		{s: "2.5e-324", f4: bad, f8: math.SmallestNonzeroFloat64},
		{s: "1e-324", f4: bad, f8: bad},
		{s: "1e-400", f4: bad, f8: bad},
		{s: "1e39", f4: bad, f8: 1e39},
		{s: "3.4028235e38", f4: float32(math.MaxFloat32), f8: 3.4028235e38},
		{s: "3.40282357e38", f4: bad, f8: 3.40282357e38},
		{s: "1e400", f4: bad, f8: bad},
		{s: " 1.5\n", f4: float32(1.5), f8: 1.5},
		{s: "1_0", f4: bad, f8: bad},
		{s: "", f4: bad, f8: bad},
		{s: "0x1p-3", f4: float32(0.125), f8: 0.125},
		{s: "0x1.8", f4: float32(1.5), f8: 1.5},
		{s: "0x0p-3", f4: float32(0), f8: 0.0},
		{s: "0x1p-200", f4: bad, f8: 0x1p-200},
		{s: "-INF", f4: float32(math.Inf(-1)), f8: math.Inf(-1)},
		{s: "1e", f4: bad, f8: bad},
	} {
		for _, size := range []int{4, 8} {
			typ := Default().Lookup(Float4OID)
			want := tc.f4
			if size == 8 {
				typ, want = Default().Lookup(Float8OID), tc.f8
			}
			got, err := typ.Text.Decode([]byte(tc.s))
			if want == bad {
				assert.Error(t, err, "%q as float%d gave %v", tc.s, size, got)
				continue
			}
			if assert.NoError(t, err, "%q as float%d", tc.s, size) {
				assert.Equal(t, want, got, "%q as float%d", tc.s, size)
			}
		}
	}
	_, err := Default().Lookup(Float4OID).Text.Decode([]byte("1e-50"))
	var re *RangeError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "value 1e-50 out of range for real", err.Error())
}

// A float64 parameter of type float4 is cast as the server's dtof: rounded
// to nearest, overflow and underflow to zero are errors.
func TestFloat64AsFloat4(t *testing.T) {
	t.Parallel()
	f4 := Default().Lookup(Float4OID)
	for _, tc := range []struct {
		in   float64
		want float32
		err  bool
	}{
		{in: 1.5, want: 1.5},
		{in: 0.1, want: 0.1},
		{in: 1e-40, want: 1e-40},
		{in: 8e-46, want: math.SmallestNonzeroFloat32},
		{in: 7e-46, err: true},
		{in: 1e-50, err: true},
		{in: -1e-50, err: true},
		{in: math.SmallestNonzeroFloat64, err: true},
		{in: 3.4028235e38, want: math.MaxFloat32}, // above MaxFloat32, rounds down to it
		{in: 3.4028235677973366e38, err: true},
		{in: 1e39, err: true},
		{in: math.Inf(1), want: float32(math.Inf(1))},
		{in: 0, want: 0},
	} {
		for _, c := range []*Codec{f4.Binary, f4.Text} {
			out, err := c.Encode(nil, tc.in)
			if tc.err {
				var re *RangeError
				if assert.ErrorAs(t, err, &re, "%v", tc.in) {
					assert.Contains(t, err.Error(), "float4")
				}
				continue
			}
			require.NoError(t, err, "%v", tc.in)
			got, err := c.Decode(out)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got, "%v", tc.in)
		}
	}
	// Integers are sent only when exact, whatever their size.
	for _, tc := range []struct {
		n    int64
		size uint32
		err  bool
	}{
		{1 << 24, Float4OID, false}, {1<<24 + 1, Float4OID, true}, {1 << 60, Float4OID, false}, {-1 << 63, Float4OID, false},
		{1 << 53, Float8OID, false}, {1<<53 + 1, Float8OID, true}, {1<<62 + 1<<10, Float8OID, false}, {math.MaxInt64, Float8OID, true},
	} {
		_, _, _, err := EncodeValue(Default().Lookup(tc.size), nil, tc.n)
		assert.Equal(t, tc.err, err != nil, "%d as OID %d: %v", tc.n, tc.size, err)
	}
}
