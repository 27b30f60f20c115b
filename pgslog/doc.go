// Package pgslog logs what pg connections and pools do to a log/slog
// Logger: New returns a *pg.Tracer to put in Config.Tracer or
// PoolConfig.Tracer.
//
// Each kind of event (connect, query, prepare, batch, COPY, cancel,
// acquire, release) is logged once, when it ends, at its own level
// (Levels); a failed one at slog.LevelError, and a query, batch or COPY
// that took SlowQuery or longer at slog.LevelWarn. The logger's handler
// decides what is written: an event below its level costs one Enabled
// call and builds no record.
//
// Argument values are redacted by default: a record says how many
// arguments a statement had ("args" is "[3 redacted]"), not what they
// were, since they are often personal data or secrets. Set LogArgs to
// log them. The SQL text is always logged; keep values out of it by
// passing them as arguments.
//
// The model is pgx's tracelog; the hooks are pg.Tracer's, so the records
// carry the caller's context (a handler may take a trace ID from it).
package pgslog
