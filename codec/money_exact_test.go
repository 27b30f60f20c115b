package codec

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// money is a count of cents: the amount in decimal destinations, the count
// in integer ones.
func TestMoneyDestinations(t *testing.T) {
	t.Parallel()
	typ := Default().Lookup(MoneyOID)
	for _, cents := range []int64{1234, -1234, 5, -1, 0, math.MaxInt64, math.MinInt64} {
		m := Money(cents)
		src := int8Binary(cents)
		dec := m.String()
		var (
			f64 float64
			f32 float32
			num Numeric
			rat big.Rat
			s   string
			i64 int64
			mm  Money
			bf  = new(big.Float).SetPrec(200)
		)
		for _, dst := range []any{&f64, &f32, &num, &rat, &s, &i64, &mm, bf} {
			require.NoError(t, ScanValue(typ, BinaryFormat, src, dst), "%d into %T", cents, dst)
		}
		wantRat, _ := new(big.Rat).SetString(dec)
		assert.Equal(t, dec, s)
		assert.Equal(t, dec, num.String())
		assert.Equal(t, wantRat.String(), rat.String())
		wantF, _ := wantRat.Float64()
		assert.Equal(t, wantF, f64)
		wantF32, _ := wantRat.Float32()
		assert.Equal(t, wantF32, f32)
		assert.Equal(t, cents, i64)
		assert.Equal(t, m, mm)
		bfWant := new(big.Float).SetPrec(200).SetRat(wantRat)
		assert.Equal(t, bfWant.String(), bf.String())

		// Assign (Record.Scan) agrees.
		var af float64
		var as string
		var an Numeric
		require.NoError(t, Assign(&af, m))
		require.NoError(t, Assign(&as, m))
		require.NoError(t, Assign(&an, m))
		assert.Equal(t, f64, af)
		assert.Equal(t, dec, as)
		assert.Equal(t, dec, an.String())
		// database/sql's view.
		assert.Equal(t, dec, DriverValue(m))
	}
	assert.Equal(t, "12.34", DriverValue(Money(1234)))
}
