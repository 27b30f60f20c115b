package pg_test

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
)

// database/sql's Null float types as destinations of pg's own Scan: their
// Scan method would convert with strconv (an int8 rounded into a float64, a
// numeric 1e-400 read as 0); pg fills them with its own exact conversion.
func TestExactSQLNullFloat(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	for _, tc := range []struct {
		expr string
		want float64 // 0: an error
	}{
		{"'9007199254740993'::int8", 0},
		{"'9007199254740992'::int8", 9007199254740992},
		{"'1e-400'::numeric", 0},
		{"'1e400'::numeric", 0},
		{"'0.1'::numeric", 0.1},
		{"'12.34'::money", 12.34},
	} {
		query := "SELECT " + tc.expr + " AS v"
		var nf sql.NullFloat64
		var ng sql.Null[float64]
		var n32 sql.Null[float32]
		for _, dst := range []any{&nf, &ng} {
			err := c.QueryRow(ctx, query).Scan(dst)
			rec, rerr := c.FetchRow(ctx, query)
			if assert.NoError(t, rerr) {
				errR := rec.Scan(dst)
				assert.Equal(t, err == nil, errR == nil, "%s into %T: Rows.Scan %v, Record.Scan %v", tc.expr, dst, err, errR)
			}
			if tc.want == 0 {
				assert.Error(t, err, "%s into %T gave %+v", tc.expr, dst, dst)
				continue
			}
			if assert.NoError(t, err, "%s into %T", tc.expr, dst) {
				switch d := dst.(type) {
				case *sql.NullFloat64:
					assert.Equal(t, sql.NullFloat64{Float64: tc.want, Valid: true}, *d)
				case *sql.Null[float64]:
					assert.Equal(t, sql.Null[float64]{V: tc.want, Valid: true}, *d)
				}
			}
		}
		err := c.QueryRow(ctx, query).Scan(&n32)
		if tc.want == 0 {
			assert.Error(t, err, "%s into sql.Null[float32] gave %+v", tc.expr, n32)
		} else if assert.NoError(t, err, "%s into sql.Null[float32]", tc.expr) {
			assert.Equal(t, float32(tc.want), n32.V)
		}
	}
	var nf sql.NullFloat64
	assert.NoError(t, c.QueryRow(ctx, "SELECT NULL::numeric").Scan(&nf))
	assert.False(t, nf.Valid)
}
