package pg

import (
	"context"
	"time"
)

// traceAcquire is acquireHolder between the Tracer's AcquireStart and
// AcquireEnd. The acquire runs with the start hook's context, so a
// connection it opens, its ping and the Setup hook are the acquire's
// children.
func (p *Pool) traceAcquire(ctx context.Context) (*poolHolder, error) {
	tr := p.hooks.Tracer
	start := time.Now()
	ctx = tr.AcquireStart(ctx, p)
	h, err := p.acquireUntraced(ctx)
	d := TraceAcquireEnd{Duration: time.Since(start), Err: err}
	if h != nil {
		d.Conn, d.Waited = h.conn, h.waited
		h.waited, h.leasedAt = false, start
	}
	if tr.AcquireEnd != nil {
		tr.AcquireEnd(ctx, p, d)
	}
	return h, err
}

// traceRelease reports a release to the Tracer, once recycle has decided
// the connection's fate and before anyone else may have it.
func (p *Pool) traceRelease(h *poolHolder, why closeReason, reset string) {
	d := TraceRelease{Closed: why != keepConn}
	if !d.Closed {
		d.ResetSent = reset != "" || p.hooks.Reset != nil
	}
	if !h.leasedAt.IsZero() {
		d.Held = time.Since(h.leasedAt)
		h.leasedAt = time.Time{}
	}
	p.hooks.Tracer.Release(p, h.conn, d)
}

// tracedConfig is the configuration a new connection is opened with: the
// pool's Tracer goes to connections whose Config has none.
func (p *Pool) tracedConfig(cfg *Config) *Config {
	if p.hooks.Tracer == nil || cfg.Tracer != nil {
		return cfg
	}
	cfg = cfg.Copy()
	cfg.Tracer = p.hooks.Tracer
	return cfg
}
