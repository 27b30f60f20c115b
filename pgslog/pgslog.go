package pgslog

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	"github.com/wirepg/pg"
)

// Options says what New logs and how.
type Options struct {
	// Levels are the levels of successful events, per kind; the zero
	// Levels means DefaultLevels().
	Levels Levels
	// SlowQuery: a query, batch or COPY that took at least this long is
	// logged at slog.LevelWarn with slow=true. Zero means no threshold.
	SlowQuery time.Duration
	// LogArgs logs argument values; by default only their count is.
	LogArgs bool
}

// Levels are the slog levels of each kind of event when it succeeds. In
// a Levels that is not all zero, a zero field is slog.LevelInfo (slog's
// zero level). To leave a kind out, give it a level below the handler's.
type Levels struct {
	Connect, Query, Prepare, Batch, Copy, Cancel, Acquire, Release slog.Level
}

// DefaultLevels: connects, prepares and cancels at Info; queries, batches,
// COPYs, acquires and releases at Debug.
func DefaultLevels() Levels {
	return Levels{
		Connect: slog.LevelInfo, Prepare: slog.LevelInfo, Cancel: slog.LevelInfo,
		Query: slog.LevelDebug, Batch: slog.LevelDebug, Copy: slog.LevelDebug,
		Acquire: slog.LevelDebug, Release: slog.LevelDebug,
	}
}

// New returns a Tracer that logs to l (slog.Default() when nil).
func New(l *slog.Logger, opts Options) *pg.Tracer {
	if l == nil {
		l = slog.Default()
	}
	if opts.Levels == (Levels{}) {
		opts.Levels = DefaultLevels()
	}
	t := &tracer{l: l, o: opts}
	return &pg.Tracer{
		ConnectStart: func(ctx context.Context, _ pg.TraceConnectStart) context.Context { return ctx },
		ConnectEnd:   t.connectEnd,
		QueryStart:   func(ctx context.Context, _ *pg.Conn, _ pg.TraceQueryStart) context.Context { return ctx },
		QueryEnd:     t.queryEnd,
		PrepareStart: func(ctx context.Context, _ *pg.Conn, _ pg.TracePrepareStart) context.Context { return ctx },
		PrepareEnd:   t.prepareEnd,
		BatchStart:   func(ctx context.Context, _ *pg.Conn, _ pg.TraceBatchStart) context.Context { return ctx },
		BatchEnd:     t.batchEnd,
		CopyStart:    func(ctx context.Context, _ *pg.Conn, _ pg.TraceCopyStart) context.Context { return ctx },
		CopyEnd:      t.copyEnd,
		CancelStart:  func(ctx context.Context, _ *pg.Conn) context.Context { return ctx },
		CancelEnd:    t.cancelEnd,
		AcquireStart: func(ctx context.Context, _ *pg.Pool) context.Context { return ctx },
		AcquireEnd:   t.acquireEnd,
		Release:      t.release,
	}
}

type tracer struct {
	l *slog.Logger
	o Options
}

// level is the record's level: Error for a failure, Warn for a slow
// call (slowable kinds only), else the kind's.
func (t *tracer) level(kind slog.Level, d time.Duration, err error, slowable bool) (slog.Level, bool) {
	switch {
	case err != nil:
		return slog.LevelError, false
	case slowable && t.o.SlowQuery > 0 && d >= t.o.SlowQuery:
		return slog.LevelWarn, true
	}
	return kind, false
}

func (t *tracer) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	t.l.LogAttrs(ctx, level, msg, attrs...)
}

func (t *tracer) args(args []any) slog.Attr {
	if t.o.LogArgs {
		return slog.Any("args", args)
	}
	return slog.String("args", fmt.Sprintf("[%d redacted]", len(args)))
}

func common(c *pg.Conn, d time.Duration, err error, slow bool) []slog.Attr {
	a := make([]slog.Attr, 0, 8)
	a = append(a, slog.Duration("duration", d), slog.Uint64("pid", uint64(c.ServerPID())))
	if slow {
		a = append(a, slog.Bool("slow", true))
	}
	if err != nil {
		a = append(a, slog.Any("err", err))
	}
	return a
}

func (t *tracer) queryEnd(ctx context.Context, c *pg.Conn, d pg.TraceQueryEnd) {
	lv, slow := t.level(t.o.Levels.Query, d.Duration, d.Err, true)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	a := append(common(c, d.Duration, d.Err, slow), slog.String("sql", d.SQL), t.args(d.Args),
		slog.String("tag", d.Tag.String()), slog.Int64("rows", d.Tag.RowsAffected()), slog.Bool("cache_hit", d.CacheHit))
	t.log(ctx, lv, "pg: query", a...)
}

func (t *tracer) prepareEnd(ctx context.Context, c *pg.Conn, d pg.TracePrepareEnd) {
	lv, _ := t.level(t.o.Levels.Prepare, d.Duration, d.Err, false)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	t.log(ctx, lv, "pg: prepare", append(common(c, d.Duration, d.Err, false), slog.String("name", d.Name), slog.String("sql", d.SQL))...)
}

func (t *tracer) batchEnd(ctx context.Context, c *pg.Conn, d pg.TraceBatchEnd) {
	lv, slow := t.level(t.o.Levels.Batch, d.Duration, d.Err, true)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	a := append(common(c, d.Duration, d.Err, slow), slog.Int("size", d.Size))
	if d.SQL != "" {
		a = append(a, slog.String("sql", d.SQL), slog.Int64("rows", d.Tag.RowsAffected()))
	}
	t.log(ctx, lv, "pg: batch", a...)
}

func (t *tracer) copyEnd(ctx context.Context, c *pg.Conn, d pg.TraceCopyEnd) {
	lv, slow := t.level(t.o.Levels.Copy, d.Duration, d.Err, true)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	t.log(ctx, lv, "pg: copy", append(common(c, d.Duration, d.Err, slow), slog.String("sql", d.SQL), slog.Int64("rows", d.Rows))...)
}

func (t *tracer) cancelEnd(ctx context.Context, c *pg.Conn, d pg.TraceCancelEnd) {
	lv, _ := t.level(t.o.Levels.Cancel, d.Duration, d.Err, false)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	t.log(ctx, lv, "pg: cancel request", common(c, d.Duration, d.Err, false)...)
}

func (t *tracer) connectEnd(ctx context.Context, d pg.TraceConnectEnd) {
	lv, _ := t.level(t.o.Levels.Connect, d.Duration, d.Err, false)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	a := []slog.Attr{slog.Duration("duration", d.Duration)}
	if d.Err != nil {
		a = append(a, slog.Any("err", d.Err))
	} else {
		a = append(a, slog.String("host", d.Host.Host), slog.Int("port", int(d.Host.Port)), slog.Int("host_index", d.HostIndex),
			slog.Uint64("pid", uint64(d.Conn.ServerPID())), slog.String("auth", d.AuthMethod), slog.String("tls", tlsName(d.TLSVersion)))
	}
	t.log(ctx, lv, "pg: connect", a...)
}

func (t *tracer) acquireEnd(ctx context.Context, _ *pg.Pool, d pg.TraceAcquireEnd) {
	lv, _ := t.level(t.o.Levels.Acquire, d.Duration, d.Err, false)
	if !t.l.Enabled(ctx, lv) {
		return
	}
	a := []slog.Attr{slog.Duration("duration", d.Duration), slog.Bool("waited", d.Waited)}
	if d.Err != nil {
		a = append(a, slog.Any("err", d.Err))
	} else {
		a = append(a, slog.Uint64("pid", uint64(d.Conn.ServerPID())))
	}
	t.log(ctx, lv, "pg: pool acquire", a...)
}

func (t *tracer) release(_ *pg.Pool, c *pg.Conn, d pg.TraceRelease) {
	ctx := context.Background() // Release has no context
	if !t.l.Enabled(ctx, t.o.Levels.Release) {
		return
	}
	t.log(ctx, t.o.Levels.Release, "pg: pool release", slog.Uint64("pid", uint64(c.ServerPID())),
		slog.Duration("held", d.Held), slog.Bool("reset_sent", d.ResetSent), slog.Bool("closed", d.Closed))
}

// tlsName names a TLS version; "" without TLS.
func tlsName(v uint16) string {
	if v == 0 {
		return ""
	}
	return tls.VersionName(v)
}
