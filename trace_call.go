package pg

import (
	"context"
	"time"
)

// traceKind says which Tracer pair a call reports to, and whether the
// query loggers see it.
type traceKind uint8

const (
	traceQuery    traceKind = iota // one statement through the statement cache
	traceSimple                    // one script through the simple protocol
	traceStmt                      // a Stmt's statement: prepared before the call
	traceBatch                     // SendBatch: its statements log themselves
	traceExecMany                  // ExecMany: a batch the query loggers see as one query
	traceCopy                      // a COPY
)

// callTrace is one observed call, from traceStart to traceEnd: the one
// place every query, batch and COPY path reports to the Tracer and the
// query loggers. Its zero value observes nothing, and is what traceStart
// returns, without reading the clock, when neither is set.
type callTrace struct {
	// ctx is the context the call's events carry: the start hook's result
	// when it ran (hooked), else the caller's. nil when no tracer is set.
	ctx    context.Context
	start  time.Time
	n      int // the batch's size
	kind   traceKind
	hooked bool // the start hook ran, so the end hook is due
	hit    bool // the statement was prepared before the call
}

// traceStart begins observing a call the caller has begun (it holds the
// connection, so the statement cache may be read). args are the caller's;
// n is a batch's size.
func (c *Conn) traceStart(ctx context.Context, kind traceKind, sql string, args []any, n int) callTrace {
	if !c.traced() {
		return callTrace{}
	}
	return c.traceStartHooks(ctx, kind, sql, args, n)
}

// traced reports whether anything observes the connection's calls.
func (c *Conn) traced() bool { return c.cfg.Tracer != nil || c.cb.hasLoggers.Load() }

func (c *Conn) traceStartHooks(ctx context.Context, kind traceKind, sql string, args []any, n int) callTrace {
	if c.unobserved {
		return callTrace{}
	}
	t := callTrace{start: time.Now(), kind: kind, n: n}
	tr := c.cfg.Tracer
	if tr == nil {
		return t
	}
	t.ctx = ctx
	switch kind {
	case traceQuery, traceSimple, traceStmt:
		if tr.QueryStart == nil {
			return t
		}
		t.hit = kind == traceStmt || kind == traceQuery && c.stmtCached(sql)
		t.ctx, t.hooked = tr.QueryStart(ctx, c, TraceQueryStart{SQL: sql, Args: args}), true
	case traceBatch, traceExecMany:
		if tr.BatchStart == nil {
			return t
		}
		t.ctx, t.hooked = tr.BatchStart(ctx, c, TraceBatchStart{SQL: sql, Size: n}), true
	case traceCopy:
		if tr.CopyStart == nil {
			return t
		}
		t.ctx, t.hooked = tr.CopyStart(ctx, c, TraceCopyStart{SQL: sql, Args: args}), true
	}
	return t
}

// traceEnd reports the end of a call traceStart began; the caller has
// ended it (endCall), so the hooks see the connection free.
func (c *Conn) traceEnd(t *callTrace, sql string, args []any, tag CommandTag, err error) {
	if t.start.IsZero() {
		return
	}
	c.traceEndHooks(t, sql, args, tag, err)
}

func (c *Conn) traceEndHooks(t *callTrace, sql string, args []any, tag CommandTag, err error) {
	d := time.Since(t.start)
	if tr := c.cfg.Tracer; t.hooked {
		switch t.kind {
		case traceQuery, traceSimple, traceStmt:
			if tr.QueryEnd != nil {
				tr.QueryEnd(t.ctx, c, TraceQueryEnd{SQL: sql, Args: args, CacheHit: t.hit, Tag: tag, Duration: d, Err: err})
			}
		case traceBatch, traceExecMany:
			if tr.BatchEnd != nil {
				tr.BatchEnd(t.ctx, c, TraceBatchEnd{SQL: sql, Size: t.n, Tag: tag, Duration: d, Err: err})
			}
		case traceCopy:
			if tr.CopyEnd != nil {
				tr.CopyEnd(t.ctx, c, TraceCopyEnd{SQL: sql, Rows: tag.RowsAffected(), Tag: tag, Duration: d, Err: err})
			}
		}
	}
	if t.kind != traceBatch {
		c.logQuery(LoggedQuery{SQL: sql, Args: args, Start: t.start, Duration: d, Tag: tag, Err: err, PID: c.pid})
	}
}

// stmtCached reports whether sql is in the statement cache.
func (c *Conn) stmtCached(sql string) bool {
	if c.stmts == nil {
		return false
	}
	_, ok := c.stmts.Get(sql)
	return ok
}

// takeRowsTrace returns the callTrace of the open Rows and forgets it, so
// that Rows without one (a Cursor's) end nothing. The caller owns the
// connection.
func (c *Conn) takeRowsTrace() callTrace {
	t := c.rowsTrace
	c.rowsTrace = callTrace{}
	return t
}
