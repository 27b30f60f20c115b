package pg

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// prepareStmt sends Parse, Describe and Sync for sql under name and reads
// the descriptions: one round trip. The caller holds the connection.
//
// With replace, a Close of name goes first: the driver chose the name from
// the SQL (stmtName), and behind a pooler the server connection may already
// hold a statement of that name, the same SQL prepared by another client;
// replacing it is harmless where failing with 42P05 would not be.
func (c *Conn) prepareStmt(name, sql string, replace bool) (*stmtDesc, error) {
	c.beginRequest()
	if replace && name != "" {
		c.wbuf = appendCloseStatement(c.wbuf, name)
	}
	var err error
	if c.wbuf, err = (&pgproto.Parse{Name: name, Query: sql}).Encode(c.wbuf); err != nil {
		return nil, &ArgumentError{Index: 0, Err: err}
	}
	c.wbuf, _ = (&pgproto.Describe{ObjectType: 'S', Name: name}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return nil, err
	}
	if err := c.requestSent(); err != nil {
		return nil, err
	}

	sd := &stmtDesc{name: name, sql: sql, sqlNamed: replace && name != "", prepared: time.Now()}
	var pgErr error
	for {
		typ, body, err := c.receive()
		if err != nil {
			return nil, err
		}
		switch typ {
		case pgproto.MsgParseComplete:
		case pgproto.MsgParameterDescription:
			oids, err := c.parameterDescription(body)
			if err != nil {
				if isBroken(err) {
					return nil, err
				}
				pgErr = err // too many parameters: read on to ReadyForQuery
			}
			sd.paramOIDs = oids
		case pgproto.MsgRowDescription:
			var rd pgproto.RowDescription
			if err := rd.Decode(body); err != nil {
				return nil, c.fail("read", err)
			}
			sd.fields = append([]pgproto.FieldDescription(nil), rd.Fields...)
		case pgproto.MsgNoData:
		case pgproto.MsgErrorResponse:
			pgErr = c.pgError(body, sql)
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return nil, err
			}
			if pgErr != nil {
				return nil, pgErr
			}
			if err := c.describe(sd); err != nil {
				c.queueClose(name) // not cached: do not leave it on the server
				return nil, err
			}
			return sd, nil
		default:
			return nil, c.protocolViolation(typ, "prepare")
		}
	}
}

// stmtFor returns a prepared statement for sql: from the cache, or newly
// prepared (and cached when it qualifies).
func (c *Conn) stmtFor(sql string) (*stmtDesc, error) {
	if sd := c.cachedStmt(sql); sd != nil {
		return sd, nil
	}
	if !c.cacheable(sql) {
		return c.prepareStmt("", sql, false)
	}
	sd, err := c.prepareStmt(stmtName("pgs_", sql), sql, true)
	if err != nil {
		return nil, err
	}
	c.addStmt(sd)
	return sd, nil
}

// parameterDescription decodes a ParameterDescription. A statement with
// more than 65,535 parameters is the caller's error, not a broken stream:
// the server sends its count in 16 bits, wrapped, with every OID after it,
// so the body's length tells the real count.
func (c *Conn) parameterDescription(body []byte) ([]uint32, error) {
	var pd pgproto.ParameterDescription
	if err := pd.Decode(body); err != nil {
		if n, ok := wrappedParamCount(body); ok {
			return nil, &ArgumentCountError{Want: n, Got: -1, Max: math.MaxUint16}
		}
		return nil, c.fail("read", err)
	}
	return append([]uint32(nil), pd.ParameterOIDs...), nil
}

// wrappedParamCount reads a ParameterDescription whose 16-bit count
// wrapped: the OIDs that follow (4 bytes each) number more than 65,535 and
// agree with the count modulo 65,536.
func wrappedParamCount(body []byte) (int, bool) {
	if len(body) < 2 || (len(body)-2)%4 != 0 {
		return 0, false
	}
	n := (len(body) - 2) / 4
	return n, n > math.MaxUint16 && uint16(n) == binary.BigEndian.Uint16(body)
}
