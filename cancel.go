package pg

import (
	"context"
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

// Watch states: exactly one of the AfterFunc and stop wins the race out of
// watchIdle.
const (
	watchIdle int32 = iota
	watchCancelling
	watchCancelled
	watchStopped
)

// ctxWatch ties one call to its context: when the context ends mid-call, a
// CancelRequest goes to the server on a separate connection, and the read
// deadline moves so a server that never answers cannot hang the call. It
// costs nothing for contexts that cannot be cancelled and one
// context.AfterFunc registration for those that can.
type ctxWatch struct {
	ctx   context.Context
	stop  func() bool
	state atomic.Int32
	done  chan struct{} // receives once a started cancellation finishes
	// timeoutCancel releases a command_timeout context.
	timeoutCancel context.CancelFunc
}

// startWatch arms the watch for a call. The returned context carries the
// command_timeout when the caller's had no deadline.
func (c *Conn) startWatch(ctx context.Context) {
	w := &c.watch
	w.ctx = ctx
	w.state.Store(watchIdle)
	if c.cfg.CommandTimeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			ctx, w.timeoutCancel = context.WithTimeout(ctx, c.cfg.CommandTimeout)
			w.ctx = ctx
		}
	}
	if ctx.Done() == nil {
		w.stop = nil
		return
	}
	if w.done == nil {
		w.done = make(chan struct{}, 1)
	}
	w.stop = context.AfterFunc(ctx, c.cancelInFlight)
}

// stopWatch disarms the watch at the end of a call. If a cancellation is in
// flight it waits for it, so a late CancelRequest cannot hit the next query.
func (c *Conn) stopWatch() {
	w := &c.watch
	if w.stop != nil && !w.stop() {
		if !w.state.CompareAndSwap(watchIdle, watchStopped) {
			<-w.done
			_ = c.netConn.SetDeadline(time.Time{})
		}
	}
	w.stop = nil
	if w.timeoutCancel != nil {
		w.timeoutCancel()
		w.timeoutCancel = nil
	}
	w.ctx = nil
}

// contextErr is the context's error when the current call was cancelled.
func (w *ctxWatch) contextErr() error {
	if w.ctx == nil {
		return nil
	}
	switch w.state.Load() {
	case watchCancelling, watchCancelled:
		return w.ctx.Err()
	}
	return nil
}

// cancelInFlight runs in its own goroutine when the call's context ends.
func (c *Conn) cancelInFlight() {
	w := &c.watch
	if !w.state.CompareAndSwap(watchIdle, watchCancelling) {
		return
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
	w.state.Store(watchCancelled)
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
	if err != nil {
		if ctxErr := c.watch.contextErr(); ctxErr != nil {
			if _, isConnErr := err.(*ConnError); !isConnErr {
				err = &canceledError{ctxErr: ctxErr, err: err}
			}
		}
	}
	c.stopWatch()
	c.release()
	return err
}

// canceledError is a call stopped by its context.
type canceledError struct {
	ctxErr error
	err    error
}

func (e *canceledError) Error() string   { return e.ctxErr.Error() + ": " + e.err.Error() }
func (e *canceledError) Unwrap() []error { return []error{e.ctxErr, e.err} }
