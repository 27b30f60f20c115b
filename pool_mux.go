package pg

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// poolMux is a Pool's multiplexed side (PoolConfig.MultiplexConns): a few
// server connections, each carrying the one-statement calls of many
// goroutines at once, and the session Conns those calls run on.
//
// A call takes a session from the free list (or makes one), runs the
// ordinary Conn method on it and puts it back. The session's requests go
// to the server connection with the fewest requests outstanding; there a
// writer sends everything queued since its previous write in one write,
// each request with its own Sync (so one request's error aborts nothing
// else), and a reader hands each reply to its session as it completes.
type poolMux struct {
	p     *Pool
	conns []*muxConn

	// parses holds the Parse message of every statement the sessions
	// prepared, by name, so that a writer can parse a statement on its
	// server connection before the first Bind that needs it there.
	parseMu sync.Mutex
	parses  map[string][]byte

	mu       sync.Mutex
	free     []*Conn // idle sessions, the most recently used last
	params   map[string]string
	closed   bool
	draining sync.WaitGroup // one per muxConn goroutine
	stop     chan struct{}  // closed by close and terminate
	killed   atomic.Bool    // terminate: fail what is in flight
}

// Bounds of the multiplexed pool.
const (
	// muxDepth bounds the requests written and not yet answered on one
	// server connection: a slow statement delays at most this many
	// neighbours, and a write carries at most this many requests.
	muxDepth = 128
	// muxMaxParses bounds the statements a mux remembers (parses); past
	// it the memory is dropped, and a Bind meeting a server connection
	// that lacks its statement is retried by its session with the
	// statement parsed in the same unit (the stale-statement retry).
	muxMaxParses = 4096
)

// newPoolMux opens n multiplexed server connections for p, concurrently,
// and starts serving them; if any fails, those opened are closed.
func newPoolMux(ctx context.Context, p *Pool, n int) (*poolMux, error) {
	m := &poolMux{p: p, parses: make(map[string][]byte), stop: make(chan struct{})}
	m.conns = make([]*muxConn, n)
	opened := make([]*Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range m.conns {
		m.conns[i] = &muxConn{m: m, wake: make(chan struct{}, 1), prepared: make(map[string]struct{})}
		wg.Go(func() { opened[i], errs[i] = m.conns[i].connect(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, c := range opened {
			if c != nil {
				c.Terminate()
			}
		}
		return nil, fmt.Errorf("pg: opening the pool's multiplexed connections: %w", err)
	}
	for i, mc := range m.conns {
		m.draining.Add(1)
		go mc.run(opened[i])
	}
	return m, nil
}

// submit queues q on the server connection with the fewest requests
// outstanding.
func (m *poolMux) submit(q *muxReq) error {
	best := m.conns[0]
	bestLoad := best.load.Load()
	for _, mc := range m.conns[1:] {
		if l := mc.load.Load(); l < bestLoad {
			best, bestLoad = mc, l
		}
	}
	return best.enqueue(q)
}

// session returns an idle session, or a new one.
func (m *poolMux) session() (*Conn, error) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil, ErrPoolClosed
	}
	if n := len(m.free); n > 0 {
		c := m.free[n-1]
		m.free[n-1] = nil
		m.free = m.free[:n-1]
		m.mu.Unlock()
		return c, nil
	}
	params := m.params
	m.mu.Unlock()
	return newMuxSession(m, m.p.tracedConfig(m.p.connCfg.Load()), params), nil
}

// putSession takes a session back after a call. One whose stream broke,
// or that the call left in a transaction, is dropped.
func (m *poolMux) putSession(c *Conn) {
	if c.IsClosed() || c.txStatus != 'I' || muxStreamOf(c).out {
		c.Terminate()
		return
	}
	m.mu.Lock()
	if !m.closed {
		m.free = append(m.free, c)
	}
	m.mu.Unlock()
}

// noteParams keeps the parameters of a new server connection (server
// version, time zone ...) for the sessions made from now on.
func (m *poolMux) noteParams(c *Conn) {
	m.mu.Lock()
	if m.params == nil {
		c.paramsMu.RLock()
		m.params = maps.Clone(c.params)
		c.paramsMu.RUnlock()
	}
	m.mu.Unlock()
}

// rememberParse keeps a named statement's Parse message (copied).
func (m *poolMux) rememberParse(name string, msg []byte) {
	m.parseMu.Lock()
	if _, ok := m.parses[name]; !ok {
		if len(m.parses) >= muxMaxParses {
			clear(m.parses)
		}
		m.parses[name] = append([]byte(nil), msg...)
	}
	m.parseMu.Unlock()
}

// parseOf returns the Parse message of a named statement, or nil.
func (m *poolMux) parseOf(name string) []byte {
	m.parseMu.Lock()
	msg := m.parses[name]
	m.parseMu.Unlock()
	return msg
}

// close stops taking calls and lets the server connections finish what
// is queued and in flight; they close then. wait says when they have.
func (m *poolMux) close() {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		close(m.stop)
		for _, c := range m.free {
			c.Terminate()
		}
		m.free = nil
	}
	m.mu.Unlock()
	for _, mc := range m.conns {
		mc.signal()
	}
}

// wait returns when every server connection has closed, or ctx ends.
func (m *poolMux) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { m.draining.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// terminate closes at once: what is in flight fails.
func (m *poolMux) terminate() {
	m.killed.Store(true)
	m.close()
	for _, mc := range m.conns {
		mc.kill()
	}
}

// muxCall runs f on a session, retrying once (on another session and
// maybe another server connection) when the request provably did not run.
func muxCall[T any](m *poolMux, f func(c *Conn) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		c, err := m.session()
		if err != nil {
			var zero T
			return zero, err
		}
		v, err := f(c)
		m.putSession(c)
		if !retryable(err, attempt) {
			return v, err
		}
	}
}

// muxQuery is Pool.Query on a session: the session goes back when the
// Rows is finished. The rows are in memory already (the whole reply).
func (m *poolMux) query(ctx context.Context, sql string, args []any) (*Rows, error) {
	for attempt := 1; ; attempt++ {
		c, err := m.session()
		if err != nil {
			return nil, err
		}
		rows, err := c.Query(ctx, sql, args...)
		if err == nil {
			rows.releaseOnClose(muxStreamOf(c).release)
			return rows, nil
		}
		m.putSession(c)
		if !retryable(err, attempt) {
			return nil, err
		}
	}
}

// muxFor returns the pool's mux when sql may run on it (muxRoutable),
// else nil.
func (p *Pool) muxFor(sql string, simple bool) *poolMux {
	if p.mux == nil || simple || !muxRoutable(sql) {
		return nil
	}
	return p.mux
}

var errMuxClosed = errors.New("pg: the multiplexed connection is closed")

// closeMux closes the multiplexed side gracefully (see poolMux.close)
// and waits, within ctx, for its connections to finish.
func (p *Pool) closeMux(ctx context.Context) error {
	if p.mux == nil {
		return nil
	}
	p.mux.close()
	if err := p.mux.wait(ctx); err != nil {
		return fmt.Errorf("pg: pool Close gave up waiting for the multiplexed connections; they were terminated: %w", err)
	}
	return nil
}
