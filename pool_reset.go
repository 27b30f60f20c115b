package pg

import (
	"strconv"
	"strings"
)

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

// resetStatementParts names the state each statement of the default reset
// undoes, for its partial forms (partialReset); the statements not listed
// (BEGIN, ROLLBACK, COMMIT) are in every form.
var resetStatementParts = map[string]resetParts{
	"RESET SESSION AUTHORIZATION":     resetRole,
	"RESET ROLE":                      resetRole,
	"RESET ALL":                       resetSettings,
	"SELECT pg_advisory_unlock_all()": resetLocks,
	"CLOSE ALL":                       resetCursors,
	"UNLISTEN *":                      resetListen,
}

// ResetMode says when a Pool runs its default session reset at Release
// (PoolConfig.ResetMode), and so what the next user of a connection may
// find left of the previous one's session. In every mode a transaction
// left open is rolled back at Release, the Go-side callbacks a lease
// added (OnNotice, OnTerminate, Listen, query loggers) are removed and
// statements prepared with the PoolConn's Prepare are deallocated. No
// mode drops SQL-level PREPAREd statements or temporary tables, as
// asyncpg's reset does not.
type ResetMode int

const (
	// ResetAlways (the zero value) runs the default reset after every
	// lease that ran anything on the connection: RESET ALL, RESET ROLE
	// and SESSION AUTHORIZATION, pg_advisory_unlock_all(), CLOSE ALL and
	// UNLISTEN *, as asyncpg's pool does. No session state those undo
	// crosses leases, whatever ran, functions included. It costs the
	// server about as much again as a short query, per lease.
	ResetAlways ResetMode = iota
	// ResetTracked runs the same reset only after a lease that may have
	// changed what it undoes, as the connection saw it: a statement
	// whose command tag is not one of plain DML, queries and transaction
	// control (SET, RESET, LISTEN, DECLARE, PREPARE, CREATE, DO, CALL,
	// COPY ... count as changes; each statement of a simple-protocol
	// script reports its own tag), SQL that names set_config or a session
	// advisory lock function (pg_advisory_lock, pg_try_advisory_lock and
	// their _shared forms), a report from the server that a setting
	// changed (ParameterStatus: TimeZone, DateStyle, application_name,
	// session_authorization ...), and, once a session has run a PREPARE,
	// every lease on it. A lease of plain SELECT, INSERT, UPDATE, DELETE,
	// MERGE and transactions is not reset, which saves the server the
	// reset's cost, and a lease that changed some state gets only the
	// reset's statements that undo it, in the reset's transaction:
	// UNLISTEN * after a LISTEN, RESET ROLE and RESET ALL after a SET,
	// pg_advisory_unlock_all() after an advisory lock, CLOSE ALL after a
	// DECLARE; the whole reset after a change it cannot name (a DO
	// block, CREATE ...). What it cannot see crosses leases: a function (or a
	// trigger) that calls set_config(..., false) on a setting the server
	// does not report, takes a session advisory lock or runs LISTEN,
	// called by a statement that does not name those itself, such as
	// SELECT my_func(). Use it when the SQL run through the pool does not
	// change session state behind such calls.
	ResetTracked
	// ResetNever runs no reset, as pgxpool and database/sql: what a lease
	// SETs, LISTENs or locks stays on the connection for the next. Only
	// an open transaction is rolled back.
	ResetNever
)

// String returns the mode's name ("ResetAlways" ...).
func (m ResetMode) String() string {
	switch m {
	case ResetAlways:
		return "ResetAlways"
	case ResetTracked:
		return "ResetTracked"
	case ResetNever:
		return "ResetNever"
	}
	return "ResetMode(" + strconv.Itoa(int(m)) + ")"
}

// noteReset keeps the default reset of h's server in h and, in
// ResetTracked mode, starts tracking the session's changes. openHolder
// calls it before any hook runs on the connection.
func (p *Pool) noteReset(h *poolHolder) {
	h.resetSQL, h.rollbackResetSQL = defaultResetSQL(h.conn)
	if p.hooks.ResetMode == ResetTracked && p.hooks.Reset == nil {
		h.conn.trackSession()
	}
}
