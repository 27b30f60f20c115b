package pg_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// heapAfterGC is the live heap, for bounded-memory checks.
func heapAfterGC() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

const bigRowsSQL = "SELECT i, repeat('x', 1000) AS pad FROM generate_series(1, $1::int4) AS i"

func TestCursorFetchForwardClose(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)

	_, err := c.Cursor(ctx, "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrCursorOutsideTx)

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	cur, err := tx.Cursor(ctx, "SELECT i FROM generate_series(1, $1::int4) AS i", 10)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "SELECT 1") // the Tx stays usable beside its cursor
	require.NoError(t, err)

	recs, err := cur.Fetch(ctx, 3)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, int32(1), recs[0].Value(0))
	assert.Equal(t, int32(3), recs[2].Value(0))

	n, err := cur.Forward(ctx, 4)
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	rec, err := cur.FetchRow(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(8), rec.Value(0))
	recs, err = cur.Fetch(ctx, 100)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	_, err = cur.FetchRow(ctx)
	assert.ErrorIs(t, err, pg.ErrNoRows)
	n, err = cur.Forward(ctx, 5)
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = cur.Fetch(ctx, 0)
	assert.Error(t, err)

	require.NoError(t, cur.Close(ctx))
	require.NoError(t, cur.Close(ctx))
	_, err = cur.Fetch(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrCursorClosed)

	// A bad argument fails the Bind: a server error, and the Tx is failed.
	_, err = tx.Cursor(ctx, "SELECT $1::int4", "not a number")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22P02", pgErr.Code)
	assert.Equal(t, byte('E'), c.TxStatus())
	require.NoError(t, tx.Rollback(ctx))
	_, err = cur.Fetch(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrCursorClosed)
}

func TestCursorFetchErrors(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	cur, err := tx.Cursor(ctx, "SELECT 10 / (3 - i) FROM generate_series(1, 5) AS i")
	require.NoError(t, err)
	recs, err := cur.Fetch(ctx, 2)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	_, err = cur.Fetch(ctx, 2)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)
	err = tx.Commit(ctx)
	assert.ErrorIs(t, err, pg.ErrTxRolledBack)
	require.ErrorAs(t, err, &pgErr, "Commit reports the cursor's failure")
	assert.Equal(t, "22012", pgErr.Code)
	assert.False(t, c.IsClosed())
}

func TestCursorBoundedMemory(t *testing.T) {
	// Not parallel: the heap it watches is the whole process's.
	c := connect(t)
	ctx := ctxT(t)
	tx, err := c.Begin(ctx, pg.TxOptions{ReadOnly: true})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	const total = 100_000 // about 100 MB of rows
	cur, err := tx.Cursor(ctx, bigRowsSQL, total)
	require.NoError(t, err)
	base := heapAfterGC()
	var peak uint64
	seen := 0
	for {
		recs, err := cur.Fetch(ctx, 2000)
		require.NoError(t, err)
		if len(recs) == 0 {
			break
		}
		seen += len(recs)
		if seen%20000 == 0 {
			peak = max(peak, heapAfterGC())
		}
	}
	assert.Equal(t, total, seen)
	assert.Less(t, int64(peak)-int64(base), int64(32<<20), "memory grew with the result size")
}

func TestIterBoundedMemory(t *testing.T) {
	// Not parallel: the heap it watches is the whole process's.
	c := connect(t)
	ctx := ctxT(t)
	const total = 100_000
	base := heapAfterGC()
	var peak uint64
	seen := 0
	for rec, err := range c.Iter(ctx, bigRowsSQL, total) {
		require.NoError(t, err)
		seen++
		require.Equal(t, int32(seen), rec.Value(0))
		if seen%20000 == 0 {
			peak = max(peak, heapAfterGC())
		}
	}
	assert.Equal(t, total, seen)
	assert.Less(t, int64(peak)-int64(base), int64(32<<20), "memory grew with the result size")
	assert.False(t, c.InTransaction())
}

func TestIterEarlyBreakErrorsAndTx(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)

	// Break out early: the connection is usable at once.
	n := 0
	for _, err := range c.IterFetchSize(ctx, 7, "SELECT generate_series(1, 1000)") {
		require.NoError(t, err)
		if n++; n == 10 {
			break
		}
	}
	v, err := pg.FetchVal[int32](ctx, c, "SELECT 5")
	require.NoError(t, err)
	assert.Equal(t, int32(5), v)

	// An error mid-stream is yielded last.
	var got []int32
	var last error
	for rec, err := range c.IterFetchSize(ctx, 2, "SELECT 10 / (4 - i) FROM generate_series(1, 6) AS i") {
		if err != nil {
			last = err
			continue
		}
		got = append(got, rec.Value(0).(int32))
	}
	var pgErr *pg.PgError
	require.ErrorAs(t, last, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)
	assert.Equal(t, []int32{3, 5, 10}, got)

	// A panic in the loop body leaves the connection usable.
	assert.Panics(t, func() {
		for range c.IterFetchSize(ctx, 3, "SELECT generate_series(1, 100)") {
			panic("boom")
		}
	})
	v, err = pg.FetchVal[int32](ctx, c, "SELECT 6")
	require.NoError(t, err)
	assert.Equal(t, int32(6), v)

	// Inside a transaction the scan is part of it.
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, "CREATE TEMP TABLE iter_tmp AS SELECT generate_series(1, 50) AS n")
	require.NoError(t, err)
	sum := int32(0)
	for rec, err := range c.IterFetchSize(ctx, 8, "SELECT n FROM iter_tmp") {
		require.NoError(t, err)
		sum += rec.Value(0).(int32)
	}
	assert.Equal(t, int32(1275), sum)
	assert.True(t, c.InTransaction())
	require.NoError(t, tx.Commit(ctx))

	// Busy while iterating.
	for range c.Iter(ctx, "SELECT 1") {
		_, err := c.Exec(ctx, "SELECT 1")
		assert.ErrorIs(t, err, pg.ErrConnBusy)
	}

	// A cancelled context stops the scan between batches.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n = 0
	var cerr error
	for _, err := range c.IterFetchSize(cctx, 10, "SELECT generate_series(1, 100000)") {
		if err != nil {
			cerr = err
			break
		}
		if n++; n == 15 {
			cancel()
		}
	}
	assert.ErrorIs(t, cerr, context.Canceled)
	assert.Less(t, n, 100)
	v, err = pg.FetchVal[int32](ctx, c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)
}
