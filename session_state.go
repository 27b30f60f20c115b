package pg

import (
	"bytes"
	"strings"
)

// Session-state tracking for the pool's ResetTracked mode: the connection
// notes whether anything it ran may have left session state behind that
// the default reset undoes (settings, role, session advisory locks,
// cursors WITH HOLD, LISTEN), so that a lease which changed nothing skips
// the reset. What it sees:
//
//   - the command tag of every statement the server completes (a
//     simple-protocol script reports one per statement): anything but the
//     tags of plain DML, queries and transaction control counts as a
//     change (SET, RESET, LISTEN, DECLARE CURSOR, DO, CALL, CREATE ...);
//   - the SQL text of each statement run, for the functions that change
//     the session from inside a query whose tag says only SELECT:
//     set_config and the session-level advisory locks (pg_advisory_lock,
//     pg_try_advisory_lock and their _shared forms; the _xact_ ones end
//     with the transaction). The scan runs once per cached statement;
//   - ParameterStatus messages: the server reports every change of a
//     GUC_REPORT setting (TimeZone, DateStyle, application_name,
//     session_authorization ...), even one made inside a function;
//   - a PREPARE, after which every statement counts as a change for the
//     rest of the session: EXECUTE reports the tag of the statement it
//     runs, which hides what it calls, and the reset does not deallocate.
//
// What it cannot see, and ResetTracked's documentation says: a function
// that calls set_config on a setting the server does not report, takes a
// session advisory lock or runs LISTEN, when the statement calling it
// does not name any of these itself.
//
// Nothing here runs on a connection outside a pool in ResetTracked mode:
// each hook is one test of track.on.
type sessionTrack struct {
	// on: the pool tracks this session (ResetTracked).
	on bool
	// dirty: since the session's last reset (or its start), something
	// ran that may have changed what the default reset undoes.
	dirty bool
	// prepared: a SQL-level PREPARE ran on the session (see above).
	prepared bool
	// paused: the replies being read are a deferred reset's, whose tags
	// and ParameterStatus messages are the reset at work, not a change.
	paused bool
}

// trackSession starts the tracking; the session counts as clean (it is
// new, or has just been reset).
func (c *Conn) trackSession() { c.track = sessionTrack{on: true} }

// sessionResetQueued notes that the default reset goes out for this
// session: it is clean again, except for a PREPARE, which the reset keeps.
func (c *Conn) sessionResetQueued() { c.track.dirty = false }

// sessionChanged reports whether the session may hold state the default
// reset would undo: what ResetTracked asks at Release.
func (c *Conn) sessionChanged() bool { return c.track.dirty || c.track.prepared }

// noteCommandComplete classifies the tag of a completed statement (body
// is the CommandComplete message body). readMessage calls it when
// tracking is on.
func (c *Conn) noteCommandComplete(body []byte) {
	if c.track.paused {
		return
	}
	tag := body
	if i := bytes.IndexByte(tag, 0); i >= 0 {
		tag = tag[:i]
	}
	if string(tag) == "PREPARE" {
		c.track.prepared = true
	}
	if !c.track.dirty && !stateFreeTag(tag) {
		c.track.dirty = true
	}
}

// noteParameterStatus notes a setting the server reports changed.
func (c *Conn) noteParameterStatus() {
	if c.track.on && !c.track.paused {
		c.track.dirty = true
	}
}

// noteSimpleQuery scans the text of a simple-protocol query about to run.
func (c *Conn) noteSimpleQuery(sql string) {
	if !c.track.dirty && callsSessionFunc(sql) {
		c.track.dirty = true
	}
}

// noteBind notes the statement a Bind is about to run; its text is
// scanned once, the first time a tracked session binds it.
func (c *Conn) noteBind(sd *stmtDesc) {
	if sd.sessionFuncs == 0 {
		sd.sessionFuncs = 1
		if callsSessionFunc(sd.sql) {
			sd.sessionFuncs = 2
		}
	}
	if sd.sessionFuncs == 2 {
		c.track.dirty = true
	}
}

// drainDeferred reads the replies of a deferred reset (requestSent): its
// own tags and setting reports are not a change to the session.
func (c *Conn) drainDeferred() error {
	c.track.paused = true
	err := c.drain("")
	c.track.paused = false
	return err
}

// stateFreeTag reports whether a command with this tag leaves no session
// state behind by itself (a function it calls may: see callsSessionFunc).
// Statements inside a transaction that change settings report SET, so a
// SET LOCAL counts as a change too, conservatively. COPY is left out
// (its query or a trigger may call anything, and its text is not always
// scanned), as is every tag not listed.
func stateFreeTag(tag []byte) bool {
	s := string(tag)
	if i := bytes.IndexByte(tag, ' '); i >= 0 {
		switch s[:i] {
		case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "FETCH", "MOVE":
			return true // all carry a count
		}
	}
	switch s {
	case "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "SET CONSTRAINTS":
		return true
	}
	return false
}

// callsSessionFunc reports whether sql names a function that changes the
// session from inside a query: set_config, or a session-level advisory
// lock (pg_advisory_lock, pg_advisory_lock_shared, pg_try_advisory_lock,
// pg_try_advisory_lock_shared). It looks at each underscore, so plain SQL
// costs a byte search; a match inside a string or a comment counts too,
// which only costs a reset. Unquoted names fold to lower case; a quoted
// one that is not already lower case names another function.
func callsSessionFunc(sql string) bool {
	for i := 0; ; {
		j := indexByteFrom(sql, '_', i)
		if j < 0 {
			return false
		}
		if foldedAt(sql, j-3, "set") && foldedAt(sql, j+1, "config") ||
			foldedAt(sql, j-8, "advisory") && foldedAt(sql, j+1, "lock") {
			return true
		}
		i = j + 1
	}
}

func indexByteFrom(s string, b byte, from int) int {
	if k := strings.IndexByte(s[from:], b); k >= 0 {
		return from + k
	}
	return -1
}

// foldedAt reports whether s holds word at i, ASCII case folded.
func foldedAt(s string, i int, word string) bool {
	if i < 0 || i+len(word) > len(s) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if s[i+k]|0x20 != word[k] {
			return false
		}
	}
	return true
}
