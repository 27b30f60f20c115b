package pg

import (
	"context"
	"fmt"
	"net"
)

// negotiateTLS upgrades the connection as cfg.SSLMode asks.
func (c *Conn) negotiateTLS(ctx context.Context, conn net.Conn) (net.Conn, error) {
	_ = ctx
	switch c.cfg.SSLMode {
	case "", SSLModeDisable, SSLModeAllow, SSLModePrefer:
		return conn, nil
	}
	return nil, fmt.Errorf("sslmode=%s: TLS is not implemented yet", c.cfg.SSLMode)
}

// startTLSForCancel repeats the main connection's TLS choice on a cancel
// connection.
func (c *Conn) startTLSForCancel(ctx context.Context, conn net.Conn) (net.Conn, error) {
	return c.negotiateTLS(ctx, conn)
}

// channelBindingData is the tls-server-end-point hash of the server
// certificate, or nil without TLS.
func (c *Conn) channelBindingData() []byte {
	return nil
}

// passwordFromFile looks the password up in the passfile.
func (c *Conn) passwordFromFile() string {
	return ""
}
