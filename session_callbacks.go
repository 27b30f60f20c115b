package pg

// clearSessionCallbacks forgets the notice, terminate and query-logger
// callbacks a user registered during a lease, the notification callbacks
// and any queued notifications, so that a pooled connection handed to the
// next user does not call into the previous user's code. The pool's reset
// calls it at Release; the server side (UNLISTEN *) is the reset SQL's
// job. Callbacks kept by keepSessionCallbacks stay.
func (c *Conn) clearSessionCallbacks() {
	c.cb.clear()
}

// keepSessionCallbacks makes the callbacks registered so far part of the
// connection: the pool calls it after Init, whose callbacks serve every
// lease. Listen callbacks are not kept, since the reset's UNLISTEN * ends
// their LISTEN.
func (c *Conn) keepSessionCallbacks() {
	c.cb.mu.Lock()
	c.cb.kept = c.cb.seq
	c.cb.mu.Unlock()
}
