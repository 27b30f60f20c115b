package pg

import (
	"strconv"
	"strings"

	"github.com/wirepg/pg/pgproto"
)

// CommandTag is the server's summary of a completed command, such as
// "INSERT 0 1", "UPDATE 3" or "CREATE TABLE".
type CommandTag struct {
	s string
}

// String returns the tag as the server sent it.
func (t CommandTag) String() string { return t.s }

// RowsAffected is the row count at the end of the tag (INSERT, UPDATE,
// DELETE, SELECT, MERGE, COPY, FETCH, MOVE), or 0.
func (t CommandTag) RowsAffected() int64 {
	i := strings.LastIndexByte(t.s, ' ')
	if i < 0 {
		return 0
	}
	n, err := strconv.ParseInt(t.s[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// Command is the tag's first word(s) without counts: "INSERT", "CREATE TABLE".
func (t CommandTag) Command() string {
	s := t.s
	for {
		i := strings.LastIndexByte(s, ' ')
		if i < 0 {
			return s
		}
		if _, err := strconv.ParseInt(s[i+1:], 10, 64); err != nil {
			return s
		}
		s = s[:i]
	}
}

// Insert, Update, Delete and Select report the kind of command.
func (t CommandTag) Insert() bool { return strings.HasPrefix(t.s, "INSERT") }

// Update reports an UPDATE.
func (t CommandTag) Update() bool { return strings.HasPrefix(t.s, "UPDATE") }

// Delete reports a DELETE.
func (t CommandTag) Delete() bool { return strings.HasPrefix(t.s, "DELETE") }

// Select reports a SELECT.
func (t CommandTag) Select() bool { return strings.HasPrefix(t.s, "SELECT") }

func newCommandTag(b []byte) CommandTag {
	// Common tags avoid an allocation.
	switch string(b) {
	case "SELECT 1":
		return CommandTag{"SELECT 1"}
	case "INSERT 0 1":
		return CommandTag{"INSERT 0 1"}
	case "BEGIN":
		return CommandTag{"BEGIN"}
	case "COMMIT":
		return CommandTag{"COMMIT"}
	case "ROLLBACK":
		return CommandTag{"ROLLBACK"}
	case "SET":
		return CommandTag{"SET"}
	// The pool's session reset (pool_reset.go) reads these at every reuse.
	case "RESET":
		return CommandTag{"RESET"}
	case "CLOSE CURSOR ALL":
		return CommandTag{"CLOSE CURSOR ALL"}
	case "UNLISTEN":
		return CommandTag{"UNLISTEN"}
	}
	return CommandTag{string(b)}
}

// commandTag decodes a CommandComplete body; a malformed one breaks the
// connection, as any unreadable message does.
func (c *Conn) commandTag(body []byte) (CommandTag, error) {
	var cc pgproto.CommandComplete
	if err := cc.Decode(body); err != nil {
		return CommandTag{}, c.fail("read", err)
	}
	return newCommandTag(cc.CommandTag), nil
}
