package pg

import (
	"context"
	"errors"
	"time"
)

// cancelForWatch is the context watcher's cancel action: the
// CancelRequest sent because a call's context ended, reported to the
// Tracer with that call's context. ctx bounds the request (the cancel
// grace).
func (c *Conn) cancelForWatch(ctx context.Context) error {
	var err error
	if tr := c.cfg.Tracer; tr == nil || tr.CancelStart == nil {
		err = c.sendCancelRequest(ctx)
	} else {
		callCtx := c.watch.Context()
		if callCtx == nil {
			callCtx = ctx
		}
		err = c.traceCancel(callCtx, ctx)
	}
	// Read by endWatch once the watcher's Stop has waited for this
	// action to return.
	c.cancelUnconfirmed = errors.Is(err, errCancelUnconfirmed)
	return err
}

// traceCancel sends a CancelRequest bounded by ctx between the Tracer's
// CancelStart and CancelEnd, which receive traceCtx.
func (c *Conn) traceCancel(traceCtx, ctx context.Context) error {
	tr := c.cfg.Tracer
	if tr == nil || tr.CancelStart == nil {
		return c.sendCancelRequest(ctx)
	}
	start := time.Now()
	traceCtx = tr.CancelStart(traceCtx, c)
	err := c.sendCancelRequest(ctx)
	if tr.CancelEnd != nil {
		tr.CancelEnd(traceCtx, c, TraceCancelEnd{Duration: time.Since(start), Err: err})
	}
	return err
}
