package pg

import (
	"fmt"

	"github.com/wirepg/pg/pgproto"
)

// A connection pooler in transaction mode (PgBouncer, the poolers of hosted
// PostgreSQL) may send each Sync-terminated unit of the extended protocol to
// a different server connection. A Bind that relies on a Parse sent in an
// earlier unit can then meet a server connection where the statement does
// not exist (26000), or where the same name means something else. Two rules
// keep that from ever giving a wrong result:
//
//   - Names the driver chooses are derived from the statement's SQL
//     (stmtName), so a name means the same SQL on every server connection.
//   - The unnamed statement (statement cache off, or a statement too large
//     to cache) is parsed again in the very unit that binds it, with the
//     parameter types its description gave, and that unit also describes
//     the portal, so the result columns are checked against the description
//     the Bind's result formats were chosen from (inlineReplies).
//
// A named statement can be made self-contained the same way (Close, Parse,
// Bind ... in one unit): the retry after a 26000 does that, so it succeeds
// on whichever server connection the pooler picks.

// inlineReplies counts the replies to messages the driver adds to a request
// on its own behalf, which receive consumes so that no reader sees them.
type inlineReplies struct {
	parses int         // ParseComplete replies to skip
	checks []*stmtDesc // RowDescription/NoData replies, each compared with the description its Bind used
}

// appendBindUnit writes Bind for sd on portal with args, preceded by Parse
// (appendParse) when inline is set or sd is the unnamed statement, and
// followed by Describe of the portal in that case. The caller adds Execute
// and Sync. On error the write buffer and the expected replies are left as
// they were.
func (c *Conn) appendBindUnit(sd *stmtDesc, portal string, args []any, inline bool) error {
	if !inline && sd.name != "" {
		return c.appendBind(sd, portal, args)
	}
	mark := len(c.wbuf)
	if err := c.appendParse(sd); err != nil {
		return err
	}
	if err := c.appendBind(sd, portal, args); err != nil {
		c.wbuf = c.wbuf[:mark]
		c.staged.parses--
		return err
	}
	c.wbuf, _ = (&pgproto.Describe{ObjectType: 'P', Name: portal}).Encode(c.wbuf)
	c.staged.checks = append(c.staged.checks, sd)
	return nil
}

// appendParse writes Parse for sd with the parameter types of its
// description, whose reply receive skips. A named statement is closed
// first: on a server connection a pooler shares, a statement of that name
// (the same SQL, by stmtName) may exist already. Used alone (without the
// portal check) by ExecMany, which discards the rows.
func (c *Conn) appendParse(sd *stmtDesc) error {
	mark := len(c.wbuf)
	if sd.name != "" {
		c.wbuf = appendCloseStatement(c.wbuf, sd.name)
	}
	var err error
	c.wbuf, err = (&pgproto.Parse{Name: sd.name, Query: sd.sql, ParameterOIDs: sd.paramOIDs}).Encode(c.wbuf)
	if err != nil {
		c.wbuf = c.wbuf[:mark]
		return &ArgumentError{Index: 0, Err: err}
	}
	c.staged.parses++
	return nil
}

// armInline makes the replies staged for the request just sent the ones
// receive expects; the deferred replies read before it (a queued session
// reset, which may send RowDescription of its own) are not confused with
// them.
func (c *Conn) armInline() {
	c.active.parses = c.staged.parses
	c.active.checks, c.staged.checks = c.staged.checks, c.active.checks[:0]
	c.staged.parses = 0
}

// clearInline forgets the replies still expected: after ReadyForQuery the
// server skipped whatever an error left unanswered.
func (c *Conn) clearInline() {
	c.active.parses = 0
	clear(c.active.checks)
	c.active.checks = c.active.checks[:0]
}

// checkPortal compares a portal's description with the one its Bind used.
// A difference means the schema changed between the statement's
// description and this execution (a concurrent ALTER, or another server
// connection behind a pooler): the rows that follow cannot be decoded with
// the types the driver expects, so the connection is closed rather than
// return a wrong value.
func (c *Conn) checkPortal(typ byte, body []byte) error {
	sd := c.active.checks[0]
	c.active.checks[0] = nil
	c.active.checks = c.active.checks[1:]
	var got []pgproto.FieldDescription
	if typ == pgproto.MsgRowDescription {
		var rd pgproto.RowDescription
		if err := rd.Decode(body); err != nil {
			return c.fail("read", err)
		}
		got = rd.Fields
	}
	if sameColumnTypes(got, sd.fields) {
		return nil
	}
	c.evictStmt(sd.sql)
	return c.fail("read", &pgproto.ProtocolError{Msg: fmt.Sprintf(
		"the result of %q changed between its description (%d columns) and its execution (%d columns, or other types): the schema changed; the connection was closed so that no row is decoded as the wrong type",
		cutText(sd.sql, 80), len(sd.fields), len(got))})
}

func sameColumnTypes(a, b []pgproto.FieldDescription) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].DataTypeOID != b[i].DataTypeOID {
			return false
		}
	}
	return true
}
