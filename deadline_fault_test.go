package pg_test

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/sqlstate"
)

// A call whose deadline passes on a link gone silent (no RST) returns
// within the cancel grace of its deadline with an error matching
// context.DeadlineExceeded, and the connection is closed, whether the
// cancel connection gets its answer (only the server's replies are held
// back) or hangs too (nothing gets through).
func TestSilentLinkDeadlineBoundsCall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		stallClient bool
	}{
		{"replies held", false},
		{"nothing gets through", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, p := proxied(t)
			c := connectConfig(t, cfg)
			p.StallServer(true)
			p.StallClient(tc.stallClient)
			const timeout = 300 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			_, err := c.Exec(ctx, "SELECT 1")
			late := time.Since(start) - timeout
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			// The default grace is 1 s; allow as much again for a loaded
			// machine (it was 10 s, and 20 s when the cancel hung too).
			assert.Less(t, late, pg.DefaultCancelGrace+time.Second)
			assert.True(t, c.IsClosed(), "a connection whose cancel went unanswered is closed")
			p.StallServer(false)
			p.StallClient(false)
		})
	}
}

// Config.CancelGrace (DSN cancel_grace) sets the grace.
func TestCancelGraceSetting(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	parsed, err := pg.ParseConfig("host=h cancel_grace=0.2")
	require.NoError(t, err)
	assert.Equal(t, 200*time.Millisecond, parsed.CancelGrace)
	assert.Contains(t, parsed.String(), "cancel_grace=0.2")
	cfg.CancelGrace = parsed.CancelGrace
	c := connectConfig(t, cfg)
	p.StallServer(true)
	p.StallClient(true)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 100*time.Millisecond+cfg.CancelGrace+700*time.Millisecond)
	assert.True(t, c.IsClosed())
}

// A cancel the server answers within the grace leaves the connection
// usable, and the error is both the context's and the server's 57014.
func TestDeadlineCancelAnsweredKeepsConnection(t *testing.T) {
	t.Parallel()
	cfg, _ := proxied(t)
	c := connectConfig(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.QueryCanceled, pgErr.Code)
	assert.False(t, c.IsClosed())
	v, err := pg.FetchVal[int32](ctxT(t), c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)
}

// Connecting to a server that accepts and never answers, with a ctx
// deadline: the error matches context.DeadlineExceeded every time, also
// when the socket deadline fires a moment before the context's timer.
func TestConnectDeadlineIsDeadlineExceeded(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	p.StallServer(true)
	for i := range 12 {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		c, err := pg.ConnectConfig(ctx, cfg)
		cancel()
		if c != nil {
			c.Terminate()
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "round %d: %v", i, err)
	}
}

// Close while another goroutine's query runs: the query is cancelled (it
// fails with 57014, not with a closed socket), then the session ends.
func TestCloseCancelsRunningQuery(t *testing.T) {
	t.Parallel()
	c := connect(t)
	admin := connect(t)
	pid := int32(c.ServerPID())
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "SELECT pg_sleep(30)")
		done <- err
	}()
	waitActive(t, admin, pid)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Close(ctx))
	assert.Less(t, time.Since(start), 5*time.Second)
	err := <-done
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr, "%v", err)
	assert.Equal(t, sqlstate.QueryCanceled, pgErr.Code)
	assert.True(t, c.IsClosed())
	_, err = c.Exec(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrConnClosed)
}

// Close is bounded by its ctx even when the query it cancels never ends
// (the link went silent): the socket is then closed.
func TestCloseBoundedOnSilentLink(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	c := connectConfig(t, cfg)
	admin := connect(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "SELECT pg_sleep(30)")
		done <- err
	}()
	waitActive(t, admin, int32(c.ServerPID()))
	p.StallServer(true)
	p.StallClient(true)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_ = c.Close(ctx)
	assert.Less(t, time.Since(start), 2*time.Second)
	err := <-done
	require.Error(t, err)
	assert.True(t, c.IsClosed())
	var connErr *pg.ConnError
	assert.True(t, errors.As(err, &connErr) || errors.Is(err, pg.ErrConnClosed), "%v", err)
}

// waitActive waits until the backend pid runs a query.
func waitActive(t *testing.T, admin *pg.Conn, pid int32) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		state, err := pg.FetchVal[string](ctxT(t), admin,
			"SELECT coalesce(state, '') FROM pg_stat_activity WHERE pid = $1", pid)
		require.NoError(t, err)
		if state == "active" {
			return
		}
		require.True(t, time.Now().Before(deadline), "backend %d never became active", pid)
		time.Sleep(5 * time.Millisecond)
	}
}

// When the cancel cannot be sent at all (no new connection can be made),
// the call does not wait out the grace: it ends as soon as the cancel
// fails, and the connection is closed.
func TestDeadlineCancelFailedEndsAtOnce(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	var refuse atomic.Bool
	var d net.Dialer
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if refuse.Load() {
			return nil, errors.New("dial refused by the test")
		}
		return d.DialContext(ctx, network, addr)
	}
	cfg.CancelGrace = 20 * time.Second
	c := connectConfig(t, cfg)
	refuse.Store(true)
	p.StallServer(true)
	const timeout = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), timeout+5*time.Second, "waited out the grace although the cancel had failed")
	assert.True(t, c.IsClosed())
}
