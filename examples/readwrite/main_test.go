package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun runs the example against a throwaway primary and standby and
// checks what it reports: a read-your-writes read served by the standby,
// a plain read on the standby missing the write made while replay was
// paused, the same read-your-writes read then served by the primary, and
// by the standby again once replay resumed.
func TestRun(t *testing.T) {
	primary, standby, err := startPair()
	require.NoError(t, err)
	t.Cleanup(func() { standby.Stop(); primary.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var out strings.Builder
	require.NoError(t, run(ctx, pairDSN(primary, standby), &out))
	t.Log("\n" + out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "read-your-writes: 1 notes, read from the replica", lines[0])
	assert.Contains(t, lines[1], "a plain read there sees 1 notes")
	assert.Equal(t, "read-your-writes while behind: 2 notes, read from the primary", lines[2])
	assert.Equal(t, "replay resumed: 2 notes, read from the replica", lines[3])
}
