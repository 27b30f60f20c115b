package pg

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// cancelGrace is how long the driver waits for the server to answer a
// cancelled query before giving up on the connection.
const cancelGrace = 10 * time.Second

// cancelRequestTimeout bounds the separate connection that carries a
// CancelRequest.
const cancelRequestTimeout = 10 * time.Second

// Watch phases, kept in the low two bits of ctxWatch.phase; the bits above
// hold the generation of the AfterFunc registration that the current call
// is watched by, so a registration left armed from an earlier context can
// never cancel a later call.
const (
	phaseOff uint64 = iota
	phaseActive
	phaseCancelling
	phaseCancelled
	phaseMask = 3
)

// ctxWatch ties calls to their contexts: when the context ends mid-call, a
// CancelRequest goes to the server on a separate connection, and the read
// deadline moves so a server that never answers cannot hang the call.
//
// It costs nothing for contexts that cannot be cancelled. For those that
// can, the context.AfterFunc registration stays armed after the call, so a
// connection used many times with the same context (a batch job, a request
// running several queries) registers once instead of allocating per call.
// The registration is replaced when a call brings another context, and
// dropped by disarmWatch (the pool calls it at Release) and at close.
type ctxWatch struct {
	ctx       context.Context // the current call's context (owner goroutine only)
	armedDone <-chan struct{} // Done of the registered context (owner only)
	armedGen  uint64          // generation of that registration (owner only)

	mu   sync.Mutex  // guards stop against Terminate from another goroutine
	stop func() bool // deregisters the AfterFunc

	phase atomic.Uint64 // armedGen<<2 | phase of the current call
	done  chan struct{} // receives once a started cancellation finishes
	// timeoutCancel releases a command_timeout context.
	timeoutCancel context.CancelFunc
}

// startWatch arms the watch for a call; it fails when ctx is already done.
// A command_timeout applies when ctx has no deadline.
func (c *Conn) startWatch(ctx context.Context) error {
	w := &c.watch
	if c.cfg.CommandTimeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			ctx, w.timeoutCancel = context.WithTimeout(ctx, c.cfg.CommandTimeout)
		}
	}
	w.ctx = ctx
	d := ctx.Done()
	if d == nil {
		w.phase.Store(phaseOff)
		return nil
	}
	if d != w.armedDone {
		if w.done == nil {
			w.done = make(chan struct{}, 1)
		}
		w.armedGen++
		gen := w.armedGen
		w.mu.Lock()
		if w.stop != nil {
			w.stop()
		}
		w.stop = context.AfterFunc(ctx, func() { c.cancelInFlight(gen) })
		w.mu.Unlock()
		w.armedDone = d
	}
	w.phase.Store(w.armedGen<<2 | phaseActive)
	// A context that ended before the phase was set fired (or will fire)
	// into a phase it ignores: catch it here instead.
	if err := ctx.Err(); err != nil {
		c.stopWatch()
		return err
	}
	return nil
}

// stopWatch ends the call's watch. If a cancellation is in flight it waits
// for it, so a late CancelRequest cannot hit the next query.
func (c *Conn) stopWatch() {
	w := &c.watch
	p := w.phase.Load()
	if p&phaseMask == phaseActive && w.phase.CompareAndSwap(p, phaseOff) {
		// Fast path: the context did not fire during the call.
	} else if p&phaseMask != phaseOff {
		<-w.done
		_ = c.netConn.SetDeadline(time.Time{})
		w.phase.Store(phaseOff)
		w.armedDone = nil // that registration has fired and is spent
	}
	if w.timeoutCancel != nil {
		// The timeout context dies with the call: drop its registration
		// first so cancelling it does not start a goroutine.
		c.disarmWatch()
		w.timeoutCancel()
		w.timeoutCancel = nil
	}
	w.ctx = nil
}

// disarmWatch drops the context registration kept between calls. Only the
// goroutine using the connection may call it.
func (c *Conn) disarmWatch() {
	c.watch.deregister()
	c.watch.armedDone = nil
}

// deregister stops the AfterFunc; safe from any goroutine.
func (w *ctxWatch) deregister() {
	w.mu.Lock()
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	w.mu.Unlock()
}

// contextErr is the context's error when the current call was cancelled.
func (w *ctxWatch) contextErr() error {
	if w.ctx == nil {
		return nil
	}
	switch w.phase.Load() & phaseMask {
	case phaseCancelling, phaseCancelled:
		return w.ctx.Err()
	}
	return nil
}

// cancelInFlight runs in its own goroutine when the call's context ends.
func (c *Conn) cancelInFlight(gen uint64) {
	w := &c.watch
	if !w.phase.CompareAndSwap(gen<<2|phaseActive, gen<<2|phaseCancelling) {
		return // between calls, or a call watched by another registration
	}
	ctx, cancel := context.WithTimeout(context.Background(), cancelRequestTimeout)
	err := c.sendCancelRequest(ctx)
	cancel()
	if err != nil {
		// No way to stop the query: unblock the call now; the connection
		// is then broken and closed by the failing read.
		_ = c.netConn.SetDeadline(time.Now())
	} else {
		_ = c.netConn.SetDeadline(time.Now().Add(cancelGrace))
	}
	w.phase.Store(gen<<2 | phaseCancelled)
	w.done <- struct{}{}
}

// sendCancelRequest opens a new connection to the same server and sends a
// CancelRequest (protocol section "Canceling Requests in Progress"). It
// waits until the server closes that connection, which it does after
// signalling the backend.
func (c *Conn) sendCancelRequest(ctx context.Context) error {
	conn, err := c.dialHost(ctx, c.host)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	conn, err = c.startTLSForCancel(ctx, conn)
	if err != nil {
		return err
	}
	msg, err := (&pgproto.CancelRequest{ProcessID: c.pid, SecretKey: c.secretKey}).Encode(nil)
	if err != nil {
		return err
	}
	if _, err := conn.Write(msg); err != nil {
		return err
	}
	var b [1]byte
	_, _ = conn.Read(b[:]) // EOF once the server has processed the request
	return nil
}

// CancelRequest asks the server to cancel whatever this connection is
// running. It may be called from any goroutine. It is usually better to
// cancel the context passed to the call.
func (c *Conn) CancelRequest(ctx context.Context) error {
	return c.sendCancelRequest(ctx)
}

// endCall finishes a call: it disarms the context watch and frees the
// connection. A server error caused by the driver's own CancelRequest is
// reported wrapped in the context's error, so errors.Is(err,
// context.Canceled) and errors.As(err, **PgError) both hold.
func (c *Conn) endCall(err error) error {
	err = c.endWatch(err)
	c.release()
	return err
}

// endWatch stops the context watch of a call, or of a step run on a held
// connection, and returns err, marked as the context's doing when the
// context ended while it ran.
func (c *Conn) endWatch(err error) error {
	if err != nil {
		if ctxErr := c.watch.contextErr(); ctxErr != nil {
			if !isBroken(err) {
				err = &canceledError{ctxErr: ctxErr, err: err}
			}
		}
	}
	c.stopWatch()
	return err
}

// canceledError is a call stopped by its context.
type canceledError struct {
	ctxErr error
	err    error
}

func (e *canceledError) Error() string   { return e.ctxErr.Error() + ": " + e.err.Error() }
func (e *canceledError) Unwrap() []error { return []error{e.ctxErr, e.err} }
