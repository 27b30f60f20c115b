package stdlib_test

import (
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/internal/faultproxy"
	"github.com/wirepg/pg/pgtest"
)

// A database/sql connection whose backend was terminated while idle is
// not used again: the next query runs on another connection.
func TestIdleConnTerminatedIsReplaced(t *testing.T) {
	db := openDB(t)
	db.SetMaxOpenConns(1)
	admin := openDB(t)
	ctx := ctxT(t)
	for round := range 10 {
		var pid int32
		require.NoError(t, db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
		var ok bool
		require.NoError(t, admin.QueryRowContext(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
		require.True(t, ok)
		for { // until the backend has exited (its FATAL and close are sent)
			var n int
			require.NoError(t, admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid).Scan(&n))
			if n == 0 {
				break
			}
		}
		var v int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT 7").Scan(&v), "round %d", round)
		require.Equal(t, 7, v)
	}
}

// The same when the network resets the idle socket.
func TestIdleConnResetIsReplaced(t *testing.T) {
	srv := pgtest.Shared()
	if srv.Port() == 0 {
		t.Skip("needs a TCP server address")
	}
	proxy, err := faultproxy.New(net.JoinHostPort(srv.Host(), strconv.Itoa(srv.Port())))
	require.NoError(t, err)
	t.Cleanup(func() { proxy.Close() })
	dsn := fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", srv.Superuser(), proxy.Port())
	db, err := sql.Open("pg", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(2)
	ctx := ctxT(t)
	for round := range 10 {
		_, err := db.ExecContext(ctx, "SELECT 1")
		require.NoError(t, err)
		proxy.ResetAll()
		_, err = db.ExecContext(ctx, "SELECT 1")
		require.NoError(t, err, "round %d", round)
	}
}
