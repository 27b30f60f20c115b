package codec

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func int8Binary(n int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(n)) }

// int4 and int8 into float32 and float64: only exactly representable
// values; through ScanValue and Assign alike.
func TestIntegerIntoFloatExact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n      int64
		ok32   bool
		ok64   bool
		reason string
	}{
		{n: 1 << 24, ok32: true, ok64: true},
		{n: 1<<24 + 1, ok32: false, ok64: true},
		{n: 1<<53 + 1, ok32: false, ok64: false},
		{n: -(1<<53 + 1), ok32: false, ok64: false},
		{n: 1 << 60, ok32: true, ok64: true},
		{n: math.MinInt64, ok32: true, ok64: true},
		{n: math.MaxInt64, ok32: false, ok64: false},
	} {
		var f64 float64
		var f32 float32
		err64 := ScanValue(Default().Lookup(Int8OID), BinaryFormat, int8Binary(tc.n), &f64)
		err32 := ScanValue(Default().Lookup(Int8OID), BinaryFormat, int8Binary(tc.n), &f32)
		assert.Equal(t, tc.ok64, err64 == nil, "%d into float64: %v", tc.n, err64)
		assert.Equal(t, tc.ok32, err32 == nil, "%d into float32: %v", tc.n, err32)
		if err64 == nil {
			assert.Equal(t, float64(tc.n), f64)
		} else {
			assert.Contains(t, err64.Error(), "int8 value")
		}
		if err32 == nil {
			assert.Equal(t, float32(tc.n), f32)
		}
		// Record.Scan's path: Assign from the decoded value.
		type celsius float64
		var c celsius
		errA := Assign(&c, tc.n)
		assert.Equal(t, tc.ok64, errA == nil, "Assign %d into a named float64: %v", tc.n, errA)
	}
}
