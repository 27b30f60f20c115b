package pg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"
)

// IsolationLevel is a transaction isolation level. The zero value is the
// server's default (default_transaction_isolation).
type IsolationLevel int

// Isolation levels (see "Transaction Isolation" in the PostgreSQL docs).
// PostgreSQL runs ReadUncommitted as ReadCommitted.
const (
	DefaultIsolation IsolationLevel = iota
	ReadUncommitted
	ReadCommitted
	RepeatableRead
	Serializable
)

// String is the level as SQL spells it ("REPEATABLE READ"), or "DEFAULT".
func (l IsolationLevel) String() string {
	switch l {
	case DefaultIsolation:
		return "DEFAULT"
	case ReadUncommitted:
		return "READ UNCOMMITTED"
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	}
	return "IsolationLevel(" + strconv.Itoa(int(l)) + ")"
}

// TxOptions are the modes of a transaction. The zero value is a read-write
// transaction at the server's default isolation level.
type TxOptions struct {
	Isolation IsolationLevel
	ReadOnly  bool
	// Deferrable applies to SERIALIZABLE READ ONLY transactions only (they
	// then wait for a safe snapshot and never fail with a serialization
	// error); with any other mode it is an error, as the server would
	// silently ignore it.
	Deferrable bool
}

// beginSQL is the BEGIN statement for o, or an error naming the bad option
// before anything is sent.
func (o TxOptions) beginSQL() (string, error) {
	if o.Isolation < DefaultIsolation || o.Isolation > Serializable {
		return "", fmt.Errorf("pg: TxOptions.Isolation %v is not a level PostgreSQL has; use pg.ReadCommitted, pg.RepeatableRead or pg.Serializable", o.Isolation)
	}
	if o.Deferrable && (o.Isolation != Serializable || !o.ReadOnly) {
		return "", errors.New("pg: TxOptions.Deferrable needs Isolation: pg.Serializable and ReadOnly: true (PostgreSQL ignores DEFERRABLE otherwise)")
	}
	sql := "BEGIN"
	if o.Isolation != DefaultIsolation {
		sql += " ISOLATION LEVEL " + o.Isolation.String()
	}
	if o.ReadOnly {
		sql += " READ ONLY"
	}
	if o.Deferrable {
		sql += " DEFERRABLE"
	}
	return sql, nil
}

var (
	// ErrTxClosed is returned by Commit and by statements on a Tx that has
	// already been committed or rolled back.
	ErrTxClosed = errors.New("pg: the transaction has already been committed or rolled back")
	// ErrTxRolledBack is returned by Commit when the transaction could not
	// commit because a statement in it failed: the server rolled it back
	// (to the savepoint, for a nested Tx). The failing statement's error is
	// wrapped with it when the Tx saw it.
	ErrTxRolledBack = errors.New("pg: commit failed: a statement in the transaction failed, so it was rolled back")
	// ErrTxChildOpen is returned when a Tx is used while a nested Tx begun
	// from it is still open: commit or roll back the nested one first.
	ErrTxChildOpen = errors.New("pg: a nested transaction (savepoint) begun from this Tx is still open; commit or roll it back first")
	// ErrInTransaction is returned by Conn.Begin on a connection already
	// inside a transaction (for instance one begun with Exec("BEGIN")):
	// use Tx.Begin for a savepoint, or end the transaction first.
	ErrInTransaction = errors.New("pg: the connection is already in a transaction; use Tx.Begin for a nested transaction (savepoint)")
	// ErrCommitOutcomeUnknown is returned by Commit (wrapping the
	// connection's failure) when the connection was lost after COMMIT was
	// sent and before the server's answer arrived: the transaction may
	// have committed or not, and only the database can tell (look for
	// what it wrote, or record a transaction ID with txid_current() and
	// ask pg_xact_status after reconnecting).
	ErrCommitOutcomeUnknown = errors.New("pg: the connection was lost after COMMIT was sent: whether the transaction committed is unknown")
)

// rollbackGrace bounds a Rollback whose context is already done: the
// rollback still runs, so the connection is not left inside a transaction.
const rollbackGrace = 5 * time.Second

// Tx is a transaction, or a savepoint inside one when begun with Tx.Begin.
//
// The idiom is:
//
//	tx, err := conn.Begin(ctx, pg.TxOptions{})
//	if err != nil { ... }
//	defer tx.Rollback(ctx) // nil, sending nothing, after a successful Commit
//	... tx.Exec(ctx, ...) ...
//	return tx.Commit(ctx)
//
// A Tx runs its statements on its connection; it is not safe for
// concurrent use, and while it is open the connection should only be used
// through it. Statements may also run directly on the Conn; the Tx only
// checks its own methods.
type Tx struct {
	c      *Conn
	parent *Tx
	child  *Tx    // the open nested Tx, if any
	name   string // savepoint name; "" for the top-level transaction
	depth  int    // 0 for the top level
	closed bool
	// failErr is the first error of a statement run through this Tx that
	// left the transaction in the failed state; Commit reports it.
	failErr error
	// onEnd, when set, is called exactly once, when the top-level
	// transaction ends: committed, rolled back, or found dead with its
	// connection. Pool.Begin uses it to release the connection; nested
	// Txs never call it.
	onEnd func()
	// lease is the PoolConn whose Begin started the transaction: a Stmt
	// prepared through it lives as long as that lease.
	lease *PoolConn
}

// Begin starts a transaction with opts. Invalid options are reported
// before anything is sent. On a connection already inside a transaction
// it returns ErrInTransaction.
func (c *Conn) Begin(ctx context.Context, opts TxOptions) (*Tx, error) {
	sql, err := opts.beginSQL()
	if err != nil {
		return nil, err
	}
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	// With a deferred reset pending, the status is that of before it;
	// the reset leaves the session idle.
	if c.txStatus != 'I' && c.pendingSyncs == 0 {
		_ = c.endCall(nil)
		return nil, ErrInTransaction
	}
	t := c.traceStart(ctx, traceSimple, sql, nil, 0)
	tag, err := c.execSimple(sql)
	err = c.endCall(err)
	c.traceEnd(&t, sql, nil, tag, err)
	if err != nil {
		return nil, err
	}
	return &Tx{c: c}, nil
}

// Conn is the connection the transaction runs on.
func (tx *Tx) Conn() *Conn { return tx.c }

// Depth is 0 for a top-level transaction and n for the n-th nested one.
func (tx *Tx) Depth() int { return tx.depth }

// usable checks that statements may run through tx.
func (tx *Tx) usable() error {
	if tx.closed {
		return ErrTxClosed
	}
	if tx.child != nil {
		return ErrTxChildOpen
	}
	return nil
}

// note remembers the error of a statement that left the transaction in
// the failed state, for Commit to report.
func (tx *Tx) note(err error) {
	if err != nil && tx.failErr == nil && tx.c.txStatus == 'E' {
		tx.failErr = err
	}
}

// Begin starts a nested transaction: a SAVEPOINT, which the nested Tx's
// Commit releases and its Rollback rolls back to. Nesting may go to any
// depth; the parent cannot be used until the nested Tx ends.
func (tx *Tx) Begin(ctx context.Context) (*Tx, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	name := "pg_savepoint_" + strconv.Itoa(tx.depth+1)
	_, err := tx.c.Exec(ctx, "SAVEPOINT "+name)
	if err != nil {
		tx.note(err)
		return nil, err
	}
	child := &Tx{c: tx.c, parent: tx, name: name, depth: tx.depth + 1}
	tx.child = child
	return child, nil
}

// Commit commits the transaction, or releases the savepoint of a nested
// one. A transaction in the failed state is rolled back instead and Commit
// returns ErrTxRolledBack (with the failing statement's error). Commit on
// an ended Tx returns ErrTxClosed; with a nested Tx open, ErrTxChildOpen.
//
// When the connection is lost during a top-level Commit, the error says
// what is known: if COMMIT never left the client (SafeToRetry(err)), the
// server rolls the transaction back; if it was sent and the answer was
// lost, the error wraps ErrCommitOutcomeUnknown (and the connection's
// *ConnError): the transaction may have committed.
func (tx *Tx) Commit(ctx context.Context) error {
	if err := tx.usable(); err != nil {
		return err
	}
	if tx.parent != nil {
		return tx.endSavepoint(ctx, true)
	}
	tag, err := tx.c.Exec(ctx, "COMMIT")
	if err != nil {
		if tx.c.IsClosed() || !tx.c.InTransaction() {
			tx.end() // the server ended it (e.g. a deferred constraint failed)
		}
		if tx.c.IsClosed() && !SafeToRetry(err) {
			return fmt.Errorf("%w: %w", ErrCommitOutcomeUnknown, err)
		}
		return err
	}
	tx.end()
	if tag.String() == "ROLLBACK" {
		return tx.rolledBack()
	}
	return nil
}

func (tx *Tx) rolledBack() error {
	if tx.failErr != nil {
		return fmt.Errorf("%w: %w", ErrTxRolledBack, tx.failErr)
	}
	return ErrTxRolledBack
}

// Rollback rolls the transaction back, or a nested one back to its
// savepoint, together with any nested Tx still open inside it. On an ended
// Tx it does nothing and returns nil, so it can always be deferred.
//
// When ctx is already done (the usual case for a deferred Rollback after a
// cancelled request) the rollback still runs, bounded by a few seconds of
// its own. If the top-level rollback fails and the connection may still be
// inside the transaction, the connection is closed rather than left in it.
func (tx *Tx) Rollback(ctx context.Context) error {
	if tx.closed {
		return nil
	}
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), rollbackGrace)
		defer cancel()
	}
	if tx.child != nil {
		tx.child.endTree()
		tx.child = nil
	}
	if tx.parent != nil {
		return tx.endSavepoint(ctx, false)
	}
	_, err := tx.c.Exec(ctx, "ROLLBACK")
	if errors.Is(err, ErrConnBusy) {
		return err // nothing was sent; the caller may close its Rows and retry
	}
	if err != nil && !tx.c.IsClosed() && tx.c.InTransaction() {
		tx.c.Terminate()
	}
	tx.end()
	return err
}

// endSavepoint releases (commit) or rolls back to (and releases) a nested
// Tx's savepoint. A failed transaction cannot release a savepoint, so a
// commit then rolls back to it and reports ErrTxRolledBack; the parent is
// usable again afterwards.
func (tx *Tx) endSavepoint(ctx context.Context, commit bool) error {
	failed := tx.c.txStatus == 'E'
	sql := "ROLLBACK TO SAVEPOINT " + tx.name + "; RELEASE SAVEPOINT " + tx.name
	if commit && !failed {
		sql = "RELEASE SAVEPOINT " + tx.name
	}
	_, err := tx.c.Exec(ctx, sql)
	if errors.Is(err, ErrConnBusy) {
		return err
	}
	tx.end()
	if err != nil {
		tx.parent.note(err)
		return err
	}
	if commit && failed {
		return tx.rolledBack()
	}
	return nil
}

// end marks tx (and anything nested in it) ended and detaches it from its
// parent; for the top level it runs onEnd.
func (tx *Tx) end() {
	tx.endTree()
	if tx.parent != nil {
		if tx.parent.child == tx {
			tx.parent.child = nil
		}
		return
	}
	if f := tx.onEnd; f != nil {
		tx.onEnd = nil
		f()
	}
}

func (tx *Tx) endTree() {
	for t := tx; t != nil; t = t.child {
		t.closed = true
	}
	for t := tx.child; t != nil; {
		next := t.child
		t.child = nil
		t = next
	}
	tx.child = nil
}

// Exec runs sql in the transaction; see Conn.Exec.
func (tx *Tx) Exec(ctx context.Context, sql string, args ...any) (CommandTag, error) {
	if err := tx.usable(); err != nil {
		return CommandTag{}, err
	}
	tag, err := tx.c.Exec(ctx, sql, args...)
	tx.note(err)
	return tag, err
}

// Query runs sql in the transaction and streams its rows; see Conn.Query.
func (tx *Tx) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	rows, err := tx.c.Query(ctx, sql, args...)
	tx.note(err)
	if rows != nil {
		rows.tx = tx
	}
	return rows, err
}

// Fetch runs the query in the transaction and returns every row.
func (tx *Tx) Fetch(ctx context.Context, sql string, args ...any) ([]Record, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	recs, err := tx.c.Fetch(ctx, sql, args...)
	tx.note(err)
	return recs, err
}

// FetchRow runs the query in the transaction and returns its first row;
// ErrNoRows when there is none.
func (tx *Tx) FetchRow(ctx context.Context, sql string, args ...any) (Record, error) {
	if err := tx.usable(); err != nil {
		return Record{}, err
	}
	rec, err := tx.c.FetchRow(ctx, sql, args...)
	tx.note(err)
	return rec, err
}

// QueryRow runs the query in the transaction; Scan reads its first row.
func (tx *Tx) QueryRow(ctx context.Context, sql string, args ...any) *Row {
	rows, err := tx.Query(ctx, sql, args...)
	return &Row{rows: rows, err: err}
}

// Iter streams the rows of sql in the transaction; see Conn.Iter.
func (tx *Tx) Iter(ctx context.Context, sql string, args ...any) iter.Seq2[Record, error] {
	if err := tx.usable(); err != nil {
		return func(yield func(Record, error) bool) { yield(Record{}, err) }
	}
	return tx.c.Iter(ctx, sql, args...)
}

// Prepare prepares a statement on the transaction's connection; see
// Conn.Prepare. The statement outlives the transaction, but not the
// lease of a pooled connection: begun by PoolConn.Begin, it ends at
// Release; begun by Pool.Begin, with the transaction, which hands the
// connection back. Either way it is then deallocated and its methods
// return ErrPoolConnReleased.
func (tx *Tx) Prepare(ctx context.Context, sql string) (*Stmt, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	stmt, err := tx.c.Prepare(ctx, sql)
	tx.note(err)
	if err == nil {
		tx.adopt(stmt)
	}
	return stmt, err
}

// ExecMany runs sql for each row of args in the transaction; see
// Conn.ExecMany.
func (tx *Tx) ExecMany(ctx context.Context, sql string, args [][]any) error {
	if err := tx.usable(); err != nil {
		return err
	}
	err := tx.c.ExecMany(ctx, sql, args)
	tx.note(err)
	return err
}

// SendBatch sends a batch in the transaction; see Conn.SendBatch.
func (tx *Tx) SendBatch(ctx context.Context, b *Batch) (*BatchResults, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	res, err := tx.c.SendBatch(ctx, b)
	tx.note(err)
	return res, err
}

// CopyRecordsToTable loads rows in the transaction; see
// Conn.CopyRecordsToTable.
func (tx *Tx) CopyRecordsToTable(ctx context.Context, table string, columns []string, src CopySource) (int64, error) {
	if err := tx.usable(); err != nil {
		return 0, err
	}
	n, err := tx.c.CopyRecordsToTable(ctx, table, columns, src)
	tx.note(err)
	return n, err
}

// CopyToTable loads r's data in the transaction; see Conn.CopyToTable.
func (tx *Tx) CopyToTable(ctx context.Context, table string, r io.Reader, opts CopyOptions) (int64, error) {
	if err := tx.usable(); err != nil {
		return 0, err
	}
	n, err := tx.c.CopyToTable(ctx, table, r, opts)
	tx.note(err)
	return n, err
}

// CopyFromTable writes table's rows to w in the transaction; see
// Conn.CopyFromTable.
func (tx *Tx) CopyFromTable(ctx context.Context, table string, w io.Writer, opts CopyOptions) (int64, error) {
	if err := tx.usable(); err != nil {
		return 0, err
	}
	n, err := tx.c.CopyFromTable(ctx, table, w, opts)
	tx.note(err)
	return n, err
}

// CopyFromQuery writes a query's rows to w in the transaction; see
// Conn.CopyFromQuery.
func (tx *Tx) CopyFromQuery(ctx context.Context, sql string, w io.Writer, opts CopyOptions, args ...any) (int64, error) {
	if err := tx.usable(); err != nil {
		return 0, err
	}
	n, err := tx.c.CopyFromQuery(ctx, sql, w, opts, args...)
	tx.note(err)
	return n, err
}

// TxBeginner starts transactions: *Conn, and the pool's types.
type TxBeginner interface {
	Begin(ctx context.Context, opts TxOptions) (*Tx, error)
}

// WithTx runs fn in a transaction begun on db with opts: it commits when
// fn returns nil and rolls back when fn returns an error or panics (the
// panic then continues). fn's error is returned as is; a failed Commit's
// error is returned too.
func WithTx(ctx context.Context, db TxBeginner, opts TxOptions, fn func(tx *Tx) error) (err error) {
	tx, err := db.Begin(ctx, opts)
	if err != nil {
		return err
	}
	finished := false
	defer func() {
		if !finished {
			// fn panicked: roll back, and let the panic go on with its
			// original stack.
			_ = tx.Rollback(ctx)
		}
	}()
	if err := fn(tx); err != nil {
		finished = true
		if rbErr := tx.Rollback(ctx); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		return err
	}
	finished = true
	if err := tx.Commit(ctx); err != nil {
		_ = tx.Rollback(ctx) // no-op unless the commit left it open
		return err
	}
	return nil
}
