package pg_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// poolTable creates a table for the test and drops it at the end.
func poolTable(t *testing.T, p *pg.Pool) string {
	t.Helper()
	name := fmt.Sprintf("pool_t_%d", poolSeq.Add(1))
	_, err := p.Exec(ctxT(t), "CREATE TABLE "+name+" (a int, b text)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = p.Exec(bg(), "DROP TABLE IF EXISTS "+name) })
	return name
}

func TestPoolBeginReleasesAtEnd(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 2})
	table := poolTable(t, p)
	ctx := ctxT(t)

	tx, err := p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, p.Stats().InUse)
	_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES (1, 'a')")
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	assert.Equal(t, 0, p.Stats().InUse, "Commit releases the connection")
	assert.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 0, p.Stats().InUse)

	tx, err = p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES (2, 'b')")
	require.NoError(t, err)
	sub, err := tx.Begin(ctx)
	require.NoError(t, err)
	require.NoError(t, sub.Commit(ctx))
	assert.Equal(t, 1, p.Stats().InUse, "a nested transaction's end does not release")
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 0, p.Stats().InUse, "Rollback releases the connection")

	n, err := pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM "+table)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)

	require.NoError(t, pg.WithTx(ctx, p, pg.TxOptions{}, func(tx *pg.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES (3, 'c')")
		return err
	}))
	assert.Equal(t, 0, p.Stats().InUse)

	// Through a PoolConn the lease outlives the transaction.
	pc := acquire(t, p)
	tx, err = pc.Begin(ctx, pg.TxOptions{ReadOnly: true})
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	assert.Equal(t, 1, p.Stats().InUse)
	// A Tx left open at Release is rolled back and can no longer reach
	// the connection, which may serve someone else by then.
	tx, err = pc.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES (4, 'd')")
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES (5, 'e')")
	assert.ErrorIs(t, err, pg.ErrTxClosed)
	assert.ErrorIs(t, tx.Commit(ctx), pg.ErrTxClosed)
	n, err = pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM "+table+" WHERE a >= 4")
	require.NoError(t, err)
	assert.Zero(t, n, "the open transaction was rolled back at Release")
	_, err = pc.Begin(ctx, pg.TxOptions{})
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
}

func TestPoolExecManyAndCopy(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 2})
	table := poolTable(t, p)
	ctx := ctxT(t)

	require.NoError(t, p.ExecMany(ctx, "INSERT INTO "+table+" VALUES ($1, $2)", [][]any{{1, "a"}, {2, "b"}}))
	n, err := p.CopyRecordsToTable(ctx, table, []string{"a", "b"}, pg.CopyFromRows([][]any{{3, "c"}, {4, "d"}}))
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	n, err = p.CopyToTable(ctx, table, strings.NewReader("5,e\n6,f\n"), pg.CopyOptions{Format: "csv"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)

	var out bytes.Buffer
	n, err = p.CopyFromTable(ctx, table, &out, pg.CopyOptions{Format: "csv"})
	require.NoError(t, err)
	assert.EqualValues(t, 6, n)
	assert.Contains(t, out.String(), "6,f")
	out.Reset()
	n, err = p.CopyFromQuery(ctx, "SELECT a FROM "+table+" WHERE a > $1 ORDER BY a", &out, pg.CopyOptions{}, 4)
	require.NoError(t, err)
	assert.EqualValues(t, 2, n)
	assert.Equal(t, "5\n6\n", out.String())
	assert.Equal(t, 0, p.Stats().InUse)

	pc := acquire(t, p)
	require.NoError(t, pc.ExecMany(ctx, "INSERT INTO "+table+" VALUES ($1, $2)", [][]any{{7, "g"}}))
	n, err = pc.CopyRecordsToTable(ctx, table, []string{"a", "b"}, pg.CopyFromRows([][]any{{8, "h"}}))
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	n, err = pc.CopyToTable(ctx, table, strings.NewReader("9\ti\n"), pg.CopyOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	out.Reset()
	n, err = pc.CopyFromTable(ctx, table, &out, pg.CopyOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 9, n)
	out.Reset()
	n, err = pc.CopyFromQuery(ctx, "SELECT count(*) FROM "+table, &out, pg.CopyOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)
	assert.Equal(t, "9\n", out.String())
	require.NoError(t, pc.Release())
	assert.ErrorIs(t, pc.ExecMany(ctx, "SELECT 1", nil), pg.ErrPoolConnReleased)
}

func TestPoolConnListenEndsAtRelease(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	ctx := ctxT(t)
	var got atomic.Int32
	pc := acquire(t, p)
	require.NoError(t, pc.Listen(ctx, "pool_listen_chan", func(pg.Notification) { got.Add(1) }))
	_, err := admin.Exec(ctx, "NOTIFY pool_listen_chan")
	require.NoError(t, err)
	eventually(t, 10*time.Second, "notification delivered", func() bool {
		_, err := pc.Exec(ctx, "SELECT 1")
		require.NoError(t, err)
		return got.Load() == 1
	})
	require.NoError(t, pc.Unlisten(ctx, "pool_listen_chan"))
	require.NoError(t, pc.Listen(ctx, "pool_listen_chan", func(pg.Notification) { got.Add(1) }))
	require.NoError(t, pc.Release())

	_, err = admin.Exec(ctx, "NOTIFY pool_listen_chan")
	require.NoError(t, err)
	pc = acquire(t, p)
	defer pc.Release()
	for range 5 {
		_, err := pc.Exec(ctx, "SELECT pg_sleep(0.02)")
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, got.Load(), "the previous lease's listener must not fire")
	ch, err := pg.FetchVal[int64](ctx, pc, "SELECT count(*) FROM pg_listening_channels()")
	require.NoError(t, err)
	assert.Zero(t, ch)
}

func TestPoolConnWaitForNotification(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	ctx := ctxT(t)
	pc := acquire(t, p)
	defer pc.Release()
	require.NoError(t, pc.Listen(ctx, "pool_wait_chan", nil))
	_, err := admin.Exec(ctx, "NOTIFY pool_wait_chan, 'hi'")
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := pc.WaitForNotification(wctx)
	require.NoError(t, err)
	assert.Equal(t, "hi", n.Payload)
	require.NoError(t, pc.Release())
	_, err = pc.WaitForNotification(wctx)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
}

func TestPoolConnWaitForNotificationFirst(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)
	_, err := p.Exec(ctx, "SET work_mem = '7MB'")
	require.NoError(t, err)
	pc := acquire(t, p)
	defer pc.Release()
	// Nothing ran yet in this lease: the reset's reply is read first, and
	// the wait then ends with its context.
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = pc.WaitForNotification(wctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = pc.Exec(ctx, "SELECT 1")
	require.NoError(t, err, "the connection stays usable")
}

func TestPoolConnSendBatch(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)
	pc := acquire(t, p)
	var b pg.Batch
	b.Queue("SELECT $1::int", 1)
	b.Queue("SELECT 'two'::text")
	br, err := pc.SendBatch(ctx, &b)
	require.NoError(t, err)
	var one int32
	require.NoError(t, br.QueryRow().Scan(&one))
	var two string
	require.NoError(t, br.QueryRow().Scan(&two))
	require.NoError(t, br.Close())
	assert.EqualValues(t, 1, one)
	assert.Equal(t, "two", two)
	require.NoError(t, pc.Release())
	_, err = pc.SendBatch(ctx, &b)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
}
