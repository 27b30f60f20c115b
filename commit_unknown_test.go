package pg_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A connection lost after COMMIT was sent and before its answer: Commit
// says the outcome is unknown (here the transaction did commit). Lost
// before COMMIT left the client: a plain connection error that
// SafeToRetry accepts, and the transaction did not commit.
func TestCommitOutcomeUnknown(t *testing.T) {
	t.Parallel()
	admin := connect(t)
	_, err := admin.Exec(ctxT(t), "CREATE TABLE commit_unknown (id int)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(bg(), "DROP TABLE commit_unknown") })
	count := func(id int) int64 {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM commit_unknown WHERE id = $1", id)
		require.NoError(t, err)
		return n
	}

	cfg, proxy := proxied(t)
	c, err := pg.ConnectConfig(ctxT(t), cfg)
	require.NoError(t, err)
	defer c.Terminate()
	tx, err := c.Begin(ctxT(t), pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctxT(t), "INSERT INTO commit_unknown VALUES (1)")
	require.NoError(t, err)
	proxy.StallServer(true) // the server's answer to COMMIT is held back
	done := make(chan error, 1)
	go func() { done <- tx.Commit(ctxT(t)) }()
	eventually(t, 10*time.Second, "the commit to happen on the server", func() bool { return count(1) == 1 })
	proxy.DropAll()
	err = <-done
	proxy.StallServer(false)
	require.ErrorIs(t, err, pg.ErrCommitOutcomeUnknown)
	var ce *pg.ConnError
	assert.ErrorAs(t, err, &ce)
	assert.False(t, pg.SafeToRetry(err))

	c2, err := pg.ConnectConfig(ctxT(t), cfg)
	require.NoError(t, err)
	defer c2.Terminate()
	tx, err = c2.Begin(ctxT(t), pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctxT(t), "INSERT INTO commit_unknown VALUES (2)")
	require.NoError(t, err)
	proxy.ResetAll()
	err = tx.Commit(ctxT(t))
	require.Error(t, err)
	assert.False(t, errors.Is(err, pg.ErrCommitOutcomeUnknown), "%v", err)
	assert.True(t, pg.SafeToRetry(err), "%v", err)
	eventually(t, 10*time.Second, "the server to end the session", func() bool {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", int32(c2.ServerPID()))
		return err == nil && n == 0
	})
	assert.Equal(t, int64(0), count(2))
}
