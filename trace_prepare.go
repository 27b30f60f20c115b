package pg

import (
	"context"
	"time"
)

// tracePrepareStart begins observing Prepare; like traceStart, it returns
// the zero callTrace when no PrepareStart hook is set.
func (c *Conn) tracePrepareStart(ctx context.Context, name, sql string) callTrace {
	tr := c.cfg.Tracer
	if tr == nil || tr.PrepareStart == nil {
		return callTrace{}
	}
	ctx = tr.PrepareStart(ctx, c, TracePrepareStart{Name: name, SQL: sql})
	return callTrace{ctx: ctx, start: time.Now(), hooked: true}
}

// tracePrepareEnd reports the end of a Prepare tracePrepareStart began.
func (c *Conn) tracePrepareEnd(t *callTrace, name, sql string, err error) {
	if !t.hooked {
		return
	}
	if f := c.cfg.Tracer.PrepareEnd; f != nil {
		f(t.ctx, c, TracePrepareEnd{Name: name, SQL: sql, Duration: time.Since(t.start), Err: err})
	}
}
