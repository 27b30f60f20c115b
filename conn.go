package pg

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/internal/lru"
	"github.com/wirepg/pg/pgproto"
)

// Conn is one connection to a PostgreSQL server.
//
// A Conn is not safe for concurrent use: a call made while another call (or
// an unclosed Rows) is in progress returns ErrConnBusy at once and never
// touches the stream. Close, Terminate and IsClosed may be called from any
// goroutine. Share connections between goroutines with a Pool.
type Conn struct {
	cfg     *Config
	netConn net.Conn
	rawConn net.Conn    // the dialed socket under any TLS layer, for socketReadable
	peek    *socketPeek // made by the first socketReadable
	r       *pgproto.Reader
	wbuf    []byte

	pid       uint32
	secretKey []byte
	params    map[string]string
	// paramsMu guards params: an idle watcher (idle_watch.go) records a
	// ParameterStatus that arrives between calls, while the owner or the
	// pool may read them.
	paramsMu sync.RWMutex
	txStatus byte
	host     Host         // the host this connection reached
	sec      connSecurity // TLS and authentication facts from startup (tls.go)

	busy   atomic.Bool
	closed atomic.Bool
	// closing is set by Close: no call may start any more, and release
	// signals released so that Close can take over from the last call.
	closing  atomic.Bool
	released chan struct{}
	// closeOnce guards the network close so Terminate may race with a failing read.
	closeOnce sync.Once

	types *codec.Registry
	// typesShared is true while types is the process-wide default registry,
	// which must be cloned before a custom codec is registered.
	typesShared bool
	// schemaOutdated says a decode met a composite whose shape changed on
	// the server; the next call drops the schema cache (reload.go).
	// schemaGen counts those drops, so a Stmt knows to look its types up
	// again.
	schemaOutdated bool
	schemaGen      uint64

	// calls counts the calls begun on the connection (each query, batch,
	// COPY or ExecMany is one), for the pool's MaxQueries.
	calls uint64

	stmts       *lru.Cache[string, *stmtDesc]
	stmtSeq     uint64
	pendingSend []byte // messages sent in front of the next request: Close for evicted statements, a deferred reset
	// pendingSyncs counts the deferred simple queries in pendingSend whose
	// replies (up to ReadyForQuery) come before the next request's.
	pendingSyncs int
	// staged and active count the replies to messages the driver adds to
	// a request itself (inline.go): staged while the request is written,
	// active once it went out, until ReadyForQuery.
	staged, active inlineReplies
	// resetErr is the failure of a deferred session reset; a connection
	// with one must not be handed out again.
	resetErr error
	// poolReset holds the pool's default reset for this session (pool_reset.go).
	poolReset poolResetForms
	// track notes changes to the session's state for the pool (session_state.go).
	track sessionTrack
	// fatalErr is a FATAL or PANIC error the server sent before closing.
	fatalErr *PgError

	// Scratch messages reused across calls: no allocation per row.
	dataRow pgproto.DataRow
	// rowIndex is the current row of a Rows (rows.go); rawValues backs
	// its RawValues.
	rowIndex  pgproto.DataRowIndex
	rawValues [][]byte

	watch ctxWatch

	// rowsTrace is the observed call of the open Rows (trace_call.go):
	// kept here rather than in each Rows, which it would make bigger.
	rowsTrace callTrace
	// unobserved marks the pool's own calls (its idle ping), which the
	// Tracer and the query loggers do not see.
	unobserved bool

	// cb holds OnNotice, OnTerminate, AddQueryLogger and Listen callbacks
	// (callbacks.go, listen.go).
	cb callbacks
	// awaiting is set while WaitForNotification waits (receive.go).
	awaiting *notificationWait
	// sentInCall: the current call has written bytes (SafeToRetry).
	sentInCall bool
	// brokenBy is the failure that closed the connection (fail), owned by
	// the goroutine making the call.
	brokenBy *ConnError

	// idle is the watcher that reads while no call runs, on connections
	// with listeners or termination callbacks (idle_watch.go); arrived
	// holds the notifications for callbacks read since the stream was
	// last let go, and delivery runs their callbacks in order.
	idle     idleWatch
	arrived  []Notification
	delivery delivery

	// readStamps (set for pooled connections) makes each read that
	// brings bytes from the server note the time in lastSeen (monoNow):
	// when the connection was last known good, for the pool's check at a
	// handoff (see heardReader). A lease's start notes it too (markSeen).
	// Atomic: the COPY reader and the idle watcher read on goroutines of
	// their own.
	readStamps bool
	lastSeen   atomic.Int64

	// cancelUnconfirmed: the context watcher's CancelRequest for the
	// current call went out without the server confirming it (see
	// endWatch). Written by the watcher's cancel action, read after Stop.
	cancelUnconfirmed bool
}

// ServerVersion returns the server's server_version_num (e.g. 150004),
// parsed from the server_version parameter it reports at startup.
func (c *Conn) ServerVersion() int {
	return parseServerVersion(c.ParameterStatus("server_version"))
}

// ServerPID is the process ID of the server backend serving this connection.
func (c *Conn) ServerPID() uint32 { return c.pid }

// ParameterStatus returns a run-time parameter the server reports (TimeZone,
// server_version, integer_datetimes, standard_conforming_strings ...), kept
// current as the server sends updates.
func (c *Conn) ParameterStatus(name string) string {
	c.paramsMu.RLock()
	defer c.paramsMu.RUnlock()
	return c.params[name]
}

// InTransaction reports whether the session is inside a transaction block,
// including one begun with a plain Exec("BEGIN") and one in the failed state.
func (c *Conn) InTransaction() bool { return c.txStatus == 'T' || c.txStatus == 'E' }

// TxStatus is the server's transaction status from the last ReadyForQuery:
// 'I' idle, 'T' in a transaction, 'E' in a failed transaction.
func (c *Conn) TxStatus() byte { return c.txStatus }

// IsClosed reports whether the connection is closed or broken.
func (c *Conn) IsClosed() bool { return c.closed.Load() }

// Config returns the configuration the connection was made with. Do not
// modify it.
func (c *Conn) Config() *Config { return c.cfg }

// Host is the server address this connection reached.
func (c *Conn) Host() Host { return c.host }

// Close ends the session gracefully: it sends Terminate and waits for the
// server to close its end, so that when Close returns the backend has
// finished (it is gone from pg_stat_activity, its locks are released).
// When another goroutine's call is running on the Conn, Close first sends
// a CancelRequest, so that call fails with the server's 57014
// (query_canceled) as it would with asyncpg, and waits for it to end. ctx
// bounds all of it (5 s when it has no deadline); after that the socket
// is closed at once, and a call still running fails with a *ConnError.
// Once Close has begun, new calls fail with ErrConnClosed. Close may be
// called from any goroutine, but not from a callback run by the call it
// would wait for. Closing a closed Conn returns nil.
func (c *Conn) Close(ctx context.Context) error {
	if c.closed.Load() {
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, closeWait)
		defer cancel()
	}
	c.closing.Store(true)
	if c.busy.CompareAndSwap(false, true) || c.takeOver(ctx) {
		c.stopIdleWatch()
		if !c.closed.Load() {
			c.sendTerminate(ctx)
		}
		c.release()
	}
	c.shutdown(nil)
	return nil
}

// takeOver waits, for Close, until the call running on the connection has
// ended and Close holds the connection; it cancels the call first. It
// returns false when ctx ends first, or when what holds the connection is
// not a call the server runs (WaitForNotification): there is nothing to
// cancel, and the socket is closed at once as before.
func (c *Conn) takeOver(ctx context.Context) bool {
	if !c.watch.InCall() {
		return false
	}
	_ = c.sendCancelRequest(ctx)
	for {
		select {
		case <-c.released:
			if c.busy.CompareAndSwap(false, true) {
				return true
			}
		case <-ctx.Done():
			return false
		}
	}
}

// sendTerminate says goodbye and waits, within ctx, for the server to
// close its end. The caller holds the connection.
func (c *Conn) sendTerminate(ctx context.Context) {
	dl, _ := ctx.Deadline()
	_ = c.netConn.SetDeadline(dl)
	stop := context.AfterFunc(ctx, func() { _ = c.netConn.SetDeadline(time.Now()) })
	defer stop()
	c.wbuf, _ = (&pgproto.Terminate{}).Encode(c.wbuf[:0])
	if _, err := c.netConn.Write(c.wbuf); err == nil {
		// The backend closes the socket as the last step of its exit
		// (after it has left pg_stat_activity); anything else it
		// still sends, such as a late notice, is of no use now.
		_, _ = io.Copy(io.Discard, c.netConn)
	}
}

// closeWait bounds Close when its context has no deadline.
const closeWait = 5 * time.Second

// Terminate closes the connection at once without telling the server. It
// may be called from any goroutine, also while a call is in progress; that
// call then fails.
func (c *Conn) Terminate() {
	c.shutdown(ErrConnClosed)
}

// shutdown closes the socket once and runs the OnTerminate callbacks.
func (c *Conn) shutdown(reason error) {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		c.watch.deregister()
		_ = c.netConn.Close()
		c.cb.runTerminate(reason)
	})
}

// acquire marks the connection busy for one call.
func (c *Conn) acquire() error {
	if c.closed.Load() || c.closing.Load() {
		return ErrConnClosed
	}
	if !c.busy.CompareAndSwap(false, true) {
		return ErrConnBusy
	}
	if c.closed.Load() || c.closing.Load() {
		c.release()
		return ErrConnClosed
	}
	if c.idle.on.Load() {
		c.stopIdleWatch()
	}
	c.sentInCall = false
	return nil
}

// release frees the connection after a call, and hands it to a Close
// waiting for the call to end. A connection with listeners or termination
// callbacks gets an idle watcher (idle_watch.go), and the notifications
// that arrived during the call go to their callbacks, on this goroutine
// now that the connection is free.
func (c *Conn) release() {
	// Queued before the watcher starts, so they come before anything it
	// reads; run once the connection is free.
	run := false
	if len(c.arrived) > 0 {
		run = c.queueDelivery(c.arrived)
		c.arrived = nil
	}
	if c.cb.watchIdle.Load() {
		c.startIdleWatch()
	}
	c.busy.Store(false)
	if c.closing.Load() {
		select {
		case c.released <- struct{}{}:
		default:
		}
	}
	if run {
		c.runDeliveries()
	}
}

func parseServerVersion(s string) int {
	// "15.4 (Debian 15.4-1)" → 150004; "9.6.24" → 90624.
	var parts [3]int
	n := 0
	for i := 0; i < len(s) && n < 3; i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			parts[n] = parts[n]*10 + int(ch-'0')
		case ch == '.':
			n++
		default:
			n = 3
		}
	}
	if parts[0] >= 10 {
		return parts[0]*10000 + parts[1]
	}
	return parts[0]*10000 + parts[1]*100 + parts[2]
}
