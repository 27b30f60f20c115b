package otelpg

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/wirepg/pg"
)

// PrometheusCollector is a prometheus.Collector over a pool's Stats, for
// programs that expose Prometheus metrics without OpenTelemetry. Every
// metric is named pg_pool_* and carries the label pool.
type PrometheusCollector struct {
	p     *pg.Pool
	descs map[string]*prometheus.Desc
}

// NewPrometheusCollector returns the collector of p's Stats, labelled
// pool=name; register it with prometheus.MustRegister.
func NewPrometheusCollector(p *pg.Pool, name string) *PrometheusCollector {
	labels := prometheus.Labels{"pool": name}
	d := func(n, help string, varLabels ...string) *prometheus.Desc {
		return prometheus.NewDesc("pg_pool_"+n, help, varLabels, labels)
	}
	return &PrometheusCollector{p: p, descs: map[string]*prometheus.Desc{
		"connections": d("connections", "Open connections (and those being opened), by state: idle, used, opening.", "state"),
		"max":         d("max_connections", "MaxSize: the most connections the pool opens."),
		"min":         d("min_connections", "MinSize: the connections the pool keeps open."),
		"waiting":     d("waiting_acquires", "Acquires waiting for a connection now."),
		"acquires":    d("acquires_total", "Acquires started (the Pool's query methods included)."),
		"waits":       d("acquire_waits_total", "Acquires that had to wait for a connection."),
		"waitSeconds": d("acquire_wait_seconds_total", "Total time Acquires spent waiting."),
		"canceled":    d("canceled_acquires_total", "Acquires whose context ended before they got a connection."),
		"setupFailed": d("setup_failed_total", "Acquires failed by the Setup hook."),
		"created":     d("connections_created_total", "Connections opened."),
		"closed":      d("connections_closed_total", "Connections closed, by reason.", "reason"),
	}}
}

// Describe sends the descriptions of every metric.
func (c *PrometheusCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// Collect reads the pool's Stats once and sends every metric.
func (c *PrometheusCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.p.Stats()
	g := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v, labels...)
	}
	k := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.CounterValue, v, labels...)
	}
	g("connections", float64(s.Idle), "idle")
	g("connections", float64(s.InUse), "used")
	g("connections", float64(max(s.Size-s.Idle-s.InUse, 0)), "opening")
	g("max", float64(s.MaxSize))
	g("min", float64(s.MinSize))
	g("waiting", float64(s.Waiting))
	k("acquires", float64(s.AcquireCount))
	k("waits", float64(s.AcquireWaitCount))
	k("waitSeconds", s.AcquireWaitDuration.Seconds())
	k("canceled", float64(s.CanceledAcquireCount))
	k("setupFailed", float64(s.SetupFailedCount))
	k("created", float64(s.CreatedConns))
	for reason, v := range map[string]int64{
		"max_queries": s.ClosedMaxQueries, "inactive": s.ClosedInactive, "lifetime": s.ClosedLifetime,
		"broken": s.ClosedBroken, "expired": s.ClosedExpired, "reset_failed": s.ClosedResetFailed,
		"hook_failed": s.ClosedHookFailed, "pool_closed": s.ClosedPoolClosed,
	} {
		k("closed", float64(v), reason)
	}
}
