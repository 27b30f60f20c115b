package pg

import (
	"context"
	"time"
)

// traceConnect is ConnectConfig between the Tracer's ConnectStart and
// ConnectEnd. The connection is made with the start hook's context, so
// that anything the dial observes (a DialFunc's own tracing) is its
// child.
func traceConnect(ctx context.Context, cfg *Config) (*Conn, error) {
	tr := cfg.Tracer
	hosts := cfg.Hosts
	if len(hosts) == 0 {
		hosts = defaultHosts()
	}
	start := time.Now()
	ctx = tr.ConnectStart(ctx, TraceConnectStart{Hosts: hosts, Config: cfg})
	c, err := connectConfig(ctx, cfg)
	if tr.ConnectEnd == nil {
		return c, err
	}
	d := TraceConnectEnd{Conn: c, HostIndex: -1, Duration: time.Since(start), Err: err}
	if c != nil {
		d.Host = c.host
		for i, h := range hosts {
			if h == c.host {
				d.HostIndex = i
				break
			}
		}
		d.TLSVersion = c.sec.tlsVersion()
		d.AuthMethod = c.sec.authMethod
	}
	tr.ConnectEnd(ctx, d)
	return c, err
}
