package pg

import (
	"bytes"
	"strings"
)

// Session-state tracking for the pool's ResetTracked mode: the connection
// notes which of the state the default reset undoes (settings, role,
// session advisory locks, cursors WITH HOLD, LISTEN) anything it ran may
// have changed, so that a lease which changed nothing skips the reset and
// one that changed some of it gets only the statements that undo that
// (UNLISTEN * after a LISTEN). What it sees:
//
//   - the command tag of every statement the server completes (a
//     simple-protocol script reports one per statement): plain DML,
//     queries and transaction control change nothing, SET, RESET, LISTEN
//     and DECLARE CURSOR what they name, any other tag (DO, CALL, CREATE
//     ...) everything;
//   - the SQL text of each statement run, for the functions that change
//     the session from inside a query whose tag says only SELECT:
//     set_config and the session-level advisory locks (pg_advisory_lock,
//     pg_try_advisory_lock and their _shared forms; the _xact_ ones end
//     with the transaction). The scan runs once per cached statement;
//   - ParameterStatus messages: the server reports every change of a
//     GUC_REPORT setting (TimeZone, DateStyle, application_name,
//     session_authorization ...), even one made inside a function;
//   - a PREPARE, after which every lease needs the whole reset for the
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
	// changed: the parts of the default reset that have something to
	// undo, by what ran since the session's last reset (or its start).
	changed resetParts
	// prepared: a SQL-level PREPARE ran on the session (see above).
	prepared bool
	// paused: the replies being read are a deferred reset's, whose tags
	// and ParameterStatus messages are the reset at work, not a change.
	paused bool
}

// resetParts is a set of the default reset's statements (pool_reset.go),
// named by the state each undoes.
type resetParts uint8

const (
	// resetRole: RESET SESSION AUTHORIZATION and RESET ROLE.
	resetRole resetParts = 1 << iota
	// resetSettings: RESET ALL.
	resetSettings
	// resetLocks: SELECT pg_advisory_unlock_all().
	resetLocks
	// resetCursors: CLOSE ALL.
	resetCursors
	// resetListen: UNLISTEN *.
	resetListen

	resetEverything = resetRole | resetSettings | resetLocks | resetCursors | resetListen
	// resetSet is what a SET or RESET may change: its tag does not say
	// which setting, and ROLE and SESSION AUTHORIZATION are settings too
	// (so is role for set_config).
	resetSet = resetRole | resetSettings
)

// trackSession starts the tracking; the session counts as clean (it is
// new, or has just been reset).
func (c *Conn) trackSession() { c.track = sessionTrack{on: true} }

// sessionResetQueued notes that the default reset goes out for this
// session: it is clean again, except for a PREPARE, which the reset keeps.
func (c *Conn) sessionResetQueued() { c.track.changed = 0 }

// sessionChanges returns the parts of the default reset the session
// needs, as far as the connection saw: none when nothing it ran changed
// what the reset undoes. What ResetTracked asks at Release.
func (c *Conn) sessionChanges() resetParts {
	if c.track.prepared {
		return resetEverything
	}
	return c.track.changed
}

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
	if c.track.changed != resetEverything {
		c.track.changed |= tagChanges(tag)
	}
}

// noteParameterStatus notes a setting the server reports changed.
func (c *Conn) noteParameterStatus() {
	// One reported while idle (the watcher reads it) is no lease's
	// doing, and the pool may be reading the flags.
	if c.track.on && !c.track.paused && !c.idle.on.Load() {
		c.track.changed |= resetSet
	}
}

// noteSimpleQuery scans the text of a simple-protocol query about to run.
func (c *Conn) noteSimpleQuery(sql string) {
	c.track.changed |= sessionFuncs(sql)
}

// noteBind notes the statement a Bind is about to run; its text is
// scanned once, the first time a tracked session binds it.
func (c *Conn) noteBind(sd *stmtDesc) {
	if sd.sessionFuncs&stmtScanned == 0 {
		sd.sessionFuncs = stmtScanned | sessionFuncs(sd.sql)
	}
	c.track.changed |= sd.sessionFuncs &^ stmtScanned
}

// stmtScanned marks a stmtDesc's sessionFuncs as computed.
const stmtScanned resetParts = 1 << 7

// drainDeferred reads the replies of a deferred reset (requestSent): its
// own tags and setting reports are not a change to the session.
func (c *Conn) drainDeferred() error {
	c.track.paused = true
	err := c.drain("")
	c.track.paused = false
	return err
}

// tagChanges returns what a statement with this tag may have changed:
// nothing for plain DML, queries and transaction control (a function it
// calls may: see sessionFuncs), the settings and role for SET and RESET
// (a SET LOCAL counts too, conservatively: the tag is the same), the
// channels for LISTEN, the cursors for DECLARE, and everything for any
// other tag (DO, CALL, CREATE, COPY, whose query or triggers may call
// anything, ...).
func tagChanges(tag []byte) resetParts {
	s := string(tag)
	if i := bytes.IndexByte(tag, ' '); i >= 0 {
		switch s[:i] {
		case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "FETCH", "MOVE":
			return 0 // all carry a count
		}
	}
	switch s {
	case "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW", "SET CONSTRAINTS":
		return 0
	case "SET", "RESET":
		return resetSet
	case "LISTEN":
		return resetListen
	case "DECLARE CURSOR":
		return resetCursors
	}
	return resetEverything
}

// sessionFuncs returns what the functions sql names may change in the
// session from inside a query: the settings and role for set_config, the
// advisory locks for a session-level lock function (pg_advisory_lock,
// pg_advisory_lock_shared, pg_try_advisory_lock,
// pg_try_advisory_lock_shared). It looks at each underscore, so plain SQL
// costs a byte search; a match inside a string or a comment counts too,
// which only costs a reset. Unquoted names fold to lower case; a quoted
// one that is not already lower case names another function.
func sessionFuncs(sql string) resetParts {
	var parts resetParts
	for i := 0; ; {
		j := indexByteFrom(sql, '_', i)
		if j < 0 {
			return parts
		}
		switch {
		case foldedAt(sql, j-3, "set") && foldedAt(sql, j+1, "config"):
			parts |= resetSet
		case foldedAt(sql, j-8, "advisory") && foldedAt(sql, j+1, "lock"):
			parts |= resetLocks
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
