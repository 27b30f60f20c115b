package stdlib

import (
	"context"
	"database/sql/driver"

	"github.com/wirepg/pg"
)

// stmt is a database/sql statement: a statement prepared on the server.
type stmt struct {
	c  *conn
	ps *pg.Stmt
}

var (
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

// Close deallocates the statement on the server; on a connection already
// closed there is nothing to deallocate.
func (s *stmt) Close() error {
	if s.c.pc.IsClosed() {
		return nil
	}
	return s.ps.Close(context.Background())
}

// NumInput is the statement's parameter count, which database/sql checks
// the arguments against.
func (s *stmt) NumInput() int { return len(s.ps.Params()) }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	vals, err := positional(args)
	if err != nil {
		return nil, err
	}
	tag, err := s.ps.Exec(ctx, vals...)
	if err != nil {
		return nil, s.c.badConn(err)
	}
	return result(tag.RowsAffected()), nil
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	vals, err := positional(args)
	if err != nil {
		return nil, err
	}
	rs, err := s.ps.Query(ctx, vals...)
	if err != nil {
		return nil, s.c.badConn(err)
	}
	return newRows(s.c, rs), nil
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, a := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return out
}
