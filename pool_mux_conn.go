package pg

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// muxConn is one server connection of a multiplexed pool, with its
// writer (the run goroutine) and its reader. When the connection breaks,
// every request on it fails and the slot connects again.
type muxConn struct {
	m    *poolMux
	wake chan struct{} // signals the writer: work queued, room freed, close
	load atomic.Int32  // requests queued or in flight, for submit's choice

	mu       sync.Mutex
	c        *Conn     // nil while connecting
	queue    []*muxReq // not yet written
	inflight []*muxReq // written, replies pending, oldest first, from head on
	head     int
	down     error // set while the connection is gone: enqueue fails with it

	// prepared holds the statements parsed on this connection (the
	// writer's own).
	prepared map[string]struct{}
}

// enqueue queues q for the writer.
func (mc *muxConn) enqueue(q *muxReq) error {
	mc.mu.Lock()
	if mc.down != nil {
		err := mc.down
		mc.mu.Unlock()
		return &ConnError{Op: "write", Err: err, unsent: true}
	}
	mc.queue = append(mc.queue, q)
	mc.mu.Unlock()
	mc.load.Add(1)
	mc.signal()
	return nil
}

func (mc *muxConn) signal() {
	select {
	case mc.wake <- struct{}{}:
	default:
	}
}

// kill breaks the connection at once (Pool.Terminate).
func (mc *muxConn) kill() {
	mc.mu.Lock()
	c := mc.c
	mc.mu.Unlock()
	if c != nil {
		c.Terminate()
	}
}

// connect opens the server connection (the pool's Connect and Init
// hooks included) and takes it for the multiplexer.
func (mc *muxConn) connect(ctx context.Context) (*Conn, error) {
	h, err := mc.m.p.openHolder(ctx)
	if err != nil {
		return nil, err
	}
	c := h.conn
	if err := c.acquire(); err != nil {
		c.Terminate()
		return nil, err
	}
	c.unobserved = true // the sessions' calls are the ones traced
	mc.m.noteParams(c)
	return c, nil
}

// run serves the slot until the mux closes: carry requests on c, and
// when it breaks, connect again, pausing longer after each failed
// attempt. c is the connection newPoolMux opened.
func (mc *muxConn) run(c *Conn) {
	defer mc.m.draining.Done()
	pause := 10 * time.Millisecond
	for {
		if c == nil {
			var err error
			if c, err = mc.reconnect(); err != nil {
				if !mc.fail(err) || !mc.sleep(pause) {
					return
				}
				pause = min(2*pause, 5*time.Second)
				continue
			}
			pause = 10 * time.Millisecond
		}
		err := mc.serve(c)
		c = nil
		if !mc.fail(err) {
			return
		}
	}
}

// reconnect opens a new connection; closing the mux abandons it.
func (mc *muxConn) reconnect() (*Conn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-mc.m.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return mc.connect(ctx)
}

func (mc *muxConn) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-mc.m.stop:
		return false
	}
}

// fail fails every request on the slot with err: those never written
// may be retried (SafeToRetry), those written may have run. It reports
// whether the slot goes on (the mux is open); once the mux is closed,
// requests that still come fail with ErrPoolClosed.
func (mc *muxConn) fail(err error) bool {
	mc.mu.Lock()
	queue, inflight := mc.queue, mc.inflight[mc.head:]
	mc.queue, mc.inflight, mc.head = nil, nil, 0
	mc.c = nil
	open := !mc.m.isClosed()
	if open {
		mc.down = err
	} else {
		mc.down = ErrPoolClosed
	}
	mc.mu.Unlock()
	for _, q := range inflight {
		q.finish(&ConnError{Op: "read", Err: err})
	}
	for _, q := range queue {
		q.finish(&ConnError{Op: "write", Err: err, unsent: true})
	}
	mc.load.Add(-int32(len(queue) + len(inflight)))
	clear(mc.prepared)
	return open
}

func (m *poolMux) isClosed() bool {
	select {
	case <-m.stop:
		return true
	default:
		return false
	}
}

// serve carries requests on c until it breaks, or until the mux has
// closed and every request is answered; it returns why it stopped.
func (mc *muxConn) serve(c *Conn) error {
	mc.mu.Lock()
	mc.c = c
	mc.down = nil
	mc.mu.Unlock()
	quit := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		err := mc.read(c)
		close(quit)
		readErr <- err
	}()
	if err := mc.write(c, quit); err != nil {
		c.Terminate()
		if rerr := <-readErr; !isTimeoutOrClosed(rerr) {
			err = rerr
		}
		return err
	}
	// Closed and all answered: the reader waits for nothing now.
	_ = c.netConn.SetReadDeadline(time.Now())
	<-readErr
	ctx, cancel := context.WithTimeout(context.Background(), closeWait)
	c.sendTerminate(ctx)
	cancel()
	c.shutdown(nil)
	return ErrPoolClosed
}

// isTimeoutOrClosed says whether err is only the echo of the writer's
// own ending of the connection.
func isTimeoutOrClosed(err error) bool {
	return err == nil || errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrDeadlineExceeded)
}

// write is the writer: it sends what is queued, in batches, until the
// connection breaks (the error) or the mux closes and every request has
// been answered (nil).
func (mc *muxConn) write(c *Conn, quit chan struct{}) error {
	var batch []*muxReq
	for {
		mc.mu.Lock()
		room := muxDepth - mc.flying()
		if len(mc.queue) > 0 && room > 0 {
			batch = mc.takeLocked(batch[:0], room)
		} else {
			batch = batch[:0]
		}
		done := len(batch) == 0 && len(mc.queue) == 0 && mc.flying() == 0 && mc.m.isClosed()
		mc.mu.Unlock()
		if done {
			return nil
		}
		if len(batch) == 0 {
			select {
			case <-mc.wake:
			case <-quit:
				return errMuxClosed
			}
			if mc.m.killed.Load() {
				return ErrPoolClosed
			}
			continue
		}
		c.wbuf = c.wbuf[:0]
		for _, q := range batch {
			c.wbuf = mc.appendRequest(c.wbuf, q)
		}
		// Published to the reader only now that each request's strip is
		// set; no reply can come before the write.
		mc.mu.Lock()
		mc.inflight = append(mc.inflight, batch...)
		mc.mu.Unlock()
		if _, err := c.netConn.Write(c.wbuf); err != nil {
			return err
		}
		clear(batch)
	}
}

// takeLocked takes up to room requests from the queue, marking them
// written (the caller puts them in flight); requests their sessions
// abandoned are dropped.
func (mc *muxConn) takeLocked(batch []*muxReq, room int) []*muxReq {
	n := 0
	dropped := 0
	for _, q := range mc.queue {
		if len(batch) == room {
			break
		}
		n++
		if !q.state.CompareAndSwap(reqQueued, reqWritten) {
			dropped++
			continue
		}
		batch = append(batch, q)
	}
	// Kept at the front of the array, so its capacity serves again.
	rest := copy(mc.queue, mc.queue[n:])
	clear(mc.queue[rest:])
	mc.queue = mc.queue[:rest]
	if dropped > 0 {
		mc.load.Add(-int32(dropped))
	}
	return batch
}

// appendRequest appends q's messages to buf, adding the Parse of each
// named statement bound before it was parsed on this connection, and
// keeps this connection's list of parsed statements current.
func (mc *muxConn) appendRequest(buf []byte, q *muxReq) []byte {
	msgs := q.msgs
	for len(msgs) > 0 {
		size := 1 + int(binary.BigEndian.Uint32(msgs[1:5]))
		msg := msgs[:size]
		msgs = msgs[size:]
		switch msg[0] {
		case pgproto.MsgParse:
			if name := cstringAt(msg, 5); len(name) > 0 {
				if _, ok := mc.prepared[string(name)]; !ok {
					mc.prepared[string(name)] = struct{}{}
					mc.m.rememberParse(string(name), msg)
				}
			}
		case pgproto.MsgClose:
			if msg[5] == 'S' {
				delete(mc.prepared, string(cstringAt(msg, 6)))
			}
		case pgproto.MsgBind:
			portalEnd := 5 + len(cstringAt(msg, 5)) + 1
			if name := cstringAt(msg, portalEnd); len(name) > 0 {
				if _, ok := mc.prepared[string(name)]; !ok { // no allocation
					if parse := mc.m.parseOf(string(name)); parse != nil {
						buf = append(buf, parse...)
						mc.prepared[string(name)] = struct{}{}
						q.strip++
					}
				}
			}
		}
		buf = append(buf, msg...)
	}
	return buf
}

// cstringAt returns the NUL-terminated string at msg[i:] (empty when
// malformed: the server will say so).
func cstringAt(msg []byte, i int) []byte {
	for j := i; j < len(msg); j++ {
		if msg[j] == 0 {
			return msg[i:j]
		}
	}
	return nil
}

// flying counts the requests in flight.
func (mc *muxConn) flying() int { return len(mc.inflight) - mc.head }

// popLocked drops the oldest request in flight, moving the rest to the
// front of the array once half of it is spent, so that the list does not
// reallocate as it turns over.
func (mc *muxConn) popLocked() {
	mc.inflight[mc.head] = nil
	mc.head++
	if mc.head == len(mc.inflight) || mc.head >= 64 && 2*mc.head >= len(mc.inflight) {
		n := copy(mc.inflight, mc.inflight[mc.head:])
		clear(mc.inflight[n:])
		mc.inflight, mc.head = mc.inflight[:n], 0
	}
}

// read is the reader: it gathers each request's replies, in order, and
// hands them over. It returns nil when the mux has closed and nothing is
// in flight, else the failure that stopped it.
func (mc *muxConn) read(c *Conn) error {
	var q *muxReq
	syncs := 0
	for {
		typ, body, err := c.readMessage()
		if err != nil {
			return err
		}
		c.arrived = c.arrived[:0] // no LISTEN runs here; nothing to deliver
		if q == nil {
			mc.mu.Lock()
			if mc.flying() > 0 {
				q = mc.inflight[mc.head]
				syncs = q.syncs
			}
			mc.mu.Unlock()
			if q == nil {
				if typ == pgproto.MsgErrorResponse {
					return c.pgError(body, "") // FATAL, e.g. an administrator's shutdown
				}
				return &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected message %q with no request in flight", typ)}
			}
		}
		switch typ {
		case pgproto.MsgParseComplete:
			if q.strip > 0 {
				q.strip--
				continue
			}
		case pgproto.MsgCopyInResponse, pgproto.MsgCopyOutResponse, pgproto.MsgCopyBothResponse:
			return errMuxCopy
		}
		q.reply = appendMessage(q.reply, typ, body)
		if typ != pgproto.MsgReadyForQuery {
			continue
		}
		if syncs--; syncs > 0 {
			continue
		}
		mc.mu.Lock()
		mc.popLocked()
		mc.mu.Unlock()
		mc.load.Add(-1)
		q.finish(nil)
		q = nil
		mc.signal()
		if len(body) == 1 && body[0] != 'I' {
			// A transaction left open would hold every request after
			// it; muxRoutable keeps BEGIN away, so only SQL it cannot
			// see gets here.
			return errMuxTx
		}
	}
}

func appendMessage(buf []byte, typ byte, body []byte) []byte {
	buf = append(buf, typ)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(body)+4))
	return append(buf, body...)
}

var (
	errMuxCopy = errors.New("pg: COPY cannot run on a multiplexed connection (use Pool.CopyToTable ... or Acquire); the connection was closed")
	errMuxTx   = errors.New("pg: a statement left a multiplexed connection inside a transaction (use Pool.Begin or Acquire for transactions); the connection was closed")
)
