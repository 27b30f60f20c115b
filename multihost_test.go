package pg_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// deadPort returns a loopback port nothing listens on.
func deadPort(t *testing.T) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return uint16(port)
}

// silentPort accepts connections and never answers, like a host whose
// server hangs: only connect_timeout gets past it.
func silentPort(t *testing.T) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

func TestMultiHostFirstDead(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	dead := deadPort(t)
	cfg := tcpConfig(srv, "postgres", "")
	live := cfg.Hosts[0]
	cfg.Hosts = []pg.Host{{Host: "127.0.0.1", Port: dead}, live}
	c := connectConfig(t, cfg)
	assert.Equal(t, live, c.Host())

	// Every host failing: the error lists each with its reason.
	dead2 := deadPort(t)
	cfg.Hosts = []pg.Host{{Host: "127.0.0.1", Port: dead}, {Host: "127.0.0.1", Port: dead2}}
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	var ce *pg.ConnectError
	require.ErrorAs(t, err, &ce)
	require.Len(t, ce.Attempts, 2)
	for _, p := range []uint16{dead, dead2} {
		assert.Contains(t, err.Error(), fmt.Sprintf("127.0.0.1:%d: ", p))
	}
	assert.Contains(t, err.Error(), "connection refused")
}

// TestMultiHostConnectTimeout: connect_timeout bounds each host, so a hung
// first host costs its timeout and the second host still gets its own.
func TestMultiHostConnectTimeout(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	cfg := tcpConfig(srv, "postgres", "")
	live := cfg.Hosts[0]
	silent := pg.Host{Host: "127.0.0.1", Port: silentPort(t)}
	cfg.Hosts = []pg.Host{silent, live}
	cfg.ConnectTimeout = 2 * time.Second
	start := time.Now()
	c := connectConfig(t, cfg)
	elapsed := time.Since(start)
	assert.Equal(t, live, c.Host())
	assert.GreaterOrEqual(t, elapsed, 2*time.Second)
	assert.Less(t, elapsed, 15*time.Second)

	cfg.Hosts = []pg.Host{silent}
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connect_timeout (2s) expired")
}

// TestTargetSessionAttrs connects to a primary, a server whose sessions
// are read-only (default_transaction_read_only=on) and a hot standby of
// the primary, in various orders, for each target_session_attrs.
func TestTargetSessionAttrs(t *testing.T) {
	t.Parallel()
	primary := startServer(t, pgtest.Options{})
	readOnly := startServer(t, pgtest.Options{Conf: []string{"default_transaction_read_only = on"}})
	standby := startServer(t, pgtest.Options{StandbyOf: primary})
	host := func(s *pgtest.Server) pg.Host { return pg.Host{Host: "127.0.0.1", Port: uint16(s.Port())} }
	P, R, S := host(primary), host(readOnly), host(standby)
	name := map[pg.Host]string{P: "primary", R: "read-only", S: "standby"}

	for _, tc := range []struct {
		attrs string
		hosts []pg.Host
		want  string // the server connected to, or the error
	}{
		{"", []pg.Host{R, P}, "read-only"},
		{"any", []pg.Host{S, P}, "standby"},
		{"read-write", []pg.Host{R, P}, "primary"},
		{"read-write", []pg.Host{S, P}, "primary"},
		{"read-only", []pg.Host{P, R}, "read-only"},
		{"read-only", []pg.Host{P, S}, "standby"},
		{"primary", []pg.Host{S, P}, "primary"},
		{"primary", []pg.Host{R, P}, "read-only"}, // not in recovery: a primary
		{"standby", []pg.Host{P, R, S}, "standby"},
		{"prefer-standby", []pg.Host{P, S}, "standby"},
		// No standby: the second pass takes the first host that works.
		{"prefer-standby", []pg.Host{R, P}, "read-only"},
		{"read-write", []pg.Host{R, S}, "error: session is read-only (target_session_attrs=read-write)"},
		{"standby", []pg.Host{P, R}, "error: server is not in hot standby mode (target_session_attrs=standby)"},
		{"primary", []pg.Host{S}, "error: server is in hot standby mode (target_session_attrs=primary)"},
		{"read-only", []pg.Host{P}, "error: session is not read-only (target_session_attrs=read-only)"},
	} {
		var order []string
		for _, h := range tc.hosts {
			order = append(order, name[h])
		}
		t.Run(tc.attrs+"/"+strings.Join(order, ","), func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(primary, "postgres", "")
			cfg.Hosts, cfg.TargetSessionAttrs = tc.hosts, tc.attrs
			c, err := pg.ConnectConfig(ctxT(t), cfg)
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				require.Error(t, err)
				var ce *pg.ConnectError
				require.ErrorAs(t, err, &ce)
				assert.Len(t, ce.Attempts, len(tc.hosts))
				assert.Contains(t, err.Error(), want)
				return
			}
			require.NoError(t, err)
			defer c.Close(ctxT(t))
			assert.Equal(t, tc.want, name[c.Host()])
		})
	}

	// The same from a DSN, as libpq users write it.
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d/postgres?sslmode=disable&target_session_attrs=read-write",
		readOnly.Port(), standby.Port(), primary.Port())
	c, err := pg.Connect(ctxT(t), dsn)
	require.NoError(t, err)
	assert.Equal(t, "primary", name[c.Host()])
	require.NoError(t, c.Close(ctxT(t)))

	// Servers before PostgreSQL 14 report neither in_hot_standby nor
	// default_transaction_read_only; then pg asks, as libpq does.
	t.Run("by query", func(t *testing.T) {
		for _, tc := range []struct {
			srv   *pgtest.Server
			attrs string
			ok    bool
		}{
			{primary, "read-write", true}, {primary, "read-only", false},
			{primary, "primary", true}, {primary, "standby", false},
			{readOnly, "read-write", false}, {readOnly, "read-only", true},
			{readOnly, "primary", true},
			{standby, "read-write", false}, {standby, "read-only", true},
			{standby, "primary", false}, {standby, "standby", true}, {standby, "prefer-standby", true},
		} {
			c := connectConfig(t, tcpConfig(tc.srv, "postgres", ""))
			err := pg.CheckSessionAttrsByQuery(c, tc.attrs)
			if tc.ok {
				assert.NoError(t, err, "%s on %s", tc.attrs, name[host(tc.srv)])
			} else {
				assert.Error(t, err, "%s on %s", tc.attrs, name[host(tc.srv)])
			}
			// The session is still usable after the check's query.
			n, err := pg.FetchVal[int32](ctxT(t), c, "SELECT 1")
			require.NoError(t, err)
			assert.Equal(t, int32(1), n)
		}
	})
}
