package otelpg

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/wirepg/pg"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// scope is the instrumentation scope name of the spans and instruments.
const scope = "github.com/wirepg/pg/otelpg"

// Options configures NewTracer and RegisterPoolMetrics.
type Options struct {
	// TracerProvider makes the spans; nil means otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
	// MeterProvider makes the instruments; nil means
	// otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// PoolName is db.client.connection.pool.name on the pool's metrics;
	// empty means "pg".
	PoolName string
	// OmitQueryText leaves db.query.text out of spans. pg sends argument
	// values apart from the text, so the text holds values only when the
	// program wrote them into it.
	OmitQueryText bool
}

func (o *Options) defaults() {
	if o.TracerProvider == nil {
		o.TracerProvider = otel.GetTracerProvider()
	}
	if o.MeterProvider == nil {
		o.MeterProvider = otel.GetMeterProvider()
	}
	if o.PoolName == "" {
		o.PoolName = "pg"
	}
}

type tracer struct {
	o      Options
	t      trace.Tracer
	create metric.Float64Histogram
	wait   metric.Float64Histogram
	use    metric.Float64Histogram
	pool   metric.MeasurementOption
}

// NewTracer returns a pg.Tracer that makes spans and records the
// connection histograms. It fails only when an instrument cannot be made.
func NewTracer(opts Options) (*pg.Tracer, error) {
	opts.defaults()
	t := &tracer{o: opts, t: opts.TracerProvider.Tracer(scope)}
	m := opts.MeterProvider.Meter(scope)
	var err error
	// Bucket bounds as the conventions advise for these histograms.
	buckets := metric.WithExplicitBucketBoundaries(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10)
	if t.create, err = m.Float64Histogram("db.client.connection.create_time", metric.WithUnit("s"),
		metric.WithDescription("The time it took to create a new connection."), buckets); err != nil {
		return nil, err
	}
	if t.wait, err = m.Float64Histogram("db.client.connection.wait_time", metric.WithUnit("s"),
		metric.WithDescription("The time it took to obtain an open connection from the pool."), buckets); err != nil {
		return nil, err
	}
	if t.use, err = m.Float64Histogram("db.client.connection.use_time", metric.WithUnit("s"),
		metric.WithDescription("The time between borrowing a connection and returning it to the pool."), buckets); err != nil {
		return nil, err
	}
	t.pool = metric.WithAttributes(semconv.DBClientConnectionPoolName(opts.PoolName))
	return &pg.Tracer{
		ConnectStart: t.connectStart,
		ConnectEnd:   t.connectEnd,
		QueryStart:   t.queryStart,
		QueryEnd:     t.queryEnd,
		PrepareStart: t.prepareStart,
		PrepareEnd:   t.prepareEnd,
		BatchStart:   t.batchStart,
		BatchEnd:     t.batchEnd,
		CopyStart:    t.copyStart,
		CopyEnd:      t.copyEnd,
		CancelStart:  t.cancelStart,
		CancelEnd:    t.cancelEnd,
		AcquireStart: func(ctx context.Context, _ *pg.Pool) context.Context { return ctx },
		AcquireEnd:   t.acquireEnd,
		Release:      t.release,
	}, nil
}

// connAttrs are the attributes every span on c carries.
func connAttrs(c *pg.Conn) []attribute.KeyValue {
	h := c.Host()
	a := []attribute.KeyValue{semconv.DBSystemNamePostgreSQL, semconv.DBNamespace(c.Config().Database)}
	return append(a, serverAttrs(h)...)
}

func serverAttrs(h pg.Host) []attribute.KeyValue {
	port := int(h.Port)
	if port == 0 {
		port = pg.DefaultPort
	}
	return []attribute.KeyValue{semconv.ServerAddress(h.Host), semconv.ServerPort(port)}
}

// start opens a client span named by the conventions: "{operation}
// {collection}", "{operation}" or "postgresql".
func (t *tracer) start(ctx context.Context, c *pg.Conn, op, coll, sql string, extra ...attribute.KeyValue) context.Context {
	name := "postgresql"
	a := connAttrs(c)
	if op != "" {
		name = op
		a = append(a, semconv.DBOperationName(op))
		if coll != "" {
			name += " " + coll
			a = append(a, semconv.DBCollectionName(coll))
		}
	}
	if sql != "" && !t.o.OmitQueryText {
		a = append(a, semconv.DBQueryText(sql))
	}
	a = append(a, extra...)
	ctx, _ = t.t.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(a...))
	return ctx
}

// end ends the span in ctx, marking err.
func end(ctx context.Context, err error, extra ...attribute.KeyValue) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(extra...)
	if err != nil {
		span.SetAttributes(errAttrs(err)...)
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// errAttrs: a server error's SQLSTATE is db.response.status_code and
// error.type; any other error's type is its Go type (a context's end is
// named as such).
func errAttrs(err error) []attribute.KeyValue {
	var pe *pg.PgError
	if errors.As(err, &pe) {
		return []attribute.KeyValue{semconv.DBResponseStatusCode(pe.Code), semconv.ErrorTypeKey.String(pe.Code)}
	}
	typ := fmt.Sprintf("%T", err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		typ = "context.DeadlineExceeded"
	case errors.Is(err, context.Canceled):
		typ = "context.Canceled"
	}
	return []attribute.KeyValue{semconv.ErrorTypeKey.String(typ)}
}

func (t *tracer) queryStart(ctx context.Context, c *pg.Conn, d pg.TraceQueryStart) context.Context {
	op, coll := summarize(d.SQL)
	return t.start(ctx, c, op, coll, d.SQL)
}

func (t *tracer) queryEnd(ctx context.Context, _ *pg.Conn, d pg.TraceQueryEnd) {
	var a []attribute.KeyValue
	if d.Err == nil && returnsRows(d.Tag) {
		a = append(a, semconv.DBResponseReturnedRows(int(d.Tag.RowsAffected())))
	}
	end(ctx, d.Err, a...)
}

func (t *tracer) prepareStart(ctx context.Context, c *pg.Conn, d pg.TracePrepareStart) context.Context {
	_, coll := summarize(d.SQL)
	return t.start(ctx, c, "PREPARE", coll, d.SQL)
}

func (t *tracer) prepareEnd(ctx context.Context, _ *pg.Conn, d pg.TracePrepareEnd) {
	end(ctx, d.Err)
}

func (t *tracer) batchStart(ctx context.Context, c *pg.Conn, d pg.TraceBatchStart) context.Context {
	op, coll := "BATCH", ""
	if d.SQL != "" { // ExecMany: one statement many times
		o, cl := summarize(d.SQL)
		if o != "" {
			op, coll = "BATCH "+o, cl
		}
	}
	var extra []attribute.KeyValue
	if d.Size > 1 { // the conventions leave it out for a batch of one
		extra = append(extra, semconv.DBOperationBatchSize(d.Size))
	}
	return t.start(ctx, c, op, coll, d.SQL, extra...)
}

func (t *tracer) batchEnd(ctx context.Context, _ *pg.Conn, d pg.TraceBatchEnd) {
	end(ctx, d.Err)
}

func (t *tracer) copyStart(ctx context.Context, c *pg.Conn, d pg.TraceCopyStart) context.Context {
	_, coll := summarize(d.SQL)
	return t.start(ctx, c, "COPY", coll, d.SQL)
}

func (t *tracer) copyEnd(ctx context.Context, _ *pg.Conn, d pg.TraceCopyEnd) {
	var a []attribute.KeyValue
	if d.Err == nil {
		a = append(a, semconv.DBResponseReturnedRows(int(d.Rows)))
	}
	end(ctx, d.Err, a...)
}

// cancelStart and cancelEnd mark the cancelled call's span (the context
// is the call's) with an event rather than a span of their own: a
// CancelRequest is not a statement.
func (t *tracer) cancelStart(ctx context.Context, c *pg.Conn) context.Context {
	return ctx
}

func (t *tracer) cancelEnd(ctx context.Context, c *pg.Conn, d pg.TraceCancelEnd) {
	a := []attribute.KeyValue{attribute.Int64("pg.cancel.duration_ms", d.Duration.Milliseconds())}
	if d.Err != nil {
		a = append(a, attribute.String("error.message", d.Err.Error()))
	}
	trace.SpanFromContext(ctx).AddEvent("pg.cancel_request", trace.WithAttributes(a...))
}

func (t *tracer) connectStart(ctx context.Context, d pg.TraceConnectStart) context.Context {
	var a []attribute.KeyValue
	if len(d.Hosts) > 0 {
		a = serverAttrs(d.Hosts[0])
	}
	a = append(a, semconv.DBSystemNamePostgreSQL, semconv.DBNamespace(d.Config.Database))
	ctx, _ = t.t.Start(ctx, "connect", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(a...))
	return ctx
}

func (t *tracer) connectEnd(ctx context.Context, d pg.TraceConnectEnd) {
	span := trace.SpanFromContext(ctx)
	if d.Conn != nil {
		span.SetAttributes(serverAttrs(d.Host)...)
		span.SetAttributes(attribute.Int("pg.host_index", d.HostIndex), attribute.String("pg.auth_method", d.AuthMethod))
		if d.TLSVersion != 0 {
			span.SetAttributes(attribute.String("tls.protocol.version", tlsVersion(d.TLSVersion)))
		}
		t.create.Record(ctx, d.Duration.Seconds(), t.pool)
	}
	end(ctx, d.Err)
}

func (t *tracer) acquireEnd(ctx context.Context, _ *pg.Pool, d pg.TraceAcquireEnd) {
	if d.Err == nil {
		t.wait.Record(ctx, d.Duration.Seconds(), t.pool)
	}
}

func (t *tracer) release(_ *pg.Pool, _ *pg.Conn, d pg.TraceRelease) {
	if d.Held > 0 {
		t.use.Record(context.Background(), d.Held.Seconds(), t.pool)
	}
}

// returnsRows reports whether the tag's count is of rows returned or
// affected (SELECT, INSERT, UPDATE, DELETE, MERGE, FETCH, MOVE, COPY).
func returnsRows(tag pg.CommandTag) bool {
	switch tag.Command() {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "FETCH", "MOVE", "COPY":
		return true
	}
	return false
}

// tlsVersion is the conventions' tls.protocol.version: "1.2", "1.3".
func tlsVersion(v uint16) string {
	return strconv.Itoa(int(v>>8)-2) + "." + strconv.Itoa(int(v&0xff)-1)
}
