package pg_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// The protocol carries a Bind's parameter count in 16 bits: more
// arguments than that is the caller's error, found before anything is
// sent, and the connection stays usable.
func TestTooManyArguments(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	const n = 65536
	var sql strings.Builder
	sql.WriteString("SELECT 1 WHERE 1 IN (")
	args := make([]any, n)
	for i := range n {
		if i > 0 {
			sql.WriteString(",")
		}
		fmt.Fprintf(&sql, "$%d::int4", i+1)
		args[i] = int32(i)
	}
	sql.WriteString(")")
	_, err := c.Exec(ctx, sql.String(), args...)
	require.Error(t, err)
	var ce *pg.ConnError
	assert.False(t, errors.As(err, &ce), "not a connection failure: %v", err)
	assert.Contains(t, err.Error(), "65535")
	assert.False(t, c.IsClosed())
	v, err := pg.FetchVal[int32](ctx, c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)

	b := &pg.Batch{}
	b.Queue(sql.String(), args...)
	_, err = c.SendBatch(ctx, b)
	require.Error(t, err)
	assert.False(t, c.IsClosed())
	require.Error(t, c.ExecMany(ctx, sql.String(), [][]any{args}))
	assert.False(t, c.IsClosed())
}

// A statement whose placeholders outnumber what the protocol's 16-bit
// count carries fails with a client error; the connection stays usable.
func TestTooManyPlaceholders(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	var sql strings.Builder
	sql.WriteString("SELECT 1 WHERE 1 IN ($1::int4")
	for i := 2; i <= 65536; i++ {
		fmt.Fprintf(&sql, ",$%d::int4", i)
	}
	sql.WriteString(")")
	_, err := c.Exec(ctx, sql.String(), 1)
	require.Error(t, err)
	var ace *pg.ArgumentCountError
	require.True(t, errors.As(err, &ace), "%v", err)
	assert.Contains(t, err.Error(), "65536 parameters")
	assert.False(t, c.IsClosed())
	v, err := pg.FetchVal[int32](ctx, c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)
}
