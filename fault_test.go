package pg_test

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/internal/faultproxy"
	"github.com/wirepg/pg/pgtest"
)

// proxied returns a Config that reaches the shared server through a fault
// proxy.
func proxied(t *testing.T) (*pg.Config, *faultproxy.Proxy) {
	t.Helper()
	srv := pgtest.Shared()
	if srv.Port() == 0 {
		t.Skip("fault tests need a TCP server address (PGTEST_DSN without one)")
	}
	p, err := faultproxy.New(net.JoinHostPort(srv.Host(), strconv.Itoa(srv.Port())))
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	cfg := testConfig(t)
	cfg.Hosts = []pg.Host{{Host: "127.0.0.1", Port: uint16(p.Port())}}
	return cfg, p
}

func TestDroppedConnectionMidResult(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	c := connectConfig(t, cfg)
	rows, err := c.Query(ctxT(t), "SELECT i, repeat('x', 100) FROM generate_series(1, 1000000) i")
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		n++
		if n == 10 {
			p.DropAll()
		}
	}
	err = rows.Err()
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	assert.True(t, c.IsClosed())
	_, err = c.Exec(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrConnClosed)
}

func TestTruncatedStream(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	c := connectConfig(t, cfg)
	// New connections from here on are cut after 2 KiB from the server:
	// reconnect through the cutting proxy.
	p.CutServerAfter(2048)
	c2, err := pg.ConnectConfig(ctxT(t), cfg)
	if err != nil {
		// The startup exchange itself may exceed the limit: also a clean error.
		var ce *pg.ConnectError
		require.ErrorAs(t, err, &ce)
		return
	}
	defer c2.Terminate()
	_, err = c2.Fetch(ctxT(t), "SELECT repeat('y', 10000)")
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	assert.True(t, c2.IsClosed())
	_ = c
}

func TestStalledServerWithContextDeadline(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	c := connectConfig(t, cfg)
	p.StallServer(true)
	defer p.StallServer(false)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT 1")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	// The cancel request goes through the proxy too and reaches the
	// server, but no reply comes back through the stalled proxy, so the
	// driver gives up within the cancel grace period and closes the
	// connection.
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.True(t, c.IsClosed())
}

func TestServerTerminatesBackend(t *testing.T) {
	t.Parallel()
	c := connect(t)
	admin := connect(t)
	_, err := admin.Exec(ctxT(t), "SELECT pg_terminate_backend($1)", int32(c.ServerPID()))
	require.NoError(t, err)
	_, err = c.Exec(ctxT(t), "SELECT 1")
	require.Error(t, err)
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr, "the server's FATAL message is kept")
	assert.Equal(t, "57P01", pgErr.Code)
	assert.True(t, c.IsClosed())
}
