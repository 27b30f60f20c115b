package pg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wirepg/pg/internal/ctxwatch"
	"github.com/wirepg/pg/pgproto"
)

// ctxWatch is the connection's context watcher (internal/ctxwatch), under
// the names the receive path uses.
type ctxWatch struct{ ctxwatch.Watcher }

// contextErr is the context's error when the current call was cancelled.
func (w *ctxWatch) contextErr() error { return w.Err() }

// deregister drops the kept context registration; safe from any goroutine.
func (w *ctxWatch) deregister() { w.Deregister() }

// initWatch gives the watcher its actions once the session is ready: a
// call's end of context sends a CancelRequest and bounds the call by the
// cancel grace (see Config.CancelGrace).
func (c *Conn) initWatch() {
	c.watch.Init(ctxwatch.Actions{
		Cancel:      c.cancelForWatch,
		SetDeadline: func(t time.Time) { _ = c.netConn.SetDeadline(t) },
		Grace:       c.cfg.cancelGrace(),
		Timeout:     c.cfg.CommandTimeout,
	})
}

// startWatch arms the watch for a call; it fails when ctx is already done.
func (c *Conn) startWatch(ctx context.Context) error { return c.watch.Start(ctx) }

// stopWatch ends the call's watch, waiting for a cancellation in flight.
func (c *Conn) stopWatch() { c.watch.Stop() }

// disarmWatch drops the context registration kept between calls. Only the
// goroutine using the connection may call it.
func (c *Conn) disarmWatch() { c.watch.Disarm() }

// sendCancelRequest opens a new connection to the same server and sends a
// CancelRequest (protocol section "Canceling Requests in Progress"). It
// waits until the server closes that connection, which it does after
// signalling the backend; ctx bounds the whole exchange, and a connection
// that is not closed by then is an error (the backend may not have been
// signalled).
func (c *Conn) sendCancelRequest(ctx context.Context) error {
	raw, err := c.dialHost(ctx, c.host)
	if err != nil {
		return err
	}
	defer raw.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Now()) })
	defer stop()
	conn, err := c.startTLSForCancel(ctx, raw)
	if err != nil {
		return err
	}
	msg, err := (&pgproto.CancelRequest{ProcessID: c.pid, SecretKey: c.secretKey}).Encode(nil)
	if err != nil {
		return err
	}
	if _, err := conn.Write(msg); err != nil {
		return fmt.Errorf("%w: %w", errCancelUnconfirmed, err)
	}
	var b [1]byte
	if _, err := conn.Read(b[:]); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("%w: it answered with data", errCancelUnconfirmed)
		}
		return fmt.Errorf("%w: %w", errCancelUnconfirmed, err)
	}
	return nil
}

// errCancelUnconfirmed: a CancelRequest was (perhaps partly) written and
// the server did not close the cancel connection, which it does once it
// has signalled the backend. The signal may still come, late, and stop
// whatever the connection runs then.
var errCancelUnconfirmed = errors.New("pg: the server did not confirm the CancelRequest")

// CancelRequest asks the server to cancel whatever this connection is
// running. It may be called from any goroutine; ctx bounds the exchange
// (the separate connection it opens and the wait for the server to close
// it). It is usually better to cancel the context passed to the call.
func (c *Conn) CancelRequest(ctx context.Context) error {
	return c.traceCancel(ctx, ctx)
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
		if ctxErr := c.watch.Err(); ctxErr != nil {
			if !isBroken(err) {
				err = &canceledError{ctxErr: ctxErr, err: err}
			}
		}
	}
	c.stopWatch()
	if c.cancelUnconfirmed {
		// The call is over, but its cancel may yet reach the backend
		// and stop the next call, one whose context is fine: the
		// connection is closed rather than used again. The call's own
		// result or error stands (its error still says the context
		// ended).
		c.cancelUnconfirmed = false
		_ = c.fail("cancel", errCancelUnconfirmed)
	}
	return err
}

// canceledError is a call stopped by its context.
type canceledError struct {
	ctxErr error
	err    error
}

func (e *canceledError) Error() string   { return e.ctxErr.Error() + ": " + e.err.Error() }
func (e *canceledError) Unwrap() []error { return []error{e.ctxErr, e.err} }
