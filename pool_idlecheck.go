package pg

import "time"

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
	if len(c.pendingSend) > 0 || !c.socketReadable() {
		return false // nothing sent since Release, or nothing arrived
	}
	if c.pendingSyncs == 0 {
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
