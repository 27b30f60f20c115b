package pg_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestPoolConfigValidation(t *testing.T) {
	t.Parallel()
	dsn := testConfig(t).String()
	cases := []struct {
		name string
		pc   pg.PoolConfig
		want string
	}{
		{"min above max", pg.PoolConfig{MinSize: 5, MaxSize: 2}, "MinSize (5) is larger than MaxSize (2)"},
		{"negative max", pg.PoolConfig{MaxSize: -1}, "MaxSize is -1"},
		{"negative lifetime", pg.PoolConfig{MaxConnLifetime: -time.Second}, "MaxConnLifetime"},
		{"negative jitter", pg.PoolConfig{MaxConnLifetime: time.Second, MaxConnLifetimeJitter: -1}, "MaxConnLifetimeJitter"},
		{"jitter alone", pg.PoolConfig{MaxConnLifetimeJitter: time.Second}, "without MaxConnLifetime"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := pg.CreatePool(ctxT(t), dsn, tc.pc)
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	// DefaultPoolConfig: asyncpg's defaults, MinSize opened up front.
	p, _ := newPool(t, pg.DefaultPoolConfig())
	st := p.Stats()
	assert.Equal(t, 10, st.MinSize)
	assert.Equal(t, 10, st.MaxSize)
	assert.Equal(t, 10, st.Size)
	assert.Equal(t, 10, st.Idle)
	assert.EqualValues(t, 10, st.CreatedConns)

	// Zero means none: the zero value and MinSize 0 open no connection up
	// front (the PoolConfig{MinSize: 0, MaxSize: 5} opened 5).
	p2, _ := newPool(t, pg.PoolConfig{})
	assert.Equal(t, 0, p2.Stats().Size)
	assert.Equal(t, 10, p2.Stats().MaxSize)
	p3, _ := newPool(t, pg.PoolConfig{MinSize: 0, MaxSize: 5})
	assert.Equal(t, 0, p3.Stats().Size)
}

func TestPoolCreateFailureClosesOpened(t *testing.T) {
	t.Parallel()
	var opened []*pg.Conn
	var mu sync.Mutex
	n := 0
	_, err := pg.CreatePoolConfig(ctxT(t), testConfig(t), pg.PoolConfig{
		MinSize: 4, MaxSize: 4,
		Connect: func(ctx context.Context, cfg *pg.Config) (*pg.Conn, error) {
			mu.Lock()
			defer mu.Unlock()
			n++
			if n == 3 {
				return nil, errors.New("connect refused for the test")
			}
			c, err := pg.ConnectConfig(ctx, cfg)
			if err == nil {
				opened = append(opened, c)
			}
			return c, err
		},
	})
	require.ErrorContains(t, err, "connect refused for the test")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, opened, 3)
	for _, c := range opened {
		assert.True(t, c.IsClosed(), "a connection opened by the failed CreatePool is still open")
	}
}

func TestPoolConcurrent(t *testing.T) {
	t.Parallel()
	const size, workers, perWorker = 10, 200, 15
	p, app := newPool(t, pg.PoolConfig{MinSize: 2, MaxSize: size})
	admin := connect(t)

	stop := make(chan struct{})
	var maxSeen atomic.Int64
	var watcher sync.WaitGroup
	watcher.Add(1)
	go func() {
		defer watcher.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, err := pg.FetchVal[int64](bg(), admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app)
			if err == nil && n > maxSeen.Load() {
				maxSeen.Store(n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()

	var wg sync.WaitGroup
	var failures atomic.Int64
	var firstErr atomic.Value
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				var err error
				switch i % 3 {
				case 0:
					var v int64
					v, err = pg.FetchVal[int64](ctxT(t), p, "SELECT $1::int8 + 1", int64(w))
					if err == nil && v != int64(w)+1 {
						err = fmt.Errorf("got %d", v)
					}
				case 1:
					pc, aerr := p.Acquire(ctxT(t))
					if aerr != nil {
						err = aerr
						break
					}
					_, err = pc.Exec(ctxT(t), "SELECT pg_sleep(0.001)")
					if err == nil {
						_, err = pc.Fetch(ctxT(t), "SELECT generate_series(1, 5)")
					}
					_ = pc.Release()
				case 2:
					_, err = p.Exec(ctxT(t), "SET work_mem = '8MB'")
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	watcher.Wait()
	if e := firstErr.Load(); e != nil {
		t.Fatalf("%d calls failed; first: %v", failures.Load(), e)
	}
	st := p.Stats()
	assert.LessOrEqual(t, st.Size, size)
	assert.LessOrEqual(t, maxSeen.Load(), int64(size), "more server connections than MaxSize")
	assert.Positive(t, maxSeen.Load())
	assert.Equal(t, 0, st.InUse)
	assert.Equal(t, 0, st.Waiting)
	assert.Positive(t, st.AcquireWaitCount)
	assert.Positive(t, st.AcquireWaitDuration)
	assert.LessOrEqual(t, serverConns(t, admin, app), size)
}

func TestPoolLIFO(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 5, MaxSize: 5})
	// At concurrency one the most recently released connection serves
	// every Acquire.
	first := backendPID(t, p)
	for range 20 {
		assert.Equal(t, first, backendPID(t, p))
	}
	// With two out, the next Acquire gets the one released last.
	a, b := acquire(t, p), acquire(t, p)
	pidA, pidB := backendPID(t, a), backendPID(t, b)
	require.NoError(t, a.Release())
	require.NoError(t, b.Release())
	c := acquire(t, p)
	assert.Equal(t, pidB, backendPID(t, c))
	d := acquire(t, p)
	assert.Equal(t, pidA, backendPID(t, d))
	require.NoError(t, c.Release())
	require.NoError(t, d.Release())
	st := p.Stats()
	assert.EqualValues(t, 25, st.AcquireCount)
	assert.Zero(t, st.AcquireWaitCount)
	assert.EqualValues(t, 5, st.CreatedConns)
}

func TestPoolWaitersFIFO(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	held := acquire(t, p)
	order := make(chan int, 5)
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pc, err := p.Acquire(ctxT(t))
			if !assert.NoError(t, err) {
				return
			}
			order <- i
			assert.NoError(t, pc.Release())
		}()
		// Queue them in a known order.
		eventually(t, 10*time.Second, "waiter queued", func() bool { return p.Stats().Waiting == i+1 })
	}
	require.NoError(t, held.Release())
	wg.Wait()
	close(order)
	var got []int
	for i := range order {
		got = append(got, i)
	}
	assert.Equal(t, []int{0, 1, 2, 3, 4}, got)
}

func TestPoolUseAfterRelease(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	pc := acquire(t, p)
	require.NoError(t, pc.Release())
	assert.ErrorIs(t, pc.Release(), pg.ErrPoolConnReleased)
	_, err := pc.Exec(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	_, err = pc.Query(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	_, err = pc.Fetch(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	_, err = pc.FetchRow(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	var one int
	assert.ErrorIs(t, pc.QueryRow(ctxT(t), "SELECT 1").Scan(&one), pg.ErrPoolConnReleased)
	assert.Nil(t, pc.Conn())

	// The connection now serves someone else, untouched by the stale
	// PoolConn.
	other := acquire(t, p)
	_, err = other.Exec(ctxT(t), "BEGIN")
	require.NoError(t, err)
	_, err = pc.Exec(ctxT(t), "COMMIT")
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
	assert.True(t, other.Conn().InTransaction())
	_, err = other.Exec(ctxT(t), "COMMIT")
	require.NoError(t, err)
	require.NoError(t, other.Release())
}

func TestPoolQueryMethods(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 2})
	ctx := ctxT(t)

	tag, err := p.Exec(ctx, "SELECT $1::int", 1)
	require.NoError(t, err)
	assert.Equal(t, "SELECT 1", tag.String())

	rows, err := p.Query(ctx, "SELECT generate_series(1, 3)")
	require.NoError(t, err)
	assert.Equal(t, 1, p.Stats().InUse, "Query holds its connection until the Rows is closed")
	n := 0
	for rows.Next() {
		n++
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, 3, n)
	assert.Equal(t, 0, p.Stats().InUse)

	rows, err = p.Query(ctx, "SELECT generate_series(1, 1000)")
	require.NoError(t, err)
	require.True(t, rows.Next())
	require.NoError(t, rows.Close())
	assert.Equal(t, 0, p.Stats().InUse)

	recs, err := p.Fetch(ctx, "SELECT x, x * 2 AS y FROM generate_series(1, 4) x")
	require.NoError(t, err)
	assert.Len(t, recs, 4)
	rec, err := p.FetchRow(ctx, "SELECT 'a'::text AS s")
	require.NoError(t, err)
	assert.Equal(t, "a", rec.Get("s"))
	_, err = p.FetchRow(ctx, "SELECT 1 WHERE false")
	assert.ErrorIs(t, err, pg.ErrNoRows)
	var s string
	require.NoError(t, p.QueryRow(ctx, "SELECT 'b'::text").Scan(&s))
	assert.Equal(t, "b", s)
	v, err := pg.FetchVal[int64](ctx, p, "SELECT 42::int8")
	require.NoError(t, err)
	assert.EqualValues(t, 42, v)

	// A failing query releases its connection too.
	_, err = p.Query(ctx, "SELECT * FROM no_such_table_pool")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "42P01", pgErr.Code)
	_, err = p.Exec(ctx, "SELECT 1/0")
	require.ErrorAs(t, err, &pgErr)
	st := p.Stats()
	assert.Equal(t, 0, st.InUse)
	assert.LessOrEqual(t, st.Size, 2)
}

func TestPoolStatementCacheSurvivesRelease(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	pc := acquire(t, p)
	_, err := pc.Exec(ctxT(t), "SELECT $1::int + 7", 1)
	require.NoError(t, err)
	cached := pg.StatementCacheLen(pc.Conn())
	require.Positive(t, cached)
	require.NoError(t, pc.Release())

	pc = acquire(t, p)
	defer pc.Release()
	assert.Equal(t, cached, pg.StatementCacheLen(pc.Conn()))
	v, err := pg.FetchVal[int32](ctxT(t), pc, "SELECT $1::int + 7", 1)
	require.NoError(t, err)
	assert.EqualValues(t, 8, v)
	var n int64
	require.NoError(t, pc.QueryRow(ctxT(t), "SELECT count(*) FROM pg_prepared_statements").Scan(&n))
	assert.Positive(t, n, "the reset must not deallocate the cached statements")
}

func TestPoolReleaseWithOpenRows(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	pc := acquire(t, p)
	pid := backendPID(t, pc)
	rows, err := pc.Query(ctxT(t), "SELECT generate_series(1, 100000)")
	require.NoError(t, err)
	require.True(t, rows.Next())
	require.NoError(t, pc.Release()) // the connection is closed, not returned mid-stream
	assert.NotEqual(t, pid, backendPID(t, p))
	assert.EqualValues(t, 1, p.Stats().ClosedBroken)
}
