package pg_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

// fetchB reads column b of tab1's only row as a Record.
func fetchB(t *testing.T, q interface {
	FetchRow(ctx context.Context, sql string, args ...any) (pg.Record, error)
}) (pg.Record, error) {
	t.Helper()
	rec, err := q.FetchRow(ctxT(t), "SELECT * FROM tab1")
	if err != nil {
		return pg.Record{}, err
	}
	return rec.Get("b").(pg.Record), nil
}

func requireOutdated(t *testing.T, err error) {
	t.Helper()
	var outdated *pg.OutdatedSchemaError
	require.ErrorAs(t, err, &outdated, "got %v", err)
}

// asyncpg's test_type_cache_invalidation_in_transaction and
// ..._in_cancelled_transaction: a composite altered after the connection
// cached it is reported once (*OutdatedSchemaError), and the next call
// works with the type as the server has it now, inside the transaction,
// after it commits, and again after a rollback undid the change.
func TestSchemaCacheHealsAfterAlterType(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "heal_tx", "CREATE TYPE typ1 AS (x int, y int); CREATE TABLE tab1 (a int, b typ1); INSERT INTO tab1 VALUES (1, (2, 3))")

	b, err := fetchB(t, c)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(2), int32(3)}, b.Values())

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "ALTER TYPE typ1 ADD ATTRIBUTE c text")
	require.NoError(t, err)
	_, err = fetchB(t, tx)
	requireOutdated(t, err)
	b, err = fetchB(t, tx)
	require.NoError(t, err, "the call after the error works")
	assert.Equal(t, []any{int32(2), int32(3), nil}, b.Values())
	require.NoError(t, tx.Rollback(ctx))

	// The rollback restored two attributes: reported once more, then right.
	_, err = fetchB(t, c)
	requireOutdated(t, err)
	b, err = fetchB(t, c)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(2), int32(3)}, b.Values())

	// Committed: the same once, and it stays right.
	_, err = c.Exec(ctx, "ALTER TYPE typ1 ADD ATTRIBUTE c text")
	require.NoError(t, err)
	_, err = fetchB(t, c)
	requireOutdated(t, err)
	for range 2 {
		b, err = fetchB(t, c)
		require.NoError(t, err)
		assert.Equal(t, []any{int32(2), int32(3), nil}, b.Values())
	}
}

// asyncpg's ..._on_drop_type_attr and ..._on_change_attr: a dropped
// attribute and one whose type changed heal the same way.
func TestSchemaCacheHealsAfterDropAndChange(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "heal_drop", "CREATE TYPE typ1 AS (x int, y int, c text); CREATE TABLE tab1 (a int, b typ1); INSERT INTO tab1 VALUES (1, (2, 3, 'x'))")
	_, err := fetchB(t, c)
	require.NoError(t, err)

	_, err = c.Exec(ctx, "ALTER TYPE typ1 DROP ATTRIBUTE x")
	require.NoError(t, err)
	_, err = fetchB(t, c)
	requireOutdated(t, err)
	b, err := fetchB(t, c)
	require.NoError(t, err)
	assert.Equal(t, []any{int32(3), "x"}, b.Values())

	_, err = c.Exec(ctx, "ALTER TYPE typ1 DROP ATTRIBUTE y; ALTER TYPE typ1 ADD ATTRIBUTE y bigint")
	require.NoError(t, err)
	_, err = fetchB(t, c)
	requireOutdated(t, err)
	assert.ErrorContains(t, err, "type OID")
	b, err = fetchB(t, c)
	require.NoError(t, err)
	assert.Equal(t, []any{"x", nil}, b.Values())
}

// The cache is never reloaded in the middle of a result: every row of the
// result that met the change is read with the types it began with, and
// only the next call sees the new ones. A prepared Stmt heals too (asyncpg
// closes it instead).
func TestSchemaCacheNotReloadedMidResult(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "heal_mid", "CREATE TYPE typ1 AS (x int, y int); CREATE TABLE tab1 (a int, b typ1); INSERT INTO tab1 SELECT i, ROW(i, i)::typ1 FROM generate_series(1, 3) i")
	stmt, err := c.Prepare(ctx, "SELECT b FROM tab1 ORDER BY a")
	require.NoError(t, err)
	_, err = stmt.Fetch(ctx)
	require.NoError(t, err)

	other := connect(t)
	_, err = other.Exec(ctx, "ALTER TYPE heal_mid.typ1 ADD ATTRIBUTE c text")
	require.NoError(t, err)

	rows, err := c.Query(ctx, "SELECT b FROM tab1 ORDER BY a")
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		var rec pg.Record
		requireOutdated(t, rows.Scan(&rec))
		n++
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, 3, n)

	var rec pg.Record
	require.NoError(t, c.QueryRow(ctx, "SELECT b FROM tab1 ORDER BY a").Scan(&rec))
	assert.Equal(t, []any{int32(1), int32(1), nil}, rec.Values())
	recs, err := stmt.Fetch(ctx)
	require.NoError(t, err, "the prepared statement heals with the connection")
	require.Len(t, recs, 3)
	assert.Equal(t, []any{int32(3), int32(3), nil}, recs[2].Get("b").(pg.Record).Values())
}
