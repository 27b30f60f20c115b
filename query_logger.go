package pg

import "time"

// LoggedQuery is what a query logger (AddQueryLogger) receives about one
// finished query, like asyncpg's LoggedQuery.
type LoggedQuery struct {
	// SQL is the statement text as the caller gave it (for COPY and
	// transaction control, the statement the driver sent).
	SQL string
	// Args are the caller's arguments; nil for the simple protocol. The
	// slice is the caller's own: do not modify it.
	Args []any
	// Start is when the call began and Duration how long it took, up to
	// its last row (for Query, until the Rows were closed or exhausted).
	Start    time.Time
	Duration time.Duration
	// Tag is the command tag of the (last) completed command; its
	// RowsAffected is the row count.
	Tag CommandTag
	// Err is the call's error, nil on success.
	Err error
	// PID is the server process of the connection.
	PID uint32
}

// logQuery hands a finished call to the query loggers (traceEnd calls
// it, for every call but a SendBatch, whose statements come one by one).
func (c *Conn) logQuery(q LoggedQuery) {
	if !c.cb.hasLoggers.Load() {
		return
	}
	for _, f := range snapshot(&c.cb, &c.cb.loggers) {
		f(q)
	}
}
