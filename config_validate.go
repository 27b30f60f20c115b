package pg

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirepg/pg/internal/dsn"
)

// sslMode is the effective sslmode: libpq's default is prefer, and
// verify-full with sslrootcert=system.
func (c *Config) sslMode() string {
	switch {
	case c.SSLMode != "":
		return c.SSLMode
	case c.SSLRootCert == "system":
		return SSLModeVerifyFull
	}
	return SSLModePrefer
}

// requiresTLS reports whether sslmode forbids an unencrypted TCP session.
func requiresTLS(mode string) bool {
	return mode == SSLModeRequire || mode == SSLModeVerifyCA || mode == SSLModeVerifyFull
}

// validate checks the options ParseConfig checks, for a Config built by
// hand, so that a mistake is reported as such instead of as a failure to
// connect (or, worse, as a weaker connection than asked for).
func (c *Config) validate() error {
	if err := oneOf("sslmode", c.SSLMode, SSLModeDisable, SSLModeAllow, SSLModePrefer,
		SSLModeRequire, SSLModeVerifyCA, SSLModeVerifyFull); err != nil {
		return err
	}
	if err := oneOf("channel_binding", c.ChannelBinding, "disable", "prefer", "require"); err != nil {
		return err
	}
	if err := oneOf("target_session_attrs", c.TargetSessionAttrs,
		"any", "read-write", "read-only", "primary", "standby", "prefer-standby"); err != nil {
		return err
	}
	if err := oneOf("sslnegotiation", c.SSLNegotiation, "postgres", "direct"); err != nil {
		return err
	}
	if err := oneOf("load_balance_hosts", c.LoadBalanceHosts, "disable", "random"); err != nil {
		return err
	}
	for _, o := range []struct {
		key string
		v   int64
	}{
		{"keepalives_idle", int64(c.KeepalivesIdle)},
		{"keepalives_interval", int64(c.KeepalivesInterval)},
		{"keepalives_count", int64(c.KeepalivesCount)},
		{"tcp_user_timeout", int64(c.TCPUserTimeout)},
	} {
		if o.v < 0 {
			return &ConfigError{Option: o.key, Msg: fmt.Sprintf("invalid %s: must not be negative (zero means the default)", o.key)}
		}
	}
	mode := c.sslMode()
	if c.SSLNegotiation == "direct" && !requiresTLS(mode) {
		return &ConfigError{Option: "sslnegotiation", Msg: fmt.Sprintf(
			`sslnegotiation "direct" cannot fall back to plaintext, so it needs sslmode require, verify-ca or verify-full, not %s`, mode)}
	}
	if c.SSLRootCert == "system" && mode != SSLModeVerifyFull {
		// Any CA the OS trusts can sign a certificate for any name: only
		// the host name check protects anything (libpq refuses this too).
		return &ConfigError{Option: "sslmode", Msg: fmt.Sprintf(
			`sslrootcert=system needs sslmode verify-full, not %s: any CA the system trusts could otherwise impersonate the server`, mode)}
	}
	lo, err := tlsVersion("ssl_min_protocol_version", c.SSLMinProtocolVersion)
	if err != nil {
		return err
	}
	hi, err := tlsVersion("ssl_max_protocol_version", c.SSLMaxProtocolVersion)
	if err != nil {
		return err
	}
	if lo != 0 && hi != 0 && lo > hi {
		return &ConfigError{Option: "ssl_max_protocol_version", Msg: fmt.Sprintf(
			"ssl_min_protocol_version %s is above ssl_max_protocol_version %s", c.SSLMinProtocolVersion, c.SSLMaxProtocolVersion)}
	}
	if _, why := dsn.ParseRequireAuth(c.RequireAuth); why != "" {
		return &ConfigError{Option: "require_auth", Msg: fmt.Sprintf("invalid require_auth %q: %s", c.RequireAuth, why)}
	}
	if c.CancelGrace < 0 {
		return &ConfigError{Option: "cancel_grace", Msg: fmt.Sprintf("invalid cancel_grace %v: must not be negative (zero means the default, %v)", c.CancelGrace, DefaultCancelGrace)}
	}
	for _, h := range c.Hosts {
		if h.HostAddr != "" {
			if _, err := netip.ParseAddr(h.HostAddr); err != nil {
				return &ConfigError{Option: "hostaddr", Msg: fmt.Sprintf("invalid hostaddr %q: must be a numeric IPv4 or IPv6 address", h.HostAddr)}
			}
		}
	}
	return nil
}

func oneOf(option, v string, allowed ...string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return &ConfigError{Option: option, Msg: fmt.Sprintf("invalid %s %q: must be one of %s", option, v, strings.Join(allowed, ", "))}
}

// tlsVersion maps libpq's protocol version names (case-insensitive) to
// crypto/tls's; "" gives 0.
func tlsVersion(option, v string) (uint16, error) {
	switch strings.ToLower(v) {
	case "":
		return 0, nil
	case "tlsv1":
		return tls.VersionTLS10, nil
	case "tlsv1.1":
		return tls.VersionTLS11, nil
	case "tlsv1.2":
		return tls.VersionTLS12, nil
	case "tlsv1.3":
		return tls.VersionTLS13, nil
	}
	return 0, &ConfigError{Option: option, Msg: fmt.Sprintf("invalid %s %q: must be one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3", option, v)}
}
