package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

type hiddenPart struct{ B int32 }

type withHiddenPart struct {
	A int32
	*hiddenPart
}

// A struct embedding a pointer to an unexported struct: its fields cannot
// be filled, so a column for them is an error, not a panic; the rest maps.
func TestCollectRowsEmbeddedPointerToUnexported(t *testing.T) {
	t.Parallel()
	c := connect(t)
	_, err := pg.CollectRows[withHiddenPart](ctxT(t), c, "SELECT 1::int4 AS a, 2::int4 AS b")
	require.Error(t, err)
	got, err := pg.CollectRows[withHiddenPart](ctxT(t), c, "SELECT 1::int4 AS a")
	require.NoError(t, err)
	assert.Equal(t, int32(1), got[0].A)
}
