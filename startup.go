package pg

import (
	"context"
	"fmt"

	"github.com/wirepg/pg/internal/dsn"
	"github.com/wirepg/pg/pgproto"
)

// startup negotiates TLS, sends the StartupMessage, authenticates and reads
// the session's parameters up to the first ReadyForQuery.
func (c *Conn) startup(ctx context.Context, enc encryption) error {
	netConn, err := c.negotiateTLS(ctx, c.netConn, enc)
	if err != nil {
		return err
	}
	c.netConn = netConn
	c.r = pgproto.NewReader(heardReader{c}, c.cfg.readBufferSize())
	c.r.SetMaxMessageSize(c.cfg.maxMessageSize())

	msg := &pgproto.StartupMessage{ProtocolVersion: pgproto.ProtocolVersion30, Parameters: c.startupParameters()}
	if c.wbuf, err = msg.Encode(c.wbuf[:0]); err != nil {
		return err
	}
	if _, err := c.netConn.Write(c.wbuf); err != nil {
		return err
	}
	if err := c.authenticate(ctx); err != nil {
		return err
	}
	for {
		typ, body, err := c.readMessage()
		if err != nil {
			return err
		}
		switch typ {
		case pgproto.MsgBackendKeyData:
			var k pgproto.BackendKeyData
			if err := k.Decode(body); err != nil {
				return err
			}
			c.pid, c.secretKey = k.ProcessID, k.SecretKey
		case pgproto.MsgReadyForQuery:
			var z pgproto.ReadyForQuery
			if err := z.Decode(body); err != nil {
				return err
			}
			c.txStatus = z.TxStatus
			return nil
		case pgproto.MsgErrorResponse:
			return c.startupError(body)
		case pgproto.MsgNegotiateProtocolVersion:
			// The server speaks an older minor version or ignores
			// _pq_ options; 3.0 is all we ask for, so go on.
		default:
			return &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected message %q during startup", typ)}
		}
	}
}

func (c *Conn) startupError(body []byte) error {
	var er pgproto.ErrorResponse
	if err := er.Decode(body); err != nil {
		return err
	}
	return pgErrorFrom(&er)
}

func (c *Conn) startupParameters() map[string]string {
	p := make(map[string]string, 8+len(c.cfg.RuntimeParams))
	for k, v := range c.cfg.RuntimeParams {
		p[k] = v
	}
	p["user"] = c.user()
	p["database"] = c.database()
	if c.cfg.ApplicationName != "" {
		p["application_name"] = c.cfg.ApplicationName
	}
	if c.cfg.Options != "" {
		p["options"] = c.cfg.Options
	}
	// The driver parses text results (notably of unknown types) assuming
	// UTF-8 and ISO dates, so these are not negotiable.
	p["client_encoding"] = "UTF8"
	p["DateStyle"] = "ISO"
	return p
}

// user is the role to log in as: User, else the OS user, as libpq (then
// "postgres", the usual superuser, when even the OS does not know).
func (c *Conn) user() string {
	if c.cfg.User != "" {
		return c.cfg.User
	}
	if u := dsn.DefaultUser(nil); u != "" {
		return u
	}
	return "postgres"
}
