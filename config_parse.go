package pg

import (
	"os"

	"github.com/wirepg/pg/internal/dsn"
)

// ParseConfig parses a connection string with libpq's meaning: a URI
// (postgres://user:pw@host1:5432,host2/db?sslmode=require&opt=val) or
// key=value pairs (host=h1,h2 port=5432 dbname=db sslmode=verify-full),
// completed from the PG* environment variables, the service file and
// libpq's defaults (precedence: DSN > service file > environment >
// defaults). Options pg does not know become server settings sent at
// startup. Errors are *ConfigError, name the bad option and never contain
// the password.
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
		StatementCacheSize:         s.StatementCacheSize,
		MaxCachedStatementLifetime: s.MaxCachedStatementLifetime,
		MaxCacheableStatementSize:  s.MaxCacheableStatementSize,
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
