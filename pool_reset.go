package pg

import "strings"

// defaultResetSQL returns the server-appropriate equivalent of asyncpg's
// reset, and the same led by ROLLBACK for a session left in a
// transaction. It runs as one simple query inside an explicit
// transaction: should any part fail, the COMMIT is skipped and the
// session stays in a failed transaction, so whatever the next user sends
// first fails with 25P02 instead of running in a half-reset session, and
// the pool closes the connection. READ COMMITTED keeps a user's
// default_transaction_isolation from making the reset itself fail on a
// hot standby. RESET ALL comes first so that the rest runs under the
// session's default settings (search_path included), not the user's.
// RESET ALL leaves out the role (GUC_NO_RESET_ALL), so a SET ROLE or SET
// SESSION AUTHORIZATION would outlive the lease, as it does in asyncpg:
// they are reset to the values the connection started with, as DISCARD
// ALL does. Both are kept: RESET SESSION AUTHORIZATION does imply SET ROLE
// NONE, but RESET ROLE restores the role the session started with (ALTER
// ROLE ... SET role), which may not be NONE, and servers before the fix
// of CVE-2024-10978 kept a stale role setting after the former alone.
//
// It also notes, for sessionReset, the session_authorization the server
// reported when the connection was made (the caller calls it before any
// pool hook runs on the connection).
//
// CockroachDB has none of these (asyncpg's capability table leaves them
// all out); PostgreSQL has had advisory locks since 8.2 and CLOSE ALL
// since 8.3.
//
// Why one simple query (measured with BenchmarkSessionResetAB): the same
// statements prepared once per connection and sent as Bind/Execute cost
// the server as much, because BEGIN must still be parsed each time (were
// it a named statement, a user's DEALLOCATE ALL would make its Bind fail
// outside any transaction, and the next user's request would run in a
// session not reset) and each extended-protocol message has its own
// overhead. About a third of the reset's server CPU is its own
// ReadyForQuery, which the server always flushes: the price of the reset
// having a Sync of its own, which it must, so that it never shares a
// transaction or an error with the next user's statements.
func defaultResetSQL(c *Conn) (reset, rollbackReset string) {
	if c.ParameterStatus("crdb_version") != "" {
		return "", "ROLLBACK"
	}
	v := c.ServerVersion()
	var b strings.Builder
	b.WriteString("BEGIN ISOLATION LEVEL READ COMMITTED; ")
	head := b.Len()
	b.WriteString(resetSessionAuthorization + "RESET ROLE; RESET ALL; ")
	if v == 0 || v >= 80200 {
		b.WriteString("SELECT pg_advisory_unlock_all(); ")
	}
	if v == 0 || v >= 80300 {
		b.WriteString("CLOSE ALL; ")
	}
	b.WriteString("UNLISTEN *; COMMIT")
	reset = b.String()
	rollbackReset = "ROLLBACK; " + reset
	light := reset[:head] + reset[head+len(resetSessionAuthorization):]
	c.notePoolReset(poolResetForms{full: reset, rollbackFull: rollbackReset, light: light, rollbackLight: "ROLLBACK; " + light})
	return reset, rollbackReset
}

const resetSessionAuthorization = "RESET SESSION AUTHORIZATION; "
