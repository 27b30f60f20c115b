package pg

import (
	"os"
	"time"

	"github.com/wirepg/pg/internal/dsn"
)

// ParseConfig parses a connection string with libpq's meaning: a URI
// (postgres://user:pw@host1:5432,host2/db?sslmode=require&opt=val) or
// key=value pairs (host=h1,h2 port=5432 dbname=db sslmode=verify-full),
// completed from the PG* environment variables, the service file and
// libpq's defaults (precedence: DSN > service file > environment >
// defaults). It starts from DefaultConfig: a key left out is its default,
// and a key given as 0 means zero, as the Config field does (see Config:
// statement_cache_size=0 is no cache). Errors are *ConfigError, name the
// bad option and never contain the password.
//
// The keys it accepts (libpq's names; the environment variable in
// brackets; the Config field after the arrow):
//
//	host [PGHOST], hostaddr [PGHOSTADDR], port [PGPORT]  → Hosts (comma lists)
//	user [PGUSER]                           → User
//	password [PGPASSWORD]                   → Password
//	dbname [PGDATABASE], or database        → Database (database is pgx's and asyncpg's name)
//	passfile [PGPASSFILE]                   → Passfile
//	service [PGSERVICE], servicefile [PGSERVICEFILE]  (read here)
//	sslmode [PGSSLMODE], or requiressl      → SSLMode
//	sslcert [PGSSLCERT], sslkey [PGSSLKEY], sslpassword  → SSLCert, SSLKey, SSLPassword
//	sslrootcert [PGSSLROOTCERT], sslcrl [PGSSLCRL]       → SSLRootCert, SSLCRL
//	ssl_min_protocol_version [PGSSLMINPROTOCOLVERSION]   → SSLMinProtocolVersion
//	ssl_max_protocol_version [PGSSLMAXPROTOCOLVERSION]   → SSLMaxProtocolVersion
//	sslnegotiation [PGSSLNEGOTIATION]       → SSLNegotiation (asyncpg's direct_tls)
//	channel_binding [PGCHANNELBINDING]      → ChannelBinding
//	require_auth [PGREQUIREAUTH]            → RequireAuth
//	connect_timeout [PGCONNECT_TIMEOUT]     → ConnectTimeout, whole seconds (asyncpg's timeout)
//	application_name [PGAPPNAME], fallback_application_name  → ApplicationName
//	options [PGOPTIONS]                     → Options
//	target_session_attrs [PGTARGETSESSIONATTRS]  → TargetSessionAttrs
//	load_balance_hosts [PGLOADBALANCEHOSTS] → LoadBalanceHosts
//	keepalives, keepalives_idle, keepalives_interval, keepalives_count  → DisableKeepalives, Keepalives*
//	tcp_user_timeout                        → TCPUserTimeout, milliseconds
//
// asyncpg's connect arguments, under their asyncpg names:
//
//	statement_cache_size                    → StatementCacheSize (0: no cache)
//	max_cached_statement_lifetime           → MaxCachedStatementLifetime, seconds (0: forever)
//	max_cacheable_statement_size            → MaxCacheableStatementSize, bytes (0: no limit)
//	command_timeout                         → CommandTimeout, seconds (0: none)
//
// and pg's own: cancel_grace → CancelGrace, seconds (0: the default).
//
// libpq's client-side keys pg does not implement are accepted when
// ignoring them is harmless (sslcompression, sslsni, sslkeylogfile,
// krbsrvname, gsslib, gssdelegation, max_protocol_version) and refused
// when the value asks for something pg cannot do (gssencmode=require,
// requirepeer, sslcertmode=require, sslcrldir, min_protocol_version other
// than 3.0). Any other key becomes a server
// setting sent at startup (RuntimeParams; asyncpg's server_settings).
//
// The passfile is not read here: like libpq, pg looks the password up at
// connect time for the host being tried. Fields of the returned Config may
// be changed before it is used, and then take precedence over everything
// the string and the environment said.
func ParseConfig(connString string) (*Config, error) {
	s, err := dsn.Parse(connString, os.LookupEnv)
	if err != nil {
		return nil, configError(err)
	}
	cfg := &Config{
		User:                       s.User,
		Password:                   s.Password,
		Database:                   s.Database,
		Passfile:                   s.Passfile,
		SSLMode:                    s.SSLMode,
		SSLCert:                    s.SSLCert,
		SSLKey:                     s.SSLKey,
		SSLPassword:                s.SSLPassword,
		SSLRootCert:                s.SSLRootCert,
		SSLCRL:                     s.SSLCRL,
		SSLMinProtocolVersion:      s.SSLMinProtocolVersion,
		SSLMaxProtocolVersion:      s.SSLMaxProtocolVersion,
		SSLNegotiation:             s.SSLNegotiation,
		ChannelBinding:             s.ChannelBinding,
		RequireAuth:                s.RequireAuth,
		ConnectTimeout:             s.ConnectTimeout,
		ApplicationName:            s.ApplicationName,
		Options:                    s.Options,
		TargetSessionAttrs:         s.TargetSessionAttrs,
		StatementCacheSize:         dsnCacheValue(s.StatementCacheSize, DefaultStatementCacheSize),
		MaxCachedStatementLifetime: dsnCacheValue(s.MaxCachedStatementLifetime, DefaultMaxCachedStatementLifetime),
		MaxCacheableStatementSize:  dsnCacheValue(s.MaxCacheableStatementSize, DefaultMaxCacheableStatementSize),
		CommandTimeout:             s.CommandTimeout,
		CancelGrace:                s.CancelGrace,
		LoadBalanceHosts:           s.LoadBalanceHosts,
		DisableKeepalives:          s.DisableKeepalives,
		KeepalivesIdle:             s.KeepalivesIdle,
		KeepalivesInterval:         s.KeepalivesInterval,
		KeepalivesCount:            s.KeepalivesCount,
		TCPUserTimeout:             s.TCPUserTimeout,
		RuntimeParams:              s.RuntimeParams,
	}
	for _, h := range s.Hosts {
		cfg.Hosts = append(cfg.Hosts, Host{Host: h.Host, HostAddr: h.HostAddr, Port: h.Port})
	}
	return cfg, nil
}

// dsnCacheValue maps internal/dsn's reading of a statement-cache key
// (0 when absent, -1 for an explicit 0) to the Config field: the default
// when absent, zero (off, no limit) for 0.
func dsnCacheValue[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}
