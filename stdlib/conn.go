package stdlib

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/wirepg/pg"
)

// conn adapts a *pg.Conn to database/sql's driver interfaces.
type conn struct {
	pc    *pg.Conn
	lease *pg.PoolConn // the pool's lease under pc, for OpenDBFromPool
	opts  *options
	// notNull caches pg_attribute.attnotnull per table column for
	// ColumnTypeNullable; pendingTables are tables asked about and not yet
	// looked up.
	notNull       map[attrKey]bool
	pendingTables map[uint32]struct{}
	// zoneName and zone are the session's TimeZone as last loaded.
	zoneName string
	zone     *time.Location
}

// sessionZone is the session's TimeZone setting, loaded again when the
// server reports a change; nil when Go does not know the zone (a POSIX
// offset spec), which leaves timestamptz text in UTC.
func (c *conn) sessionZone() *time.Location {
	if name := c.pc.ParameterStatus("TimeZone"); name != c.zoneName || c.zone == nil && name != "" {
		c.zoneName = name
		c.zone, _ = time.LoadLocation(name)
	}
	return c.zone
}

var (
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

// Conn returns the *pg.Conn behind a database/sql connection, for use inside
// (*sql.Conn).Raw.
func Conn(driverConn any) (*pg.Conn, error) {
	c, ok := driverConn.(*conn)
	if !ok {
		return nil, fmt.Errorf("stdlib: %T is not a pg database/sql connection", driverConn)
	}
	return c.pc, nil
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// PrepareContext prepares query on the server (Parse and Describe, one
// round trip), so SQL the server refuses fails here, as with lib/pq and
// pgx's stdlib, and NumInput is the statement's parameter count. The
// nullability of the columns it reads from tables is looked up with it
// (once per table and connection) for ColumnTypeNullable.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	ps, err := c.pc.Prepare(ctx, query)
	if err != nil {
		return nil, c.badConn(err)
	}
	var tables []uint32
	for _, col := range ps.Columns() {
		if col.TableOID != 0 && col.ColumnNumber > 0 {
			if _, known := c.notNull[attrKey{col.TableOID, uint16(col.ColumnNumber)}]; !known {
				tables = append(tables, col.TableOID)
			}
		}
	}
	if len(tables) > 0 && c.pc.TxStatus() != 'E' {
		_ = c.loadNullability(ctx, tables) // unknown on failure, no more
	}
	return &stmt{c: c, ps: ps}, nil
}

// Close closes the connection, or gives it back to the pool it was
// leased from.
func (c *conn) Close() error {
	if c.lease != nil {
		return c.lease.Release()
	}
	return c.pc.Close(context.Background())
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	vals, err := positional(args)
	if err != nil {
		return nil, err
	}
	tag, err := c.pc.Exec(ctx, query, vals...)
	if err != nil {
		return nil, c.badConn(err)
	}
	return result(tag.RowsAffected()), nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	vals, err := positional(args)
	if err != nil {
		return nil, err
	}
	rs, err := c.pc.Query(ctx, query, vals...)
	if err != nil {
		return nil, c.badConn(err)
	}
	return newRows(c, rs), nil
}

func (c *conn) Ping(ctx context.Context) error {
	if _, err := c.pc.Exec(ctx, ""); err != nil {
		return c.badConn(err)
	}
	return nil
}

// ResetSession runs when database/sql reuses the connection. It checks
// the idle socket (pg.Conn.CheckConn) and reports driver.ErrBadConn for a
// connection that died while idle (a terminated backend, a restarted
// server, a reset socket), so database/sql discards it and takes another
// instead of failing the caller's query.
func (c *conn) ResetSession(ctx context.Context) error {
	if err := c.pc.CheckConn(ctx); err != nil {
		return driver.ErrBadConn
	}
	if c.opts != nil && c.opts.resetSession != nil {
		return c.opts.resetSession(ctx, c.pc)
	}
	return nil
}

// IsValid reports whether database/sql may keep the connection in its
// pool.
func (c *conn) IsValid() bool { return !c.pc.IsClosed() }

// CheckNamedValue lets every argument through to pg's codecs, which accept
// far more than driver.Value's types and report what they cannot encode.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error { return nil }

// badConn reports driver.ErrBadConn — which makes database/sql retry on
// another connection — only when the statement cannot have run
// (pg.SafeToRetry: the connection was closed before the call, or not a
// byte of the request was written). Any other failure is returned as is;
// database/sql still drops the connection because IsValid and
// ResetSession see it closed.
func (c *conn) badConn(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pg.ErrConnClosed) {
		return driver.ErrBadConn
	}
	if pg.SafeToRetry(err) {
		return fmt.Errorf("%w: %w", driver.ErrBadConn, err)
	}
	return err
}

// positional rejects named arguments: PostgreSQL has only $1, $2 ...
func positional(args []driver.NamedValue) ([]any, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, fmt.Errorf("stdlib: named argument %q: PostgreSQL takes positional parameters ($1, $2 ...) only", a.Name)
		}
		vals[i] = a.Value
	}
	return vals, nil
}

type result int64

func (r result) LastInsertId() (int64, error) {
	return 0, errors.New("stdlib: LastInsertId is not supported by PostgreSQL; use INSERT ... RETURNING")
}

func (r result) RowsAffected() (int64, error) { return int64(r), nil }
