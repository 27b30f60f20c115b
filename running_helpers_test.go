package pg_test

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// waitRunning waits until backend pid is running a statement that contains
// sql (state active, in pg_stat_activity, which admin queries), so that a
// test cancels or terminates a call that is surely in flight on the server
// rather than one it hopes has started.
func waitRunning(t *testing.T, admin *pg.Conn, pid uint32, sql string) {
	t.Helper()
	eventually(t, 20*time.Second, "backend running "+sql, func() bool {
		var q, state string
		err := admin.QueryRow(ctxT(t), "SELECT query, coalesce(state, '') FROM pg_stat_activity WHERE pid = $1", int32(pid)).Scan(&q, &state)
		require.NoError(t, err)
		return state == "active" && strings.Contains(q, sql)
	})
}

// readSignalConn reports each Read on the driver's socket on reading, a
// channel with room for one report (more are dropped), so a test can wait
// until a call is reading from the server: drain it, start the call, then
// receive.
type readSignalConn struct {
	net.Conn
	reading chan struct{}
}

func (c *readSignalConn) Read(b []byte) (int, error) {
	select {
	case c.reading <- struct{}{}:
	default:
	}
	return c.Conn.Read(b)
}

// connectReadSignal connects with the socket wrapped in a readSignalConn
// and returns the connection and its reading channel.
func connectReadSignal(t *testing.T) (*pg.Conn, chan struct{}) {
	t.Helper()
	cfg := testConfig(t)
	reading := signalReads(cfg)
	return connectConfig(t, cfg), reading
}

// signalReads makes cfg's first connection (later dials are cancel
// requests) a readSignalConn and returns its reading channel.
func signalReads(cfg *pg.Config) chan struct{} {
	reading := make(chan struct{}, 1)
	var dialled atomic.Bool
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		nc, err := d.DialContext(ctx, network, addr)
		if err != nil || !dialled.CompareAndSwap(false, true) {
			return nc, err
		}
		return &readSignalConn{Conn: nc, reading: reading}, nil
	}
	return reading
}

// drain empties a reading channel of reports from earlier calls.
func drain(reading chan struct{}) {
	select {
	case <-reading:
	default:
	}
}
