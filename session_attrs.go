package pg

import (
	"errors"
	"fmt"

	"github.com/wirepg/pg/pgproto"
)

// errSessionAttrs marks a server that does not match target_session_attrs.
var errSessionAttrs = errors.New("does not match target_session_attrs")

// sessionAttrsError says why a server does not match.
type sessionAttrsError struct {
	want, why string
}

func (e *sessionAttrsError) Error() string {
	return fmt.Sprintf("%s (target_session_attrs=%s)", e.why, e.want)
}

func (e *sessionAttrsError) Unwrap() error { return errSessionAttrs }

// checkSessionAttrs decides whether the new session matches want, as
// libpq's CONNECTION_CHECK_TARGET does: from the in_hot_standby and
// default_transaction_read_only parameters the server reports at startup
// (PostgreSQL 14 and later), else by asking it. "prefer-standby" is checked
// as "standby"; ConnectConfig retries with "any".
func (c *Conn) checkSessionAttrs(want string) error {
	switch want {
	case "", "any":
		return nil
	case "read-write", "read-only":
		readOnly, err := c.sessionReadOnly()
		if err != nil {
			return err
		}
		if want == "read-write" && readOnly {
			return &sessionAttrsError{want, "session is read-only"}
		}
		if want == "read-only" && !readOnly {
			return &sessionAttrsError{want, "session is not read-only"}
		}
	case "primary", "standby", "prefer-standby":
		standby, err := c.inHotStandby()
		if err != nil {
			return err
		}
		if want == "primary" && standby {
			return &sessionAttrsError{want, "server is in hot standby mode"}
		}
		if want != "primary" && !standby {
			return &sessionAttrsError{want, "server is not in hot standby mode"}
		}
	}
	return nil
}

// sessionReadOnly: a session is read-only when default_transaction_read_only
// or in_hot_standby is on. Without both reported, SHOW transaction_read_only
// answers for both (libpq does the same).
func (c *Conn) sessionReadOnly() (bool, error) {
	c.paramsMu.RLock()
	dtro, ok1 := c.params["default_transaction_read_only"]
	hs, ok2 := c.params["in_hot_standby"]
	c.paramsMu.RUnlock()
	if ok1 && ok2 {
		return dtro == "on" || hs == "on", nil
	}
	v, err := c.startupQueryValue("SHOW transaction_read_only")
	return v == "on", err
}

// inHotStandby reads in_hot_standby, else asks pg_is_in_recovery(); a
// server before 9.0 has no standby mode.
func (c *Conn) inHotStandby() (bool, error) {
	c.paramsMu.RLock()
	hs, ok := c.params["in_hot_standby"]
	c.paramsMu.RUnlock()
	if ok {
		return hs == "on", nil
	}
	if c.ServerVersion() < 90000 {
		return false, nil
	}
	v, err := c.startupQueryValue("SELECT pg_catalog.pg_is_in_recovery()")
	return v == "t", err
}

// startupQueryValue runs sql with the simple protocol during connect and
// returns the first column of its first row as text.
func (c *Conn) startupQueryValue(sql string) (string, error) {
	var err error
	if c.wbuf, err = (&pgproto.Query{String: sql}).Encode(c.wbuf[:0]); err != nil {
		return "", err
	}
	if err := c.flush(); err != nil {
		return "", err
	}
	var (
		val  string
		got  bool
		qerr error
		row  pgproto.DataRow
	)
	for {
		typ, body, err := c.receive()
		if err != nil {
			return "", err
		}
		switch typ {
		case pgproto.MsgRowDescription, pgproto.MsgCommandComplete, pgproto.MsgEmptyQueryResponse:
		case pgproto.MsgDataRow:
			if err := row.Decode(body); err != nil {
				return "", c.fail("read", err)
			}
			if !got && len(row.Values) > 0 && row.Values[0] != nil {
				val, got = string(row.Values[0]), true
			}
		case pgproto.MsgErrorResponse:
			if qerr == nil {
				qerr = c.pgError(body, sql)
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return "", err
			}
			if qerr != nil {
				return "", fmt.Errorf("checking target_session_attrs: %w", qerr)
			}
			if !got {
				return "", fmt.Errorf("checking target_session_attrs: %q returned no value", sql)
			}
			return val, nil
		default:
			return "", c.protocolViolation(typ, "the target_session_attrs check")
		}
	}
}
