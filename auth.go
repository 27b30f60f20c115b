package pg

import (
	"errors"
	"fmt"

	"github.com/wirepg/pg/internal/md5auth"
	"github.com/wirepg/pg/internal/scram"
	"github.com/wirepg/pg/pgproto"
)

// authenticate answers the server's Authentication requests until
// AuthenticationOk (protocol section "Start-up").
func (c *Conn) authenticate() error {
	for {
		typ, body, err := c.r.ReadMessage()
		if err != nil {
			return err
		}
		switch typ {
		case pgproto.MsgErrorResponse:
			return c.startupError(body)
		case pgproto.MsgNegotiateProtocolVersion:
			continue
		case pgproto.MsgAuthentication:
		default:
			return &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected message %q during authentication", typ)}
		}
		msg, err := pgproto.ParseBackend(typ, body)
		if err != nil {
			return err
		}
		switch m := msg.(type) {
		case *pgproto.AuthenticationOk:
			return c.checkAuthDone()
		case *pgproto.AuthenticationCleartextPassword:
			if err := c.requireAuthAllows("password"); err != nil {
				return err
			}
			if err := c.sendPassword(c.password()); err != nil {
				return err
			}
		case *pgproto.AuthenticationMD5Password:
			if err := c.requireAuthAllows("md5"); err != nil {
				return err
			}
			if err := c.sendPassword(md5auth.Password(c.user(), c.password(), m.Salt)); err != nil {
				return err
			}
		case *pgproto.AuthenticationSASL:
			if err := c.requireAuthAllows("scram-sha-256"); err != nil {
				return err
			}
			if err := c.authSCRAM(m.Mechanisms); err != nil {
				return err
			}
			return c.checkAuthDone()
		case *pgproto.AuthenticationGSS, *pgproto.AuthenticationSSPI, *pgproto.AuthenticationKerberosV5:
			return fmt.Errorf("%w: the server asks for GSSAPI/SSPI/Kerberos, which pg does not implement; use scram-sha-256, md5, password or cert in pg_hba.conf", errAuthUnsupported)
		default:
			return fmt.Errorf("%w: %T", errAuthUnsupported, msg)
		}
	}
}

func (c *Conn) sendPassword(pw string) error {
	var err error
	if c.wbuf, err = (&pgproto.PasswordMessage{Password: pw}).Encode(c.wbuf[:0]); err != nil {
		return err
	}
	_, err = c.netConn.Write(c.wbuf)
	return err
}

func (c *Conn) password() string {
	if c.cfg.Password != "" {
		return c.cfg.Password
	}
	return c.passwordFromFile()
}

// authSCRAM runs a SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), with
// channel binding (-PLUS) over TLS when the server offers it and
// channel_binding allows it.
func (c *Conn) authSCRAM(mechanisms []string) error {
	mech, cbData, clientCB, err := c.chooseSCRAMMechanism(mechanisms)
	if err != nil {
		return err
	}
	cbType := ""
	if mech == "SCRAM-SHA-256-PLUS" {
		cbType = "tls-server-end-point"
	}
	sc, err := scram.NewClient(mech, c.password(), cbType, cbData, clientCB)
	if err != nil {
		return err
	}
	if c.wbuf, err = (&pgproto.SASLInitialResponse{AuthMechanism: mech, Data: sc.ClientFirstMessage()}).Encode(c.wbuf[:0]); err != nil {
		return err
	}
	if _, err := c.netConn.Write(c.wbuf); err != nil {
		return err
	}
	serverFirst, err := c.readSASL(pgproto.MsgAuthentication, false)
	if err != nil {
		return err
	}
	final, err := sc.ServerFirst(serverFirst)
	if err != nil {
		return err
	}
	if c.wbuf, err = (&pgproto.SASLResponse{Data: final}).Encode(c.wbuf[:0]); err != nil {
		return err
	}
	if _, err := c.netConn.Write(c.wbuf); err != nil {
		return err
	}
	serverFinal, err := c.readSASL(pgproto.MsgAuthentication, true)
	if err != nil {
		return err
	}
	if err := sc.ServerFinal(serverFinal); err != nil {
		return err
	}
	// AuthenticationOk follows.
	typ, body, err := c.r.ReadMessage()
	if err != nil {
		return err
	}
	if typ == pgproto.MsgErrorResponse {
		return c.startupError(body)
	}
	msg, err := pgproto.ParseBackend(typ, body)
	if err != nil {
		return err
	}
	if _, ok := msg.(*pgproto.AuthenticationOk); !ok {
		return &pgproto.ProtocolError{Msg: fmt.Sprintf("expected AuthenticationOk after SASL, got %T", msg)}
	}
	return nil
}

// readSASL reads AuthenticationSASLContinue (or SASLFinal when final).
func (c *Conn) readSASL(_ byte, final bool) ([]byte, error) {
	typ, body, err := c.r.ReadMessage()
	if err != nil {
		return nil, err
	}
	if typ == pgproto.MsgErrorResponse {
		return nil, c.startupError(body)
	}
	msg, err := pgproto.ParseBackend(typ, body)
	if err != nil {
		return nil, err
	}
	switch m := msg.(type) {
	case *pgproto.AuthenticationSASLContinue:
		if !final {
			return append([]byte(nil), m.Data...), nil
		}
	case *pgproto.AuthenticationSASLFinal:
		if final {
			return append([]byte(nil), m.Data...), nil
		}
	}
	return nil, &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected %T during SASL exchange", msg)}
}

var errNoSCRAM = errors.New("server offers no SASL mechanism pg supports (SCRAM-SHA-256)")
