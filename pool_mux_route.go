package pg

import (
	"strings"

	"github.com/wirepg/pg/internal/sqlquote"
)

// muxRoutable says whether sql may share a multiplexed connection. Like
// PgBouncer's statement pooling, a shared connection can carry only
// statements that leave the session as they found it: each caller's
// statement runs between other callers' statements, so a transaction
// opened, a setting changed, a cursor declared or a channel listened to
// would reach strangers. The statements whose first keyword says they do
// that (see muxDedicated) go to an ordinary connection of the pool
// instead, where they behave exactly as without multiplexing (and the
// pool's reset undoes them at release). So does COPY, which a shared
// connection cannot interleave.
//
// What a keyword does not show — set_config(..., false), the session
// advisory-lock functions, a function that creates a temporary table —
// is the caller's to avoid, as under PgBouncer; a transaction left open
// all the same is caught (the connection is closed: errMuxTx).
func muxRoutable(sql string) bool {
	w, rest := sqlquote.FirstWord(sql)
	if len(w) > len("DEALLOCATE") { // the longest of muxDedicated
		return true
	}
	var up [len("DEALLOCATE")]byte
	for i := range len(w) {
		up[i] = asciiUpper(w[i])
	}
	if _, ok := muxDedicated[string(up[:len(w)])]; ok { // no allocation
		return false
	}
	if strings.EqualFold(w, "CREATE") {
		return !createsTemp(rest)
	}
	return true
}

func asciiUpper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// muxDedicated lists the first keywords of statements that change the
// session (or need the connection to themselves).
var muxDedicated = map[string]struct{}{
	"BEGIN": {}, "START": {}, "COMMIT": {}, "END": {}, "ROLLBACK": {}, "ABORT": {},
	"SAVEPOINT": {}, "RELEASE": {}, "PREPARE": {}, "EXECUTE": {}, "DEALLOCATE": {},
	"SET": {}, "RESET": {}, "DISCARD": {}, "LOAD": {},
	"LISTEN": {}, "UNLISTEN": {},
	"DECLARE": {}, "FETCH": {}, "MOVE": {}, "CLOSE": {},
	"LOCK": {}, "COPY": {},
}

// createsTemp says whether the rest of a CREATE makes a temporary object:
// CREATE [OR REPLACE] [GLOBAL | LOCAL] {TEMP | TEMPORARY} ...
func createsTemp(rest string) bool {
	for range 4 {
		var w string
		w, rest = sqlquote.FirstWord(rest)
		switch strings.ToUpper(w) {
		case "TEMP", "TEMPORARY":
			return true
		case "OR", "REPLACE", "GLOBAL", "LOCAL":
		default:
			return false
		}
	}
	return false
}
