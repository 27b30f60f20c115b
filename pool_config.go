package pg

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// asyncpg's create_pool defaults, which DefaultPoolConfig returns.
// DefaultPoolMaxSize is also what a zero MaxSize means.
const (
	DefaultPoolMinSize                 = 10
	DefaultPoolMaxSize                 = 10
	DefaultPoolMaxQueries              = 50000
	DefaultPoolMaxInactiveConnLifetime = 5 * time.Minute
)

// DefaultPoolConfig returns asyncpg's default pool: 10 connections opened
// up front, each replaced after 50,000 queries and closed after 5 minutes
// unused. Start from it and change what you need:
//
//	pc := pg.DefaultPoolConfig()
//	pc.MaxSize = 20
func DefaultPoolConfig() PoolConfig {
	return PoolConfig{
		MinSize:                 DefaultPoolMinSize,
		MaxSize:                 DefaultPoolMaxSize,
		MaxQueries:              DefaultPoolMaxQueries,
		MaxInactiveConnLifetime: DefaultPoolMaxInactiveConnLifetime,
	}
}

// PoolConfig says how a Pool sizes, recycles and prepares its connections.
//
// Zero means none, as in a Config: a zero count or duration switches its
// feature off (MinSize 0 opens no connection up front, MaxQueries 0 is no
// limit, MaxInactiveConnLifetime 0 never closes an idle connection). Only
// MaxSize, which cannot be zero, reads zero as its default. So the zero
// PoolConfig is a lazy pool of up to 10 connections that are never
// recycled; DefaultPoolConfig is asyncpg's pool. A negative value means
// the same as zero (it used to be the way to switch a feature off).
type PoolConfig struct {
	// MinSize connections are opened (concurrently) by CreatePool before it
	// returns. Zero means none. Connections closed later for inactivity
	// are not reopened until they are needed. asyncpg: min_size
	// (DefaultPoolMinSize).
	MinSize int
	// MaxSize bounds the connections open at once, counting those being
	// opened. Zero means DefaultPoolMaxSize. Acquire waits, in arrival
	// order, while all are in use. asyncpg: max_size.
	MaxSize int
	// MaxQueries: a connection that has served this many queries is closed
	// at Release and replaced. Every call that runs on the connection
	// counts once (a query, a statement in a transaction, a batch, an
	// ExecMany, a COPY, the hooks' queries), however it was made: through
	// the Pool, the PoolConn, a Tx, a Stmt or PoolConn.Conn. The pool's
	// own session reset does not. Zero means no limit. asyncpg:
	// max_queries (DefaultPoolMaxQueries).
	MaxQueries int
	// MaxInactiveConnLifetime closes a connection that has sat idle in the
	// pool this long; its slot reconnects on demand. Zero means never.
	// asyncpg: max_inactive_connection_lifetime
	// (DefaultPoolMaxInactiveConnLifetime).
	MaxInactiveConnLifetime time.Duration
	// MaxConnLifetime replaces a connection this long after it was opened:
	// at Release when it is in use, at Acquire when it is idle. Each
	// connection's limit is MaxConnLifetime plus a random part of
	// MaxConnLifetimeJitter, so that connections opened together are not
	// all replaced together. Zero means no limit.
	MaxConnLifetime time.Duration
	// MaxConnLifetimeJitter: see MaxConnLifetime.
	MaxConnLifetimeJitter time.Duration

	// MultiplexConns, when positive, opens that many multiplexed
	// connections, outside MaxSize, when the pool is created (a failure
	// fails CreatePool). They carry the Pool's own one-statement calls —
	// Exec with arguments, Query, QueryRow, Fetch, FetchRow, and FetchVal
	// or CollectRows given the Pool — for many goroutines at once: each
	// call's request joins the connection with the fewest outstanding,
	// whose writer sends everything queued since its last write in one
	// write, each request with its own Sync, so one request's error is its
	// own and the connection stays. Zero means off.
	//
	// The rules are PgBouncer's statement pooling. A statement that would
	// change the session (its first keyword is BEGIN, START, COMMIT,
	// ROLLBACK, SAVEPOINT, SET, RESET, LISTEN, UNLISTEN, DECLARE, PREPARE,
	// DISCARD, LOCK, COPY ..., or CREATE TEMP), Exec without arguments
	// (a script), Acquire, Begin, Iter, the COPY methods and Listen use
	// the ordinary connections as before. Session state a keyword does
	// not show — set_config(..., false), session advisory locks — would
	// reach other callers: do not. A transaction left open all the same
	// closes the multiplexed connection.
	//
	// A call whose context ends returns at once: a request not yet
	// written is dropped (it never runs); one written runs to its end on
	// the server, since a CancelRequest would hit its neighbours
	// (statement_timeout bounds it), and its reply is discarded. The
	// error is a *ConnError wrapping the context's error. A broken
	// connection fails every call on it with a *ConnError (SafeToRetry
	// for those never written, which the Pool retries once) and connects
	// again. A Query's rows are all in memory before Rows is returned:
	// use Acquire or Iter for large results. A slow statement delays up
	// to 128 requests queued behind it on its connection.
	//
	// Known limit: the sessions share each statement on a connection but
	// keep descriptions of their own, so a schema change that alters a
	// cached statement's result types (ALTER COLUMN ... TYPE, a view
	// redefined) while calls run can leave a session decoding the new
	// rows with the old types: usually a decode error, a wrong value
	// when both types have the same binary width (int4 and float4).
	// Make such changes with the multiplexed pool closed, or recreate it.
	//
	// Connect and Init run on the multiplexed connections; Setup, Reset,
	// MaxQueries, the lifetimes and ExpireConnections do not apply to
	// them (they are replaced only when they break), and Stats counts
	// them only in Created. The Tracer sees each call (as a query, with a
	// Conn of the pool's own standing for the session; no acquire or
	// release).
	MultiplexConns int

	// Connect, when set, replaces ConnectConfig for opening connections;
	// cfg is the pool's current connect configuration (see
	// SetConnectArgs), not to be modified.
	Connect func(ctx context.Context, cfg *Config) (*Conn, error)
	// Init runs once on each new connection before it is first used, with
	// the context of the Acquire (or CreatePool) that opened it. A failure
	// closes the connection and fails that Acquire. The callbacks it adds
	// (OnNotice, OnTerminate, AddQueryLogger) belong to the connection and
	// serve every lease; those added during a lease are removed at its
	// Release. Session settings it makes last until the first Release,
	// whose reset undoes them, and so do its Listen channels (UNLISTEN *):
	// pool-wide settings belong in Config.RuntimeParams, notifications in
	// Config.OnNotification.
	Init func(ctx context.Context, c *Conn) error
	// Setup runs each time Acquire hands a connection out, with Acquire's
	// context. A failure releases the connection and fails the Acquire.
	Setup func(ctx context.Context, c *Conn) error
	// Reset runs at each Release, with a context bounded by 30 seconds,
	// in place of the default reset (see Pool). It costs a round trip per
	// Release where the default reset costs none. An open transaction is
	// rolled back before it runs, and the Go-side callbacks are removed
	// either way. A failure closes the connection instead of returning it
	// to the pool.
	Reset func(ctx context.Context, c *Conn) error
	// ResetMode says when the default reset runs, and so which guarantee
	// the pool gives; ResetAlways, the zero value, is asyncpg's. See
	// ResetMode's values. A Reset hook, when set, runs at every Release
	// whatever the mode.
	ResetMode ResetMode

	// Logger receives the pool's warnings (a connection released inside a
	// transaction or with unclosed Rows). Nil means slog.Default().
	Logger *slog.Logger

	// Tracer, when set, observes the pool's acquires and releases, and the
	// connections it opens when their Config has no Tracer of its own (see
	// Tracer). Nil costs nothing.
	Tracer *Tracer
}

// poolLimits is a PoolConfig with its defaults applied; zero means off.
type poolLimits struct {
	minSize, maxSize int
	maxQueries       uint64
	maxInactive      time.Duration
	maxLifetime      time.Duration
	lifetimeJitter   time.Duration
}

// limits validates pc and applies its defaults.
func (pc *PoolConfig) limits() (poolLimits, error) {
	var l poolLimits
	switch {
	case pc.MaxSize < 0:
		return l, fmt.Errorf("pg: PoolConfig.MaxSize is %d; it must be positive (zero means %d)", pc.MaxSize, DefaultPoolMaxSize)
	case pc.MaxSize == 0:
		l.maxSize = DefaultPoolMaxSize
	default:
		l.maxSize = pc.MaxSize
	}
	switch {
	case pc.MinSize > l.maxSize:
		return l, fmt.Errorf("pg: PoolConfig.MinSize (%d) is larger than MaxSize (%d); lower MinSize or raise MaxSize", pc.MinSize, l.maxSize)
	case pc.MinSize > 0:
		l.minSize = pc.MinSize
	}
	if pc.MaxQueries > 0 {
		l.maxQueries = uint64(pc.MaxQueries)
	}
	if pc.MaxInactiveConnLifetime > 0 {
		l.maxInactive = pc.MaxInactiveConnLifetime
	}
	if pc.MaxConnLifetime < 0 {
		return l, fmt.Errorf("pg: PoolConfig.MaxConnLifetime is %v; it must not be negative (zero means no limit)", pc.MaxConnLifetime)
	}
	if pc.MaxConnLifetimeJitter < 0 {
		return l, fmt.Errorf("pg: PoolConfig.MaxConnLifetimeJitter is %v; it must not be negative", pc.MaxConnLifetimeJitter)
	}
	if pc.MaxConnLifetimeJitter > 0 && pc.MaxConnLifetime == 0 {
		return l, fmt.Errorf("pg: PoolConfig.MaxConnLifetimeJitter is set without MaxConnLifetime; set MaxConnLifetime too")
	}
	if pc.ResetMode < ResetAlways || pc.ResetMode > ResetNever {
		return l, fmt.Errorf("pg: PoolConfig.ResetMode is %d; use ResetAlways, ResetTracked or ResetNever", pc.ResetMode)
	}
	l.maxLifetime = pc.MaxConnLifetime
	l.lifetimeJitter = pc.MaxConnLifetimeJitter
	return l, nil
}
