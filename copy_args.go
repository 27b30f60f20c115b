package pg

import (
	"context"
	"fmt"
	"strings"

	"github.com/wirepg/pg/internal/sqlquote"
	"github.com/wirepg/pg/pgproto"
)

// inlineArgs renders args into sql as typed literals, for statements that
// cannot take parameters (COPY). The server prepares sql to learn the
// parameter types and renders each argument with quote_nullable, so the
// literal means exactly what the bound parameter would have; the
// placeholders ($1 ...) outside string literals, quoted identifiers and
// comments are then replaced.
func (c *Conn) inlineArgs(ctx context.Context, sql string, args []any) (string, error) {
	if err := c.begin(ctx); err != nil {
		return "", err
	}
	lits, err := c.renderLiterals(sql, args)
	if err = c.endCall(err); err != nil {
		return "", err
	}
	return sqlquote.SubstitutePlaceholders(sql, lits)
}

// renderSettings fixes, for the rendering only, the session settings under
// which a type's text form is not exact when read back: with
// extra_float_digits <= 0 float4 and float8 (and arrays, composites and
// geometric types of them) are rounded, and a DateStyle other than ISO
// writes timestamptz with a zone abbreviation ("IST", "LMT") that the input
// parser reads as another offset or rejects. With extra_float_digits 3 the
// shortest exact form is written, and ISO output reads back the same under
// every DateStyle. IntervalStyle, bytea_output and TimeZone need nothing:
// each style's output reads back exactly under the same session's input
// rules, and ISO timestamptz carries its numeric offset.
//
// The settings are local (set_config's is_local): outside a transaction
// block they end with the request's implicit transaction, and inside one a
// savepoint rolled back after the rendering restores them, so the session
// never sees them.
const renderSettings = "SELECT pg_catalog.set_config('extra_float_digits', '3', true), pg_catalog.set_config('DateStyle', 'ISO', true)"

// renderSavepoint is the savepoint that scopes renderSettings inside a
// transaction block; released at once, it never outlives the request.
const renderSavepoint = "pg_copy_args"

func (c *Conn) renderLiterals(sql string, args []any) ([]string, error) {
	if err := checkArgCount(len(args)); err != nil {
		return nil, err
	}
	sd, err := c.prepareStmt("", sql, false)
	if err != nil {
		return nil, err
	}
	if len(sd.paramOIDs) != len(args) {
		return nil, &ArgumentCountError{Want: len(sd.paramOIDs), Got: len(args)}
	}
	var q strings.Builder
	q.WriteString("SELECT ")
	for i, oid := range sd.paramOIDs {
		t := c.types.Lookup(oid)
		if t == nil {
			return nil, fmt.Errorf("pg: argument $%d: unknown parameter type OID %d", i+1, oid)
		}
		schema := t.Schema
		if schema == "" {
			schema = "pg_catalog"
		}
		typ := sqlquote.Identifier(schema) + "." + sqlquote.Identifier(t.Name)
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "pg_catalog.quote_nullable($%d::%s) || %s", i+1, typ, sqlquote.Literal("::"+typ))
	}
	// One request, so that the settings are in force when the rendering
	// statement is planned (Bind folds constant arguments into their text
	// then) and executed, and behind a transaction-mode pooler all of it
	// runs on one server connection:
	//   [SAVEPOINT] renderSettings; the rendering; [ROLLBACK TO; RELEASE] Sync
	render := &stmtDesc{sql: q.String(), paramOIDs: sd.paramOIDs, paramTypes: sd.paramTypes}
	inBlock := c.txStatus != 'I'
	c.beginRequest()
	if inBlock {
		c.appendUnnamedStep("SAVEPOINT " + renderSavepoint)
	}
	c.appendUnnamedStep(renderSettings)
	renderStep := 1
	if inBlock {
		renderStep = 2
	}
	if c.wbuf, err = (&pgproto.Parse{Query: render.sql, ParameterOIDs: render.paramOIDs}).Encode(c.wbuf); err != nil {
		return nil, &ArgumentError{Index: 0, Err: err}
	}
	if err := c.appendBind(render, "", args); err != nil {
		return nil, err
	}
	c.wbuf, _ = (&pgproto.Execute{}).Encode(c.wbuf)
	if inBlock {
		c.appendUnnamedStep("ROLLBACK TO SAVEPOINT " + renderSavepoint)
		c.appendUnnamedStep("RELEASE SAVEPOINT " + renderSavepoint)
	}
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return nil, err
	}
	if err := c.requestSent(); err != nil {
		return nil, err
	}
	var out []string
	var first error
	step := 0 // statements completed so far
	for {
		typ, body, err := c.receive()
		if err != nil {
			return nil, err
		}
		switch typ {
		case pgproto.MsgDataRow:
			if step != renderStep {
				continue
			}
			if err := c.dataRow.Decode(body); err != nil {
				return nil, c.fail("read", err)
			}
			for _, v := range c.dataRow.Values {
				out = append(out, "("+string(v)+")")
			}
		case pgproto.MsgCommandComplete:
			step++
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, render.sql)
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return nil, err
			}
			if first != nil {
				return nil, first
			}
			if len(out) != len(args) {
				return nil, fmt.Errorf("pg: rendering the arguments returned %d values for %d", len(out), len(args))
			}
			return out, nil
		case pgproto.MsgParseComplete, pgproto.MsgBindComplete:
		default:
			return nil, c.protocolViolation(typ, "render arguments")
		}
	}
}

// appendUnnamedStep writes Parse, Bind and Execute of sql, a statement
// without parameters, on the unnamed statement and portal.
func (c *Conn) appendUnnamedStep(sql string) {
	c.wbuf, _ = (&pgproto.Parse{Query: sql}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Bind{}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Execute{}).Encode(c.wbuf)
}
