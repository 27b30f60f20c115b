package pg_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestPoolConnPrepareEndsAtRelease(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)

	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	pid := backendPID(t, pc)
	stmt, err := pc.PrepareNamed(ctx, "pool_named", "SELECT $1::int4 + 1 AS n")
	require.NoError(t, err)
	require.Len(t, stmt.Params(), 1)
	assert.Equal(t, "n", stmt.Columns()[0].Name)
	v, err := stmt.FetchVal(ctx, 41)
	require.NoError(t, err)
	assert.EqualValues(t, 42, v)
	closed, err := pc.Prepare(ctx, "SELECT 1")
	require.NoError(t, err)
	require.NoError(t, closed.Close(ctx), "a Stmt closed during the lease is not closed again at Release")
	require.NoError(t, pc.Release())

	_, err = stmt.FetchVal(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	_, err = stmt.Exec(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	_, err = stmt.Explain(ctx, false, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	assert.NoError(t, stmt.Close(ctx), "Release deallocated it")

	pc, err = p.Acquire(ctx)
	require.NoError(t, err)
	defer pc.Release()
	require.Equal(t, pid, backendPID(t, pc), "the same session comes back")
	n, err := pg.FetchVal[int64](ctx, pc, "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql AND name IN ('pool_named', $1)", closed.Name())
	require.NoError(t, err)
	assert.Zero(t, n, "Release deallocated the lease's statements")
	again, err := pc.PrepareNamed(ctx, "pool_named", "SELECT 2")
	require.NoError(t, err, "the name is free for the next lease")
	v, err = again.FetchVal(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, v)
}

func TestPoolConnStmtCountsTowardMaxQueries(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, MaxQueries: 3})
	ctx := ctxT(t)

	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	pid := backendPID(t, pc)                 // 1
	stmt, err := pc.Prepare(ctx, "SELECT 1") // 2
	require.NoError(t, err)
	_, err = stmt.Exec(ctx) // 3
	require.NoError(t, err)
	require.NoError(t, pc.Release())

	pc, err = p.Acquire(ctx)
	require.NoError(t, err)
	defer pc.Release()
	assert.NotEqual(t, pid, backendPID(t, pc), "three queries, the Stmt's among them, replace the connection")
}

func TestPoolIter(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)

	sum := int64(0)
	for rec, err := range p.IterFetchSize(ctx, 100, "SELECT i FROM generate_series(1, 1000) i") {
		require.NoError(t, err)
		assert.Equal(t, 1, p.Stats().InUse, "the loop holds a connection")
		sum += int64(rec.Value(0).(int32))
	}
	assert.EqualValues(t, 500500, sum)
	assert.Equal(t, 0, p.Stats().InUse, "the loop's end releases it")

	seen := 0
	for _, err := range p.Iter(ctx, "SELECT i FROM generate_series(1, 100000) i") {
		require.NoError(t, err)
		if seen++; seen == 3 {
			break
		}
	}
	assert.Equal(t, 0, p.Stats().InUse, "breaking out releases it")
	var got []error
	for _, err := range p.Iter(ctx, "SELECT 1/0") {
		got = append(got, err)
	}
	require.Len(t, got, 1)
	assert.ErrorContains(t, got[0], "division by zero")
	v, err := pg.FetchVal[int32](ctx, p, "SELECT 7")
	require.NoError(t, err)
	assert.EqualValues(t, 7, v, "the connection is usable after each loop")

	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	seq := pc.Iter(ctx, "SELECT i FROM generate_series(1, 3) i")
	rows := 0
	for _, err := range seq {
		require.NoError(t, err)
		rows++
	}
	assert.Equal(t, 3, rows)
	require.NoError(t, pc.Release())
	for _, err := range seq {
		assert.ErrorIs(t, err, pg.ErrPoolConnReleased, "a loop started after Release never touches the connection")
	}
}

// The default reset is sent only after a lease that ran something on the
// session. The pool's one connection is dialled through a write recorder:
// Release writes the reset before it returns (the pool has no waiter to
// hand it to), so what was written by then shows whether a reset went out,
// and a reset deferred to the next owner would lead that owner's first
// write. The server's query_start for the backend confirms the resets that
// were sent ran.
func TestPoolResetOnlyAfterUse(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	rec := recordFirstDial(cfg)
	ctx := ctxT(t)
	p, err := pg.CreatePoolConfig(ctx, cfg, pg.PoolConfig{MinSize: 1, MaxSize: 1, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	admin := connect(t)
	resets := func() (n int) {
		t.Helper()
		for _, q := range simpleQueries(t, rec.take()) {
			if strings.Contains(q, "RESET ALL") {
				n++
			}
		}
		return n
	}
	lastReset := func(pid int32) (started string) {
		t.Helper()
		eventually(t, 10*time.Second, "the reset ran", func() bool {
			// Not filtered by state in SQL: the backend may be busy with
			// the reset at the moment of the query (no row would fail).
			var q, state string
			require.NoError(t, admin.QueryRow(ctx, "SELECT query, query_start::text, state FROM pg_stat_activity WHERE pid = $1", pid).Scan(&q, &started, &state))
			return state == "idle" && strings.Contains(q, "RESET ALL")
		})
		return started
	}

	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	pid := backendPID(t, pc)
	rec.take()
	require.NoError(t, pc.Release())
	require.Equal(t, 1, resets(), "a lease that ran a query is reset at Release")
	first := lastReset(pid)

	pc, err = p.Acquire(ctx)
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	assert.Zero(t, resets(), "a lease that ran nothing sends no reset")

	pc, err = p.Acquire(ctx)
	require.NoError(t, err)
	_, err = pc.Prepare(ctx, "SELECT 1")
	require.NoError(t, err)
	assert.Zero(t, resets(), "no reset deferred from the empty lease leads the next request")
	require.NoError(t, pc.Release())
	assert.Equal(t, 1, resets(), "a lease that prepared a statement is reset")
	eventually(t, 10*time.Second, "the reset ran on the server", func() bool { return lastReset(pid) != first })
}
