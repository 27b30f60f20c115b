package otelpg

import (
	"context"

	"github.com/wirepg/pg"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// RegisterPoolMetrics reports p's state from Pool.Stats at each
// collection, as the conventions' instruments: db.client.connection.count
// (by db.client.connection.state, idle or used), .max, .idle.min (the
// pool's MinSize), .pending_requests (Acquires waiting) and .timeouts
// (Acquires whose context ended first), each with
// db.client.connection.pool.name. Unregister the result when the pool is
// closed. The histograms (create, wait and use time) come from NewTracer.
func RegisterPoolMetrics(p *pg.Pool, opts Options) (metric.Registration, error) {
	opts.defaults()
	m := opts.MeterProvider.Meter(scope)
	count, err := m.Int64ObservableUpDownCounter("db.client.connection.count", metric.WithUnit("{connection}"),
		metric.WithDescription("The number of connections that are currently in state described by the state attribute."))
	if err != nil {
		return nil, err
	}
	maxC, err := m.Int64ObservableUpDownCounter("db.client.connection.max", metric.WithUnit("{connection}"),
		metric.WithDescription("The maximum number of open connections allowed."))
	if err != nil {
		return nil, err
	}
	idleMin, err := m.Int64ObservableUpDownCounter("db.client.connection.idle.min", metric.WithUnit("{connection}"),
		metric.WithDescription("The minimum number of idle open connections allowed."))
	if err != nil {
		return nil, err
	}
	pending, err := m.Int64ObservableUpDownCounter("db.client.connection.pending_requests", metric.WithUnit("{request}"),
		metric.WithDescription("The number of current pending requests for an open connection."))
	if err != nil {
		return nil, err
	}
	timeouts, err := m.Int64ObservableCounter("db.client.connection.timeouts", metric.WithUnit("{timeout}"),
		metric.WithDescription("The number of connection timeouts that have occurred trying to obtain a connection from the pool."))
	if err != nil {
		return nil, err
	}
	name := semconv.DBClientConnectionPoolName(opts.PoolName)
	pool := metric.WithAttributes(name)
	idle := metric.WithAttributeSet(attribute.NewSet(name, attribute.String("db.client.connection.state", "idle")))
	used := metric.WithAttributeSet(attribute.NewSet(name, attribute.String("db.client.connection.state", "used")))
	return m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		s := p.Stats()
		o.ObserveInt64(count, int64(s.Idle), idle)
		o.ObserveInt64(count, int64(s.InUse), used)
		o.ObserveInt64(maxC, int64(s.MaxSize), pool)
		o.ObserveInt64(idleMin, int64(s.MinSize), pool)
		o.ObserveInt64(pending, int64(s.Waiting), pool)
		o.ObserveInt64(timeouts, s.CanceledAcquireCount, pool)
		return nil
	}, count, maxC, idleMin, pending, timeouts)
}
