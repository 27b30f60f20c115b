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

// logStart returns the start time of a call when a logger is registered,
// else the zero time (and costs no clock read).
func (c *Conn) logStart() time.Time {
	if !c.cb.hasLoggers.Load() {
		return time.Time{}
	}
	return time.Now()
}

// logQuery hands a finished call to the query loggers. start is the value
// logStart returned; a zero start (no logger when the call began) logs
// nothing.
func (c *Conn) logQuery(sql string, args []any, start time.Time, tag CommandTag, err error) {
	if start.IsZero() {
		return
	}
	loggers := snapshot(&c.cb, &c.cb.loggers)
	if len(loggers) == 0 {
		return
	}
	q := LoggedQuery{SQL: sql, Args: args, Start: start, Duration: time.Since(start), Tag: tag, Err: err, PID: c.pid}
	for _, f := range loggers {
		f(q)
	}
}
