package pg_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestExecMany10kWithOneFailingRow(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "exec many", "id int4 PRIMARY KEY, name text")
	ins := "INSERT INTO " + tbl + " VALUES ($1, $2)"
	count := func() int64 {
		n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
		require.NoError(t, err)
		return n
	}
	rows := make([][]any, 10_000)
	for i := range rows {
		rows[i] = []any{int32(i), "name"}
	}
	rows[7777] = []any{int32(5), "duplicate key"}

	err := c.ExecMany(ctx, ins, rows)
	var be *pg.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 7777, be.Index)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	assert.Zero(t, count(), "atomic: nothing committed")
	assert.False(t, c.InTransaction())

	rows[7777] = []any{int32(7777), "fixed"}
	require.NoError(t, c.ExecMany(ctx, ins, rows))
	assert.Equal(t, int64(10_000), count())

	// A row that cannot be encoded, after earlier chunks went out: still
	// nothing committed.
	more := make([][]any, 5000)
	for i := range more {
		more[i] = []any{int32(20_000 + i), "more"}
	}
	more[4000] = []any{struct{}{}, "bad"}
	err = c.ExecMany(ctx, ins, more)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 4000, be.Index)
	var argErr *pg.ArgumentError
	assert.ErrorAs(t, err, &argErr)
	assert.Equal(t, int64(10_000), count())

	// ... and before anything went out.
	more[4000] = []any{int32(24000), "ok"}
	more[3] = []any{struct{}{}, "bad"}
	err = c.ExecMany(ctx, ins, more)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 3, be.Index)
	assert.Equal(t, int64(10_000), count())

	// Wrong argument count: nothing sent.
	err = c.ExecMany(ctx, ins, [][]any{{int32(1), "a"}, {int32(2)}})
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 1, be.Index)

	// Inside a transaction the batch is part of it.
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	require.NoError(t, c.ExecMany(ctx, ins, [][]any{{int32(-1), "a"}, {int32(-2), "b"}}))
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, int64(10_000), count())

	require.NoError(t, c.ExecMany(ctx, ins, nil))
}

func TestSendBatch(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "send batch", "id int4 PRIMARY KEY, name text")

	b := &pg.Batch{}
	b.Queue("INSERT INTO "+tbl+" VALUES ($1, $2)", 1, "one")
	b.Queue("INSERT INTO "+tbl+" VALUES ($1, $2)", 2, "two")
	b.Queue("SELECT id, name FROM " + tbl + " ORDER BY id")
	b.Queue("SELECT $1::int4 * 2", 21)
	b.Queue("UPDATE "+tbl+" SET name = $1", "all")
	require.Equal(t, 5, b.Len())

	res, err := c.SendBatch(ctx, b)
	require.NoError(t, err)
	tag, err := res.Exec()
	require.NoError(t, err)
	assert.Equal(t, "INSERT 0 1", tag.String())
	_, err = c.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrConnBusy, "the batch holds the connection until Close")
	_, err = res.Exec()
	require.NoError(t, err)
	rows, err := res.Query()
	require.NoError(t, err)
	var names []string
	for rows.Next() {
		var id int32
		var name string
		require.NoError(t, rows.Scan(&id, &name))
		names = append(names, name)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"one", "two"}, names)
	var v int32
	require.NoError(t, res.QueryRow().Scan(&v))
	assert.Equal(t, int32(42), v)
	tag, err = res.Exec()
	require.NoError(t, err)
	assert.Equal(t, int64(2), tag.RowsAffected())
	_, err = res.Exec()
	assert.Error(t, err, "no more results")
	require.NoError(t, res.Close())
	require.NoError(t, res.Close())

	// A failing statement: the ones after it are skipped, and without an
	// explicit transaction the whole batch is rolled back.
	b = &pg.Batch{}
	b.Queue("INSERT INTO "+tbl+" VALUES ($1, 'x')", 10)
	b.Queue("INSERT INTO "+tbl+" VALUES ($1, 'dup')", 1)
	b.Queue("INSERT INTO "+tbl+" VALUES ($1, 'y')", 11)
	res, err = c.SendBatch(ctx, b)
	require.NoError(t, err)
	_, err = res.Exec()
	require.NoError(t, err)
	_, err = res.Exec()
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	_, err = res.Exec()
	assert.Error(t, err)
	err = res.Close()
	var be *pg.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 1, be.Index)
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	// Close without reading anything reads (and reports) everything.
	b = &pg.Batch{}
	b.Queue("INSERT INTO " + tbl + " VALUES (20, 'z')")
	b.Queue("SELECT generate_series(1, 5000)")
	res, err = c.SendBatch(ctx, b)
	require.NoError(t, err)
	require.NoError(t, res.Close())
	n, err = pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)

	// A statement that does not parse fails the batch before it runs.
	b = &pg.Batch{}
	b.Queue("INSERT INTO " + tbl + " VALUES (30, 'no')")
	b.Queue("SELEC 1")
	_, err = c.SendBatch(ctx, b)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 1, be.Index)
	// A bad argument too.
	b = &pg.Batch{}
	b.Queue("SELECT $1::int4", struct{}{})
	_, err = c.SendBatch(ctx, b)
	require.ErrorAs(t, err, &be)
	n, err = pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)

	// A large batch with large results does not deadlock.
	b = &pg.Batch{}
	for i := range 2000 {
		b.Queue("SELECT repeat('x', 2000), $1::int4", i)
	}
	res, err = c.SendBatch(ctx, b)
	require.NoError(t, err)
	for i := range 2000 {
		var s string
		var got int32
		require.NoError(t, res.QueryRow().Scan(&s, &got))
		require.Equal(t, int32(i), got)
	}
	require.NoError(t, res.Close())

	_, err = c.SendBatch(context.Background(), &pg.Batch{})
	require.NoError(t, err)
}

func TestSendBatchStatementCache(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	for _, size := range []int{-1, 2, 100} {
		cfg := testConfig(t)
		cfg.StatementCacheSize = size
		c := connectConfig(t, cfg)
		// Five distinct statements, some repeated: more than a cache of 2
		// holds, so none of them may be evicted (and closed) before the
		// batch has run.
		run := func() {
			b := &pg.Batch{}
			for i := range 20 {
				b.Queue(fmt.Sprintf("SELECT $1::int4 + %d", i%5), i)
			}
			res, err := c.SendBatch(ctx, b)
			require.NoError(t, err, "cache size %d", size)
			for i := range 20 {
				var v int32
				require.NoError(t, res.QueryRow().Scan(&v))
				assert.Equal(t, int32(i+i%5), v)
			}
			require.NoError(t, res.Close())
		}
		run()
		run()
		// Statements of the batch's own are closed afterwards; cached
		// ones stay.
		n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'pg_b%'")
		require.NoError(t, err)
		assert.Zero(t, n, "cache size %d", size)
		if size == 100 {
			assert.GreaterOrEqual(t, pg.StatementCacheLen(c), 5)
		}
	}
}
