package pg_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// preparedNames returns the names of the session's prepared statements
// whose text is sql.
func preparedNames(t *testing.T, c *pg.Conn, sql string) []string {
	t.Helper()
	recs, err := c.Fetch(ctxT(t), "SELECT name, statement FROM pg_prepared_statements ORDER BY name")
	require.NoError(t, err)
	var names []string
	for _, r := range recs {
		if r.Get("statement") == sql {
			names = append(names, r.Get("name").(string))
		}
	}
	return names
}

// Behind a pooler one server connection serves many clients, so a name
// must mean the same statement whoever prepared it: cached statements are
// named by their SQL, never by a per-connection counter.
func TestCachedStatementNameIsTheSQLs(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	a, b := connect(t), connect(t)
	const q1, q2 = "SELECT $1::int4 + 101", "SELECT $1::int4 + 102"
	// Different orders, so a counter would give the other SQL the name.
	for _, step := range []struct {
		c *pg.Conn
		q string
	}{{a, q1}, {a, q2}, {b, q2}, {b, q1}} {
		_, err := step.c.Exec(ctx, step.q, 1)
		require.NoError(t, err)
	}
	for _, q := range []string{q1, q2} {
		na, nb := preparedNames(t, a, q), preparedNames(t, b, q)
		require.Len(t, na, 1, q)
		require.Len(t, nb, 1, q)
		assert.Equal(t, na, nb, "the same SQL has the same name on every connection")
	}
	assert.NotEqual(t, preparedNames(t, a, q1), preparedNames(t, a, q2))
}

// Prepare names each statement for its SQL too, and gives the same SQL
// prepared twice two statements.
func TestPrepareNamesCarryTheSQL(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	const q = "SELECT $1::int4 * 7"
	s1, err := c.Prepare(ctx, q)
	require.NoError(t, err)
	s2, err := c.Prepare(ctx, q)
	require.NoError(t, err)
	assert.NotEqual(t, s1.Name(), s2.Name())
	s3, err := c.Prepare(ctx, "SELECT $1::int4 * 8")
	require.NoError(t, err)
	hash := func(name string) string { return name[:len("pgp_")+32] }
	assert.Equal(t, hash(s1.Name()), hash(s2.Name()), "the SQL's hash leads the name")
	assert.NotEqual(t, hash(s1.Name()), hash(s3.Name()))
	require.NoError(t, s1.Close(ctx))
	v, err := s2.FetchVal(ctx, int32(6))
	require.NoError(t, err)
	assert.Equal(t, int32(42), v)
}

// A cached statement the server no longer knows (26000) is prepared again
// and parsed once more in the retry's own unit, so the retry cannot depend
// on which server connection a pooler picks for it.
func TestStatementGoneIsParsedInTheRetrysUnit(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c, rec := recordedConn(t)
	const q = "SELECT $1::int4 + 7"
	n, err := pg.FetchVal[int32](ctx, c, q, 1)
	require.NoError(t, err)
	require.Equal(t, int32(8), n)
	names := preparedNames(t, c, q)
	require.Len(t, names, 1)
	_, err = c.Exec(ctx, "DEALLOCATE "+names[0])
	require.NoError(t, err)
	rec.take()

	n, err = pg.FetchVal[int32](ctx, c, q, 2)
	require.NoError(t, err)
	assert.Equal(t, int32(9), n)
	ws := rec.take()
	var got []string
	for _, w := range ws {
		got = append(got, frontendTypes(t, w))
	}
	assert.Equal(t, []string{"BES", "CCPDS", "CPBDES"}, got,
		"the failed Bind; the eviction's Close and a fresh Parse/Describe; the self-contained retry")
}

// A statement parsed again in the binding unit has its portal described
// there; result columns that differ from the description the Bind used
// (the schema changed) fail the call and close the connection instead of
// decoding a row with the wrong types.
func TestReparsedStatementWithChangedColumnsFails(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	table := fmt.Sprintf("reparse_%d", c.ServerPID())
	_, err := c.Exec(ctx, "CREATE TABLE "+table+" (a int4, b int4); INSERT INTO "+table+" VALUES (1, 2)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = connect(t).Exec(ctxT(t), "DROP TABLE IF EXISTS "+table) })
	s, err := c.Prepare(ctx, "SELECT * FROM "+table+" WHERE a = $1")
	require.NoError(t, err)
	_, err = c.Exec(ctx, "ALTER TABLE "+table+" ALTER COLUMN b TYPE float4; DEALLOCATE "+s.Name())
	require.NoError(t, err)

	_, err = s.Fetch(ctx, int32(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "changed between its description")
	assert.True(t, c.IsClosed())
}

// Iter retries a cached statement the server no longer knows, as Query
// does, when the error came before any row.
func TestIterRetriesAStatementGone(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	const q = "SELECT $1::int4 + i FROM generate_series(1, 3) i"
	sum := func() (int32, error) {
		var s int32
		for rec, err := range c.IterFetchSize(ctx, 2, q, int32(10)) {
			if err != nil {
				return 0, err
			}
			s += rec.Value(0).(int32)
		}
		return s, nil
	}
	s, err := sum()
	require.NoError(t, err)
	require.Equal(t, int32(36), s)
	names := preparedNames(t, c, q)
	require.Len(t, names, 1)
	_, err = c.Exec(ctx, "DEALLOCATE "+names[0])
	require.NoError(t, err)
	s, err = sum()
	require.NoError(t, err)
	assert.Equal(t, int32(36), s)
}
