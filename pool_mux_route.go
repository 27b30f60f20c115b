package pg

import "strings"

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
	w, rest := firstWord(sql)
	if _, ok := muxDedicated[strings.ToUpper(w)]; ok {
		return false
	}
	if strings.EqualFold(w, "CREATE") {
		return !createsTemp(rest)
	}
	return true
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
		w, rest = firstWord(rest)
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

// firstWord returns the first word of sql after white space, comments
// and opening parentheses, and what follows it.
func firstWord(sql string) (string, string) {
	i := 0
	for i < len(sql) {
		switch c := sql[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '(':
			i++
		case strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return "", ""
			}
			i += j + 1
		case strings.HasPrefix(sql[i:], "/*"):
			i = skipBlockComment(sql, i)
		default:
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			return sql[i:j], sql[j:]
		}
	}
	return "", ""
}

// skipBlockComment returns the index after the comment starting at i;
// PostgreSQL's block comments nest.
func skipBlockComment(sql string, i int) int {
	depth := 0
	for i < len(sql) {
		switch {
		case strings.HasPrefix(sql[i:], "/*"):
			depth++
			i += 2
		case strings.HasPrefix(sql[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
