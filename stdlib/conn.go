package stdlib

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/wirepg/pg"
)

// conn adapts a *pg.Conn to database/sql's driver interfaces.
type conn struct {
	pc *pg.Conn
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

// PrepareContext returns a statement that runs through the connection's
// statement cache: pg prepares on first use, so there is nothing to do here
// beyond remembering the SQL.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.pc.IsClosed() {
		return nil, driver.ErrBadConn
	}
	return &stmt{c: c, query: query}, nil
}

func (c *conn) Close() error {
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
	return &rows{rs: rs}, nil
}

func (c *conn) Ping(ctx context.Context) error {
	if _, err := c.pc.Exec(ctx, ""); err != nil {
		return c.badConn(err)
	}
	return nil
}

// ResetSession runs when database/sql reuses the connection; a closed
// connection is reported so database/sql discards it.
func (c *conn) ResetSession(ctx context.Context) error {
	if c.pc.IsClosed() {
		return driver.ErrBadConn
	}
	return nil
}

func (c *conn) IsValid() bool { return !c.pc.IsClosed() }

// CheckNamedValue lets every argument through to pg's codecs, which accept
// far more than driver.Value's types and report what they cannot encode.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error { return nil }

// badConn reports driver.ErrBadConn — which makes database/sql retry on
// another connection — only when the statement cannot have run: the
// connection was closed before the call or the request was never written.
// Any other failure is returned as is; database/sql still drops the
// connection because IsValid and ResetSession see it closed.
func (c *conn) badConn(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pg.ErrConnClosed) {
		return driver.ErrBadConn
	}
	var ce *pg.ConnError
	if errors.As(err, &ce) && ce.Op == "write" {
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
