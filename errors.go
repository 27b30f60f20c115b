package pg

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/sqlstate"
)

// PgError is an error reported by the server (an ErrorResponse). Every field
// of the message is kept; Code is the SQLSTATE (see package sqlstate for
// named constants). Test for it with errors.As.
type PgError struct {
	Severity         string // localized: ERROR, FATAL, PANIC
	SeverityUnlocal  string // never localized (9.6+)
	Code             string // SQLSTATE, e.g. "23505"
	Message          string
	Detail           string
	Hint             string
	Position         int32 // 1-based character index into Query, 0 if none
	InternalPosition int32
	InternalQuery    string
	Where            string
	Schema           string
	Table            string
	Column           string
	DataType         string
	Constraint       string
	File             string
	Line             int32
	Routine          string
	// Query is the SQL the error refers to, when the driver knows it; it is
	// used to point at Position.
	Query string
}

// Error renders the message, SQLSTATE, detail, hint and, when the server
// gave a position, the offending line of SQL with a caret under it.
func (e *PgError) Error() string {
	var b strings.Builder
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	fmt.Fprintf(&b, "%s: %s (SQLSTATE %s)", sev, e.Message, e.Code)
	if e.Detail != "" {
		b.WriteString("\nDETAIL: " + e.Detail)
	}
	if e.Hint != "" {
		b.WriteString("\nHINT: " + e.Hint)
	}
	if e.Position > 0 && e.Query != "" {
		writeCaret(&b, e.Query, int(e.Position))
	}
	return b.String()
}

// writeCaret shows the line of query holding the 1-based character position
// pos, with a caret under that character, the way psql does.
func writeCaret(b *strings.Builder, query string, pos int) {
	runes := []rune(query)
	if pos < 1 || pos > len(runes)+1 {
		return
	}
	lineNo, lineStart := 1, 0
	for i := 0; i < pos-1; i++ {
		if runes[i] == '\n' {
			lineNo++
			lineStart = i + 1
		}
	}
	lineEnd := len(runes)
	for i := lineStart; i < len(runes); i++ {
		if runes[i] == '\n' {
			lineEnd = i
			break
		}
	}
	prefix := fmt.Sprintf("LINE %d: ", lineNo)
	line := strings.ReplaceAll(string(runes[lineStart:lineEnd]), "\t", " ")
	fmt.Fprintf(b, "\n%s%s\n%s^", prefix, line, strings.Repeat(" ", len(prefix)+pos-1-lineStart))
}

// SQLState returns the SQLSTATE code.
func (e *PgError) SQLState() string { return e.Code }

// ConditionName is the SQLSTATE's condition name ("unique_violation"),
// falling back to the class's name for codes PostgreSQL added later.
func (e *PgError) ConditionName() string { return sqlstate.Name(e.Code) }

// Class is the two-character SQLSTATE class ("23" for integrity constraint
// violations).
func (e *PgError) Class() string { return sqlstate.Class(e.Code) }

// Notice is a NoticeResponse: a warning or informational message from the
// server (RAISE NOTICE, deprecation warnings). It has PgError's fields.
type Notice PgError

// Error-free rendering of a notice: "NOTICE: message".
func (n *Notice) String() string {
	return fmt.Sprintf("%s: %s", n.Severity, n.Message)
}

// ErrNoRows is returned by FetchRow, QueryRow().Scan and FetchVal when the
// query returned no rows. errors.Is(err, sql.ErrNoRows) is also true.
var ErrNoRows error = noRowsError{}

type noRowsError struct{}

func (noRowsError) Error() string        { return "pg: no rows in result set" }
func (noRowsError) Is(target error) bool { return target == sql.ErrNoRows }

var (
	// ErrConnBusy is returned when a Conn is used by a second goroutine
	// while a call (or an open Rows) is still in progress. A Conn is not
	// safe for concurrent use; use a Pool.
	ErrConnBusy = errors.New("pg: conn busy: another call or an unclosed Rows is using this connection (a Conn is not safe for concurrent use; use a Pool, or close the Rows first)")
	// ErrConnClosed is returned by calls on a closed connection.
	ErrConnClosed = errors.New("pg: connection is closed")
)

// ArgumentError reports a query argument that cannot be sent.
type ArgumentError struct {
	Index int // 1-based, as in $1
	Err   error
}

func (e *ArgumentError) Error() string {
	return fmt.Sprintf("pg: argument $%d: %v", e.Index, e.Err)
}

func (e *ArgumentError) Unwrap() error { return e.Err }

// ArgumentCountError reports a call whose argument count does not match the
// statement's parameters. Nothing was executed.
type ArgumentCountError struct {
	Want, Got int
	// Max, when set, is the protocol's limit that Got (or, when Got is -1,
	// Want, the statement's own count) exceeds.
	Max int
}

func (e *ArgumentCountError) Error() string {
	if e.Max > 0 && e.Got < 0 {
		return fmt.Sprintf("pg: the statement has %d parameters, but the protocol carries at most %d per statement", e.Want, e.Max)
	}
	if e.Max > 0 {
		return fmt.Sprintf("pg: %d arguments were given, but the protocol carries at most %d parameters per statement; pass them as an array parameter or use COPY", e.Got, e.Max)
	}
	return fmt.Sprintf("pg: the statement has %d parameter(s) but %d argument(s) were given", e.Want, e.Got)
}

// checkArgCount refuses, before anything is sent, more arguments than a
// Bind's 16-bit count carries. The server would accept the Parse, and its
// ParameterDescription's count would wrap.
func checkArgCount(n int) error {
	if n > math.MaxUint16 {
		return &ArgumentCountError{Got: n, Max: math.MaxUint16}
	}
	return nil
}

// ConnError reports a failure of the connection itself: the network, a
// protocol violation by the server, a timeout. The Conn is closed afterwards.
type ConnError struct {
	Op  string // what was being done: "read", "write", "connect" ...
	Err error

	// unsent: not one byte of the failed call's request reached the
	// network (SafeToRetry).
	unsent bool
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("pg: connection %s failed: %v", e.Op, e.Err)
}

func (e *ConnError) Unwrap() error { return e.Err }

// ScanError reports a column that could not be scanned into its
// destination: Column (0-based), Name and the cause in Err. Rows.Scan and
// Record.Scan both return it (it is defined in package codec, with Record).
type ScanError = codec.ScanError

var errValueTooLarge = errors.New("value larger than the protocol's 1 GiB limit")

var errNoColumns = errors.New("the query returned no columns")
