package pg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Pool is a set of connections shared by goroutines, as asyncpg's Pool: a
// fixed number of holder slots (MaxSize), MinSize of them connected up
// front, the rest connected on demand.
//
// Idle connections wait in a LIFO stack: the most recently used one is
// handed out first, so under light load a few connections do all the work
// and the rest reach MaxInactiveConnLifetime and close. Goroutines that
// find every slot busy wait in a FIFO queue and are served in arrival
// order; a connection released while some wait goes straight to the
// longest waiter.
//
// At Release the default reset returns the session to a clean state the
// way asyncpg's does — an open transaction rolled back, RESET ALL (plus
// the role and session authorization, which RESET ALL leaves alone),
// advisory locks released, cursors closed, UNLISTEN * — inside one
// explicit transaction, and Go-side callbacks (OnNotice, OnTerminate,
// Listen) are removed. The reset costs no round trip: its answer is read
// in front of the next request on that connection. A connection going
// idle has it written at Release, so an idle session holds no locks,
// transaction or LISTEN; one handed straight to a waiting Acquire carries
// it in the same write as the new owner's first request (a transaction
// left open is still rolled back at once). Should the reset fail, its
// transaction is left aborted, so the next request fails (25P02, reported
// as a *PoolResetError) instead of running in a dirty session, and the
// connection is closed at its next Release; the Pool's own query methods
// then retry once on another connection. A lease that ran nothing is not
// reset. Prepared statements survive the reset. PoolConfig.ResetMode
// trades the reset's cost against its guarantee: ResetTracked resets only
// after a lease that visibly changed session state, ResetNever never.
//
// A connection idle for a second or more is checked with an empty query
// before Acquire hands it out, so one the server closed meanwhile is
// replaced instead of failing the caller's first query. A janitor
// goroutine closes connections past MaxInactiveConnLifetime or
// MaxConnLifetime while they sit idle; it stops at Close or Terminate.
//
// A Pool is safe for concurrent use. Its methods Exec, Query, Fetch ...
// acquire a connection, run one call and release it.
type Pool struct {
	hooks  PoolConfig // the caller's PoolConfig: hooks and Logger
	limits poolLimits
	log    *slog.Logger

	connCfg atomic.Pointer[Config] // for new connections; see SetConnectArgs
	gen     atomic.Uint64          // bumped by ExpireConnections
	closing atomic.Bool            // set by Close and Terminate
	epoch   time.Time              // the pool clock's zero
	now     atomic.Int64           // the pool's coarse clock (pool_janitor.go)
	stop    chan struct{}          // closed to stop the janitor

	mu      sync.Mutex
	idle    []*poolHolder            // LIFO: the last is the most recently released
	waiters waiterQueue              // FIFO of Acquires waiting for a slot
	all     map[*poolHolder]struct{} // every open connection, idle or out
	size    int                      // slots taken: open connections plus those being opened
	closed  bool
	drained chan struct{} // closed once the pool is closed and size is 0

	stats poolCounters

	mux *poolMux // the multiplexed side, nil unless PoolConfig.MultiplexConns (pool_mux.go)
}

var (
	// ErrPoolClosed is returned by Acquire (and the Pool's query methods)
	// once Close or Terminate has been called.
	ErrPoolClosed = errors.New("pg: pool is closed")
	// ErrPoolConnReleased is returned by a PoolConn used after Release,
	// and by a second Release. Acquire a new PoolConn instead.
	ErrPoolConnReleased = errors.New("pg: pooled connection already released (acquire a new one from the Pool)")
)

// CreatePool parses dsn (see ParseConfig) and creates a pool: see
// CreatePoolConfig.
func CreatePool(ctx context.Context, dsn string, pc PoolConfig) (*Pool, error) {
	cfg, err := ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return CreatePoolConfig(ctx, cfg, pc)
}

// CreatePoolConfig creates a pool whose connections are made from cfg
// (copied; nil means an empty Config). It opens pc.MinSize connections
// concurrently, running Init on each, before it returns; if any fails,
// those opened are closed and the error is returned.
func CreatePoolConfig(ctx context.Context, cfg *Config, pc PoolConfig) (*Pool, error) {
	lim, err := pc.limits()
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = DefaultConfig()
	}
	if pc.Connect == nil {
		if err := cfg.validate(); err != nil {
			return nil, err
		}
	}
	p := &Pool{
		hooks:   pc,
		limits:  lim,
		log:     pc.Logger,
		all:     make(map[*poolHolder]struct{}, lim.maxSize),
		idle:    make([]*poolHolder, 0, lim.maxSize),
		drained: make(chan struct{}),
		epoch:   time.Now(),
		stop:    make(chan struct{}),
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	p.connCfg.Store(cfg.Copy())
	go p.janitor(p.stop)
	if err := p.openMin(ctx); err != nil {
		p.Terminate()
		return nil, err
	}
	if pc.MultiplexConns > 0 {
		if p.mux, err = newPoolMux(ctx, p, pc.MultiplexConns); err != nil {
			p.Terminate()
			return nil, err
		}
	}
	return p, nil
}

// openMin opens MinSize connections concurrently into the idle stack.
func (p *Pool) openMin(ctx context.Context) error {
	n := p.limits.minSize
	if n == 0 {
		return nil
	}
	p.mu.Lock()
	p.size += n
	p.mu.Unlock()
	type result struct {
		h   *poolHolder
		err error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			h, err := p.openHolder(ctx)
			results <- result{h, err}
		}()
	}
	var firstErr error
	for range n {
		r := <-results
		p.mu.Lock()
		if r.err != nil {
			p.freeSlotLocked()
			if firstErr == nil {
				firstErr = r.err
			}
		} else {
			p.all[r.h] = struct{}{}
			p.pushIdleLocked(r.h)
		}
		p.mu.Unlock()
	}
	return firstErr
}

// SetConnectArgs parses dsn and uses it for connections opened from now
// on; open connections stay until they are replaced (ExpireConnections
// replaces them all).
func (p *Pool) SetConnectArgs(dsn string) error {
	cfg, err := ParseConfig(dsn)
	if err != nil {
		return err
	}
	p.connCfg.Store(cfg)
	return nil
}

// SetConnectConfig is SetConnectArgs with a Config, which is copied.
func (p *Pool) SetConnectConfig(cfg *Config) error {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	if p.hooks.Connect == nil {
		if err := cfg.validate(); err != nil {
			return err
		}
	}
	p.connCfg.Store(cfg.Copy())
	return nil
}

// ConnectConfig returns the configuration new connections are made with.
// Do not modify it.
func (p *Pool) ConnectConfig() *Config { return p.connCfg.Load() }

// ExpireConnections marks every connection open now for replacement: idle
// ones are closed at once, those in use when they are released. New
// connections are opened on demand, with the current connect arguments.
func (p *Pool) ExpireConnections() {
	p.gen.Add(1)
	p.mu.Lock()
	idle := p.takeIdleLocked(closeExpired)
	p.mu.Unlock()
	endHolders(idle)
}

// Close closes the pool gracefully: Acquire fails with ErrPoolClosed from
// now on, waiters are woken with it, idle connections are closed, and
// Close waits for connections in use to be released (each is closed at its
// Release). When ctx ends first, the connections still in use are
// terminated and Close returns an error wrapping ctx's. Calling Close
// again, or after Terminate, waits the same way.
func (p *Pool) Close(ctx context.Context) error {
	p.mu.Lock()
	idle := p.shutLocked()
	p.mu.Unlock()
	endHolders(idle)
	if err := p.closeMux(ctx); err != nil {
		p.Terminate()
		return err
	}
	select {
	case <-p.drained:
		return nil
	case <-ctx.Done():
	}
	p.mu.Lock()
	out := p.outLocked()
	p.mu.Unlock()
	for _, h := range out {
		h.conn.Terminate()
	}
	return fmt.Errorf("pg: pool Close gave up waiting; %d connection(s) still in use were terminated: %w", len(out), ctx.Err())
}

// Terminate closes the pool and every connection at once, also those in
// use (their calls fail with a *ConnError or ErrConnClosed). It does not
// wait; releasing a terminated connection later is harmless.
func (p *Pool) Terminate() {
	p.mu.Lock()
	idle := p.shutLocked()
	out := p.outLocked()
	p.mu.Unlock()
	if p.mux != nil {
		p.mux.terminate()
	}
	// Outside the lock: Terminate runs OnTerminate callbacks.
	for _, h := range idle {
		h.conn.Terminate()
	}
	for _, h := range out {
		h.conn.Terminate()
	}
}

// shutLocked marks the pool closed, fails the waiters and takes the idle
// connections out of the accounting for the caller to close.
func (p *Pool) shutLocked() []*poolHolder {
	if !p.closed {
		p.closed = true
		p.closing.Store(true)
		close(p.stop)
		for w := p.waiters.pop(); w != nil; w = p.waiters.pop() {
			w.err = ErrPoolClosed
			w.ready <- struct{}{}
		}
	}
	idle := p.takeIdleLocked(closePoolClosed)
	p.checkDrainedLocked()
	return idle
}

// outLocked lists the connections in use (or being released); their
// holders leave the accounting at Release.
func (p *Pool) outLocked() []*poolHolder {
	var out []*poolHolder
	for h := range p.all {
		if !h.inIdle {
			out = append(out, h)
		}
	}
	return out
}

// takeIdleLocked empties the idle stack, freeing the slots; the caller
// closes the connections.
func (p *Pool) takeIdleLocked(why closeReason) []*poolHolder {
	idle := make([]*poolHolder, len(p.idle))
	copy(idle, p.idle)
	clear(p.idle)
	p.idle = p.idle[:0]
	for _, h := range idle {
		h.inIdle = false
		p.dropLocked(h, why)
	}
	return idle
}

// freeSlotLocked gives a freed slot to the longest waiter, or shrinks the
// pool.
func (p *Pool) freeSlotLocked() {
	if !p.closed {
		if w := p.waiters.pop(); w != nil {
			w.slot = true
			w.ready <- struct{}{}
			return
		}
	}
	p.size--
	p.checkDrainedLocked()
}

func (p *Pool) checkDrainedLocked() {
	if p.closed && p.size == 0 {
		select {
		case <-p.drained:
		default:
			close(p.drained)
		}
	}
}
