package pg

import (
	"strings"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// The Conn's side of the Conn/Pool seam. The pool (pool_*.go) reaches a
// connection only through the Conn's public methods and the ones in this
// file: it reads no Conn field and writes none. Each method says what the
// pool needs it for.

// callCount is the number of calls begun on the connection (each query,
// batch, COPY or ExecMany is one): the pool compares it across a lease to
// see whether the lease ran anything, and against MaxQueries.
func (c *Conn) callCount() uint64 { return c.calls }

// inCall reports whether a call or an unclosed Rows is using the
// connection: one released so must be closed, not reused.
func (c *Conn) inCall() bool { return c.busy.Load() }

// failedReset is the error of a deferred session reset that failed (read
// in front of a later request), or nil. A connection with one must not be
// handed out again.
func (c *Conn) failedReset() error { return c.resetErr }

// hasPending reports whether messages are queued for the next request (a
// deferred reset, Close messages for evicted statements).
func (c *Conn) hasPending() bool { return len(c.pendingSend) > 0 }

// queueSessionReset arranges for sql (a simple-protocol script) to run in
// front of the next request, in the same write, without a round trip of its
// own. The pool uses it for the reset at Release. The script ends any
// transaction, so the session counts as idle from now on; should it fail,
// the 'E' status it leaves is read with its reply.
func (c *Conn) queueSessionReset(sql string) {
	c.pendingSend, _ = (&pgproto.Query{String: sql}).Encode(c.pendingSend)
	c.pendingSyncs++
	c.txStatus = 'I'
}

// spokeWhileIdle reports whether the server sent an idle pooled connection
// anything beyond the replies it owes: most often the FATAL error and EOF
// of a backend killed while idle (pg_terminate_backend, a restart,
// idle_session_timeout). Such a connection is pinged before it is handed
// out, much as asyncpg notices the loss (it always reads); without this
// check only connections idle for pingAfterIdle would be. getHolder asks
// at every Acquire of an idle connection.
//
// The deferred reset's replies, when they have arrived, are read here
// (they would be read in front of the next request anyway): only what
// follows them is news. The usual case — nothing arrived, or a reset
// whose reply is still on its way — costs one non-blocking peek.
func (c *Conn) spokeWhileIdle() bool {
	if c.idle.on.Load() {
		// An idle watcher (a callback registered in Init) reads the
		// socket itself and closes the connection when the session ends.
		return c.IsClosed()
	}
	if !c.socketReadable() {
		return false
	}
	if len(c.pendingSend) > 0 || c.pendingSyncs == 0 {
		// Nothing is owed (what is queued has not been sent), so what
		// arrived is news; the ping sends the queue and reads it all.
		return true
	}
	if err := c.acquire(); err != nil {
		return true
	}
	// The replies have begun to arrive, so the rest follows at once; the
	// deadline only guards against a network gone silent mid-message.
	_ = c.netConn.SetReadDeadline(time.Now().Add(pingTimeout))
	err := c.requestSent()
	_ = c.netConn.SetReadDeadline(time.Time{})
	c.release()
	return err != nil || c.IsClosed() || c.resetErr != nil || c.socketReadable()
}

// sessionReset returns the reset script to send at Release: script
// itself, or its light form when RESET SESSION AUTHORIZATION provably has
// nothing to undo. The server reports every change of
// session_authorization (ParameterStatus, protocol section 55.2.7), and
// every reply of the lease has been read by Release, so a value still
// equal to the one at login means no SET SESSION AUTHORIZATION is in
// effect. Leaving the statement out saves about 3% of the server CPU of a
// pooled SELECT 1 (pool_reset_ab_test.go). A script other than the
// default (a test's) is returned as it is.
func (c *Conn) sessionReset(script string) string {
	f := &c.poolReset
	if f.loginAuth == "" || c.ParameterStatus("session_authorization") != f.loginAuth {
		return script
	}
	switch script {
	case f.full:
		return f.light
	case f.rollbackFull:
		return f.rollbackLight
	}
	return script
}

// partialReset returns script, a form of the default reset, with only the
// statements that undo parts (and its transaction control): the reset of
// a ResetTracked lease that changed only some of the session's state.
// The forms are kept per session, so a lease pays for building one once.
func (c *Conn) partialReset(script string, parts resetParts) string {
	if parts == resetEverything || script == "" {
		return script
	}
	f := &c.poolReset
	k := partialResetKey{script, parts}
	if s, ok := f.partial[k]; ok {
		return s
	}
	var kept []string
	for _, stmt := range strings.Split(script, "; ") {
		if part := resetStatementParts[stmt]; part == 0 || part&parts != 0 {
			kept = append(kept, stmt)
		}
	}
	s := strings.Join(kept, "; ")
	if f.partial == nil {
		f.partial = make(map[partialResetKey]string)
	}
	f.partial[k] = s
	return s
}

// partialResetKey names a partial form of the default reset.
type partialResetKey struct {
	script string
	parts  resetParts
}

// flushPending writes the messages queued for the next request now: the
// reset queued at Release (queueSessionReset), whose reply is then read in
// front of the next request's (requestSent reads it and keeps a failure in
// resetErr). The server runs it at once, so an idle pooled session holds
// no transaction, advisory lock or LISTEN, and the next user pays no round
// trip for it.
//
// A connection with an idle watcher (a callback registered in Init) is
// the exception: the watcher, started as this returns, takes whatever the
// server sends for news, and a reset's reply for a protocol violation.
// Its replies are read here, at the cost of a round trip at Release.
func (c *Conn) flushPending() error {
	if len(c.pendingSend) == 0 {
		return nil
	}
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	c.beginRequest()
	c.pendingSend = c.pendingSend[:0]
	// No write deadline: the server has read everything sent before (it
	// answered it), so these few hundred bytes go into an empty socket
	// buffer and the write cannot block, whatever the peer does.
	if err := c.flush(); err != nil || c.pendingSyncs == 0 || !c.cb.watchIdle.Load() {
		return err
	}
	_ = c.netConn.SetReadDeadline(time.Now().Add(pingTimeout))
	err := c.requestSent()
	_ = c.netConn.SetReadDeadline(time.Time{})
	return err
}

// poolResetForms is the default reset of one session with and without
// RESET SESSION AUTHORIZATION (see sessionReset).
type poolResetForms struct {
	full, rollbackFull   string // as defaultResetSQL returns them
	light, rollbackLight string // without RESET SESSION AUTHORIZATION
	// loginAuth is the session_authorization the server reported at
	// connection, when it is the user the connection logged in as (which
	// RESET SESSION AUTHORIZATION restores); empty when not known so.
	loginAuth string
	// partial holds the partial forms made so far (partialReset).
	partial map[partialResetKey]string
}

// notePoolReset keeps the default reset forms of this session, and the
// session_authorization the server reported at connection when it is the
// user the connection logged in as, for sessionReset.
func (c *Conn) notePoolReset(f poolResetForms) {
	if auth := c.ParameterStatus("session_authorization"); auth != "" && c.cfg != nil && auth == c.cfg.User {
		f.loginAuth = auth
	}
	c.poolReset = f
}

// releaseOnClose makes the rows call release once they are finished: the
// Pool's Query hands its connection back then.
func (r *Rows) releaseOnClose(release func()) { r.afterClose = release }

// releaseOnEnd makes a top-level transaction call release once it has
// ended: the Pool's Begin hands its connection back then.
func (tx *Tx) releaseOnEnd(release func()) { tx.onEnd = release }

// stampReads makes the connection note when bytes last came from the
// server, so that the pool can tell how long it has been quiet.
func (c *Conn) stampReads() {
	c.readStamps = true
	c.lastSeen.Store(monoNow())
}

// quietFor is how long ago the connection was last known good: the
// server last sent bytes, or its last lease began (checked, or handed
// over fresh). A call that read nothing (one that failed before it was
// sent, or only wrote) proves nothing and leaves it as it was.
func (c *Conn) quietFor() time.Duration { return time.Duration(monoNow() - c.lastSeen.Load()) }

// markSeen notes that the connection is known good now: a lease begins
// on it.
func (c *Conn) markSeen() { c.lastSeen.Store(monoNow()) }

// clockEpoch is the zero of monoNow.
var clockEpoch = time.Now()

// monoNow reads the monotonic clock (about 35 ns on a virtual machine).
func monoNow() int64 { return int64(time.Since(clockEpoch)) }
