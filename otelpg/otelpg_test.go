package otelpg_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/otelpg"
	"github.com/wirepg/pg/pgtest"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func TestMain(m *testing.M) { pgtest.Main(m, pgtest.Options{}) }

// setup returns a pool traced into an in-memory span exporter and metric
// reader, and the tracer of the caller's spans.
func setup(t *testing.T, pc pg.PoolConfig) (*pg.Pool, *tracetest.InMemoryExporter, *sdkmetric.ManualReader, trace.Tracer) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	opts := otelpg.Options{TracerProvider: tp, MeterProvider: mp, PoolName: "test"}
	tr, err := otelpg.NewTracer(opts)
	require.NoError(t, err)
	pc.Tracer = tr
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := pg.CreatePoolConfig(ctx, cfg, pc)
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	reg, err := otelpg.RegisterPoolMetrics(p, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = reg.Unregister() })
	return p, exp, reader, tp.Tracer("app")
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, a := range s.Attributes() {
		m[a.Key] = a.Value
	}
	return m
}

func spanNamed(t *testing.T, spans tracetest.SpanStubs, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range spans.Snapshots() {
		if s.Name() == name {
			return s
		}
	}
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	t.Fatalf("no span %q among %q", name, names)
	return nil
}

func TestQuerySpanIsChildOfCallersSpan(t *testing.T) {
	p, exp, _, app := setup(t, pg.PoolConfig{MinSize: 1, MaxSize: 2})
	ctx, parent := app.Start(context.Background(), "request")
	_, err := p.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS tr (a int)")
	require.NoError(t, err)
	var n int
	require.NoError(t, p.QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE oid > $1", 0).Scan(&n))
	_, err = p.Exec(ctx, "SELECT 1/$1::int", 0)
	require.Error(t, err)
	parent.End()

	spans := exp.GetSpans()
	q := spanNamed(t, spans, "SELECT pg_class")
	assert.Equal(t, parent.SpanContext().TraceID(), q.SpanContext().TraceID(), "same trace")
	assert.Equal(t, parent.SpanContext().SpanID(), q.Parent().SpanID(), "the query's span is the child of the caller's")
	assert.Equal(t, trace.SpanKindClient, q.SpanKind())
	a := attrs(q)
	assert.Equal(t, "postgresql", a["db.system.name"].AsString())
	assert.Equal(t, "SELECT count(*) FROM pg_class WHERE oid > $1", a["db.query.text"].AsString())
	assert.Equal(t, "SELECT", a["db.operation.name"].AsString())
	assert.Equal(t, "pg_class", a["db.collection.name"].AsString())
	assert.NotEmpty(t, a["db.namespace"].AsString())
	assert.NotEmpty(t, a["server.address"].AsString())
	assert.Positive(t, a["server.port"].AsInt64())
	assert.Equal(t, int64(1), a["db.response.returned_rows"].AsInt64())

	var failed sdktrace.ReadOnlySpan
	for _, s := range spans.Snapshots() {
		if attrs(s)["db.query.text"].AsString() == "SELECT 1/$1::int" {
			failed = s
		}
	}
	require.NotNil(t, failed)
	fa := attrs(failed)
	assert.Equal(t, "22012", fa["db.response.status_code"].AsString())
	assert.Equal(t, "22012", fa["error.type"].AsString())
	assert.Equal(t, "Error", failed.Status().Code.String())
	assert.Equal(t, "SELECT", failed.Name(), "no collection: the name is the operation")
}

func TestBatchAndCopySpans(t *testing.T) {
	p, exp, _, app := setup(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx, parent := app.Start(context.Background(), "request")
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	defer pc.Release()
	_, err = pc.Exec(ctx, "CREATE TEMP TABLE bt (a int, b text)")
	require.NoError(t, err)
	b := &pg.Batch{}
	b.Queue("INSERT INTO bt VALUES ($1, $2)", 1, "a")
	b.Queue("SELECT b FROM bt WHERE a = $1", 1)
	br, err := pc.SendBatch(ctx, b)
	require.NoError(t, err)
	require.NoError(t, br.Close())
	require.NoError(t, pc.ExecMany(ctx, "INSERT INTO bt VALUES ($1, $2)", [][]any{{2, "b"}, {3, "c"}}))
	_, err = pc.CopyRecordsToTable(ctx, "bt", []string{"a", "b"}, pg.CopyFromRows([][]any{{4, "d"}}))
	require.NoError(t, err)
	parent.End()

	spans := exp.GetSpans()
	batch := spanNamed(t, spans, "BATCH")
	assert.Equal(t, parent.SpanContext().SpanID(), batch.Parent().SpanID())
	assert.Equal(t, int64(2), attrs(batch)["db.operation.batch.size"].AsInt64())
	ins := spanNamed(t, spans, "INSERT bt")
	assert.Equal(t, batch.SpanContext().SpanID(), ins.Parent().SpanID(), "a batch's statements are its children")
	many := spanNamed(t, spans, "BATCH INSERT bt")
	assert.Equal(t, "BATCH INSERT", attrs(many)["db.operation.name"].AsString())
	cp := spanNamed(t, spans, `COPY "bt"`)
	assert.Equal(t, int64(1), attrs(cp)["db.response.returned_rows"].AsInt64())
	assert.Equal(t, parent.SpanContext().SpanID(), cp.Parent().SpanID())
}

func TestConnectSpanAndPoolMetrics(t *testing.T) {
	p, exp, reader, _ := setup(t, pg.PoolConfig{MinSize: 2, MaxSize: 3})
	ctx := context.Background()
	connects := 0
	for _, s := range exp.GetSpans().Snapshots() {
		if s.Name() == "connect" {
			connects++
			assert.Equal(t, int64(0), attrs(s)["pg.host_index"].AsInt64())
		}
	}
	assert.Equal(t, 2, connects)

	held, err := p.Acquire(ctx)
	require.NoError(t, err)
	_, err = held.Exec(ctx, "SELECT 1")
	require.NoError(t, err)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(ctx, &rm))
	got := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			got[m.Name] = m.Data
		}
	}
	count := got["db.client.connection.count"].(metricdata.Sum[int64])
	states := map[string]int64{}
	for _, dp := range count.DataPoints {
		st, _ := dp.Attributes.Value("db.client.connection.state")
		name, _ := dp.Attributes.Value("db.client.connection.pool.name")
		assert.Equal(t, "test", name.AsString())
		states[st.AsString()] = dp.Value
	}
	assert.Equal(t, map[string]int64{"idle": 1, "used": 1}, states)
	assert.Equal(t, int64(3), got["db.client.connection.max"].(metricdata.Sum[int64]).DataPoints[0].Value)
	assert.Equal(t, int64(0), got["db.client.connection.pending_requests"].(metricdata.Sum[int64]).DataPoints[0].Value)
	create := got["db.client.connection.create_time"].(metricdata.Histogram[float64])
	assert.Equal(t, uint64(2), create.DataPoints[0].Count)
	wait := got["db.client.connection.wait_time"].(metricdata.Histogram[float64])
	assert.Equal(t, uint64(1), wait.DataPoints[0].Count)
	held.Release()

	require.NoError(t, reader.Collect(ctx, &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == "db.client.connection.use_time" {
				assert.Equal(t, uint64(1), m.Data.(metricdata.Histogram[float64]).DataPoints[0].Count)
			}
		}
	}
}

func TestPrometheusCollector(t *testing.T) {
	p, _, _, _ := setup(t, pg.PoolConfig{MinSize: 1, MaxSize: 4})
	_, err := p.Exec(context.Background(), "SELECT 1")
	require.NoError(t, err)
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(otelpg.NewPrometheusCollector(p, "main")))
	mfs, err := reg.Gather()
	require.NoError(t, err)
	vals := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				if l.GetName() != "pool" {
					key += "{" + l.GetValue() + "}"
				} else {
					assert.Equal(t, "main", l.GetValue())
				}
			}
			if m.GetCounter() != nil {
				vals[key] = m.GetCounter().GetValue()
			} else {
				vals[key] = m.GetGauge().GetValue()
			}
		}
	}
	assert.Equal(t, 1.0, vals["pg_pool_acquires_total"])
	assert.Equal(t, 1.0, vals["pg_pool_connections_created_total"])
	assert.Equal(t, 4.0, vals["pg_pool_max_connections"])
	assert.Equal(t, 1.0, vals["pg_pool_connections{idle}"])
	assert.Equal(t, 0.0, vals["pg_pool_connections_closed_total{broken}"])
}
