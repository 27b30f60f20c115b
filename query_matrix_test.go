package pg_test

import (
	"bytes"
	"fmt"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

// The matrix's new methods behave as their Conn counterparts: a pool
// batch holds its connection until Close; a lease's cursor and callbacks
// end with the lease.
func TestQueryMatrixMethods(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)

	var b pg.Batch
	b.Queue("SELECT 1")
	b.Queue("SELECT 2")
	br, err := p.SendBatch(ctx, &b)
	require.NoError(t, err)
	var one, two int
	require.NoError(t, br.QueryRow().Scan(&one))
	require.NoError(t, br.QueryRow().Scan(&two))
	require.NoError(t, br.Close())
	assert.Equal(t, []int{1, 2}, []int{one, two})
	// The only connection came back: this Acquire does not wait.
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)

	var notices []string
	pc.OnNotice(func(n *pg.Notice) { notices = append(notices, n.Message) })
	_, err = pc.Exec(ctx, "DO $$ BEGIN RAISE NOTICE 'hi'; END $$")
	require.NoError(t, err)
	assert.Equal(t, []string{"hi"}, notices)

	_, err = pc.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	cur, err := pc.Cursor(ctx, "SELECT generate_series(1, 5)")
	require.NoError(t, err)
	recs, err := cur.Fetch(ctx, 2)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	require.NoError(t, pc.Release())
	_, err = cur.Fetch(ctx, 2)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased, "a cursor ends with its lease")
	assert.NoError(t, cur.Close(ctx))

	tx, err := p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	n := 0
	for rec, err := range tx.IterFetchSize(ctx, 2, "SELECT generate_series(1, 5)") {
		require.NoError(t, err)
		n += int(rec.Value(0).(int32))
	}
	assert.Equal(t, 15, n)
	require.NoError(t, tx.Rollback(ctx))
}

// PoolConn.AddListener: each remove drops its one callback, UNLISTEN
// goes with the channel's last one, and the listener ends with the lease.
func TestPoolConnAddListener(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	ctx := ctxT(t)
	const channel = "pc_add_listener"
	listening := func(q pg.Querier) int64 {
		n, err := pg.FetchVal[int64](ctx, q, "SELECT count(*) FROM pg_listening_channels()")
		require.NoError(t, err)
		return n
	}
	notify := func() {
		_, err := admin.Exec(ctx, "NOTIFY "+channel)
		require.NoError(t, err)
	}

	pc := acquire(t, p)
	first, second := make(chan pg.Notification, 10), make(chan pg.Notification, 10)
	rm1, err := pc.AddListener(ctx, channel, func(n pg.Notification) { first <- n })
	require.NoError(t, err)
	rm2, err := pc.AddListener(ctx, channel, func(n pg.Notification) { second <- n })
	require.NoError(t, err)
	notify()
	assert.Equal(t, channel, nextNotification(t, first).Channel, "delivered while the lease is idle")
	nextNotification(t, second)

	require.NoError(t, rm1(ctx))
	assert.EqualValues(t, 1, listening(pc), "the other callback keeps the channel")
	require.NoError(t, rm2(ctx))
	assert.Zero(t, listening(pc), "UNLISTEN with the last callback")

	late := make(chan pg.Notification, 10)
	rm3, err := pc.AddListener(ctx, channel, func(n pg.Notification) { late <- n })
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	assert.NoError(t, rm3(ctx), "Release already ended it")
	_, err = pc.AddListener(ctx, channel, nil)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)

	notify()
	next := acquire(t, p) // the same connection: MaxSize 1
	defer next.Release()
	assert.Zero(t, listening(next), "the lease's LISTEN ended with it")
	_, err = next.Exec(ctx, "SELECT pg_sleep(0.05)")
	require.NoError(t, err)
	assert.Empty(t, late, "the previous lease's callback must not fire")
}

// Stmt.Iter, IterFetchSize and Cursor run the prepared statement (no
// Parse), and on a lease end with it.
func TestStmtIterAndCursor(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c, rec := recordedConn(t)
	stmt, err := c.Prepare(ctx, "SELECT g FROM generate_series(1, $1::int) g")
	require.NoError(t, err)
	sum := func(seq iter.Seq2[pg.Record, error]) int {
		n := 0
		for r, err := range seq {
			require.NoError(t, err)
			n += int(r.Value(0).(int32))
		}
		return n
	}
	rec.take()
	assert.Equal(t, 15, sum(stmt.Iter(ctx, 5)))
	assert.Equal(t, 55, sum(stmt.IterFetchSize(ctx, 3, 10)))
	assert.NotContains(t, frontendTypes(t, bytes.Join(rec.take(), nil)), "P", "no Parse")
	for r, err := range stmt.IterFetchSize(ctx, 2, 100) {
		require.NoError(t, err)
		if r.Value(0).(int32) == 3 {
			break
		}
	}
	assert.ErrorContains(t, iterErr(stmt.IterFetchSize(ctx, 0, 1)), "fetch size must be positive")
	assert.Equal(t, 3, sum(stmt.Iter(ctx, 2)), "usable after a break")

	_, err = stmt.Cursor(ctx, 5)
	assert.ErrorIs(t, err, pg.ErrCursorOutsideTx)
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	cur, err := stmt.Cursor(ctx, 5)
	require.NoError(t, err)
	recs, err := cur.Fetch(ctx, 2)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	recs, err = cur.Fetch(ctx, 10)
	require.NoError(t, err)
	assert.Len(t, recs, 3)
	require.NoError(t, cur.Close(ctx))
	require.NoError(t, tx.Rollback(ctx))

	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	pc := acquire(t, p)
	ps, err := pc.Prepare(ctx, "SELECT g FROM generate_series(1, $1::int) g")
	require.NoError(t, err)
	assert.Equal(t, 6, sum(ps.Iter(ctx, 3)))
	_, err = pc.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	pcur, err := ps.Cursor(ctx, 4)
	require.NoError(t, err)
	_, err = pcur.Fetch(ctx, 1)
	require.NoError(t, err)
	seq := ps.Iter(ctx, 3) // made before Release, run after
	require.NoError(t, pc.Release())
	assert.ErrorIs(t, iterErr(seq), pg.ErrPoolConnReleased)
	_, err = pcur.Fetch(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased, "the cursor ends with the lease")
	_, err = pcur.Forward(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased, "MOVE must not run on a connection that serves someone else")
	_, err = ps.Cursor(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
}

// iterErr runs seq and returns its error, which must be its only element.
func iterErr(seq iter.Seq2[pg.Record, error]) error {
	var errs []error
	for _, err := range seq {
		errs = append(errs, err)
	}
	if len(errs) != 1 {
		return fmt.Errorf("the loop yielded %d elements, want one error", len(errs))
	}
	return errs[0]
}

// A Stmt prepared through a pooled transaction follows the lease rules:
// one from Pool.Begin's Tx ends with the transaction (its connection goes
// back to the pool then), one from a PoolConn's Tx with the lease; either
// way it is deallocated on the server, and its methods, new ones
// included, return ErrPoolConnReleased instead of running on a
// connection that serves someone else.
func TestPooledTxStmtEndsWithLease(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)
	prepared := func() int64 {
		n, err := pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql AND name LIKE 'pgp_%'")
		require.NoError(t, err)
		return n
	}
	checkEnded := func(stmt *pg.Stmt) {
		t.Helper()
		_, err := stmt.Exec(ctx, 1)
		assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
		assert.ErrorIs(t, stmt.ExecMany(ctx, [][]any{{1}}), pg.ErrPoolConnReleased)
		assert.ErrorIs(t, iterErr(stmt.Iter(ctx, 1)), pg.ErrPoolConnReleased)
		_, err = stmt.Cursor(ctx, 1)
		assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
		assert.NoError(t, stmt.Close(ctx))
	}

	tx, err := p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	named, err := tx.PrepareNamed(ctx, "pooled_tx_named", "SELECT $1::int")
	require.NoError(t, err)
	sub, err := tx.Begin(ctx)
	require.NoError(t, err)
	stmt, err := sub.Prepare(ctx, "SELECT $1::int")
	require.NoError(t, err)
	require.NoError(t, sub.Commit(ctx))
	v, err := stmt.FetchVal(ctx, 7)
	require.NoError(t, err, "it outlives the savepoint")
	assert.EqualValues(t, 7, v)
	_, err = stmt.Exec(ctx, 1)
	require.NoError(t, err)
	cur, err := stmt.Cursor(ctx, 3)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	checkEnded(stmt)
	checkEnded(named)
	_, err = cur.Fetch(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrCursorClosed, "ended with the transaction, as Tx.Cursor's")
	_, err = cur.Forward(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrCursorClosed)
	assert.Zero(t, prepared(), "deallocated when the transaction handed its connection back")
	n, err := pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'pooled_tx_named'")
	require.NoError(t, err)
	assert.Zero(t, n)

	pc := acquire(t, p)
	tx, err = pc.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	stmt, err = tx.Prepare(ctx, "SELECT $1::int")
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	v, err = stmt.FetchVal(ctx, 8)
	require.NoError(t, err, "it outlives the transaction while the lease lasts")
	assert.EqualValues(t, 8, v)
	require.NoError(t, pc.Release())
	checkEnded(stmt)
	assert.Zero(t, prepared(), "deallocated at Release")
}
