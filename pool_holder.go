package pg

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// poolHolder is one open connection of a pool and what the pool knows
// about it. A holder is idle (in Pool.idle, inIdle set) or out (leased to
// one user). inIdle and idleSince are guarded by Pool.mu; the
// other fields belong to whoever holds the lease, or to the pool while the
// holder is idle.
type poolHolder struct {
	p    *Pool
	conn *Conn
	gen  uint64 // Pool.gen when opened; older means ExpireConnections replaced it

	expires int64 // MaxConnLifetime deadline on the pool's clock; zero when unlimited
	// leaseStart is the connection's call count when the current lease
	// began, before any Setup hook ran: more at release means the lease
	// (the hook included) ran something.
	leaseStart uint64
	// resetSQL is the default reset this server supports; the ROLLBACK
	// variant is used when the session is left in a transaction.
	resetSQL, rollbackResetSQL string

	inIdle    bool
	idleSince int64 // the pool's clock when it last went idle

	// releaseOne is p.release(h, false), bound once so that Pool.Query
	// can hand it to Rows without allocating per call.
	releaseOne func()

	// waited says the current lease queued for its connection, and
	// leasedAt is when it began (set for the Tracer only: trace_pool.go).
	waited   bool
	leasedAt time.Time
}

// closeReason says why the pool closed a connection (see PoolStats).
type closeReason int

const (
	closeBroken closeReason = iota
	closeMaxQueries
	closeInactive
	closeLifetime
	closeExpired
	closeResetFailed
	closeHookFailed
	closePoolClosed
	numCloseReasons
	keepConn closeReason = -1
)

// openHolder opens a connection with the current connect arguments and
// runs Init on it. The caller has taken a slot for it.
func (p *Pool) openHolder(ctx context.Context) (*poolHolder, error) {
	// The generation is read first: a connection still opening with the
	// old arguments when ExpireConnections runs counts as opened before.
	gen := p.gen.Load()
	cfg := p.tracedConfig(p.connCfg.Load())
	var c *Conn
	var err error
	if p.hooks.Connect != nil {
		c, err = p.hooks.Connect(ctx, cfg)
		if err == nil && c == nil {
			err = fmt.Errorf("pg: PoolConfig.Connect returned neither a connection nor an error")
		}
	} else {
		c, err = ConnectConfig(ctx, cfg)
	}
	if err != nil {
		return nil, err
	}
	p.stats.created.Add(1)
	c.stampReads()
	h := &poolHolder{p: p, conn: c, gen: gen}
	h.releaseOne = func() { p.release(h, false) }
	if l := p.limits.maxLifetime; l > 0 {
		if j := p.limits.lifetimeJitter; j > 0 {
			l += rand.N(j)
		}
		h.expires = p.exactClock() + int64(l)
	}
	p.noteReset(h)
	if p.hooks.Init != nil {
		if err := p.runHook(p.hooks.Init, ctx, c); err != nil {
			c.Terminate()
			p.countClosed(closeHookFailed)
			return nil, fmt.Errorf("pg: pool Init hook: %w", err)
		}
		c.disarmWatch()
		c.keepSessionCallbacks()
	}
	return h, nil
}

// runHook calls a hook; should it panic, the connection is terminated (it
// is in an unknown state) before the panic goes on.
func (p *Pool) runHook(f func(context.Context, *Conn) error, ctx context.Context, c *Conn) error {
	done := false
	defer func() {
		if !done {
			c.Terminate()
		}
	}()
	err := f(ctx, c)
	done = true
	return err
}

// unusable says why an idle connection must not be handed out, or keepConn.
func (h *poolHolder) unusable() closeReason {
	c := h.conn
	switch {
	case c.IsClosed():
		return closeBroken
	case c.failedReset() != nil:
		return closeResetFailed
	case h.gen != h.p.gen.Load():
		return closeExpired
	case h.expires != 0 && h.p.clock() >= h.expires:
		return closeLifetime
	}
	return keepConn
}

// dropLocked takes h out of the pool's accounting and counts it closed
// for why, under the same lock, so that Stats never shows a slot freed
// but its close not yet counted. The caller then ends the connection
// (endConn) outside the lock.
func (p *Pool) dropLocked(h *poolHolder, why closeReason) {
	delete(p.all, h)
	p.freeSlotLocked()
	p.countClosed(why)
}

// endHolders ends the connections of dropped healthy holders, in
// parallel: a graceful close waits for its backend to exit.
func endHolders(hs []*poolHolder) {
	if len(hs) == 1 {
		endConn(hs[0], false)
		return
	}
	var wg sync.WaitGroup
	for _, h := range hs {
		wg.Go(func() { endConn(h, false) })
	}
	wg.Wait()
}

// endConn ends the connection of a dropped holder: gracefully when it is
// healthy, at once when it is broken or in an unknown state.
func endConn(h *poolHolder, broken bool) {
	c := h.conn
	if c.IsClosed() {
		return
	}
	if c.inCall() || c.failedReset() != nil || broken {
		c.Terminate()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = c.Close(ctx)
	cancel()
}

// discard takes an out holder out of the accounting and closes it.
func (p *Pool) discard(h *poolHolder, why closeReason) {
	p.mu.Lock()
	p.dropLocked(h, why)
	p.mu.Unlock()
	endConn(h, why == closeBroken)
}
