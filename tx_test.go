package pg_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// uniqueTable creates a table named for the test (quoted, so any test name
// works) and drops it at the end.
func uniqueTable(t *testing.T, c *pg.Conn, name, columns string) string {
	t.Helper()
	ctx := ctxT(t)
	q := `"` + name + `"`
	_, err := c.Exec(ctx, fmt.Sprintf("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s)", q, q, columns))
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = c.Exec(context.Background(), "DROP TABLE IF EXISTS "+q)
	})
	return q
}

func TestTxIsolationLevels(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	def, err := pg.FetchVal[string](ctx, c, "SHOW transaction_isolation")
	require.NoError(t, err)
	cases := []struct {
		opts pg.TxOptions
		iso  string
		ro   string
		def  string
	}{
		{pg.TxOptions{}, def, "off", "off"},
		{pg.TxOptions{Isolation: pg.ReadUncommitted}, "read uncommitted", "off", "off"},
		{pg.TxOptions{Isolation: pg.ReadCommitted}, "read committed", "off", "off"},
		{pg.TxOptions{Isolation: pg.RepeatableRead, ReadOnly: true}, "repeatable read", "on", "off"},
		{pg.TxOptions{Isolation: pg.Serializable}, "serializable", "off", "off"},
		{pg.TxOptions{Isolation: pg.Serializable, ReadOnly: true, Deferrable: true}, "serializable", "on", "on"},
	}
	for _, tc := range cases {
		t.Run(tc.opts.Isolation.String(), func(t *testing.T) {
			tx, err := c.Begin(ctx, tc.opts)
			require.NoError(t, err)
			defer tx.Rollback(ctx)
			assert.True(t, c.InTransaction())
			iso, err := pg.FetchVal[string](ctx, tx, "SHOW transaction_isolation")
			require.NoError(t, err)
			assert.Equal(t, tc.iso, iso)
			ro, err := pg.FetchVal[string](ctx, tx, "SHOW transaction_read_only")
			require.NoError(t, err)
			assert.Equal(t, tc.ro, ro)
			d, err := pg.FetchVal[string](ctx, tx, "SHOW transaction_deferrable")
			require.NoError(t, err)
			assert.Equal(t, tc.def, d)
			require.NoError(t, tx.Commit(ctx))
			assert.False(t, c.InTransaction())
		})
	}
}

func TestTxBadOptionsSendNothing(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	for _, opts := range []pg.TxOptions{
		{Deferrable: true},
		{Isolation: pg.Serializable, Deferrable: true},
		{Isolation: pg.RepeatableRead, ReadOnly: true, Deferrable: true},
		{Isolation: pg.IsolationLevel(42)},
	} {
		_, err := c.Begin(ctx, opts)
		require.Error(t, err, "%+v", opts)
		assert.False(t, c.InTransaction())
	}
}

func TestTxCommitRollbackIdiom(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "tx idiom", "n int")

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "INSERT INTO "+tbl+" VALUES ($1)", 1)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	// Rollback after a successful Commit: nil, and nothing sent (a
	// ROLLBACK would draw a warning notice).
	var notices int
	remove := c.OnNotice(func(*pg.Notice) { notices++ })
	require.NoError(t, tx.Rollback(ctx))
	remove()
	assert.Zero(t, notices)
	assert.ErrorIs(t, tx.Commit(ctx), pg.ErrTxClosed)
	_, err = tx.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrTxClosed)

	tx, err = c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "INSERT INTO "+tbl+" VALUES ($1)", 2)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	assert.ErrorIs(t, tx.Commit(ctx), pg.ErrTxClosed)
	require.NoError(t, tx.Rollback(ctx))

	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
}

func TestTxFailedStateCommitRollsBack(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "tx failed", "n int")
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, "INSERT INTO "+tbl+" VALUES (1)")
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	assert.Equal(t, byte('E'), c.TxStatus())
	err = tx.Commit(ctx)
	require.ErrorIs(t, err, pg.ErrTxRolledBack)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)
	assert.False(t, c.InTransaction())
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestTxFailureInsideRowsIsReported(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	// The error comes with the rows, after Query returned.
	rows, err := tx.Query(ctx, "SELECT 10 / (3 - i) FROM generate_series(1, 5) AS i")
	require.NoError(t, err)
	for rows.Next() {
	}
	require.Error(t, rows.Err())
	err = tx.Commit(ctx)
	require.ErrorIs(t, err, pg.ErrTxRolledBack)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)
}

func TestTxBeginInsideTransaction(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	assert.True(t, c.InTransaction())
	_, err = c.Begin(ctx, pg.TxOptions{})
	assert.ErrorIs(t, err, pg.ErrInTransaction)
	_, err = c.Exec(ctx, "COMMIT")
	require.NoError(t, err)
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = c.Begin(ctx, pg.TxOptions{})
	assert.ErrorIs(t, err, pg.ErrInTransaction)
	require.NoError(t, tx.Commit(ctx))
}

func TestTxSerializationFailure(t *testing.T) {
	t.Parallel()
	c1 := connect(t)
	c2 := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c1, "tx serial", "id int primary key, v int")
	_, err := c1.Exec(ctx, "INSERT INTO "+tbl+" VALUES (1, 0)")
	require.NoError(t, err)

	opts := pg.TxOptions{Isolation: pg.Serializable}
	tx1, err := c1.Begin(ctx, opts)
	require.NoError(t, err)
	defer tx1.Rollback(ctx)
	tx2, err := c2.Begin(ctx, opts)
	require.NoError(t, err)
	defer tx2.Rollback(ctx)
	_, err = tx1.Fetch(ctx, "SELECT v FROM "+tbl+" WHERE id = 1")
	require.NoError(t, err)
	_, err = tx2.Fetch(ctx, "SELECT v FROM "+tbl+" WHERE id = 1")
	require.NoError(t, err)
	_, err = tx1.Exec(ctx, "UPDATE "+tbl+" SET v = v + 1 WHERE id = 1")
	require.NoError(t, err)
	require.NoError(t, tx1.Commit(ctx))
	_, err = tx2.Exec(ctx, "UPDATE "+tbl+" SET v = v + 1 WHERE id = 1")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "40001", pgErr.Code)
	err = tx2.Commit(ctx)
	require.ErrorIs(t, err, pg.ErrTxRolledBack)
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "40001", pgErr.Code)
	assert.False(t, c2.InTransaction())
}

func TestTxSavepointsDepth3(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "tx Savepoints", "n int")
	ins := "INSERT INTO " + tbl + " VALUES ($1)"

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, ins, 1)
	require.NoError(t, err)

	s1, err := tx.Begin(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, s1.Depth())
	_, err = tx.Exec(ctx, ins, 99)
	assert.ErrorIs(t, err, pg.ErrTxChildOpen, "the parent is unusable while a child is open")
	assert.ErrorIs(t, tx.Commit(ctx), pg.ErrTxChildOpen)
	_, err = s1.Exec(ctx, ins, 2)
	require.NoError(t, err)

	s2, err := s1.Begin(ctx)
	require.NoError(t, err)
	_, err = s2.Exec(ctx, ins, 3)
	require.NoError(t, err)

	s3, err := s2.Begin(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, s3.Depth())
	_, err = s3.Exec(ctx, ins, 4)
	require.NoError(t, err)
	require.NoError(t, s3.Rollback(ctx)) // drops 4
	require.NoError(t, s3.Rollback(ctx)) // no-op

	s3, err = s2.Begin(ctx)
	require.NoError(t, err)
	_, err = s3.Exec(ctx, ins, 5)
	require.NoError(t, err)
	require.NoError(t, s3.Commit(ctx)) // keeps 5

	// A failure in a savepoint: Commit rolls back to it, the parent goes on.
	s3, err = s2.Begin(ctx)
	require.NoError(t, err)
	_, err = s3.Exec(ctx, ins, 6)
	require.NoError(t, err)
	_, err = s3.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	err = s3.Commit(ctx)
	require.ErrorIs(t, err, pg.ErrTxRolledBack)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)

	require.NoError(t, s2.Commit(ctx))
	require.NoError(t, s1.Commit(ctx))

	// Rolling back a parent ends its open children.
	s1, err = tx.Begin(ctx)
	require.NoError(t, err)
	s2, err = s1.Begin(ctx)
	require.NoError(t, err)
	_, err = s2.Exec(ctx, ins, 7)
	require.NoError(t, err)
	require.NoError(t, s1.Rollback(ctx))
	_, err = s2.Exec(ctx, ins, 8)
	assert.ErrorIs(t, err, pg.ErrTxClosed)

	require.NoError(t, tx.Commit(ctx))
	var got []int32
	recs, err := c.Fetch(ctx, "SELECT n FROM "+tbl+" ORDER BY n")
	require.NoError(t, err)
	for _, r := range recs {
		var n int32
		require.NoError(t, r.Scan(&n))
		got = append(got, n)
	}
	assert.Equal(t, []int32{1, 2, 3, 5}, got)
}

func TestTxRollbackWithCancelledContext(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	cancel()
	require.NoError(t, tx.Rollback(ctx))
	assert.False(t, c.InTransaction())
	assert.False(t, c.IsClosed())
}

func TestWithTx(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "with tx", "n int")
	ins := "INSERT INTO " + tbl + " VALUES ($1)"
	count := func() int64 {
		n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
		require.NoError(t, err)
		return n
	}

	require.NoError(t, pg.WithTx(ctx, c, pg.TxOptions{}, func(tx *pg.Tx) error {
		_, err := tx.Exec(ctx, ins, 1)
		return err
	}))
	assert.Equal(t, int64(1), count())

	boom := errors.New("boom")
	err := pg.WithTx(ctx, c, pg.TxOptions{}, func(tx *pg.Tx) error {
		_, err := tx.Exec(ctx, ins, 2)
		require.NoError(t, err)
		return boom
	})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, int64(1), count())

	assert.PanicsWithValue(t, "oops", func() {
		_ = pg.WithTx(ctx, c, pg.TxOptions{}, func(tx *pg.Tx) error {
			_, err := tx.Exec(ctx, ins, 3)
			require.NoError(t, err)
			panic("oops")
		})
	})
	assert.False(t, c.InTransaction())
	assert.Equal(t, int64(1), count())

	// A statement error inside fn that fn ignores still fails the commit.
	err = pg.WithTx(ctx, c, pg.TxOptions{}, func(tx *pg.Tx) error {
		_, _ = tx.Exec(ctx, "SELECT 1/0")
		return nil
	})
	assert.ErrorIs(t, err, pg.ErrTxRolledBack)
	assert.False(t, c.InTransaction())
}
