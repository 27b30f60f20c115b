package pg_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestPoolMaxQueries(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, MaxQueries: 3})
	// backendPID is one query per lease: three leases per connection.
	var pids []int32
	for range 7 {
		pids = append(pids, backendPID(t, p))
	}
	assert.Equal(t, pids[0], pids[1])
	assert.Equal(t, pids[0], pids[2])
	assert.NotEqual(t, pids[2], pids[3])
	assert.Equal(t, pids[3], pids[5])
	assert.NotEqual(t, pids[5], pids[6])
	assert.EqualValues(t, 2, p.Stats().ClosedMaxQueries)

	// Queries are counted per call within one lease too.
	pc := acquire(t, p)
	pid := backendPID(t, pc)
	for range 3 {
		_, err := pc.Exec(ctxT(t), "SELECT 1")
		require.NoError(t, err)
	}
	require.NoError(t, pc.Release())
	assert.NotEqual(t, pid, backendPID(t, p))

	// Every call counts however it was made: a transaction's statements
	// (BEGIN, the query, COMMIT) and calls on the Conn itself. Each part
	// starts on a fresh connection.
	ctx := ctxT(t)
	p, _ = newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, MaxQueries: 3})
	tx, err := p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	pid = backendPID(t, tx)
	require.NoError(t, tx.Commit(ctx))
	pc = acquire(t, p)
	assert.NotEqual(t, pid, backendPID(t, pc.Conn()), "a transaction's statements each count")
	for range 2 {
		_, err := pc.Conn().Exec(ctx, "SELECT 1")
		require.NoError(t, err)
	}
	pid = backendPID(t, pc.Conn())
	require.NoError(t, pc.Release())
	assert.NotEqual(t, pid, backendPID(t, p), "calls on PoolConn.Conn count")
}

func TestPoolInactiveConnectionsClose(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 3, MaxSize: 3, MaxInactiveConnLifetime: 300 * time.Millisecond})
	admin := connect(t)
	// CreatePool opened three; counting them on the server here would race
	// the 300 ms timer on a loaded machine.
	require.EqualValues(t, 3, p.Stats().CreatedConns)
	eventually(t, 20*time.Second, "idle connections closed", func() bool { return p.Stats().Size == 0 })
	st := p.Stats()
	assert.EqualValues(t, 3, st.ClosedInactive, "%+v", st)
	eventually(t, 20*time.Second, "server backends gone", func() bool { return serverConns(t, admin, app) == 0 })

	// The slots reconnect on demand.
	_, err := p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, 1, p.Stats().Size)

	// A connection in use is not closed for inactivity, however long it
	// is held.
	pc := acquire(t, p)
	time.Sleep(700 * time.Millisecond)
	_, err = pc.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	assert.EqualValues(t, 3, p.Stats().ClosedInactive)
	assert.Equal(t, 1, p.Stats().Size)
	// Idle again, it times out a full lifetime after its release.
	eventually(t, 20*time.Second, "released connection closed", func() bool { return p.Stats().ClosedInactive == 4 })
}

func TestPoolExpireConnections(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 3, MaxSize: 3})
	admin := connect(t)
	busy := acquire(t, p)
	busyPID := backendPID(t, busy)
	idlePID := backendPID(t, p)

	p.ExpireConnections()
	st := p.Stats()
	assert.Equal(t, 1, st.Size, "idle connections close at once")
	assert.EqualValues(t, 2, st.ClosedExpired)
	eventually(t, 20*time.Second, "expired backends gone", func() bool { return serverConns(t, admin, app) == 1 })

	// The busy one keeps working until its release, then is replaced.
	assert.Equal(t, busyPID, backendPID(t, busy))
	require.NoError(t, busy.Release())
	assert.EqualValues(t, 3, p.Stats().ClosedExpired)
	pid := backendPID(t, p)
	assert.NotEqual(t, busyPID, pid)
	assert.NotEqual(t, idlePID, pid)
}

func TestPoolSetConnectArgs(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	cfg := testConfig(t)
	cfg.ApplicationName = "pool_new_args"
	require.NoError(t, p.SetConnectConfig(cfg))
	app := func() string {
		s, err := pg.FetchVal[string](ctxT(t), p, "SELECT current_setting('application_name')")
		require.NoError(t, err)
		return s
	}
	assert.NotEqual(t, "pool_new_args", app(), "open connections stay until replaced")
	p.ExpireConnections()
	assert.Equal(t, "pool_new_args", app())

	require.NoError(t, p.SetConnectArgs(testConfig(t).String()+" application_name=pool_dsn_args"))
	p.ExpireConnections()
	assert.Equal(t, "pool_dsn_args", app())
	assert.Error(t, p.SetConnectArgs("postgres://host:notaport/"))
}

func TestPoolMaxConnLifetime(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1,
		MaxConnLifetime: 400 * time.Millisecond, MaxConnLifetimeJitter: 100 * time.Millisecond})

	// Idle past its lifetime: replaced at Acquire.
	pid := backendPID(t, p)
	time.Sleep(time.Second)
	pid2 := backendPID(t, p)
	assert.NotEqual(t, pid, pid2)

	// In use past its lifetime: kept until Release, then replaced.
	pc := acquire(t, p)
	time.Sleep(time.Second)
	assert.Equal(t, pid2, backendPID(t, pc))
	require.NoError(t, pc.Release())
	assert.NotEqual(t, pid2, backendPID(t, p))
	assert.EqualValues(t, 2, p.Stats().ClosedLifetime)
}

func TestPoolServerKillsIdleConnection(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	pid := backendPID(t, p)
	terminateBackend(t, admin, pid)
	// Well inside the second after which idle connections are pinged: the
	// server's FATAL and EOF waiting on the socket give the dead
	// connection away once the pool's clock has ticked (100 ms here) since
	// its release.
	time.Sleep(300 * time.Millisecond)
	pid2 := backendPID(t, p)
	assert.NotEqual(t, pid, pid2)
	assert.EqualValues(t, 1, p.Stats().ClosedBroken)

	// Killed after a lease whose reset reply has already been read.
	pc := acquire(t, p)
	_, err := pc.Exec(ctxT(t), "SET application_name = 'x'")
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	terminateBackend(t, admin, pid2)
	time.Sleep(300 * time.Millisecond)
	pid3 := backendPID(t, p)
	assert.NotEqual(t, pid2, pid3)
	assert.EqualValues(t, 2, p.Stats().ClosedBroken)

	// And after idling past the ping threshold.
	terminateBackend(t, admin, pid3)
	time.Sleep(1100 * time.Millisecond)
	assert.NotEqual(t, pid3, backendPID(t, p))
	assert.EqualValues(t, 3, p.Stats().ClosedBroken)
}

func TestPoolServerKillsConnectionInUse(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	pc := acquire(t, p)
	pid := backendPID(t, pc)
	terminateBackend(t, admin, pid)
	_, err := pc.Exec(ctxT(t), "SELECT 1")
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	var pgErr *pg.PgError
	if assert.ErrorAs(t, err, &pgErr) {
		assert.Equal(t, "57P01", pgErr.Code, "the server's reason reaches the caller")
	}
	require.NoError(t, pc.Release())
	pid2 := backendPID(t, p)
	assert.NotEqual(t, pid, pid2)
	assert.EqualValues(t, 1, p.Stats().ClosedBroken)
}

func TestPoolAcquireCanceled(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	held := acquire(t, p)

	ctx, cancel := context.WithCancel(bg())
	cancel()
	_, err := p.Acquire(ctx)
	assert.ErrorIs(t, err, context.Canceled)

	// Cancelled while waiting.
	ctx, cancel = context.WithCancel(bg())
	done := make(chan error, 1)
	go func() {
		_, err := p.Acquire(ctx)
		done <- err
	}()
	eventually(t, 10*time.Second, "waiter queued", func() bool { return p.Stats().Waiting == 1 })
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Acquire did not return after its context was cancelled")
	}

	// A deadline while the pool is exhausted.
	start := time.Now()
	ctx, cancel = context.WithTimeout(bg(), 200*time.Millisecond)
	defer cancel()
	_, err = p.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 10*time.Second)

	st := p.Stats()
	assert.Equal(t, 0, st.Waiting, "a given-up waiter must leave the queue")
	assert.EqualValues(t, 3, st.CanceledAcquireCount)
	require.NoError(t, held.Release())
	_, err = p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, 1, p.Stats().Size)
}

// Waiters giving up while connections are handed around: nothing leaks,
// every slot comes back.
func TestPoolAcquireCancelRace(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 2, MaxSize: 2})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				ctx, cancel := context.WithTimeout(bg(), time.Duration(1+(i+j)%3)*time.Millisecond)
				pc, err := p.Acquire(ctx)
				cancel()
				if err != nil {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("Acquire: %v", err)
					}
					continue
				}
				_, err = pc.Exec(ctxT(t), "SELECT 1")
				assert.NoError(t, err)
				assert.NoError(t, pc.Release())
			}
		}()
	}
	wg.Wait()
	st := p.Stats()
	assert.Equal(t, 0, st.InUse)
	assert.Equal(t, 0, st.Waiting)
	assert.LessOrEqual(t, st.Size, 2)
	a, b := acquire(t, p), acquire(t, p)
	require.NoError(t, a.Release())
	require.NoError(t, b.Release())
}

func TestPoolCloseWaitsForReleased(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 2, MaxSize: 2})
	admin := connect(t)
	held := acquire(t, p)
	pid := backendPID(t, held)
	other := acquire(t, p)

	// A waiter that gets a connection before Close.
	waiter := make(chan *pg.PoolConn, 1)
	go func() {
		pc, err := p.Acquire(ctxT(t))
		assert.NoError(t, err)
		waiter <- pc
	}()
	eventually(t, 10*time.Second, "waiter queued", func() bool { return p.Stats().Waiting == 1 })
	// A second waiter, still waiting when Close starts.
	lateErr := make(chan error, 1)
	go func() {
		eventually(t, 10*time.Second, "first waiter queued", func() bool { return p.Stats().Waiting >= 1 })
		_, err := p.Acquire(ctxT(t))
		lateErr <- err
	}()
	eventually(t, 10*time.Second, "second waiter queued", func() bool { return p.Stats().Waiting == 2 })
	require.NoError(t, other.Release()) // goes to the first waiter
	wpc := <-waiter

	closed := make(chan error, 1)
	go func() { closed <- p.Close(ctxT(t)) }()
	assert.ErrorIs(t, <-lateErr, pg.ErrPoolClosed)
	eventually(t, 10*time.Second, "Close started", func() bool {
		_, err := p.Acquire(ctxT(t))
		return errors.Is(err, pg.ErrPoolClosed)
	})
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while connections are out", err)
	case <-time.After(200 * time.Millisecond):
	}
	// The connections out keep working until they are released.
	assert.Equal(t, pid, backendPID(t, held))
	require.NoError(t, held.Release())
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a connection is out", err)
	case <-time.After(200 * time.Millisecond):
	}
	_, err := wpc.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	require.NoError(t, wpc.Release())
	select {
	case err := <-closed:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("Close did not return after every connection was released")
	}
	eventually(t, 20*time.Second, "backends gone", func() bool { return serverConns(t, admin, app) == 0 })
	assert.NoError(t, p.Close(ctxT(t)), "Close is idempotent")
	p.Terminate()
	st := p.Stats()
	assert.Equal(t, 0, st.Size)
	assert.EqualValues(t, 2, st.ClosedPoolClosed)
	_, err = p.Exec(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolClosed)
}

func TestPoolCloseTimeoutTerminates(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 2, MaxSize: 2})
	admin := connect(t)
	held := acquire(t, p)
	_, err := held.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(bg(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p.Close(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "1 connection(s) still in use were terminated")
	assert.Less(t, time.Since(start), 10*time.Second)

	_, err = held.Exec(ctxT(t), "SELECT 1")
	assert.Error(t, err, "the connection still out was terminated")
	require.NoError(t, held.Release())
	assert.Equal(t, 0, p.Stats().Size)
	eventually(t, 20*time.Second, "backends gone", func() bool { return serverConns(t, admin, app) == 0 })
	assert.NoError(t, p.Close(ctxT(t)))
}

func TestPoolTerminate(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 3, MaxSize: 3})
	admin := connect(t)
	held := acquire(t, p)
	rows, err := held.Query(ctxT(t), "SELECT generate_series(1, 1000000)")
	require.NoError(t, err)
	require.True(t, rows.Next())

	p.Terminate()
	p.Terminate()
	for rows.Next() {
	}
	assert.Error(t, rows.Err(), "a query in flight fails when the pool is terminated")
	_, err = held.Exec(ctxT(t), "SELECT 1")
	assert.Error(t, err)
	_, err = p.Acquire(ctxT(t))
	assert.ErrorIs(t, err, pg.ErrPoolClosed)
	eventually(t, 20*time.Second, "backends gone", func() bool { return serverConns(t, admin, app) == 0 })

	closed := make(chan error, 1)
	go func() { closed <- p.Close(ctxT(t)) }()
	require.NoError(t, held.Release())
	select {
	case err := <-closed:
		assert.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("Close after Terminate did not return once the lease was released")
	}
	assert.Equal(t, 0, p.Stats().Size)
}

// Connections expired and killed under load: callers see at worst a
// *ConnError for a connection killed mid-call, and the pool stays
// consistent and usable.
func TestPoolChaos(t *testing.T) {
	t.Parallel()
	const size = 5
	p, app := newPool(t, pg.PoolConfig{MinSize: 2, MaxSize: size, MaxQueries: 40})
	admin := connect(t)
	stop := make(chan struct{})
	var chaos sync.WaitGroup
	chaos.Add(1)
	go func() {
		defer chaos.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(15 * time.Millisecond):
			}
			if i%2 == 0 {
				p.ExpireConnections()
				continue
			}
			_, err := admin.Exec(bg(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 LIMIT 1", app)
			assert.NoError(t, err)
		}
	}()
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 30 {
				var err error
				if pc, aerr := p.Acquire(ctxT(t)); aerr != nil {
					err = aerr
				} else {
					_, err = pc.Exec(ctxT(t), "SELECT pg_sleep(0.001)")
					assert.NoError(t, pc.Release())
				}
				if err != nil {
					var connErr *pg.ConnError
					if !errors.As(err, &connErr) {
						t.Errorf("unexpected error: %v", err)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	chaos.Wait()
	st := p.Stats()
	assert.Equal(t, 0, st.InUse)
	assert.Equal(t, 0, st.Waiting)
	assert.LessOrEqual(t, st.Size, size)
	assert.Positive(t, st.ClosedExpired)
	t.Logf("stats after chaos: %+v", st)
	_, err := p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	eventually(t, 20*time.Second, "server connections within MaxSize", func() bool { return serverConns(t, admin, app) <= size })
}
