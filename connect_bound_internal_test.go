package pg

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/internal/faultproxy"
	"github.com/wirepg/pg/pgtest"
)

// Connect with neither a ctx deadline nor connect_timeout, to a server
// that accepts and never answers (the proxy holds its replies back), ends
// after the default bound instead of hanging. The bound is shortened here;
// it is DefaultConnectTimeout (60 s) otherwise. Not parallel: it changes
// the default for the whole test binary, and no parallel test runs before
// every sequential one has finished.
func TestConnectDefaultBound(t *testing.T) {
	srv := pgtest.Shared()
	if srv.Port() == 0 {
		t.Skip("needs a TCP server address")
	}
	p, err := faultproxy.New(net.JoinHostPort(srv.Host(), strconv.Itoa(srv.Port())))
	require.NoError(t, err)
	defer p.Close()
	p.StallServer(true)
	cfg, err := ParseConfig(srv.DSN())
	require.NoError(t, err)
	cfg.Hosts = []Host{{Host: "127.0.0.1", Port: uint16(p.Port())}}
	cfg.SSLMode = SSLModeDisable

	const bound = 300 * time.Millisecond
	connectBoundForTest.Store(int64(bound))
	defer connectBoundForTest.Store(0)
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		c, err := ConnectConfig(context.Background(), cfg)
		if c != nil {
			c.Terminate()
		}
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Connect without a deadline hung on a server that never answers")
	}
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "default connect timeout (300ms) expired")
	assert.GreaterOrEqual(t, time.Since(start), bound)
}
