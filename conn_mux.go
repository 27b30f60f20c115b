package pg

import (
	"context"
	"errors"
	"maps"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/internal/ctxwatch"
	"github.com/wirepg/pg/internal/lru"
	"github.com/wirepg/pg/pgproto"
)

// A multiplexed pool (pool_mux.go) runs each one-statement call on a
// session Conn whose network is not a socket but a muxStream: a Write
// hands the request to a shared server connection's writer, and Read
// serves the request's replies once that connection's reader has gathered
// them. So the call runs the ordinary Conn code — statement cache, Bind
// encoding, stale-statement retry, type introspection, Rows — and only
// the bytes take a shared road.

// muxReq is one write of a session: one or more Sync- or Query-terminated
// units, and, once the server has answered them, their replies.
type muxReq struct {
	msgs  []byte // the request (the session's write buffer until its reply is read)
	syncs int    // ReadyForQuery messages that end its replies

	// state moves from reqQueued to reqWritten (the writer) or to
	// reqAbandoned (the session gave up before it was written).
	state muxReqState
	// strip counts the ParseComplete replies to messages the writer added
	// (a statement parsed on this server connection for the first time);
	// set by the writer before the write, read by the reader after it.
	strip int

	reply []byte        // the replies, whole messages; filled by the reader
	err   error         // set instead when the connection failed
	done  chan struct{} // receives once reply or err is final
}

// A muxReq's state: queued until the writer takes it, written until its
// reply is complete, then done; abandoned when its session stopped
// waiting first.
type muxReqState = atomic.Int32

const (
	reqQueued int32 = iota
	reqWritten
	reqDone
	reqAbandoned
)

// finish hands the request's reply (or err) to its session, unless the
// session abandoned it. Only the goroutine that moves it to reqDone may
// signal.
func (q *muxReq) finish(err error) {
	if q.state.CompareAndSwap(reqWritten, reqDone) || q.state.CompareAndSwap(reqQueued, reqDone) {
		q.err = err
		q.done <- struct{}{}
	}
}

// muxStream is a session's net.Conn. The Conn that owns it uses it from
// one goroutine; SetDeadline may come from its context watch's goroutine.
type muxStream struct {
	m      *poolMux
	req    muxReq
	out    bool   // req was handed to a server connection and its reply not yet taken
	unread []byte // reply bytes not yet read
	// unsent says the last request failed before any of it was written:
	// the call may be retried (SafeToRetry).
	unsent bool
	// release gives the session back to the pool (bound once, for Rows).
	release func()

	mu      sync.Mutex
	expired chan struct{} // closed when the deadline passes
	timer   *time.Timer
	closed  bool
}

var (
	errMuxNoCancel = errors.New("pg: a multiplexed statement cannot be cancelled on the server (its neighbours share the connection); the call stops waiting, and statement_timeout bounds the statement")
	errMuxProtocol = errors.New("pg: a multiplexed session sent what a shared connection cannot carry (COPY data, Terminate, or a request with no Sync)")
)

// newMuxSession makes a session Conn for m from the parameters of one of
// its server connections (params) and cfg.
func newMuxSession(m *poolMux, cfg *Config, params map[string]string) *Conn {
	s := &muxStream{m: m, expired: make(chan struct{})}
	s.req.done = make(chan struct{}, 1)
	c := &Conn{
		cfg:         cfg,
		netConn:     s,
		rawConn:     s,
		params:      maps.Clone(params),
		txStatus:    'I',
		types:       codec.Default(),
		typesShared: true,
		wbuf:        make([]byte, 0, 1024),
		released:    make(chan struct{}, 1),
	}
	if n := cfg.statementCacheSize(); n > 0 {
		c.stmts = lru.New[string, *stmtDesc](n)
	}
	s.release = func() { m.putSession(c) }
	c.r = pgproto.NewReader(s, muxSessionBuf)
	c.r.SetMaxMessageSize(cfg.maxMessageSize())
	// No CancelRequest: it would cancel whatever the shared connection
	// runs at that moment, likely another caller's statement. The call
	// stops waiting at once instead (no grace), and the reply is
	// discarded when it comes.
	c.watch.Init(ctxwatch.Actions{
		Cancel:      func(context.Context) error { return errMuxNoCancel },
		SetDeadline: func(t time.Time) { _ = s.SetDeadline(t) },
		Timeout:     cfg.CommandTimeout,
	})
	return c
}

// muxSessionBuf is a session's read buffer: replies are already whole in
// memory, so it only needs to hold a typical one.
const muxSessionBuf = 8 << 10

// muxStreamOf returns the stream of a session Conn.
func muxStreamOf(c *Conn) *muxStream { return c.netConn.(*muxStream) }

// Write hands one request to a server connection. It does not wait for
// the write: the reply is awaited by Read. msgs must end with Sync or a
// simple Query (every request the Conn makes does), and must not be COPY
// data, which a shared connection cannot interleave.
func (s *muxStream) Write(msgs []byte) (int, error) {
	if s.out || len(s.unread) > 0 {
		return 0, errMuxProtocol
	}
	syncs, ok := countSyncs(msgs)
	if !ok || syncs == 0 {
		return 0, errMuxProtocol
	}
	s.req.msgs, s.req.syncs = msgs, syncs
	s.req.reply, s.req.err, s.req.strip = s.req.reply[:0], nil, 0
	s.req.state.Store(reqQueued)
	s.unsent = false
	if err := s.m.submit(&s.req); err != nil {
		s.unsent = true
		return 0, err
	}
	s.out = true
	return len(msgs), nil
}

// countSyncs counts the messages in msgs that end a unit (Sync, Query) and
// says whether msgs holds only messages a shared connection may carry.
func countSyncs(msgs []byte) (int, bool) {
	n := 0
	for len(msgs) >= 5 {
		typ := msgs[0]
		size := int(uint32(msgs[1])<<24 | uint32(msgs[2])<<16 | uint32(msgs[3])<<8 | uint32(msgs[4]))
		if size < 4 || size+1 > len(msgs) {
			return 0, false
		}
		switch typ {
		case pgproto.MsgSync, pgproto.MsgQuery:
			n++
		case pgproto.MsgCopyData, pgproto.MsgCopyDone, pgproto.MsgCopyFail, pgproto.MsgTerminate, pgproto.MsgFlush:
			return 0, false
		}
		msgs = msgs[1+size:]
	}
	return n, len(msgs) == 0
}

// Read serves the reply of the request written last, waiting for it.
func (s *muxStream) Read(p []byte) (int, error) {
	if len(s.unread) == 0 {
		if !s.out {
			return 0, errMuxProtocol
		}
		if err := s.await(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.unread)
	s.unread = s.unread[n:]
	return n, nil
}

// await waits for the reply of the request out, or the deadline.
func (s *muxStream) await() error {
	s.mu.Lock()
	expired := s.expired
	s.mu.Unlock()
	select {
	case <-s.req.done:
	case <-expired:
		if s.req.state.CompareAndSwap(reqQueued, reqAbandoned) {
			s.unsent = true // never written: it will not run
			return os.ErrDeadlineExceeded
		}
		if s.req.state.CompareAndSwap(reqWritten, reqAbandoned) {
			// Written: the reader discards the reply when it comes. The
			// session breaks with this error and is not used again, so
			// nothing reads req after this.
			return os.ErrDeadlineExceeded
		}
		<-s.req.done // answered meanwhile
	}
	s.out = false
	if s.req.err != nil {
		return s.req.err
	}
	s.unread = s.req.reply
	return nil
}

// SetDeadline arms (or with the zero time, clears) the time at which a
// waiting Read gives up; the context watch calls it.
func (s *muxStream) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	select {
	case <-s.expired:
		s.expired = make(chan struct{})
	default:
	}
	if t.IsZero() {
		return nil
	}
	ch := s.expired
	d := time.Until(t)
	if d <= 0 {
		close(ch)
		return nil
	}
	s.timer = time.AfterFunc(d, func() {
		s.mu.Lock()
		if s.expired == ch {
			select {
			case <-ch:
			default:
				close(ch)
			}
		}
		s.mu.Unlock()
	})
	return nil
}

// SetReadDeadline is SetDeadline: a session only waits in Read.
func (s *muxStream) SetReadDeadline(t time.Time) error { return s.SetDeadline(t) }

// SetWriteDeadline does nothing: Write never waits.
func (s *muxStream) SetWriteDeadline(time.Time) error { return nil }

// Close ends the session; a request still out is abandoned.
func (s *muxStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	return nil
}

// LocalAddr and RemoteAddr: a session has no socket of its own.
func (s *muxStream) LocalAddr() net.Addr { return muxAddr{} }

// RemoteAddr: see LocalAddr.
func (s *muxStream) RemoteAddr() net.Addr { return muxAddr{} }

type muxAddr struct{}

func (muxAddr) Network() string { return "pg-multiplexed" }
func (muxAddr) String() string  { return "multiplexed" }
