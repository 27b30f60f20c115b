package codec

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// database/sql's Null floats get pg's exact conversions, not strconv's.
func TestSQLNullFloatExact(t *testing.T) {
	t.Parallel()
	tiny, err := ParseNumeric("1e-400")
	require.NoError(t, err)
	for _, v := range []any{int64(1<<53 + 1), tiny} {
		var nf sql.NullFloat64
		var ng sql.Null[float64]
		var n32 sql.Null[float32]
		assert.Error(t, Assign(&nf, v), "%v into sql.NullFloat64 gave %+v", v, nf)
		assert.False(t, nf.Valid)
		assert.Error(t, Assign(&ng, v), "%v into sql.Null[float64] gave %+v", v, ng)
		assert.Error(t, Assign(&n32, v), "%v into sql.Null[float32] gave %+v", v, n32)
	}
	var nf sql.NullFloat64
	require.NoError(t, Assign(&nf, Money(1234)))
	assert.Equal(t, sql.NullFloat64{Float64: 12.34, Valid: true}, nf)
	require.NoError(t, Assign(&nf, nil))
	assert.False(t, nf.Valid)
}
