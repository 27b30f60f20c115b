package pg_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// traceKey marks contexts: the caller's (value "caller") and the ones the
// recorder's start hooks return (the event's name and number).
type traceKey struct{}

// traceEvent is one hook call the recorder saw.
type traceEvent struct {
	name string
	// ctx is the traceKey value of the context the hook received; gid the
	// goroutine it ran on.
	ctx  any
	gid  string
	data any
}

// traceRecorder is a Tracer that records every hook call.
type traceRecorder struct {
	mu     sync.Mutex
	events []traceEvent
}

func goroutineID() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	return string(bytes.Fields(b)[1])
}

func (r *traceRecorder) add(ctx context.Context, name string, data any) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, traceEvent{name: name, ctx: ctx.Value(traceKey{}), gid: goroutineID(), data: data})
	return context.WithValue(ctx, traceKey{}, fmt.Sprintf("%s#%d", name, len(r.events)))
}

func (r *traceRecorder) addEnd(ctx context.Context, name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, traceEvent{name: name, ctx: ctx.Value(traceKey{}), gid: goroutineID(), data: data})
}

func (r *traceRecorder) tracer() *pg.Tracer {
	return &pg.Tracer{
		ConnectStart: func(ctx context.Context, d pg.TraceConnectStart) context.Context {
			return r.add(ctx, "connect", d)
		},
		ConnectEnd: func(ctx context.Context, d pg.TraceConnectEnd) { r.addEnd(ctx, "connect.end", d) },
		QueryStart: func(ctx context.Context, c *pg.Conn, d pg.TraceQueryStart) context.Context {
			return r.add(ctx, "query", d)
		},
		QueryEnd: func(ctx context.Context, c *pg.Conn, d pg.TraceQueryEnd) { r.addEnd(ctx, "query.end", d) },
		PrepareStart: func(ctx context.Context, c *pg.Conn, d pg.TracePrepareStart) context.Context {
			return r.add(ctx, "prepare", d)
		},
		PrepareEnd: func(ctx context.Context, c *pg.Conn, d pg.TracePrepareEnd) { r.addEnd(ctx, "prepare.end", d) },
		BatchStart: func(ctx context.Context, c *pg.Conn, d pg.TraceBatchStart) context.Context {
			return r.add(ctx, "batch", d)
		},
		BatchEnd: func(ctx context.Context, c *pg.Conn, d pg.TraceBatchEnd) { r.addEnd(ctx, "batch.end", d) },
		CopyStart: func(ctx context.Context, c *pg.Conn, d pg.TraceCopyStart) context.Context {
			return r.add(ctx, "copy", d)
		},
		CopyEnd: func(ctx context.Context, c *pg.Conn, d pg.TraceCopyEnd) { r.addEnd(ctx, "copy.end", d) },
		CancelStart: func(ctx context.Context, c *pg.Conn) context.Context {
			return r.add(ctx, "cancel", nil)
		},
		CancelEnd: func(ctx context.Context, c *pg.Conn, d pg.TraceCancelEnd) { r.addEnd(ctx, "cancel.end", d) },
		AcquireStart: func(ctx context.Context, p *pg.Pool) context.Context {
			return r.add(ctx, "acquire", nil)
		},
		AcquireEnd: func(ctx context.Context, p *pg.Pool, d pg.TraceAcquireEnd) { r.addEnd(ctx, "acquire.end", d) },
		Release: func(p *pg.Pool, c *pg.Conn, d pg.TraceRelease) {
			r.addEnd(context.Background(), "release", d)
		},
	}
}

// take returns the events recorded so far and forgets them.
func (r *traceRecorder) take() []traceEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := r.events
	r.events = nil
	return ev
}

func names(ev []traceEvent) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.name
	}
	return out
}

// checkPairs asserts that each end event got the context its start
// returned (the start is the event just before, or given by index) and
// that every hook ran on the caller's goroutine with the caller's ctx.
func checkPairs(t *testing.T, ev []traceEvent, gid string) {
	t.Helper()
	var open []int
	for i, e := range ev {
		assert.Equal(t, gid, e.gid, "%s ran on another goroutine", e.name)
		if strings.HasSuffix(e.name, ".end") {
			require.NotEmpty(t, open, "%s without a start", e.name)
			s := open[len(open)-1]
			open = open[:len(open)-1]
			assert.Equal(t, fmt.Sprintf("%s#%d", ev[s].name, s+1), e.ctx, "%s got the context its start returned", e.name)
			continue
		}
		if len(open) == 0 {
			assert.Equal(t, "caller", e.ctx, "%s got the caller's ctx", e.name)
		}
		open = append(open, i)
	}
	assert.Empty(t, open, "unended events")
}

func tracedConn(t *testing.T) (*pg.Conn, *traceRecorder, context.Context) {
	rec := &traceRecorder{}
	cfg := testConfig(t)
	cfg.Tracer = rec.tracer()
	ctx := context.WithValue(ctxT(t), traceKey{}, "caller")
	c, err := pg.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c, rec, ctx
}

func TestTracerConnect(t *testing.T) {
	t.Parallel()
	c, rec, _ := tracedConn(t)
	ev := rec.take()
	require.Equal(t, []string{"connect", "connect.end"}, names(ev))
	checkPairs(t, ev, goroutineID())
	start := ev[0].data.(pg.TraceConnectStart)
	end := ev[1].data.(pg.TraceConnectEnd)
	assert.Equal(t, c.Config().Hosts, start.Hosts)
	assert.Same(t, c, end.Conn)
	assert.Equal(t, c.Host(), end.Host)
	assert.Equal(t, 0, end.HostIndex)
	assert.NoError(t, end.Err)
	assert.Positive(t, end.Duration)
	assert.Equal(t, uint16(0), end.TLSVersion, "the test server is reached without TLS")

	// The authentication method the server asked for.
	recAuth := &traceRecorder{}
	cfg0 := testConfig(t)
	cfg0.User, cfg0.Password = scramUser, scramPass
	cfg0.Tracer = recAuth.tracer()
	ca, err := pg.ConnectConfig(ctxT(t), cfg0)
	require.NoError(t, err)
	defer ca.Close(context.Background())
	ev = recAuth.take()
	require.Len(t, ev, 2)
	assert.Equal(t, "SCRAM-SHA-256", ev[1].data.(pg.TraceConnectEnd).AuthMethod)

	// A list of hosts: the first refuses, the second is reported.
	rec2 := &traceRecorder{}
	cfg := testConfig(t)
	cfg.Hosts = append([]pg.Host{{Host: "127.0.0.1", Port: 1}}, cfg.Hosts...)
	cfg.Tracer = rec2.tracer()
	c2, err := pg.ConnectConfig(ctxT(t), cfg)
	require.NoError(t, err)
	defer c2.Close(context.Background())
	ev = rec2.take()
	require.Len(t, ev, 2)
	assert.Equal(t, 1, ev[1].data.(pg.TraceConnectEnd).HostIndex)

	// A failure: no connection, the error, no host.
	rec3 := &traceRecorder{}
	cfg = testConfig(t)
	cfg.Hosts = []pg.Host{{Host: "127.0.0.1", Port: 1}}
	cfg.Tracer = rec3.tracer()
	_, err = pg.ConnectConfig(ctxT(t), cfg)
	require.Error(t, err)
	ev = rec3.take()
	require.Len(t, ev, 2)
	fail := ev[1].data.(pg.TraceConnectEnd)
	assert.Nil(t, fail.Conn)
	assert.Equal(t, -1, fail.HostIndex)
	assert.Equal(t, err, fail.Err)
}

func TestTracerQuery(t *testing.T) {
	t.Parallel()
	c, rec, ctx := tracedConn(t)
	rec.take()
	gid := goroutineID()

	_, err := c.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	var n int
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int + 1", 1).Scan(&n))
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int + 1", 2).Scan(&n))
	_, err = c.Exec(ctx, "SELECT * FROM generate_series(1, $1)", 5)
	require.NoError(t, err)
	_, err = c.Exec(ctx, "SELECT 1/$1::int", 0)
	require.Error(t, err)

	ev := rec.take()
	require.Equal(t, []string{"query", "query.end", "query", "query.end", "query", "query.end", "query", "query.end", "query", "query.end"}, names(ev))
	checkPairs(t, ev, gid)
	simple := ev[1].data.(pg.TraceQueryEnd)
	assert.Equal(t, "SELECT 1", simple.SQL)
	assert.False(t, simple.CacheHit, "the simple protocol has no cache")
	assert.Equal(t, "SELECT 1", simple.Tag.String())
	assert.Equal(t, []any{1}, ev[2].data.(pg.TraceQueryStart).Args)
	assert.False(t, ev[3].data.(pg.TraceQueryEnd).CacheHit, "first run prepares")
	assert.True(t, ev[5].data.(pg.TraceQueryEnd).CacheHit, "second run is cached")
	assert.Equal(t, int64(5), ev[7].data.(pg.TraceQueryEnd).Tag.RowsAffected())
	var pgErr *pg.PgError
	assert.True(t, errors.As(ev[9].data.(pg.TraceQueryEnd).Err, &pgErr))

	// Rows end their event when closed; a Stmt's calls are cache hits.
	rows, err := c.Query(ctx, "SELECT generate_series(1, 3)")
	require.NoError(t, err)
	assert.Equal(t, []string{"query"}, names(rec.take()[0:1]))
	for rows.Next() {
	}
	require.NoError(t, rows.Err())
	ev = rec.take()
	require.Equal(t, []string{"query.end"}, names(ev))
	assert.Equal(t, int64(3), ev[0].data.(pg.TraceQueryEnd).Tag.RowsAffected())

	st, err := c.Prepare(ctx, "SELECT $1::text")
	require.NoError(t, err)
	_, err = st.Exec(ctx, "a")
	require.NoError(t, err)
	ev = rec.take()
	require.Equal(t, []string{"prepare", "prepare.end", "query", "query.end"}, names(ev))
	checkPairs(t, ev, gid)
	assert.Equal(t, "SELECT $1::text", ev[1].data.(pg.TracePrepareEnd).SQL)
	assert.NotEmpty(t, ev[1].data.(pg.TracePrepareEnd).Name)
	assert.True(t, ev[3].data.(pg.TraceQueryEnd).CacheHit)

	// Transaction control is a query too.
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	ev = rec.take()
	require.GreaterOrEqual(t, len(ev), 4)
	assert.Equal(t, "BEGIN", ev[0].data.(pg.TraceQueryStart).SQL)
}

func TestTracerBatchAndCopy(t *testing.T) {
	t.Parallel()
	c, rec, ctx := tracedConn(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE tr (a int, b text)")
	require.NoError(t, err)
	rec.take()
	gid := goroutineID()

	b := &pg.Batch{}
	b.Queue("SELECT $1::int", 1)
	b.Queue("SELECT $1::text", "x")
	br, err := c.SendBatch(ctx, b)
	require.NoError(t, err)
	require.NoError(t, br.Close())
	ev := rec.take()
	require.Equal(t, []string{"batch", "query", "query.end", "query", "query.end", "batch.end"}, names(ev))
	checkPairs(t, ev, gid)
	assert.Equal(t, "batch#1", ev[1].ctx, "a batch's statements are its children")
	assert.Equal(t, 2, ev[0].data.(pg.TraceBatchStart).Size)
	assert.NoError(t, ev[5].data.(pg.TraceBatchEnd).Err)

	require.NoError(t, c.ExecMany(ctx, "INSERT INTO tr VALUES ($1, $2)", [][]any{{1, "a"}, {2, "b"}, {3, "c"}}))
	ev = rec.take()
	require.Equal(t, []string{"batch", "batch.end"}, names(ev))
	checkPairs(t, ev, gid)
	end := ev[1].data.(pg.TraceBatchEnd)
	assert.Equal(t, "INSERT INTO tr VALUES ($1, $2)", end.SQL)
	assert.Equal(t, 3, end.Size)
	assert.Equal(t, "INSERT 0 3", end.Tag.String(), "the row counts added up")

	n, err := c.CopyRecordsToTable(ctx, "tr", []string{"a", "b"}, pg.CopyFromRows([][]any{{4, "d"}, {5, "e"}}))
	require.NoError(t, err)
	require.Equal(t, int64(2), n)
	var out bytes.Buffer
	_, err = c.CopyFromQuery(ctx, "SELECT * FROM tr WHERE a > $1", &out, pg.CopyOptions{}, 1)
	require.NoError(t, err)
	ev = rec.take()
	require.Equal(t, []string{"copy", "copy.end", "copy", "copy.end"}, names(ev))
	checkPairs(t, ev, gid)
	assert.Equal(t, `COPY "tr" ("a", "b") FROM STDIN (FORMAT binary)`, ev[0].data.(pg.TraceCopyStart).SQL)
	assert.Equal(t, int64(2), ev[1].data.(pg.TraceCopyEnd).Rows)
	assert.Equal(t, int64(4), ev[3].data.(pg.TraceCopyEnd).Rows)
	assert.Equal(t, []any{1}, ev[2].data.(pg.TraceCopyStart).Args)
}

func TestTracerCancel(t *testing.T) {
	t.Parallel()
	c, rec, ctx := tracedConn(t)
	rec.take()
	qctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err := c.Exec(qctx, "SELECT pg_sleep(30)")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	ev := rec.take()
	require.Equal(t, []string{"query", "cancel", "cancel.end", "query.end"}, names(ev))
	// The cancel runs on the watcher's goroutine, with the call's ctx.
	assert.Equal(t, "caller", ev[1].ctx)
	assert.Equal(t, "cancel#2", ev[2].ctx)
	assert.NoError(t, ev[2].data.(pg.TraceCancelEnd).Err)

	// CancelRequest: the caller's goroutine and ctx.
	require.NoError(t, c.CancelRequest(ctx))
	ev = rec.take()
	require.Equal(t, []string{"cancel", "cancel.end"}, names(ev))
	checkPairs(t, ev, goroutineID())
}

func TestTracerPool(t *testing.T) {
	t.Parallel()
	rec := &traceRecorder{}
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, Tracer: rec.tracer()})
	ev := rec.take()
	require.Equal(t, []string{"connect", "connect.end"}, names(ev), "the pool's Tracer sees its connects")
	ctx := context.WithValue(ctxT(t), traceKey{}, "caller")
	gid := goroutineID()

	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	pc.Release() // ran nothing: no reset
	ev = rec.take()
	require.Equal(t, []string{"acquire", "acquire.end", "release"}, names(ev))
	checkPairs(t, ev[:2], gid)
	a := ev[1].data.(pg.TraceAcquireEnd)
	assert.False(t, a.Waited)
	assert.NotNil(t, a.Conn)
	assert.False(t, ev[2].data.(pg.TraceRelease).ResetSent)

	_, err = p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	ev = rec.take()
	require.Equal(t, []string{"acquire", "acquire.end", "query", "query.end", "release"}, names(ev))
	checkPairs(t, ev[:4], gid)
	assert.True(t, ev[4].data.(pg.TraceRelease).ResetSent)
	assert.False(t, ev[4].data.(pg.TraceRelease).Closed)

	// A second Acquire waits for the one lease.
	held, err := p.Acquire(ctx)
	require.NoError(t, err)
	rec.take()
	got := make(chan pg.TraceAcquireEnd, 1)
	go func() {
		pc, err := p.Acquire(ctx)
		if err == nil {
			pc.Release()
		}
		for _, e := range rec.take() {
			if e.name == "acquire.end" {
				got <- e.data.(pg.TraceAcquireEnd)
			}
		}
		close(got)
	}()
	require.Eventually(t, func() bool { return p.Stats().Waiting == 1 }, 10*time.Second, time.Millisecond)
	held.Release()
	w, ok := <-got
	require.True(t, ok)
	assert.True(t, w.Waited)
	assert.NoError(t, w.Err)
}
