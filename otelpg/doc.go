// Package otelpg reports what pg connections and pools do to
// OpenTelemetry: spans from a pg.Tracer, and a pool's metrics as OTel
// instruments, named and attributed by the database semantic conventions
// (semconv v1.43.0).
//
// NewTracer returns the *pg.Tracer to put in Config.Tracer or
// PoolConfig.Tracer. Each query, batch (SendBatch, ExecMany), COPY,
// Prepare and connect is a client span, a child of the span in the
// caller's context; a SendBatch's statements are children of its span.
// Spans carry db.system.name "postgresql", db.query.text, db.namespace,
// server.address and server.port, db.operation.name and
// db.collection.name when the statement names them plainly (INSERT INTO
// t, SELECT ... FROM t, COPY t), db.response.returned_rows, and on
// failure db.response.status_code (the SQLSTATE) and error.type. A cancel
// is an event on the cancelled call's span.
//
// The same Tracer records the histograms db.client.connection.create_time,
// db.client.connection.wait_time and db.client.connection.use_time;
// RegisterPoolMetrics adds the pool's gauges from Pool.Stats
// (db.client.connection.count by state, .max, .idle.min,
// .pending_requests, .timeouts).
//
// PrometheusCollector is a prometheus.Collector over Pool.Stats for
// programs that scrape Prometheus directly.
//
// This is a module of its own, so that the driver's module does not
// depend on OpenTelemetry.
package otelpg
