package pg

import (
	"time"
)

// customResetTimeout bounds the Reset hook (and the ROLLBACK before it).
const customResetTimeout = 30 * time.Second

// release takes back a leased holder. In ResetAlways mode a lease that
// ran no call on the connection (its count of calls is where
// acquireHolder left it) skips the reset, unless escaped says the user
// had the *Conn itself (or a hook ran on it), so that anything may have
// changed; ResetTracked asks the connection whether it saw a change
// (session_state.go), and ResetNever only rolls back.
//
// The default reset is written at once when the connection goes idle, so
// an idle session holds nothing. When an Acquire is waiting, the
// connection goes straight to it and the reset travels in the same write
// as the new owner's first request instead: no extra write, and the
// session is in use again anyway. A transaction left open is rolled back
// at once either way, since it may hold row locks.
func (p *Pool) release(h *poolHolder, escaped bool) {
	recycled := false
	defer func() {
		if !recycled { // the Reset hook panicked; runHook terminated the connection
			p.mu.Lock()
			p.dropLocked(h, closeHookFailed)
			p.mu.Unlock()
		}
	}()
	why, reset, urgent := p.recycle(h, escaped || h.conn.callCount() != h.leaseStart)
	recycled = true
	if tr := p.hooks.Tracer; tr != nil && tr.Release != nil {
		p.traceRelease(h, why, reset) // while the connection is still the releaser's
	}
	if why == keepConn {
		c := h.conn
		p.mu.Lock()
		var w *poolWaiter
		if !urgent { // an open transaction is rolled back before anyone gets it
			w = p.waiters.pop() // none once closed
		}
		if w != nil {
			if reset != "" {
				c.queueSessionReset(reset)
			}
			w.h = h
			w.ready <- struct{}{}
			p.mu.Unlock()
			return
		}
		if reset == "" && !c.hasPending() {
			closeIt := p.putIdleLocked(h) // nothing to send: one lock
			p.mu.Unlock()
			if closeIt != nil {
				endConn(closeIt, false)
			}
			return
		}
		p.mu.Unlock()
		// Going idle, or urgent: send the reset now, with anything still
		// queued from a handoff whose owner ran nothing.
		if reset != "" {
			c.queueSessionReset(reset)
		}
		if err := c.flushPending(); err != nil {
			why = closeBroken
		}
	}
	p.mu.Lock()
	if why == keepConn {
		closeIt := p.putIdleLocked(h)
		p.mu.Unlock()
		if closeIt != nil {
			endConn(closeIt, false)
		}
		return
	}
	p.dropLocked(h, why)
	p.mu.Unlock()
	endConn(h, why == closeBroken)
}

// recycle decides whether a released connection goes back to the pool.
// For one that does, it returns the default reset to send (empty when
// none is needed, or when the Reset hook has run instead) and whether it
// is urgent (it rolls back an open transaction).
func (p *Pool) recycle(h *poolHolder, used bool) (why closeReason, reset string, urgent bool) {
	c := h.conn
	if c.IsClosed() {
		return closeBroken, "", false
	}
	if c.inCall() {
		p.log.Warn("pg: pool: connection released while a call or an unclosed Rows was using it; closing it (close Rows before Release)",
			"pid", c.ServerPID())
		return closeBroken, "", false
	}
	// The context registration kept between calls must not outlive the
	// lease: a later cancel of the old context would hit the next user.
	c.disarmWatch()
	c.clearSessionCallbacks()
	switch {
	case c.failedReset() != nil:
		return closeResetFailed, "", false
	case h.gen != p.gen.Load():
		return closeExpired, "", false
	case p.limits.maxQueries > 0 && h.conn.callCount() >= p.limits.maxQueries:
		return closeMaxQueries, "", false
	case h.expires != 0 && p.clock() >= h.expires:
		return closeLifetime, "", false
	case p.closing.Load():
		return closePoolClosed, "", false
	}
	inTx := c.InTransaction()
	if inTx {
		p.log.Warn("pg: pool: connection released inside a transaction; rolling it back (end transactions before Release)",
			"pid", c.ServerPID())
	}
	if p.hooks.Reset != nil {
		return p.customReset(c, inTx), "", false
	}
	switch p.hooks.ResetMode {
	case ResetTracked:
		// What changed may be Init's, before any lease ran anything.
		if parts := c.sessionChanges(); parts != 0 {
			c.sessionResetQueued()
			script := h.resetSQL
			if inTx {
				script = h.rollbackResetSQL
			}
			return keepConn, c.partialReset(c.sessionReset(script), parts), inTx
		}
		fallthrough
	case ResetNever:
		if inTx {
			return keepConn, "ROLLBACK", true
		}
		return keepConn, "", false
	}
	if !used && !inTx && p.hooks.Setup == nil {
		return keepConn, "", false // nothing ran on the session: nothing to undo
	}
	if inTx {
		return keepConn, c.sessionReset(h.rollbackResetSQL), true
	}
	return keepConn, c.sessionReset(h.resetSQL), false
}

// customReset rolls back an open transaction and runs the Reset hook.
func (p *Pool) customReset(c *Conn, inTx bool) closeReason {
	ctx := newHookContext(p, customResetTimeout)
	defer ctx.cancel()
	var err error
	if inTx {
		_, err = c.Exec(ctx, "ROLLBACK")
	}
	if err == nil {
		err = p.runHook(p.hooks.Reset, ctx, c)
	}
	c.disarmWatch()
	if err == nil && (c.IsClosed() || c.inCall() || c.InTransaction() || c.failedReset() != nil) {
		return closeResetFailed
	}
	if err != nil {
		p.log.Warn("pg: pool: Reset hook failed; closing the connection", "pid", c.ServerPID(), "err", err)
		return closeResetFailed
	}
	return keepConn
}

// putIdleLocked hands a healthy holder to the longest waiter or pushes it
// on the idle stack. When the pool is closed it drops the holder and
// returns it for the caller to end (endConn).
func (p *Pool) putIdleLocked(h *poolHolder) *poolHolder {
	if p.closed {
		p.dropLocked(h, closePoolClosed)
		return h
	}
	if w := p.waiters.pop(); w != nil {
		w.h = h
		w.ready <- struct{}{}
		return nil
	}
	p.pushIdleLocked(h)
	return nil
}

// pushIdleLocked puts h on top of the idle stack.
func (p *Pool) pushIdleLocked(h *poolHolder) {
	h.inIdle = true
	h.idleSince = p.clock()
	p.idle = append(p.idle, h)
}
