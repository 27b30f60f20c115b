package pg

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/pgtest"
)

func TestDeferredSessionReset(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer c.Close(ctx)

	_, err = c.Exec(ctx, "SET work_mem = '7MB'")
	require.NoError(t, err)
	c.queueSessionReset("RESET ALL")
	// The reset travels in front of this query, in the same write.
	wm, err := FetchVal[string](ctx, c, "SELECT current_setting('work_mem')")
	require.NoError(t, err)
	assert.Equal(t, "4MB", wm)
	assert.NoError(t, c.resetErr)

	// A failing reset does not fail the request behind it, but is recorded
	// so the pool discards the connection.
	c.queueSessionReset("SELECT 1/0")
	one, err := FetchVal[int32](ctx, c, "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, int32(1), one)
	var pgErr *PgError
	require.ErrorAs(t, c.resetErr, &pgErr)
	assert.Equal(t, "22012", pgErr.Code)
}
