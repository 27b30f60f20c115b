package pg_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A COPY cut by the network or by its context failed for that reason, not
// because of the row source: the error says so and does not blame the
// source.
func TestCopyRecordsStreamFailureNotSource(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	_, err := connect(t).Exec(ctx, "DROP TABLE IF EXISTS copy_cut; CREATE UNLOGGED TABLE copy_cut (id int8, pad text)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = connect(t).Exec(ctxT(t), "DROP TABLE IF EXISTS copy_cut") })

	t.Run("network", func(t *testing.T) {
		cfg, p := proxied(t)
		c := connectConfig(t, cfg)
		i := 0
		_, err := c.CopyRecordsToTable(ctx, "copy_cut", nil, pg.CopyFromFunc(func() ([]any, error) {
			if i++; i == 20_000 {
				p.DropAll()
			}
			if i > 5_000_000 {
				return nil, nil
			}
			return []any{int64(i), "some padding text"}, nil
		}))
		var connErr *pg.ConnError
		require.ErrorAs(t, err, &connErr)
		assert.NotContains(t, err.Error(), "source")
		assert.Contains(t, err.Error(), "connection")
		assert.True(t, c.IsClosed())
	})

	t.Run("context", func(t *testing.T) {
		c := connect(t)
		cctx, cancel := context.WithCancel(ctx)
		i := 0
		_, err := c.CopyRecordsToTable(cctx, "copy_cut", nil, pg.CopyFromFunc(func() ([]any, error) {
			if i++; i == 20_000 {
				cancel()
			}
			if i > 5_000_000 {
				return nil, nil
			}
			return []any{int64(i), "some padding text"}, nil
		}))
		require.ErrorIs(t, err, context.Canceled)
		assert.NotContains(t, err.Error(), "source")
		// The connection survives a cancelled COPY.
		var one int
		require.NoError(t, c.QueryRow(ctx, "SELECT 1").Scan(&one))
	})
}
