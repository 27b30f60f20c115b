package pg

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/pgtest"
)

// A reset that fails partway — here one made to fail on purpose after
// dirtying the session, since the default reset has no failure a test can
// provoke without breaking the shared server — must never hand out the
// dirty session: the next call is refused and the connection closed.

// failingReset sets work_mem, then fails: were its transaction committed,
// the next user would see 9MB.
const failingReset = "BEGIN; SET work_mem = '9MB'; SELECT 1/0; COMMIT"

func newResetPool(t *testing.T) *Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := CreatePool(ctx, pgtest.Shared().DSN(), PoolConfig{MinSize: 1, MaxSize: 1})
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	return p
}

// leaseWithFailingReset runs one query on the pool's connection and
// releases it with the failing reset; it returns the backend PID.
func leaseWithFailingReset(t *testing.T, p *Pool) int32 {
	t.Helper()
	ctx := context.Background()
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	pid, err := FetchVal[int32](ctx, pc, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	pc.h.resetSQL, pc.h.rollbackResetSQL = failingReset, "ROLLBACK; "+failingReset
	require.NoError(t, pc.Release())
	return pid
}

// acquireUnpeeked runs lease (which leaves the pool's one connection idle
// with its reset's reply owed) and acquires that connection without
// Acquire reading the reply: as a busy pool does, when the server spoke
// on it less than peekAfterIdle before. The connection is made to look
// just heard from; on a loaded machine the goroutine may still pause past
// the threshold, so a few tries.
func acquireUnpeeked(t *testing.T, p *Pool, lease func()) *PoolConn {
	t.Helper()
	for try := 0; ; try++ {
		lease()
		p.mu.Lock()
		for _, h := range p.idle {
			h.conn.markSeen()
		}
		p.mu.Unlock()
		pc, err := p.Acquire(context.Background())
		require.NoError(t, err)
		if pc.h.conn.pendingSyncs == 1 || try == 20 {
			return pc
		}
		// Acquire read the reply (a failed reset's connection was
		// closed, and counted in Stats): try again.
		require.NoError(t, pc.Release())
	}
}

func TestPoolFailedResetRefusesNextCall(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	var pid int32
	pc := acquireUnpeeked(t, p, func() { pid = leaseWithFailingReset(t, p) })
	closedBefore := p.Stats().ClosedResetFailed // a retry in acquireUnpeeked closed one
	_, err := pc.Exec(ctx, "SET work_mem = '1MB'")
	var re *PoolResetError
	require.ErrorAs(t, err, &re)
	var pgErr *PgError
	require.ErrorAs(t, re.ResetErr, &pgErr)
	assert.Equal(t, "22012", pgErr.Code, "the reset's own failure is reported")
	require.ErrorAs(t, re.Err, &pgErr)
	assert.Equal(t, "25P02", pgErr.Code, "the call did not run")

	// Whatever the caller tries next on it is refused, even a ROLLBACK
	// that would end the failed transaction.
	_, err = pc.Exec(ctx, "ROLLBACK")
	require.ErrorAs(t, err, &re)
	assert.Nil(t, re.Err)
	_, err = pc.Fetch(ctx, "SELECT current_setting('work_mem')")
	require.ErrorAs(t, err, &re)
	require.NoError(t, pc.Release())
	assert.EqualValues(t, closedBefore+1, p.Stats().ClosedResetFailed)

	wm, err := FetchVal[string](ctx, p, "SELECT current_setting('work_mem')")
	require.NoError(t, err)
	assert.NotEqual(t, "9MB", wm)
	newPID, err := FetchVal[int32](ctx, p, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	assert.NotEqual(t, pid, newPID)
}

func TestPoolMethodsRetryAfterFailedReset(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	pid := leaseWithFailingReset(t, p)
	// Pool.FetchVal (Query) meets the failed reset, and retries on a new
	// connection.
	newPID, err := FetchVal[int32](ctx, p, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	assert.NotEqual(t, pid, newPID)
	assert.EqualValues(t, 1, p.Stats().ClosedResetFailed)

	leaseWithFailingReset(t, p)
	tag, err := p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, "SELECT 1", tag.String())
	assert.EqualValues(t, 2, p.Stats().ClosedResetFailed)
}

func TestPoolPingFindsFailedReset(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	pid := leaseWithFailingReset(t, p)
	time.Sleep(pingAfterIdle + time.Second)
	pc, err := p.Acquire(ctx) // idle long enough to be checked: replaced at once
	require.NoError(t, err)
	defer pc.Release()
	newPID, err := FetchVal[int32](ctx, pc, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	assert.NotEqual(t, pid, newPID)
	assert.EqualValues(t, 1, p.Stats().ClosedResetFailed)
	assert.False(t, errors.Is(err, ErrPoolClosed))
}

func TestDefaultResetSQL(t *testing.T) {
	t.Parallel()
	c := &Conn{params: map[string]string{"server_version": "16.2"}}
	reset, rb := defaultResetSQL(c)
	assert.Equal(t, "BEGIN ISOLATION LEVEL READ COMMITTED; RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; "+
		"SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; COMMIT", reset)
	assert.Equal(t, "ROLLBACK; "+reset, rb)

	c = &Conn{params: map[string]string{"server_version": "8.1.4"}}
	reset, _ = defaultResetSQL(c)
	assert.NotContains(t, reset, "advisory")
	assert.NotContains(t, reset, "CLOSE ALL")

	c = &Conn{params: map[string]string{"server_version": "13.0.0", "crdb_version": "CockroachDB CCL v23.1"}}
	reset, rb = defaultResetSQL(c)
	assert.Empty(t, reset)
	assert.Equal(t, "ROLLBACK", rb)
}

// The same when the failing reset travels with the first request of a
// waiter the connection was handed to.
func TestPoolFailedResetOnHandoff(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	_, err = pc.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	pc.h.resetSQL = failingReset
	got := make(chan *PoolConn, 1)
	go func() {
		w, err := p.Acquire(ctx)
		assert.NoError(t, err)
		got <- w
	}()
	deadline := time.Now().Add(10 * time.Second)
	for p.Stats().Waiting != 1 {
		require.True(t, time.Now().Before(deadline), "the waiter never queued")
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, pc.Release())
	w := <-got
	_, err = w.Exec(ctx, "SET work_mem = '1MB'")
	var re *PoolResetError
	require.ErrorAs(t, err, &re)
	require.NoError(t, w.Release())
	assert.EqualValues(t, 1, p.Stats().ClosedResetFailed)
	wm, err := FetchVal[string](ctx, p, "SELECT current_setting('work_mem')")
	require.NoError(t, err)
	assert.NotEqual(t, "9MB", wm)
}
