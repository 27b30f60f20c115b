package pg_test

import (
	"database/sql"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	_ "github.com/wirepg/pg/stdlib"
)

// Item 2: money is an integer count of cents on the wire; every decimal
// destination gets the amount (12.34), integers the cents (documented),
// as the server's money::numeric cast says.
func TestExactMoneyDestinations(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	for _, lit := range []string{"12.34", "-12.34", "0.05", "-0.01", "0", "92233720368547758.07", "-92233720368547758.08", "1234567.89"} {
		query := "SELECT '" + lit + "'::money AS m"
		var dec string
		require.NoError(t, c.QueryRow(ctx, "SELECT '"+lit+"'::money::numeric::text").Scan(&dec))
		f64, err := serverFloat(t, c, "'"+lit+"'::money::numeric", 64)
		require.NoError(t, err)
		f32, err := serverFloat(t, c, "'"+lit+"'::money::numeric", 32)
		require.NoError(t, err)
		ratWant, ok := new(big.Rat).SetString(dec)
		require.True(t, ok)

		for path, f := range scanPaths[float64](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, f64, got, "%s %s into float64", path, lit)
			}
		}
		for path, f := range scanPaths[float32](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, float32(f32), got, "%s %s into float32", path, lit)
			}
		}
		for path, f := range scanPaths[pg.Numeric](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, dec, got.String(), "%s %s into pg.Numeric", path, lit)
			}
		}
		for path, f := range scanPaths[big.Rat](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, ratWant.String(), got.String(), "%s %s into big.Rat", path, lit)
			}
		}
		for path, f := range scanPaths[string](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, dec, got, "%s %s into string", path, lit)
			}
		}
		// Integers take the count of cents, as pg.Money holds it.
		cents := new(big.Rat).Mul(ratWant, big.NewRat(100, 1)).Num()
		for path, f := range scanPaths[int64](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, cents.Int64(), got, "%s %s into int64 (cents)", path, lit)
			}
		}
		for path, f := range scanPaths[pg.Money](t, c, query) {
			got, err := f()
			if assert.NoError(t, err, path) {
				assert.Equal(t, dec, got.String(), "%s %s into pg.Money", path, lit)
			}
		}
	}
}

// Item 2 through database/sql: money reads as the server's text
// (cash_out under lc_monetary C), as lib/pq and pgx's stdlib give it, and
// pg.Money reads that text back as its count of cents. A float64 or
// integer destination is refused, as with those drivers.
func TestExactMoneyDatabaseSQL(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("pg", pgtest.Shared().DSN())
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	ctx := ctxT(t)
	var s string
	var m pg.Money
	var ns sql.NullString
	var a any
	require.NoError(t, db.QueryRowContext(ctx, "SELECT '12.34'::money, '-1234.5'::money, '0.07'::money, '-0.07'::money").Scan(&s, &m, &ns, &a))
	assert.Equal(t, "$12.34", s)
	assert.Equal(t, pg.Money(-123450), m)
	assert.Equal(t, "$0.07", ns.String)
	assert.Equal(t, "-$0.07", a)
	var f float64
	err = db.QueryRowContext(ctx, "SELECT '12.34'::money").Scan(&f)
	assert.Error(t, err, "$12.34 is not a float (got %v)", f)
}

// A money amount given as a string loads through binary COPY as the
// server reads the same text ('...'::money), or is refused.
func TestExactMoneyTextCopy(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE money_text (i int4, m money)")
	require.NoError(t, err)
	inputs := []string{"12.34", "$12.34", "$19,794,888.41", "-$1.50", "($1.50)", "1.005", "1.0049", "-1.005", "7", "7.", " $ 3.2 ", "0.001",
		"$92,233,720,368,547,758.07", "-$92,233,720,368,547,758.08", "+5"}
	for i, in := range inputs {
		var want string
		srvErr := c.QueryRow(ctx, "SELECT $1::text::money::text", in).Scan(&want)
		_, err := c.CopyRecordsToTable(ctx, "money_text", nil, pg.CopyFromRows([][]any{{i, in}}))
		if srvErr != nil {
			assert.Error(t, err, "%q: the server refuses it (%v)", in, srvErr)
			continue
		}
		if !assert.NoError(t, err, "%q: the server reads %s", in, want) {
			continue
		}
		var got string
		require.NoError(t, c.QueryRow(ctx, "SELECT m::text FROM money_text WHERE i = $1", i).Scan(&got))
		assert.Equal(t, want, got, "%q", in)
	}
	_, err = c.CopyRecordsToTable(ctx, "money_text", nil, pg.CopyFromRows([][]any{{99, "12,34 €"}}))
	assert.Error(t, err, "a form outside the documented assumption is refused, not guessed")
}
