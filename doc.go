// Package pg is a native PostgreSQL driver: the feature set of Python's
// asyncpg (binary codecs for every type, a prepared-statement cache, a
// pool with setup/init/reset hooks, transactions, COPY, cursors,
// LISTEN/NOTIFY) in Go's shape: context first, errors.As, and a
// database/sql adapter in package stdlib.
//
// # Connecting
//
//	conn, err := pg.Connect(ctx, "postgres://user:pw@localhost:5432/db")
//	defer conn.Close(ctx)
//
// Connection strings have libpq's meaning (URI or key=value, PG*
// environment variables, passfile and service file); see ParseConfig. A
// hand-built Config works too: every zero field means its default.
//
// # Running queries
//
// Exec without arguments uses the simple protocol and may run a script of
// several statements. Everything else — Exec with arguments, Query, Fetch,
// FetchRow, QueryRow, FetchVal — uses the extended protocol: parameters
// and results travel in the binary format, and the statement is prepared
// once and kept in a per-connection LRU cache, so a repeated query costs a
// single round trip (Bind/Execute/Sync) and no Describe. When the server
// says a cached statement went stale (its result type changed, or it was
// deallocated) the entry is dropped and, outside a transaction, the call
// is retried once.
//
// Rows streams: a Rows holds the connection until it is closed or read to
// the end. The bytes behind a row are reused for the next one; Scan copies
// what it keeps.
//
// # Concurrency and cancellation
//
// A Conn serves one goroutine at a time; a second concurrent call fails at
// once with ErrConnBusy instead of corrupting the stream. Every call takes
// a context: when it is cancelled mid-query, the driver sends a
// CancelRequest on a separate connection, reads the server's reply up to
// ReadyForQuery and returns an error matching both the context's error and
// the server's *PgError (SQLSTATE 57014); the connection stays usable.
// If the server does not answer within Config.CancelGrace (1 s by default,
// DSN key cancel_grace) of the context's end, the connection is closed
// instead and the call returns the context's error: a deadline bounds
// every call, even on a link gone silent. Close, called while another
// goroutine's call runs, cancels that call the same way before it ends
// the session. Connect is bounded by the context's deadline, else by
// connect_timeout, else by DefaultConnectTimeout (60 s).
//
// # Errors
//
// Server errors are *PgError with every field of the ErrorResponse;
// package sqlstate names the codes. Client-side failures have their own
// types: *ArgumentError, *ArgumentCountError, *ScanError, *ConnError (the
// connection broke and is closed), *ConnectError (every host failed).
package pg
