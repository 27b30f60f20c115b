package pg

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wirepg/pg/internal/dsn"
	"github.com/wirepg/pg/internal/scram"
)

// chooseSCRAMMechanism picks SCRAM-SHA-256-PLUS when TLS is up, the server
// offers it and channel_binding is not "disable"; channel_binding=require
// fails when it cannot be used.
func (c *Conn) chooseSCRAMMechanism(offered []string) (mech string, cbData []byte, clientSupportsCB bool, err error) {
	plus := slices.Contains(offered, scram.SHA256Plus)
	plain := slices.Contains(offered, scram.SHA256)
	if c.cfg.ChannelBinding != "disable" {
		cbData = c.channelBindingData()
	}
	clientSupportsCB = cbData != nil
	if plus && clientSupportsCB {
		return scram.SHA256Plus, cbData, true, nil
	}
	if c.cfg.ChannelBinding == "require" {
		why := "the connection is not encrypted (channel binding binds to TLS)"
		switch {
		case c.sec.tlsConn != nil && !plus:
			why = "the server did not offer SCRAM-SHA-256-PLUS"
		case c.sec.tlsConn != nil:
			why = "the server certificate's signature algorithm defines no tls-server-end-point hash"
		}
		return "", nil, false, fmt.Errorf("channel_binding=require, but channel binding cannot be used: %s", why)
	}
	if plain {
		return scram.SHA256, nil, clientSupportsCB, nil
	}
	return "", nil, false, fmt.Errorf("%w: the server offers SASL mechanisms %q, none of which pg implements (SCRAM-SHA-256, SCRAM-SHA-256-PLUS)", ErrAuthUnsupported, offered)
}

// requireAuth parses Config.RequireAuth (validated by ConnectConfig).
func (c *Conn) requireAuth() dsn.RequireAuth {
	ra, _ := dsn.ParseRequireAuth(c.cfg.RequireAuth)
	return ra
}

// requireAuthAllows enforces channel_binding=require and libpq's
// require_auth list for the method the server asked for, before anything
// is sent.
func (c *Conn) requireAuthAllows(method string) error {
	if c.cfg.ChannelBinding == "require" && method != "scram-sha-256" {
		return fmt.Errorf("channel_binding=require, but the server asked for %s authentication, which cannot use channel binding", method)
	}
	if !c.requireAuth().Allows(method) {
		return fmt.Errorf("require_auth=%s does not allow %s authentication, which the server asked for", c.cfg.RequireAuth, method)
	}
	return nil
}

// checkAuthDone enforces channel_binding=require and require_auth once the
// server said AuthenticationOk: a server that skipped authentication, or
// ended it early, must not satisfy a client that demanded it.
func (c *Conn) checkAuthDone() error {
	used := c.sec.authMethod
	if c.cfg.ChannelBinding == "require" && used != scram.SHA256Plus {
		if used == "" {
			used = "no authentication"
		}
		return fmt.Errorf("channel_binding=require, but the server authenticated the client without channel binding (%s)", used)
	}
	method := used
	switch {
	case used == "":
		method = "none"
	case strings.HasPrefix(used, "SCRAM-SHA-256"):
		method = "scram-sha-256"
	}
	if !c.requireAuth().Allows(method) {
		if method == "none" {
			return fmt.Errorf("require_auth=%s, but the server did not ask for authentication", c.cfg.RequireAuth)
		}
		return fmt.Errorf("require_auth=%s does not allow %s authentication, which the server used", c.cfg.RequireAuth, method)
	}
	return nil
}
