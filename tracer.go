package pg

import (
	"context"
	"time"
)

// Tracer observes what connections and pools do, for logging, metrics and
// distributed tracing (see the pgslog and otelpg packages). It is a struct
// of optional hooks, as net/http/httptrace's ClientTrace is: a nil field
// is skipped, and a nil *Tracer costs nothing.
//
// Most events come in pairs. The start hook receives the caller's context
// and returns the context its end hook receives, so an adapter can start a
// span at the start (a child of the caller's span) and end it at the end;
// a start hook that has nothing to add returns ctx. A pair is only called
// when its start hook is set; the end hook of a pair may be nil.
//
// Hooks run on the goroutine making the call, while the call holds the
// connection (except CancelStart/CancelEnd for a cancel the context's end
// triggered: see there). They must not use the connection, and should be
// quick: they run on the query path. Data passed to them is valid only
// during the hook: Args is the caller's slice.
//
// Set it in Config.Tracer for one connection (every connection opened
// with that Config), or in PoolConfig.Tracer for a pool, its acquires and
// releases, and the connections it opens.
type Tracer struct {
	// ConnectStart and ConnectEnd bracket ConnectConfig: every host it
	// tries, the startup and authentication. The ctx is ConnectConfig's
	// (for a pool, the Acquire's or CreatePool's).
	ConnectStart func(ctx context.Context, d TraceConnectStart) context.Context
	ConnectEnd   func(ctx context.Context, d TraceConnectEnd)

	// QueryStart and QueryEnd bracket one statement: Exec, Query (up to
	// the end or Close of its Rows), the Fetch and QueryRow forms, Iter, a
	// Stmt's Exec and Query, opening a Cursor, transaction control, and
	// each statement of a SendBatch (with the batch's context). The query
	// logger (AddQueryLogger) is fed from the same two points.
	QueryStart func(ctx context.Context, c *Conn, d TraceQueryStart) context.Context
	QueryEnd   func(ctx context.Context, c *Conn, d TraceQueryEnd)

	// PrepareStart and PrepareEnd bracket Prepare and PrepareNamed (the
	// statement cache's own prepares show as CacheHit false on QueryEnd).
	PrepareStart func(ctx context.Context, c *Conn, d TracePrepareStart) context.Context
	PrepareEnd   func(ctx context.Context, c *Conn, d TracePrepareEnd)

	// BatchStart and BatchEnd bracket SendBatch (up to the Close of its
	// results) and ExecMany.
	BatchStart func(ctx context.Context, c *Conn, d TraceBatchStart) context.Context
	BatchEnd   func(ctx context.Context, c *Conn, d TraceBatchEnd)

	// CopyStart and CopyEnd bracket each COPY: CopyToTable,
	// CopyRecordsToTable, CopyFromTable and CopyFromQuery.
	CopyStart func(ctx context.Context, c *Conn, d TraceCopyStart) context.Context
	CopyEnd   func(ctx context.Context, c *Conn, d TraceCopyEnd)

	// CancelStart and CancelEnd bracket a CancelRequest. For
	// Conn.CancelRequest they run on its caller's goroutine with its ctx.
	// For the cancel sent because a call's context ended, they run on the
	// goroutine that sends it (the call's own goroutine is blocked reading
	// the server's reply) with the context of the call being cancelled,
	// which has ended.
	CancelStart func(ctx context.Context, c *Conn) context.Context
	CancelEnd   func(ctx context.Context, c *Conn, d TraceCancelEnd)

	// AcquireStart and AcquireEnd bracket Pool.Acquire and the acquire
	// inside the Pool's own query methods (PoolConfig.Tracer only).
	AcquireStart func(ctx context.Context, p *Pool) context.Context
	AcquireEnd   func(ctx context.Context, p *Pool, d TraceAcquireEnd)

	// Release reports a connection given back to the pool (PoolConfig.Tracer
	// only). Release takes no context, so neither does this hook; it runs
	// on the goroutine that released.
	Release func(p *Pool, c *Conn, d TraceRelease)
}

// TraceConnectStart describes a connection about to be opened.
type TraceConnectStart struct {
	// Hosts are the configured hosts, which ConnectConfig tries in this
	// order (shuffled with load_balance_hosts=random).
	Hosts []Host
	// Config is the configuration; do not modify it.
	Config *Config
}

// TraceConnectEnd describes the outcome of ConnectConfig.
type TraceConnectEnd struct {
	// Conn is the new connection; nil when Err is set.
	Conn *Conn
	// Host is the host that accepted (zero on failure) and HostIndex its
	// position in TraceConnectStart.Hosts, the configured order (-1 on
	// failure).
	Host      Host
	HostIndex int
	// TLSVersion is the negotiated TLS version (tls.VersionTLS13 ...), 0
	// when the session is not encrypted.
	TLSVersion uint16
	// AuthMethod is how the server authenticated the client: "" (it did
	// not ask), "password", "md5", "SCRAM-SHA-256" or "SCRAM-SHA-256-PLUS".
	AuthMethod string
	Duration   time.Duration
	// Err is the *ConnectError (or *ConfigError) ConnectConfig returned.
	Err error
}

// TraceQueryStart describes a statement about to run.
type TraceQueryStart struct {
	SQL string
	// Args are the caller's arguments (len(Args) is the argument count);
	// nil for the simple protocol. Do not modify or keep them.
	Args []any
}

// TraceQueryEnd describes a finished statement.
type TraceQueryEnd struct {
	SQL  string
	Args []any
	// CacheHit says the statement was prepared before the call began (in
	// the statement cache, or a Stmt), so no Parse round trip was made.
	// It is false for the simple protocol.
	CacheHit bool
	// Tag is the command tag (its RowsAffected is the row count); zero
	// when the statement failed or sent none.
	Tag      CommandTag
	Duration time.Duration
	Err      error
}

// TracePrepareStart describes a Prepare about to run.
type TracePrepareStart struct {
	// Name is the statement's name (for Prepare, the one it generated).
	Name string
	SQL  string
}

// TracePrepareEnd describes a finished Prepare.
type TracePrepareEnd struct {
	Name     string
	SQL      string
	Duration time.Duration
	Err      error
}

// TraceBatchStart describes a batch about to run.
type TraceBatchStart struct {
	// SQL is ExecMany's statement; empty for SendBatch, whose statements
	// come as QueryStart/QueryEnd pairs inside the batch.
	SQL string
	// Size is the number of statements (SendBatch) or argument rows
	// (ExecMany).
	Size int
}

// TraceBatchEnd describes a finished batch.
type TraceBatchEnd struct {
	SQL  string
	Size int
	// Tag is ExecMany's command tag with the row counts of every
	// execution added up (as ExecManyTag returns it); zero for SendBatch.
	Tag      CommandTag
	Duration time.Duration
	// Err is the batch's error (a *BatchError names the failed statement).
	Err error
}

// TraceCopyStart describes a COPY about to run.
type TraceCopyStart struct {
	// SQL is the COPY statement the driver sends.
	SQL string
	// Args are CopyFromQuery's arguments.
	Args []any
}

// TraceCopyEnd describes a finished COPY.
type TraceCopyEnd struct {
	SQL string
	// Rows is the number of rows copied, from the command tag.
	Rows     int64
	Tag      CommandTag
	Duration time.Duration
	Err      error
}

// TraceCancelEnd describes a finished CancelRequest.
type TraceCancelEnd struct {
	Duration time.Duration
	// Err is the failure to deliver the request; nil means the server
	// received it (not that the call stopped).
	Err error
}

// TraceAcquireEnd describes the outcome of an Acquire.
type TraceAcquireEnd struct {
	// Conn is the connection leased; nil when Err is set.
	Conn *Conn
	// Waited says the Acquire queued for a connection released by
	// another lease; Duration is the whole Acquire (with any connect, ping
	// and Setup hook).
	Waited   bool
	Duration time.Duration
	Err      error
}

// TraceRelease describes a connection given back to the pool.
type TraceRelease struct {
	// ResetSent says a session reset was sent (the default reset, or the
	// Reset hook ran); false when the lease ran nothing that needed one,
	// or the connection was closed instead (Closed).
	ResetSent bool
	// Closed says the connection left the pool instead of going back to
	// it (broken, MaxQueries, lifetime, reset failure, pool closing).
	Closed bool
	// Held is how long the connection was leased.
	Held time.Duration
}

// tlsVersion is the negotiated TLS version of a session, 0 without TLS.
func (s *connSecurity) tlsVersion() uint16 {
	if s.tlsConn == nil {
		return 0
	}
	return s.tlsConn.ConnectionState().Version
}
