package pg

// clearSessionCallbacks forgets the notice, terminate, query-logger and
// notification callbacks a user registered, and any queued notifications,
// so that a pooled connection handed to the next user does not call into
// the previous user's code. The pool's reset calls it at Release; the
// server side (UNLISTEN *) is the reset SQL's job.
func (c *Conn) clearSessionCallbacks() {
	c.cb.clear()
}
