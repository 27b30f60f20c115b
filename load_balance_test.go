package pg_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/internal/faultproxy"
	"github.com/wirepg/pg/pgtest"
)

// TestLoadBalanceHostsSpread: with load_balance_hosts=random, connections
// spread over the host list; with disable (the default) they all go to the
// first host. The three hosts are proxies in front of the shared server,
// so no server is started.
func TestLoadBalanceHostsSpread(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	if srv.Port() == 0 {
		t.Skip("needs a TCP server address (PGTEST_DSN without one)")
	}
	var hosts []pg.Host
	for range 3 {
		p, err := faultproxy.New(net.JoinHostPort(srv.Host(), strconv.Itoa(srv.Port())))
		require.NoError(t, err)
		t.Cleanup(func() { p.Close() })
		hosts = append(hosts, pg.Host{Host: "127.0.0.1", Port: uint16(p.Port())})
	}
	for _, mode := range []string{"random", "disable", ""} {
		t.Run("load_balance_hosts="+mode, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.Hosts, cfg.LoadBalanceHosts = hosts, mode
			connects := 60
			if mode != "random" {
				connects = 10
			}
			count := map[pg.Host]int{}
			for range connects {
				c, err := pg.ConnectConfig(ctxT(t), cfg)
				require.NoError(t, err)
				count[c.Host()]++
				require.NoError(t, c.Close(ctxT(t)))
			}
			t.Logf("connections per host: %d, %d, %d", count[hosts[0]], count[hosts[1]], count[hosts[2]])
			if mode != "random" {
				assert.Equal(t, connects, count[hosts[0]])
				return
			}
			// 20 expected each; fewer than 5 has odds of about 1e-5.
			for i, h := range hosts {
				assert.GreaterOrEqual(t, count[h], 5, "host %d of 3", i+1)
			}
		})
	}
}

// TestLoadBalancedStandbyPools: a primary and two hot standbys. Read pools
// with load_balance_hosts=random and target_session_attrs=standby or
// prefer-standby over all three hosts open connections on both standbys
// and none on the primary; when one standby crashes, their connections
// move to the other.
func TestLoadBalancedStandbyPools(t *testing.T) {
	t.Parallel()
	primary := startServer(t, pgtest.Options{})
	s1 := startServer(t, pgtest.Options{StandbyOf: primary})
	s2 := startServer(t, pgtest.Options{StandbyOf: primary})
	host := func(s *pgtest.Server) pg.Host { return pg.Host{Host: "127.0.0.1", Port: uint16(s.Port())} }
	name := map[pg.Host]string{host(primary): "primary", host(s1): "standby 1", host(s2): "standby 2"}

	ctx := ctxT(t)
	// 16 connections each: all on one standby by chance has odds of 2^-15.
	const size = 16
	pools := map[string]*pg.Pool{}
	for _, attrs := range []string{"standby", "prefer-standby"} {
		dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d/postgres?sslmode=disable&load_balance_hosts=random&target_session_attrs=%s&connect_timeout=5",
			primary.Port(), s1.Port(), s2.Port(), attrs)
		pool, err := pg.CreatePool(ctx, dsn, pg.PoolConfig{MinSize: size, MaxSize: size})
		require.NoError(t, err)
		t.Cleanup(pool.Terminate)
		pools[attrs] = pool
	}

	// spread holds every connection of the pool at once and counts them by
	// server; each lease runs a query, so a dead connection shows.
	spread := func(t *testing.T, pool *pg.Pool) (map[string]int, int) {
		t.Helper()
		count, errs := map[string]int{}, 0
		var held []*pg.PoolConn
		for range size {
			pc, err := pool.Acquire(ctx)
			require.NoError(t, err)
			held = append(held, pc)
			var standby bool
			if err := pc.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
				errs++
				t.Logf("a lease's query failed: %v", err)
				continue
			}
			assert.True(t, standby)
			count[name[pc.Conn().Host()]]++
		}
		for _, pc := range held {
			_ = pc.Release()
		}
		return count, errs
	}
	for attrs, pool := range pools {
		count, errs := spread(t, pool)
		t.Logf("%s pool before the crash: %v", attrs, count)
		assert.Zero(t, errs)
		assert.Zero(t, count["primary"], attrs)
		assert.NotZero(t, count["standby 1"], attrs)
		assert.NotZero(t, count["standby 2"], attrs)
	}

	require.NoError(t, s2.Crash())
	for attrs, pool := range pools {
		// A lease whose connection died with standby 2 may fail once (the
		// pool notices the loss when it is handed out or used); the next
		// round must find every connection on standby 1.
		count, errs := spread(t, pool)
		t.Logf("%s pool just after standby 2 crashed: %v, %d failed leases", attrs, count, errs)
		count, errs = spread(t, pool)
		t.Logf("%s pool after that: %v", attrs, count)
		assert.Zero(t, errs, attrs)
		assert.Equal(t, map[string]int{"standby 1": size}, count, attrs)
	}

	// With no standby left, prefer-standby takes the primary and standby
	// fails.
	require.NoError(t, s1.Crash())
	var pc *pg.PoolConn
	var err error
	for range size + 1 { // connections to the crashed standby go first
		if pc, err = pools["prefer-standby"].Acquire(ctx); err == nil {
			var standby bool
			if err = pc.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err == nil {
				break
			}
			_ = pc.Release()
		}
	}
	require.NoError(t, err)
	assert.Equal(t, "primary", name[pc.Conn().Host()])
	_ = pc.Release()
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err = pools["standby"].Exec(actx, "SELECT 1")
	assert.Error(t, err)
}
