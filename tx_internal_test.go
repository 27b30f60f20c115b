package pg

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/pgtest"
)

// TestTxOnEnd checks the hook Pool.Begin relies on: onEnd runs exactly
// once when the top-level transaction ends, whichever way, and never for
// savepoints.
func TestTxOnEnd(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer c.Close(ctx)

	begin := func() (*Tx, *int) {
		tx, err := c.Begin(ctx, TxOptions{})
		require.NoError(t, err)
		n := new(int)
		tx.onEnd = func() { *n++ }
		return tx, n
	}

	tx, n := begin()
	sub, err := tx.Begin(ctx)
	require.NoError(t, err)
	require.NoError(t, sub.Commit(ctx))
	assert.Zero(t, *n, "a savepoint does not end the transaction")
	require.NoError(t, tx.Commit(ctx))
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 1, *n)

	tx, n = begin()
	require.NoError(t, tx.Rollback(ctx))
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 1, *n)

	// Commit of a failed transaction.
	tx, n = begin()
	_, err = tx.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	assert.ErrorIs(t, tx.Commit(ctx), ErrTxRolledBack)
	assert.Equal(t, 1, *n)

	// A commit the server refuses (a deferred constraint) ends it too.
	_, err = c.Exec(ctx, `CREATE TEMP TABLE onend_t (id int UNIQUE DEFERRABLE INITIALLY DEFERRED)`)
	require.NoError(t, err)
	tx, n = begin()
	_, err = tx.Exec(ctx, "INSERT INTO onend_t VALUES (1), (1)")
	require.NoError(t, err)
	var pgErr *PgError
	require.ErrorAs(t, tx.Commit(ctx), &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	assert.Equal(t, 1, *n)
	assert.False(t, c.InTransaction())
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 1, *n)

	// A busy connection: nothing sent, the Tx stays open, no onEnd.
	tx, n = begin()
	rows, err := c.Query(ctx, "SELECT 1")
	require.NoError(t, err)
	assert.ErrorIs(t, tx.Rollback(ctx), ErrConnBusy)
	assert.Zero(t, *n)
	require.NoError(t, rows.Close())
	require.NoError(t, tx.Rollback(ctx))
	assert.Equal(t, 1, *n)

	// The connection dies under the transaction.
	tx, n = begin()
	c.Terminate()
	assert.Error(t, tx.Rollback(ctx))
	assert.Equal(t, 1, *n)
}
