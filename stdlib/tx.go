package stdlib

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
)

// tx is a database/sql transaction, run with plain BEGIN/COMMIT/ROLLBACK
// statements on the connection.
type tx struct {
	c *conn
}

// BeginTx maps database/sql's isolation levels to PostgreSQL's. READ
// UNCOMMITTED is accepted as PostgreSQL does (it behaves as READ
// COMMITTED); levels PostgreSQL lacks are an error.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var b strings.Builder
	b.WriteString("BEGIN")
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault:
	case sql.LevelReadUncommitted:
		b.WriteString(" ISOLATION LEVEL READ UNCOMMITTED")
	case sql.LevelReadCommitted:
		b.WriteString(" ISOLATION LEVEL READ COMMITTED")
	case sql.LevelRepeatableRead, sql.LevelSnapshot:
		b.WriteString(" ISOLATION LEVEL REPEATABLE READ")
	case sql.LevelSerializable:
		b.WriteString(" ISOLATION LEVEL SERIALIZABLE")
	default:
		return nil, fmt.Errorf("stdlib: isolation level %v is not supported by PostgreSQL", sql.IsolationLevel(opts.Isolation))
	}
	if opts.ReadOnly {
		b.WriteString(" READ ONLY")
	}
	if _, err := c.pc.Exec(ctx, b.String()); err != nil {
		return nil, c.badConn(err)
	}
	return &tx{c: c}, nil
}

// Commit reports a transaction the server rolled back (because a statement
// in it failed) as an error, not as success.
func (t *tx) Commit() error {
	tag, err := t.c.pc.Exec(context.Background(), "COMMIT")
	if err != nil {
		return t.c.badConn(err)
	}
	if tag.String() == "ROLLBACK" {
		return fmt.Errorf("stdlib: commit failed: the transaction had an error and was rolled back")
	}
	return nil
}

func (t *tx) Rollback() error {
	_, err := t.c.pc.Exec(context.Background(), "ROLLBACK")
	return t.c.badConn(err)
}
