package pg

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default reset leaves out RESET SESSION AUTHORIZATION only when the
// server's reports show the session authorization unchanged since login.

func TestSessionResetForms(t *testing.T) {
	t.Parallel()
	newConn := func(user, auth string) *Conn {
		return &Conn{cfg: &Config{User: user}, params: map[string]string{
			"server_version": "15.4", "session_authorization": auth}}
	}
	c := newConn("app", "app")
	full, rollbackFull := defaultResetSQL(c)
	assert.Contains(t, full, "RESET SESSION AUTHORIZATION; RESET ROLE; ")
	light := c.sessionReset(full)
	assert.Equal(t, "BEGIN ISOLATION LEVEL READ COMMITTED; RESET ROLE; RESET ALL; "+
		"SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; COMMIT", light)
	assert.Equal(t, "ROLLBACK; "+light, c.sessionReset(rollbackFull))
	assert.Equal(t, "BEGIN; SELECT 1/0; COMMIT", c.sessionReset("BEGIN; SELECT 1/0; COMMIT"), "a script not the default one")

	// A SET SESSION AUTHORIZATION the server reported: the full reset.
	c.params["session_authorization"] = "other"
	assert.Equal(t, full, c.sessionReset(full))
	assert.Equal(t, rollbackFull, c.sessionReset(rollbackFull))

	// Not known to be the login user (no report, a Connect hook that set
	// it, a proxy that maps users): always the full reset.
	for _, c := range []*Conn{newConn("app", ""), newConn("app", "other"), {params: map[string]string{"session_authorization": "app"}}} {
		full, _ := defaultResetSQL(c)
		assert.Equal(t, full, c.sessionReset(full))
		assert.Contains(t, full, "RESET SESSION AUTHORIZATION")
	}
}

// Against the server: whether or not the reset leaves the statement out,
// the next user gets the login user's session, with SET ROLE and SET
// SESSION AUTHORIZATION undone, inside or outside a transaction.
func TestPoolResetSessionAuthorization(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	login, err := FetchVal[string](ctx, p, "SELECT session_user::text")
	require.NoError(t, err)
	const other = "pw_user" // created by TestMain
	for _, tc := range []struct {
		name  string
		sql   []string
		light bool // the reset can leave RESET SESSION AUTHORIZATION out
	}{
		{"nothing", []string{"SELECT 1"}, true},
		{"set role", []string{"SET ROLE " + other}, true},
		{"set session authorization", []string{"SET SESSION AUTHORIZATION " + other}, false},
		{"both", []string{"SET SESSION AUTHORIZATION " + other, "SET ROLE NONE"}, false},
		{"in a transaction", []string{"BEGIN", "SET SESSION AUTHORIZATION " + other}, false},
		// The error's abort already undid the SET, and the server said so.
		{"in a failed transaction", []string{"BEGIN", "SET SESSION AUTHORIZATION " + other, "SELECT 1/0"}, true},
		{"rolled back", []string{"BEGIN", "SET SESSION AUTHORIZATION " + other, "ROLLBACK"}, true},
		{"undone by the user", []string{"SET SESSION AUTHORIZATION " + other, "RESET SESSION AUTHORIZATION"}, true},
	} {
		pc, err := p.Acquire(ctx)
		require.NoError(t, err)
		for _, sql := range tc.sql {
			_, _ = pc.Exec(ctx, sql)
		}
		c := pc.h.conn
		script := c.sessionReset(pc.h.resetSQL)
		assert.Equal(t, tc.light, script != pc.h.resetSQL, tc.name)
		require.NoError(t, pc.Release())

		pc, err = p.Acquire(ctx)
		require.NoError(t, err)
		rec, err := pc.FetchRow(ctx, "SELECT session_user::text, current_user::text, current_setting('role')")
		require.NoError(t, err, tc.name)
		assert.Equal(t, []any{login, login, "none"}, rec.Values(), tc.name)
		assert.Equal(t, login, pc.h.conn.ParameterStatus("session_authorization"), tc.name)
		require.NoError(t, pc.Release())
	}
	assert.Zero(t, p.Stats().ClosedResetFailed)
}
