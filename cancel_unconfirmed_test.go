package pg_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/sqlstate"
)

// A CancelRequest the server has not confirmed (by closing the cancel
// connection) within the grace may still reach the backend later, and
// would then cancel whatever runs on the connection at that moment: a
// later call whose context is fine. So a connection whose call outlived
// its context and whose cancel went unconfirmed is closed, even when the
// call itself finished, rather than left to a stray cancel.
func TestUnconfirmedCancelClosesConnection(t *testing.T) {
	t.Parallel()
	cfg, _ := proxied(t)
	var delayNext atomic.Bool
	var d net.Dialer
	late := make(chan struct{})
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := d.DialContext(ctx, network, addr)
		if err != nil || !delayNext.Swap(false) {
			return nc, err
		}
		return &lateWriteConn{Conn: nc, delay: 1500 * time.Millisecond, sent: late}, nil
	}
	cfg.CancelGrace = 300 * time.Millisecond
	c := connectConfig(t, cfg)
	delayNext.Store(true)

	// The deadline passes during the call; the cancel's request reaches
	// the server only after the grace, by which time the query has ended
	// on its own.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Exec(ctx, "SELECT pg_sleep(0.2)")
	t.Logf("the call whose deadline passed: %v", err)

	// The next call, with a context that does not end, runs while the
	// late cancel arrives.
	_, err = c.Exec(context.Background(), "SELECT pg_sleep(3)")
	<-late
	var pgErr *pg.PgError
	if errors.As(err, &pgErr) {
		assert.NotEqual(t, sqlstate.QueryCanceled, pgErr.Code, "a cancel meant for an earlier call stopped this one: %v", err)
	}
	assert.True(t, c.IsClosed(), "the connection whose cancel went unconfirmed is still in use")
}

// lateWriteConn holds back what is written to it, and sends it after
// delay, as a loaded network or server might; Close waits for that.
type lateWriteConn struct {
	net.Conn
	delay time.Duration
	sent  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

func (c *lateWriteConn) Write(b []byte) (int, error) {
	msg := append([]byte(nil), b...)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		time.Sleep(c.delay)
		_, _ = c.Conn.Write(msg)
		c.once.Do(func() { close(c.sent) })
	}()
	return len(b), nil
}

func (c *lateWriteConn) SetDeadline(t time.Time) error {
	// Only reads are bounded: the late write must still go out.
	return c.Conn.SetReadDeadline(t)
}

func (c *lateWriteConn) Close() error {
	go func() {
		c.wg.Wait()
		// Give the server time to act on what was sent.
		time.Sleep(200 * time.Millisecond)
		c.Conn.Close()
	}()
	return nil
}
