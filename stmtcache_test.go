package pg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/sqlstate"
)

// serverStatements lists the statements the session has prepared, as the
// server sees them.
func serverStatements(t *testing.T, c *pg.Conn) []string {
	t.Helper()
	recs, err := c.Fetch(ctxT(t), "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time")
	require.NoError(t, err)
	var out []string
	for _, r := range recs {
		out = append(out, r.Get("statement").(string))
	}
	return out
}

func TestStatementCacheEvictsAndClosesOnServer(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.StatementCacheSize = 3
	c := connectConfig(t, cfg)
	ctx := ctxT(t)
	for i := range 10 {
		_, err := c.Exec(ctx, "SELECT $1::int4 + "+string(rune('0'+i)), i)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, pg.StatementCacheLen(c))
	stmts := serverStatements(t, c)
	// The listing query itself is cached too, which pushed one more out.
	assert.LessOrEqual(t, len(stmts), 3)
	assert.Contains(t, stmts, "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY prepare_time")
	assert.Contains(t, stmts, "SELECT $1::int4 + 9")
	assert.NotContains(t, stmts, "SELECT $1::int4 + 0")
}

func TestStatementCacheDisabled(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.StatementCacheSize = 0
	c := connectConfig(t, cfg)
	ctx := ctxT(t)
	for i := range 3 {
		v, err := pg.FetchVal[int32](ctx, c, "SELECT $1::int4 * 2", i)
		require.NoError(t, err)
		assert.Equal(t, int32(i*2), v)
	}
	assert.Equal(t, 0, pg.StatementCacheLen(c))
	assert.Empty(t, serverStatements(t, c))

	parsed, err := pg.ParseConfig("statement_cache_size=0")
	require.NoError(t, err)
	assert.Equal(t, 0, parsed.StatementCacheSize, "0 is off in a DSN as in a Config")
}

func TestStatementCacheSizeLimit(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.MaxCacheableStatementSize = 64
	c := connectConfig(t, cfg)
	long := "SELECT $1::int4 /* " + strings.Repeat("x", 100) + " */"
	_, err := c.Exec(ctxT(t), long, 1)
	require.NoError(t, err)
	assert.Equal(t, 0, pg.StatementCacheLen(c))
	_, err = c.Exec(ctxT(t), "SELECT $1::int4", 1)
	require.NoError(t, err)
	assert.Equal(t, 1, pg.StatementCacheLen(c))
}

func TestStatementCacheLifetime(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.MaxCachedStatementLifetime = 50 * time.Millisecond
	c := connectConfig(t, cfg)
	ctx := ctxT(t)
	q := "SELECT $1::int4 AS lifetime"
	_, err := c.Exec(ctx, q, 1)
	require.NoError(t, err)
	first, err := pg.FetchVal[time.Time](ctx, c, "SELECT prepare_time FROM pg_prepared_statements WHERE statement = $1", q)
	require.NoError(t, err)
	time.Sleep(2 * cfg.MaxCachedStatementLifetime) // the lifetime has to pass
	_, err = c.Exec(ctx, q, 1)
	require.NoError(t, err)
	second, err := pg.FetchVal[time.Time](ctx, c, "SELECT prepare_time FROM pg_prepared_statements WHERE statement = $1", q)
	require.NoError(t, err)
	assert.True(t, second.After(first), "the statement was prepared again")
}

func TestStaleCachedStatementRetried(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE stale_t (a int4); INSERT INTO stale_t VALUES (7)")
	require.NoError(t, err)
	q := "SELECT * FROM stale_t WHERE a = $1"
	rec, err := c.FetchRow(ctx, q, 7)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(7)}, rec.Values())

	// The result type changes under the cached statement (0A000): outside a
	// transaction the call is retried transparently with the new shape.
	_, err = c.Exec(ctx, "ALTER TABLE stale_t ADD COLUMN b text DEFAULT 'new'")
	require.NoError(t, err)
	rec, err = c.FetchRow(ctx, q, 7)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(7), "new"}, rec.Values())

	// The statement vanished on the server (26000): retried as well.
	_, err = c.Exec(ctx, "DEALLOCATE ALL")
	require.NoError(t, err)
	rec, err = c.FetchRow(ctx, q, 7)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(7), "new"}, rec.Values())

	// Inside a transaction the error is returned: the transaction is aborted.
	_, err = c.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	_, err = c.Exec(ctx, "ALTER TABLE stale_t DROP COLUMN b")
	require.NoError(t, err)
	_, err = c.FetchRow(ctx, q, 7)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.FeatureNotSupported, pgErr.Code)
	_, err = c.Exec(ctx, "ROLLBACK")
	require.NoError(t, err)
	// The entry was dropped, so the next call prepares afresh.
	rec, err = c.FetchRow(ctx, q, 7)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(7), "new"}, rec.Values())
}
