package pg

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lockExtension makes the tests that create extension ext take turns: an
// extension exists once per database, whatever schema it is created in.
// The lock is a session advisory lock on c, so it also serialises test
// binaries sharing one server (PGTEST_DSN); it is released at the test's
// cleanup, or when c closes.
func lockExtension(t testing.TB, c *Conn, ext string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := c.Exec(ctx, "SELECT pg_advisory_lock(hashtext('pg tests: extension ' || $1))", ext)
	require.NoError(t, err)
	t.Cleanup(func() {
		if c.IsClosed() {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, _ = c.Exec(ctx, "SELECT pg_advisory_unlock(hashtext('pg tests: extension ' || $1))", ext)
	})
}

// LockExtension is lockExtension for the external tests (package pg_test).
var LockExtension = lockExtension
