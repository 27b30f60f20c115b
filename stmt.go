package pg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wirepg/pg/pgproto"
	"github.com/wirepg/pg/sqlstate"
)

// ErrStmtClosed is returned by a Stmt used after its Close.
var ErrStmtClosed = errors.New("pg: the prepared statement is closed; prepare it again")

// Stmt is a prepared statement owned by the caller, outside the
// connection's statement cache: it lives on the server until Close or the
// end of the session. Its methods run it with new arguments and cost one
// round trip (Bind/Execute/Sync) with no re-parse.
//
// A Stmt belongs to its Conn and, like it, is not safe for concurrent use.
// One prepared through a PoolConn lives as long as the lease: Release
// deallocates it, and its methods then return ErrPoolConnReleased.
type Stmt struct {
	c         *Conn
	sd        *stmtDesc
	lease     *PoolConn // the lease it was prepared under, nil on a plain Conn
	leaseNext *Stmt     // the lease's previous statement
	poolTx    *Tx       // the Pool.Begin transaction it was prepared in: its end is the lease's
	closed    bool
	schemaGen uint64 // the connection's schemaGen its types were looked up in
}

// Param describes a statement parameter: the type the server inferred
// or was told.
type Param struct {
	TypeOID  uint32
	TypeName string // pg_type.typname, "" when the type is unknown to the driver
}

// Column describes a result column of a statement.
type Column struct {
	Name     string
	TypeOID  uint32
	TypeName string // pg_type.typname, "" when the type is unknown to the driver
	// TableOID and ColumnNumber identify the table column the value comes
	// from; both are 0 for a computed column.
	TableOID     uint32
	ColumnNumber int
	// TypeSize is pg_type.typlen (negative for variable width);
	// TypeModifier is the atttypmod (-1 when none).
	TypeSize     int
	TypeModifier int32
}

// Prepare parses sql on the server as a statement of its own, named by the
// driver, and describes its parameters and columns. One round trip.
func (c *Conn) Prepare(ctx context.Context, sql string) (*Stmt, error) {
	return c.prepare(ctx, "", sql)
}

// PrepareNamed is Prepare with the server-side statement name chosen by
// the caller, so SQL (EXECUTE name, pg_prepared_statements) can refer to
// it. Preparing a name in use is the server's error 42P05.
func (c *Conn) PrepareNamed(ctx context.Context, name, sql string) (*Stmt, error) {
	if name == "" {
		return nil, errors.New("pg: PrepareNamed needs a statement name; use Prepare to let the driver choose one")
	}
	return c.prepare(ctx, name, sql)
}

func (c *Conn) prepare(ctx context.Context, name, sql string) (*Stmt, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	replace := name == ""
	if replace {
		name = c.userStmtName(sql)
	}
	t := c.tracePrepareStart(ctx, name, sql)
	sd, err := c.prepareStmt(name, sql, replace)
	err = c.endCall(err)
	c.tracePrepareEnd(&t, name, sql, err)
	if err != nil {
		return nil, err
	}
	return &Stmt{c: c, sd: sd, schemaGen: c.schemaGen}, nil
}

// Name is the statement's name on the server.
func (s *Stmt) Name() string { return s.sd.name }

// SQL is the statement's text.
func (s *Stmt) SQL() string { return s.sd.sql }

// Params describes the statement's parameters, $1 first.
func (s *Stmt) Params() []Param {
	out := make([]Param, len(s.sd.paramOIDs))
	for i, oid := range s.sd.paramOIDs {
		out[i] = Param{TypeOID: oid}
		if t := s.sd.paramTypes[i]; t != nil {
			out[i].TypeName = t.Name
		}
	}
	return out
}

// Columns describes the statement's result columns; empty for a
// statement that returns no rows. (Rows.Columns gives only the names, as
// database/sql's does; ColumnInfo is this description on both.)
func (s *Stmt) Columns() []Column { return describeColumns(s.sd) }

// ColumnInfo is Columns, under the name Rows.ColumnInfo shares.
func (s *Stmt) ColumnInfo() []Column { return describeColumns(s.sd) }

// describeColumns describes sd's result columns.
func describeColumns(sd *stmtDesc) []Column {
	out := make([]Column, len(sd.fields))
	for i, f := range sd.fields {
		out[i] = Column{
			Name:         f.Name,
			TypeOID:      f.DataTypeOID,
			TableOID:     f.TableOID,
			ColumnNumber: int(f.TableAttributeNumber),
			TypeSize:     int(f.DataTypeSize),
			TypeModifier: f.TypeModifier,
		}
		if t := sd.colTypes[i]; t != nil {
			out[i].TypeName = t.Name
		}
	}
	return out
}

// usable says why the statement cannot run, if it cannot.
func (s *Stmt) usable() error {
	// Checked first: the connection may serve someone else now.
	if s.lease != nil && s.lease.h == nil {
		return fmt.Errorf("pg: the prepared statement's pooled connection was released: %w", ErrPoolConnReleased)
	}
	if s.poolTx != nil && s.poolTx.closed {
		return fmt.Errorf("pg: the prepared statement's pooled transaction ended, which released its connection: %w", ErrPoolConnReleased)
	}
	if s.closed {
		return ErrStmtClosed
	}
	if s.c.IsClosed() {
		return fmt.Errorf("pg: the prepared statement's connection is closed: %w", ErrConnClosed)
	}
	return nil
}

// begin claims the connection for a call on the statement.
func (s *Stmt) begin(ctx context.Context) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := s.c.begin(ctx); err != nil {
		return err
	}
	if err := s.refreshTypes(); err != nil {
		return s.c.endCall(err)
	}
	return nil
}

// Exec runs the statement with args and returns its command tag.
func (s *Stmt) Exec(ctx context.Context, args ...any) (CommandTag, error) {
	if err := s.begin(ctx); err != nil {
		return CommandTag{}, err
	}
	t := s.c.traceStart(ctx, traceStmt, s.sd.sql, args, 0)
	var tag CommandTag
	err := s.c.startBound(s.sd, args)
	if err == nil {
		tag, err = s.c.readCommandResult(s.sd.sql)
	}
	err = s.c.endCall(err)
	s.c.traceEnd(&t, s.sd.sql, args, tag, err)
	return tag, err
}

// Query runs the statement with args and streams its rows; see
// Conn.Query.
func (s *Stmt) Query(ctx context.Context, args ...any) (*Rows, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	t := s.c.traceStart(ctx, traceStmt, s.sd.sql, args, 0)
	if err := s.c.startBound(s.sd, args); err != nil {
		err = s.c.endCall(err)
		s.c.traceEnd(&t, s.sd.sql, args, CommandTag{}, err)
		return nil, err
	}
	s.c.rowsTrace = t
	return &Rows{c: s.c, sd: s.sd, args: args}, nil
}

// Fetch runs the statement and returns every row.
func (s *Stmt) Fetch(ctx context.Context, args ...any) ([]Record, error) {
	rows, err := s.Query(ctx, args...)
	if err != nil {
		return nil, err
	}
	return collectRecords(rows)
}

// FetchRow runs the statement and returns its first row; ErrNoRows when
// there is none.
func (s *Stmt) FetchRow(ctx context.Context, args ...any) (Record, error) {
	rows, err := s.Query(ctx, args...)
	if err != nil {
		return Record{}, err
	}
	return firstRecord(rows)
}

// QueryRow runs the statement; Scan reads its first row.
func (s *Stmt) QueryRow(ctx context.Context, args ...any) *Row {
	rows, err := s.Query(ctx, args...)
	return &Row{rows: rows, err: err}
}

// FetchVal runs the statement and returns the first column of its first
// row, decoded to the column type's default Go type, as asyncpg's
// PreparedStatement.fetchval; ErrNoRows when there is no row. A method
// cannot be generic, so the typed form, pg.FetchVal[T]'s on a Stmt, is
// pg.ScanVal[T] over Stmt.Query's rows (or QueryRow(...).Scan).
func (s *Stmt) FetchVal(ctx context.Context, args ...any) (any, error) {
	rec, err := s.FetchRow(ctx, args...)
	if err != nil {
		return nil, err
	}
	if rec.Len() == 0 {
		return nil, &ScanError{Column: 0, Err: errNoColumns}
	}
	return rec.Value(0), nil
}

// Explain runs EXPLAIN (FORMAT JSON) on the statement with args and
// returns the plan as encoding/json decodes it: a []any holding one
// map[string]any with the key "Plan". With analyze the statement is
// really executed (EXPLAIN ANALYZE), inside a transaction — or a
// savepoint, inside one — that is rolled back, so it changes nothing.
func (s *Stmt) Explain(ctx context.Context, analyze bool, args ...any) (any, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	sql := "EXPLAIN (FORMAT JSON) " + s.sd.sql
	if !analyze {
		return s.c.explain(ctx, sql, args)
	}
	sql = "EXPLAIN (FORMAT JSON, ANALYZE) " + s.sd.sql
	if s.c.InTransaction() {
		if _, err := s.c.Exec(ctx, "SAVEPOINT pg_explain"); err != nil {
			return nil, err
		}
		plan, err := s.c.explain(ctx, sql, args)
		if _, rbErr := s.c.Exec(ctx, "ROLLBACK TO SAVEPOINT pg_explain; RELEASE SAVEPOINT pg_explain"); err == nil {
			err = rbErr
		}
		return plan, err
	}
	if _, err := s.c.Exec(ctx, "BEGIN"); err != nil {
		return nil, err
	}
	plan, err := s.c.explain(ctx, sql, args)
	if _, rbErr := s.c.Exec(ctx, "ROLLBACK"); err == nil {
		err = rbErr
	}
	return plan, err
}

func (c *Conn) explain(ctx context.Context, sql string, args []any) (any, error) {
	var raw []byte
	if err := c.QueryRow(ctx, sql, args...).Scan(&raw); err != nil {
		return nil, err
	}
	var plan any
	if err := json.Unmarshal(raw, &plan); err != nil {
		return nil, fmt.Errorf("pg: decoding the EXPLAIN output: %w", err)
	}
	return plan, nil
}

// Close deallocates the statement on the server. Closing a closed Stmt,
// one whose connection is closed (the statement died with the session) or
// one whose lease was released (Release deallocated it) returns nil.
func (s *Stmt) Close(ctx context.Context) error {
	if s.closed || s.c.IsClosed() || (s.lease != nil && s.lease.h == nil) || (s.poolTx != nil && s.poolTx.closed) {
		s.closed = true
		return nil
	}
	if err := s.c.begin(ctx); err != nil {
		return err
	}
	s.c.beginRequest()
	s.c.wbuf = appendCloseStatement(s.c.wbuf, s.sd.name)
	s.c.wbuf, _ = (&pgproto.Sync{}).Encode(s.c.wbuf)
	err := s.c.flush()
	if err == nil {
		err = s.c.requestSent()
	}
	if err == nil {
		err = s.c.drain("")
	}
	if err == nil {
		s.closed = true
	}
	return s.c.endCall(err)
}

// sendBound writes Bind/Execute/Sync for sd with args on the unnamed
// portal, in one write; with inline (always for the unnamed statement) the
// statement is parsed again in the same unit (appendBindUnit).
func (c *Conn) sendBound(sd *stmtDesc, args []any, inline bool) error {
	c.beginRequest()
	if err := c.appendBindUnit(sd, "", args, inline); err != nil {
		return err
	}
	c.appendExecuteSync("", 0)
	if err := c.flush(); err != nil {
		return err
	}
	return c.requestSent()
}

// startBound sends Bind/Execute/Sync for an already prepared statement and
// reads BindComplete; the caller reads the rest. Unlike startExtended it
// does not consult the cache: the statement is the caller's. A statement
// the server does not know (26000: behind a pooler, another server
// connection) is parsed again in the retry's own unit when its name is the
// driver's, outside a transaction.
func (c *Conn) startBound(sd *stmtDesc, args []any) error {
	if err := checkArgCount(len(args)); err != nil {
		return err
	}
	err := c.bindOnce(sd, args, false)
	if c.retryInline(sd, err) {
		err = c.bindOnce(sd, args, true)
	}
	return err
}

// bindOnce sends sd's Bind/Execute/Sync and reads up to BindComplete; on a
// server error it drains to ReadyForQuery and returns the error.
func (c *Conn) bindOnce(sd *stmtDesc, args []any, inline bool) error {
	if err := c.sendBound(sd, args, inline); err != nil {
		return err
	}
	typ, body, err := c.receive()
	if err != nil {
		return err
	}
	switch typ {
	case pgproto.MsgBindComplete:
		return nil
	case pgproto.MsgErrorResponse:
		return c.afterServerError(c.pgError(body, sd.sql), sd.sql)
	default:
		return c.protocolViolation(typ, "bind")
	}
}

// retryInline says whether err, from binding sd, is the server not knowing
// the statement in a state where running it again in a self-contained unit
// is safe: nothing ran (the Bind failed), no transaction was aborted by it,
// and the name is the driver's (it means this SQL on any server).
func (c *Conn) retryInline(sd *stmtDesc, err error) bool {
	pe, ok := err.(*PgError)
	return ok && pe.Code == sqlstate.InvalidSQLStatementName && sd.sqlNamed && c.txStatus == 'I'
}
