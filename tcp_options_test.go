//go:build linux

package pg_test

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// tcpOpts is what getsockopt reads back from a connection's socket.
type tcpOpts struct {
	keepalive, idle, interval, count, userTimeoutMS int
}

func socketOptions(t *testing.T, c *pg.Conn) tcpOpts {
	t.Helper()
	sc, ok := pg.RawSocketOf(c).(syscall.Conn)
	require.True(t, ok, "the socket is a %T", pg.RawSocketOf(c))
	raw, err := sc.SyscallConn()
	require.NoError(t, err)
	var o tcpOpts
	var errs []error
	get := func(fd, level, opt int, dst *int) {
		v, err := syscall.GetsockoptInt(fd, level, opt)
		errs = append(errs, err)
		*dst = v
	}
	require.NoError(t, raw.Control(func(fd uintptr) {
		get(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, &o.keepalive)
		get(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE, &o.idle)
		get(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPINTVL, &o.interval)
		get(int(fd), syscall.IPPROTO_TCP, syscall.TCP_KEEPCNT, &o.count)
		get(int(fd), syscall.IPPROTO_TCP, 0x12 /* TCP_USER_TIMEOUT */, &o.userTimeoutMS)
	}))
	for _, err := range errs {
		require.NoError(t, err)
	}
	return o
}

// TestTCPOptionsOnSocket connects with libpq's keepalive and user-timeout
// keys and reads each back from the socket with getsockopt.
func TestTCPOptionsOnSocket(t *testing.T) {
	t.Parallel()
	base := pgtest.Shared().DSN()
	for _, tc := range []struct {
		name string
		keys string
		want tcpOpts
	}{
		// Go's dialer: on, 15 s, 15 s, 9 probes; no user timeout.
		{"defaults", "", tcpOpts{1, 15, 15, 9, 0}},
		{"all set", "&keepalives=1&keepalives_idle=7&keepalives_interval=3&keepalives_count=4&tcp_user_timeout=2500",
			tcpOpts{1, 7, 3, 4, 2500}},
		{"only the count", "&keepalives_count=2", tcpOpts{1, 15, 15, 2, 0}},
		{"off", "&keepalives=0&tcp_user_timeout=10000", tcpOpts{0, 15, 15, 9, 10000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := pg.ParseConfig(base + tc.keys)
			require.NoError(t, err)
			c := connectConfig(t, cfg)
			assert.Equal(t, tc.want, socketOptions(t, c))
		})
	}

	t.Run("Config fields", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.KeepalivesIdle, cfg.KeepalivesInterval, cfg.KeepalivesCount = 61*time.Second, 11*time.Second, 5
		cfg.TCPUserTimeout = 1500 * time.Millisecond
		c := connectConfig(t, cfg)
		assert.Equal(t, tcpOpts{1, 61, 11, 5, 1500}, socketOptions(t, c))
		again, err := pg.ParseConfig(cfg.String())
		require.NoError(t, err)
		assert.Equal(t, []any{61 * time.Second, 11 * time.Second, 5, 1500 * time.Millisecond},
			[]any{again.KeepalivesIdle, again.KeepalivesInterval, again.KeepalivesCount, again.TCPUserTimeout})
	})

	// A DialFunc's own keepalive setting stays where pg's are zero
	// (Dialer.KeepAlive sets the idle time only).
	t.Run("DialFunc", func(t *testing.T) {
		cfg := testConfig(t)
		d := net.Dialer{KeepAlive: 40 * time.Second}
		cfg.DialFunc = d.DialContext
		cfg.KeepalivesCount = 3
		c := connectConfig(t, cfg)
		assert.Equal(t, tcpOpts{1, 40, 15, 3, 0}, socketOptions(t, c))
	})

	t.Run("negative refused", func(t *testing.T) {
		cfg := testConfig(t)
		cfg.TCPUserTimeout = -time.Second
		_, err := pg.ConnectConfig(context.Background(), cfg)
		var ce *pg.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "tcp_user_timeout", ce.Option)
	})
}
