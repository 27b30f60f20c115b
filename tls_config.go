package pg

import (
	"crypto/tls"
	"errors"

	"github.com/wirepg/pg/internal/tlsconfig"
)

// tlsConfigFor builds the TLS configuration for connecting to h: the
// caller's own Config.TLSConfig, or one made from the ssl* options by
// internal/tlsconfig, which reads the certificate files each time, as libpq
// does, so that rotated files are picked up by new connections.
func (c *Config) tlsConfigFor(h Host) (*tls.Config, error) {
	if c.TLSConfig != nil {
		return tlsconfig.Clone(c.TLSConfig, h.Host), nil
	}
	// Both were checked by validate.
	minV, _ := tlsVersion("ssl_min_protocol_version", c.SSLMinProtocolVersion)
	maxV, _ := tlsVersion("ssl_max_protocol_version", c.SSLMaxProtocolVersion)
	t, err := tlsconfig.New(tlsconfig.Options{
		Mode:       c.sslMode(),
		Host:       h.Host,
		RootCert:   c.SSLRootCert,
		CRL:        c.SSLCRL,
		Cert:       c.SSLCert,
		Key:        c.SSLKey,
		Password:   c.SSLPassword,
		MinVersion: minV,
		MaxVersion: maxV,
	})
	if te := (*tlsconfig.Error)(nil); errors.As(err, &te) {
		return nil, &ConfigError{Option: te.Option, Msg: te.Msg, Err: te.Err}
	}
	return t, err
}
