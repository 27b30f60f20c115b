package pg

import (
	"context"
	"fmt"
	"time"
)

// pingAfterIdle: a connection idle this long is checked with an empty
// query before Acquire hands it out, so that one the server closed
// meanwhile (pg_terminate_backend, a restart, idle_session_timeout) is
// replaced instead of failing the caller's first query. pgx's pool pings
// after the same second. Busier connections are not checked: that would
// cost a round trip per Acquire.
const pingAfterIdle = time.Second

// peekAfterIdle: an idle connection is peeked (spokeWhileIdle, one
// non-blocking system call) before Acquire hands it out when it was idle
// at least this long. The peek catches every death whose news arrived
// before it; a death announced less than peekAfterIdle before Acquire
// slips through, as does one announced just after any peek, and costs
// the caller's call (a call that provably never ran is retried: see
// SafeToRetry). What the threshold saves is the system call on the
// connections taken back within microseconds — the busy pool's common
// case — where on a virtual machine it costs more (1.5-2 µs) than the
// rest of Acquire and Release together; the two exact clock reads that
// decide it cost about 35 ns each.
const peekAfterIdle = 50 * time.Microsecond

// pingTimeout bounds that check, so an unreachable server cannot hold
// Acquire beyond it when ctx has no deadline.
const pingTimeout = 10 * time.Second

// setupRetries bounds how often Acquire replaces a connection that broke
// under the Setup hook before it reports the failure.
const setupRetries = 3

// Acquire leases a connection: the most recently released idle one, a new
// one when all are in use and the pool is below MaxSize, or else the next
// one released, waiting in arrival order. The PoolConn must be released
// with Release. The Setup hook runs on it first; if it fails, the
// connection is released and the hook's error returned.
//
// When ctx ends while Acquire waits, it returns ctx's error at once.
// After Close or Terminate it fails with ErrPoolClosed.
func (p *Pool) Acquire(ctx context.Context) (*PoolConn, error) {
	h, err := p.acquireHolder(ctx)
	if err != nil {
		return nil, err
	}
	return &PoolConn{p: p, h: h}, nil
}

// acquireHolder is Acquire without the PoolConn: the Pool's own query
// methods use holders directly.
func (p *Pool) acquireHolder(ctx context.Context) (*poolHolder, error) {
	if tr := p.hooks.Tracer; tr != nil && tr.AcquireStart != nil {
		return p.traceAcquire(ctx)
	}
	return p.acquireUntraced(ctx)
}

// acquireUntraced is acquireHolder, unobserved.
func (p *Pool) acquireUntraced(ctx context.Context) (*poolHolder, error) {
	if err := ctx.Err(); err != nil {
		p.stats.canceled.Add(1)
		return nil, err
	}
	p.stats.acquires.Add(1)
	for attempt := 1; ; attempt++ {
		h, err := p.getHolder(ctx)
		if err != nil {
			return nil, err
		}
		// The lease starts before Setup runs: the hook's calls are the
		// lease's, and the reset at Release undoes them too.
		h.leaseStart = h.conn.callCount()
		h.conn.markSeen()
		if p.hooks.Setup == nil {
			return h, nil
		}
		err = p.runSetup(ctx, h)
		if err == nil {
			return h, nil
		}
		c := h.conn
		if (c.IsClosed() || c.failedReset() != nil) && attempt < setupRetries && ctx.Err() == nil {
			// The connection failed, not the hook: the server closed
			// it, or the previous lease's reset failed. Replace it.
			why := closeBroken
			if c.failedReset() != nil {
				why = closeResetFailed
			}
			p.discard(h, why)
			continue
		}
		p.stats.hookFailed.Add(1)
		p.release(h, true)
		return nil, fmt.Errorf("pg: pool Setup hook: %w", err)
	}
}

// runSetup runs the Setup hook; should it panic, the holder leaves the
// pool's accounting (runHook has terminated its connection) before the
// panic goes on.
func (p *Pool) runSetup(ctx context.Context, h *poolHolder) error {
	done := false
	defer func() {
		if !done {
			p.discard(h, closeHookFailed)
		}
	}()
	err := p.runHook(p.hooks.Setup, ctx, h.conn)
	done = true
	return err
}

// getHolder takes an idle connection, opens a new one or waits.
func (p *Pool) getHolder(ctx context.Context) (*poolHolder, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, ErrPoolClosed
		}
		n := len(p.idle)
		if n == 0 {
			break
		}
		h := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		h.inIdle = false
		idleFor := time.Duration(p.clock() - h.idleSince)
		p.mu.Unlock()
		if why := h.unusable(); why != keepConn {
			p.discard(h, why)
			p.mu.Lock()
			continue
		}
		// A backend killed while its connection sat idle has sent its
		// FATAL (a reset socket, its RST) by the time the next caller
		// comes, and that caller must not get the connection; asyncpg,
		// which always reads, never hands one out. See peekAfterIdle.
		// What counts is how long the connection has been silent, not
		// how long it has been idle: a lease that ran nothing after its
		// backend was killed releases it into the idle list, where the
		// next Acquire may find it microseconds later.
		if idleFor >= pingAfterIdle || h.conn.quietFor() >= peekAfterIdle && h.conn.spokeWhileIdle() {
			if ok, err := p.pingOrDrop(ctx, h); err != nil {
				return nil, err
			} else if !ok {
				p.mu.Lock()
				continue
			}
		}
		return h, nil
	}
	if p.size < p.limits.maxSize {
		p.size++
		p.mu.Unlock()
		return p.openNew(ctx)
	}
	return p.waitLocked(ctx)
}

// waitLocked queues the caller until a connection or a slot frees up. It
// is called with p.mu held and returns with it released.
func (p *Pool) waitLocked(ctx context.Context) (*poolHolder, error) {
	w := newWaiter()
	p.waiters.push(w)
	p.mu.Unlock()
	p.stats.waits.Add(1)
	start := time.Now()
	var ctxErr error
	select {
	case <-w.ready:
	case <-ctx.Done():
		ctxErr = ctx.Err()
		p.mu.Lock()
		removed := p.waiters.remove(w)
		p.mu.Unlock()
		if removed {
			freeWaiter(w)
			p.stats.waitNanos.Add(int64(time.Since(start)))
			p.stats.canceled.Add(1)
			return nil, ctxErr
		}
		<-w.ready // it was served meanwhile: give back what it got
	}
	p.stats.waitNanos.Add(int64(time.Since(start)))
	// The server filled w in before signalling: no lock needed to read it.
	h, slot, err := w.h, w.slot, w.err
	freeWaiter(w)
	if ctxErr != nil {
		p.stats.canceled.Add(1)
		switch {
		case slot:
			p.mu.Lock()
			p.freeSlotLocked()
			p.mu.Unlock()
		case h != nil:
			p.giveBack(h)
		}
		return nil, ctxErr
	}
	switch {
	case err != nil:
		return nil, err
	case h != nil:
		h.waited = true
		// Checked here, as the waiter wakes, rather than when it was
		// handed over: on a loaded machine the wake-up can take
		// milliseconds, long enough for a backend killed meanwhile to
		// have said so. One that was in use until just now is not
		// checked (see peekAfterIdle).
		if c := h.conn; c.quietFor() >= peekAfterIdle && c.spokeWhileIdle() {
			if ok, err := p.pingOrDrop(ctx, h); err != nil {
				return nil, err
			} else if !ok {
				return p.getHolder(ctx)
			}
		}
		return h, nil
	}
	h, err = p.openNew(ctx)
	if h != nil {
		h.waited = true
	}
	return h, err
}

// giveBack returns a connection handed to an Acquire that gave up. The
// reset that came with it waits for a request that will not come: it is
// sent before the connection goes idle.
func (p *Pool) giveBack(h *poolHolder) {
	if h.conn.flushPending() != nil {
		p.discard(h, closeBroken)
		return
	}
	p.mu.Lock()
	closeIt := p.putIdleLocked(h)
	p.mu.Unlock()
	if closeIt != nil {
		endConn(closeIt, false)
	}
}

// openNew opens a connection into a slot the caller has taken.
func (p *Pool) openNew(ctx context.Context) (*poolHolder, error) {
	opened := false
	defer func() {
		if !opened { // Connect or Init panicked: give the slot back
			p.mu.Lock()
			p.freeSlotLocked()
			p.mu.Unlock()
		}
	}()
	h, err := p.openHolder(ctx)
	opened = true
	p.mu.Lock()
	if err != nil {
		p.freeSlotLocked()
		p.mu.Unlock()
		return nil, err
	}
	if p.closed {
		p.dropLocked(h, closePoolClosed) // not in p.all yet: frees the slot
		p.mu.Unlock()
		endConn(h, false)
		return nil, ErrPoolClosed
	}
	p.all[h] = struct{}{}
	p.mu.Unlock()
	return h, nil
}

// ping checks an idle connection with an empty query, which also reads
// the reply to the reset sent at its last Release. Should ctx end, or
// pingTimeout pass, first, the connection is terminated at once rather
// than cancelled politely: it holds no work of anyone's, and a server
// that does not answer would otherwise keep the caller for the cancel
// grace period.
func (p *Pool) ping(ctx context.Context, h *poolHolder) error {
	c := h.conn
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	stop := context.AfterFunc(pctx, c.Terminate)
	c.unobserved = true // the pool's check, not a user's query
	_, err := c.Exec(context.Background(), "")
	c.unobserved = false
	stop()
	cancel()
	if err == nil && c.IsClosed() {
		err = ErrConnClosed // terminated just as the ping finished
	}
	if err == nil && c.failedReset() != nil {
		err = c.failedReset()
	}
	return err
}

// pingOrDrop pings a connection that spoke while idle. It reports whether
// the connection is good; a bad one is discarded (ok false, err nil: the
// caller takes another). When ctx ended first and the connection is not
// known bad, it goes back to the pool and ctx's error is returned.
func (p *Pool) pingOrDrop(ctx context.Context, h *poolHolder) (ok bool, err error) {
	if err := p.ping(ctx, h); err == nil {
		return true, nil
	}
	c := h.conn
	switch {
	case ctx.Err() != nil && !c.IsClosed() && c.failedReset() == nil:
		p.giveBack(h) // the caller gave up, not the connection
		return false, ctx.Err()
	case c.failedReset() != nil:
		p.discard(h, closeResetFailed)
	default:
		p.discard(h, closeBroken)
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return false, nil
}
