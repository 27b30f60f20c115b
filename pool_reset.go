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
// ALL does.
//
// CockroachDB has none of these (asyncpg's capability table leaves them
// all out); PostgreSQL has had advisory locks since 8.2 and CLOSE ALL
// since 8.3.
func defaultResetSQL(c *Conn) (reset, rollbackReset string) {
	if c.ParameterStatus("crdb_version") != "" {
		return "", "ROLLBACK"
	}
	v := c.ServerVersion()
	var b strings.Builder
	b.WriteString("BEGIN ISOLATION LEVEL READ COMMITTED; RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; ")
	if v == 0 || v >= 80200 {
		b.WriteString("SELECT pg_advisory_unlock_all(); ")
	}
	if v == 0 || v >= 80300 {
		b.WriteString("CLOSE ALL; ")
	}
	b.WriteString("UNLISTEN *; COMMIT")
	reset = b.String()
	return reset, "ROLLBACK; " + reset
}

// flushPending writes the messages queued for the next request now: the
// reset queued at Release (queueSessionReset), whose reply is then read in
// front of the next request's (requestSent reads it and keeps a failure in
// resetErr). The server runs it at once, so an idle pooled session holds
// no transaction, advisory lock or LISTEN, and the next user pays no round
// trip for it.
func (c *Conn) flushPending() error {
	if len(c.pendingSend) == 0 {
		return nil
	}
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	c.beginRequest()
	c.pendingSend = c.pendingSend[:0]
	// No write deadline: the server has read everything sent before (it
	// answered it), so these few hundred bytes go into an empty socket
	// buffer and the write cannot block, whatever the peer does.
	return c.flush()
}
