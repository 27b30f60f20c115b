package pg

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// Defaults. The statement cache's three are asyncpg's and are what
// DefaultConfig and ParseConfig set (a zero there switches the cache or
// its limit off); the others are what a zero field means.
const (
	DefaultPort                       = 5432
	DefaultStatementCacheSize         = 100
	DefaultMaxCachedStatementLifetime = 300 * time.Second
	DefaultMaxCacheableStatementSize  = 15 * 1024
	DefaultReadBufferSize             = 64 * 1024
	DefaultMaxMessageSize             = 1 << 30
	// DefaultCancelGrace is Config.CancelGrace's default: a call returns
	// at most this long after its context ends. A healthy server answers a
	// CancelRequest in a few milliseconds on a LAN (one TCP connection, a
	// signal to the backend, an ErrorResponse), and within a few round
	// trips of 100-200 ms across regions; a grace that runs out costs only
	// a new connection, while a long one holds every cancelled caller on a
	// silent network for that long.
	DefaultCancelGrace = time.Second
	// DefaultConnectTimeout bounds each host attempt when neither
	// Config.ConnectTimeout nor the context sets a bound, as asyncpg's
	// 60 s default does, so a server that accepts and never answers cannot
	// hang Connect forever.
	DefaultConnectTimeout = 60 * time.Second
)

// SSL modes, with libpq's meaning (see "SSL Mode Descriptions" in the
// PostgreSQL docs).
const (
	SSLModeDisable    = "disable"
	SSLModeAllow      = "allow"
	SSLModePrefer     = "prefer"
	SSLModeRequire    = "require"
	SSLModeVerifyCA   = "verify-ca"
	SSLModeVerifyFull = "verify-full"
)

// Host is one server address to try. Hosts are tried in order.
type Host struct {
	// Host is a host name, an IP address, or — when it starts with a slash or
	// @ — a unix socket directory (or abstract namespace), as in libpq.
	Host string
	// HostAddr, when set, is the numeric IP to dial instead of resolving Host;
	// Host is still used for TLS verification and passfile lookup.
	HostAddr string
	// Port is the TCP port, or the number in the unix socket file name
	// (.s.PGSQL.<port>). Zero means DefaultPort.
	Port uint16
}

// IsUnixSocket reports whether h names a unix socket directory.
func (h Host) IsUnixSocket() bool {
	return h.HostAddr == "" && len(h.Host) > 0 && (h.Host[0] == '/' || h.Host[0] == '@')
}

// Config says how to reach and authenticate to a server and how the
// connection behaves. Build one with ParseConfig, or start from
// DefaultConfig, or by hand. A Config must not be modified after it has
// been passed to Connect.
//
// Zero means none, in a DSN as in a struct literal: a zero count, size or
// duration switches its feature or limit off (StatementCacheSize 0 is no
// statement cache, CommandTimeout 0 no bound, MaxCacheableStatementSize 0
// no size limit). Fields that cannot be off (Port, ConnectTimeout,
// CancelGrace, ReadBufferSize, MaxMessageSize) read zero as their default,
// and empty strings mean libpq's default. Each field says which. A
// negative value means the same as zero. So a hand-built Config{Hosts,
// User} works but caches no statements; DefaultConfig and ParseConfig
// start from the defaults (a statement cache of 100).
type Config struct {
	// Hosts are tried in order until one accepts the connection and matches
	// TargetSessionAttrs. Empty means libpq's default: the unix socket
	// directory when one exists, else localhost.
	Hosts []Host

	User     string
	Password string // never printed by String
	Database string // empty means User

	// PasswordFunc, when set, supplies the password instead of Password and
	// the passfile: it is called, with the connection attempt's context and
	// host, each time a new connection's server asks for a password. Use it
	// for short-lived credentials (cloud IAM tokens) that must be fetched
	// fresh. An error fails the attempt on that host.
	PasswordFunc func(ctx context.Context, h Host) (string, error)

	// Passfile is the password file consulted when Password and
	// PasswordFunc are empty (libpq's ~/.pgpass format); empty means
	// $PGPASSFILE, else ~/.pgpass. It is read at connect time, for the host
	// being tried. A missing file is skipped; one that is not a plain file
	// (/dev/null) or that group or others can read is ignored with libpq's
	// warning (to OnNotice, else standard error). The matching is libpq's
	// (see internal/dsn.PasswordFromFile for where it differs from
	// github.com/jackc/pgpassfile).
	Passfile string

	// SSLMode is one of the SSLMode* constants; empty means "prefer", or
	// "verify-full" when SSLRootCert is "system". TLS is never used on unix
	// sockets, whatever the mode (as in libpq).
	SSLMode string
	// SSLCert and SSLKey are the client certificate (PEM, optionally
	// followed by intermediates) and its private key (PEM: PKCS#8, PKCS#1
	// or SEC 1, optionally encrypted). Empty means ~/.postgresql/postgresql.crt
	// and postgresql.key, used when the certificate file exists. The key
	// file must not be readable by group or others (0600, or 0640 when owned
	// by root), as libpq requires.
	SSLCert     string
	SSLKey      string
	SSLPassword string // decrypts an encrypted SSLKey; never printed
	// SSLRootCert is the file of CA certificates the server's certificate is
	// verified against, or "system" for the OS trust store. Empty means
	// ~/.postgresql/root.crt when it exists. With a root certificate, every
	// mode that uses TLS verifies the chain; verify-ca and verify-full
	// require one.
	SSLRootCert string
	// SSLCRL is a file of certificate revocation lists (PEM) checked when
	// the chain is verified; empty means ~/.postgresql/root.crl when it
	// exists. As with libpq (OpenSSL), every certificate in the chain must
	// then be covered by a current CRL from its issuer.
	SSLCRL                string
	SSLMinProtocolVersion string // "TLSv1", "TLSv1.1", "TLSv1.2" (default), "TLSv1.3"
	SSLMaxProtocolVersion string // empty means the highest Go supports
	// SSLNegotiation is "postgres" (default: SSLRequest first) or "direct"
	// (TLS handshake at once, with ALPN "postgresql"; PostgreSQL 17+, and
	// only with sslmode require, verify-ca or verify-full).
	SSLNegotiation string
	// TLSConfig, when set, is used as is for TLS instead of building one
	// from the SSL* fields (SSLMode still decides whether TLS is used).
	TLSConfig *tls.Config

	ChannelBinding string // "disable", "prefer" (default) or "require"
	RequireAuth    string // libpq's require_auth list, e.g. "scram-sha-256" or "!password"

	// ConnectTimeout bounds each host attempt (DSN connect_timeout, whole
	// seconds). Zero means the context's deadline when it has one, else
	// DefaultConnectTimeout (60 s), so that a server that accepts the
	// connection and never answers cannot hang Connect forever.
	ConnectTimeout     time.Duration
	ApplicationName    string
	Options            string // command-line options sent to the server ("-c geqo=off")
	TargetSessionAttrs string // any (default), read-write, read-only, primary, standby, prefer-standby
	// LoadBalanceHosts is libpq 16's load_balance_hosts: "disable" (the
	// default; empty means it) tries Hosts in order, "random" tries them
	// in an order shuffled for each connection, so that the connections
	// of a pool spread over the hosts that match TargetSessionAttrs.
	// Unlike libpq, the several addresses one host name resolves to are
	// not shuffled: they are dialled in the resolver's order.
	LoadBalanceHosts string

	// TCP keepalives and the user timeout, libpq's keys of the same names,
	// let a connection notice a peer that vanished without closing it (a
	// crashed host, a cut network path) while a query waits, instead of
	// waiting for the kernel's retransmissions to give up after about 15
	// minutes. They apply to TCP connections only, and are set on the
	// socket right after it is dialled (also on a DialFunc's *net.TCPConn;
	// another net.Conn is left as it is).
	//
	// DisableKeepalives turns keepalive probes off (DSN keepalives=0).
	// KeepalivesIdle is the idle time before the first probe
	// (keepalives_idle, whole seconds), KeepalivesInterval the time
	// between probes (keepalives_interval, whole seconds) and
	// KeepalivesCount how many unanswered probes drop the connection
	// (keepalives_count). Zero leaves each at the value Go's dialer sets
	// (15 s, 15 s and 9 probes), not the operating system's 2-hour idle
	// time that libpq's 0 means. A DialFunc's own settings are kept where
	// these are zero.
	DisableKeepalives  bool
	KeepalivesIdle     time.Duration
	KeepalivesInterval time.Duration
	KeepalivesCount    int
	// TCPUserTimeout bounds how long data sent may stay unacknowledged
	// before the kernel drops the connection (TCP_USER_TIMEOUT; DSN
	// tcp_user_timeout, in milliseconds). It covers what keepalives do
	// not: a peer that vanished while a request was in flight. Zero
	// leaves the system default (none). Linux only: elsewhere it is
	// ignored, as libpq ignores it where the option does not exist.
	TCPUserTimeout time.Duration

	// StatementCacheSize is how many prepared statements the LRU cache
	// keeps (DefaultStatementCacheSize in DefaultConfig and ParseConfig).
	// Zero disables the cache, so every query is described first and then
	// parsed again as the unnamed statement in the same unit (Parse, Bind,
	// Describe, Execute, Sync) that runs it: two round trips, but nothing
	// depends on an earlier Sync, which is what a pooler in transaction
	// mode (PgBouncer's pool_mode=transaction) needs. DSN key:
	// statement_cache_size (asyncpg's name; 0 disables there too).
	//
	// Cached statements are named for their SQL (pgs_ and 128 bits of its
	// SHA-256; Prepare's are pgp_, the hash and a sequence number), so that
	// behind a pooler a name means the same statement on every server
	// connection: the worst a pooler can cause is an error, never another
	// statement's result.
	StatementCacheSize int
	// MaxCachedStatementLifetime evicts cached statements this long after
	// they were prepared (DefaultMaxCachedStatementLifetime in
	// DefaultConfig). Zero means forever. DSN key:
	// max_cached_statement_lifetime, in seconds.
	MaxCachedStatementLifetime time.Duration
	// MaxCacheableStatementSize is the longest SQL text (bytes) that is
	// cached (DefaultMaxCacheableStatementSize in DefaultConfig). Zero
	// means no limit. DSN key: max_cacheable_statement_size.
	MaxCacheableStatementSize int

	// CommandTimeout bounds every call whose ctx has no deadline; zero means
	// no bound. DSN key: command_timeout, in seconds (asyncpg's name).
	CommandTimeout time.Duration
	// CancelGrace bounds how long a call runs on after its context ends
	// (its deadline passes, or it is cancelled). The driver then sends a
	// CancelRequest on a separate connection and waits up to CancelGrace,
	// from the moment the context ended, for the server's answer: when it
	// comes in time the call returns the server's 57014 error wrapped in
	// the context's (errors.Is(err, context.DeadlineExceeded) or
	// context.Canceled holds, and errors.As finds the *PgError), and the
	// connection stays usable. When it does not — the link went silent,
	// the server is overloaded, the cancel connection itself hangs — the
	// connection is closed and the call returns the context's error
	// wrapped in a *ConnError. The cancel connection is bounded by the same
	// grace; should the server not confirm the cancel within it (by
	// closing that connection), the connection is closed once the call
	// ends even if the call itself completed, since the cancel could still
	// arrive and stop a later call. Zero means DefaultCancelGrace (1 s); negative is an error. The
	// DSN key is cancel_grace, in seconds (fractions allowed; 0 means the
	// default).
	CancelGrace time.Duration

	// RuntimeParams are sent in the startup packet as server settings
	// (e.g. "search_path", "TimeZone").
	RuntimeParams map[string]string

	// ReadBufferSize is the initial read buffer; zero means DefaultReadBufferSize.
	ReadBufferSize int
	// MaxMessageSize bounds a single server message; zero means DefaultMaxMessageSize.
	MaxMessageSize int

	// DialFunc, when set, replaces net.Dialer.DialContext.
	DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

	// OnNotice receives notices (RAISE NOTICE, warnings) from the server.
	OnNotice func(*Notice)
	// OnNotification receives LISTEN/NOTIFY notifications that arrive on
	// channels without a Listen callback.
	OnNotification func(Notification)

	// Tracer, when set, observes the connection: its connect, queries,
	// prepares, batches, COPYs and cancels (see Tracer). Nil costs
	// nothing.
	Tracer *Tracer
}

// DefaultConfig returns a Config with every default set: asyncpg's
// statement cache (100 statements, 300 s, SQL up to 15 KiB) and no host,
// which means libpq's default host. ParseConfig starts from the same.
func DefaultConfig() *Config {
	return &Config{
		StatementCacheSize:         DefaultStatementCacheSize,
		MaxCachedStatementLifetime: DefaultMaxCachedStatementLifetime,
		MaxCacheableStatementSize:  DefaultMaxCacheableStatementSize,
	}
}

func (c *Config) statementCacheSize() int {
	return max(c.StatementCacheSize, 0)
}

func (c *Config) maxCachedStatementLifetime() time.Duration {
	return max(c.MaxCachedStatementLifetime, 0)
}

func (c *Config) maxCacheableStatementSize() int {
	if c.MaxCacheableStatementSize <= 0 {
		return int(^uint(0) >> 1)
	}
	return c.MaxCacheableStatementSize
}

func (c *Config) cancelGrace() time.Duration {
	if c.CancelGrace <= 0 {
		return DefaultCancelGrace
	}
	return c.CancelGrace
}

func (c *Config) readBufferSize() int {
	if c.ReadBufferSize <= 0 {
		return DefaultReadBufferSize
	}
	return c.ReadBufferSize
}

func (c *Config) maxMessageSize() int {
	if c.MaxMessageSize <= 0 {
		return DefaultMaxMessageSize
	}
	return c.MaxMessageSize
}

// Copy returns a copy of c that shares nothing mutable with it.
func (c *Config) Copy() *Config {
	n := *c
	n.Hosts = append([]Host(nil), c.Hosts...)
	if c.RuntimeParams != nil {
		n.RuntimeParams = make(map[string]string, len(c.RuntimeParams))
		for k, v := range c.RuntimeParams {
			n.RuntimeParams[k] = v
		}
	}
	if c.TLSConfig != nil {
		n.TLSConfig = c.TLSConfig.Clone()
	}
	return &n
}
