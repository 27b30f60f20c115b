package pg_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// pgEnvVars are the variables ParseConfig reads; tests that parse clear
// them so the machine's environment cannot leak in.
var pgEnvVars = []string{
	"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGPASSFILE",
	"PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGSSLCERT", "PGSSLKEY", "PGSSLROOTCERT",
	"PGSSLCRL", "PGSSLNEGOTIATION", "PGSSLMINPROTOCOLVERSION", "PGSSLMAXPROTOCOLVERSION",
	"PGCHANNELBINDING", "PGREQUIREAUTH", "PGAPPNAME", "PGCONNECT_TIMEOUT",
	"PGTARGETSESSIONATTRS", "PGOPTIONS", "PGTZ", "PGSYSCONFDIR",
}

// clearPGEnv empties the PG* variables for one (non-parallel) test.
func clearPGEnv(t *testing.T) {
	t.Helper()
	for _, k := range pgEnvVars {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// TestParseConfigMapping checks that every option of a DSN lands in its
// Config field. (The grammar itself, with env and service cases, is
// tested in internal/dsn.)
func TestParseConfigMapping(t *testing.T) {
	clearPGEnv(t)
	t.Setenv("USER", "osuser")

	uri := "postgresql://us%40er:p%40ss@[::1]:5433,h2:5434/my%20db?" + strings.Join([]string{
		"sslmode=verify-full", "sslcert=/c.crt", "sslkey=/c.key", "sslpassword=keypw",
		"sslrootcert=/root.crt", "sslcrl=/root.crl", "ssl_min_protocol_version=tlsv1.2",
		"ssl_max_protocol_version=TLSv1.3", "sslnegotiation=direct", "channel_binding=require",
		"require_auth=scram-sha-256", "connect_timeout=7", "application_name=app",
		"options=-c%20geqo%3Doff", "target_session_attrs=read-write", "statement_cache_size=0",
		"max_cached_statement_lifetime=1.5", "max_cacheable_statement_size=100",
		"command_timeout=2.5", "search_path=s1", "passfile=/pf",
	}, "&")
	cfg, err := pg.ParseConfig(uri)
	require.NoError(t, err)
	assert.Equal(t, &pg.Config{
		Hosts:                      []pg.Host{{Host: "::1", Port: 5433}, {Host: "h2", Port: 5434}},
		User:                       "us@er",
		Password:                   "p@ss",
		Database:                   "my db",
		Passfile:                   "/pf",
		SSLMode:                    "verify-full",
		SSLCert:                    "/c.crt",
		SSLKey:                     "/c.key",
		SSLPassword:                "keypw",
		SSLRootCert:                "/root.crt",
		SSLCRL:                     "/root.crl",
		SSLMinProtocolVersion:      "TLSv1.2",
		SSLMaxProtocolVersion:      "TLSv1.3",
		SSLNegotiation:             "direct",
		ChannelBinding:             "require",
		RequireAuth:                "scram-sha-256",
		ConnectTimeout:             7 * time.Second,
		ApplicationName:            "app",
		Options:                    "-c geqo=off",
		TargetSessionAttrs:         "read-write",
		StatementCacheSize:         0,
		MaxCachedStatementLifetime: 1500 * time.Millisecond,
		MaxCacheableStatementSize:  100,
		CommandTimeout:             2500 * time.Millisecond,
		RuntimeParams:              map[string]string{"search_path": "s1"},
	}, cfg)

	_, err = pg.ParseConfig(`host=a,b hostaddr=10.0.0.1,10.0.0.2 port=1,2 user=u dbname=d password='it''s' max_cached_statement_lifetime=0 max_cacheable_statement_size=0`)
	require.Error(t, err, "'' is not an escape in key=value")
	cfg, err = pg.ParseConfig(`host=a,b hostaddr=10.0.0.1,10.0.0.2 port=1,2 user=u dbname=d password='it\'s' max_cached_statement_lifetime=0 max_cacheable_statement_size=0`)
	require.NoError(t, err)
	assert.Equal(t, []pg.Host{{Host: "a", HostAddr: "10.0.0.1", Port: 1}, {Host: "b", HostAddr: "10.0.0.2", Port: 2}}, cfg.Hosts)
	assert.Equal(t, "it's", cfg.Password)
	assert.Equal(t, time.Duration(0), cfg.MaxCachedStatementLifetime, "0 means forever, in the DSN as in the struct")
	assert.Equal(t, 0, cfg.MaxCacheableStatementSize, "0 means no limit, in the DSN as in the struct")
	assert.Equal(t, pg.DefaultStatementCacheSize, cfg.StatementCacheSize, "an absent key is the default")

	// Defaults: the OS user, database = user, libpq's passfile.
	t.Setenv("HOME", "/home/osuser")
	cfg, err = pg.ParseConfig("host=h")
	require.NoError(t, err)
	assert.Equal(t, "osuser", cfg.User)
	assert.Equal(t, "osuser", cfg.Database)
	assert.Equal(t, "/home/osuser/.pgpass", cfg.Passfile)
	assert.Equal(t, []pg.Host{{Host: "h", Port: 5432}}, cfg.Hosts)
	assert.Empty(t, cfg.SSLMode, "empty means prefer, decided at connect time")
}

// TestParseConfigErrors: errors are *ConfigError naming the option and
// never quoting a password.
func TestParseConfigErrors(t *testing.T) {
	clearPGEnv(t)
	for _, tc := range []struct{ dsn, option, msg string }{
		{"host=a,b port=1,2,3", "port", "3 port numbers for 2 hosts"},
		{"port=99999", "port", "must be 1-65535"},
		{"sslmode=required", "sslmode", "must be one of"},
		{"sslmode=prefer sslnegotiation=direct", "sslnegotiation", "require, verify-ca or verify-full"},
		{"channel_binding=yes", "channel_binding", "must be one of"},
		{"target_session_attrs=master", "target_session_attrs", "must be one of"},
		{"require_auth=md5,!password", "require_auth", "cannot be mixed"},
		{"connect_timeout=soon", "connect_timeout", "whole number"},
		{"ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", "ssl_max_protocol_version", "above"},
		{"sslrootcert=system sslmode=require", "sslmode", "verify-full"},
		{"postgres://u:hunter2@h:port/db", "port", ""},
		{"password=hunter2 port=hunter2", "port", ""},
		{"gssencmode=require", "gssencmode", "GSSAPI"},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			_, err := pg.ParseConfig(tc.dsn)
			var ce *pg.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.option, ce.Option)
			assert.Contains(t, err.Error(), tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "pg: "), err.Error())
			assert.NotContains(t, err.Error(), "hunter2")
		})
	}
}

// TestParseConfigEnvironment: the PG* variables, as libpq reads them, with
// the DSN taking precedence.
func TestParseConfigEnvironment(t *testing.T) {
	clearPGEnv(t)
	for k, v := range map[string]string{
		"PGHOST": "envhost1,envhost2", "PGPORT": "6001,6002", "PGUSER": "envuser", "PGPASSWORD": "envpw",
		"PGDATABASE": "envdb", "PGPASSFILE": "/env/pgpass", "PGSSLMODE": "require", "PGSSLCERT": "/env/c.crt",
		"PGSSLKEY": "/env/c.key", "PGSSLROOTCERT": "/env/root.crt", "PGSSLCRL": "/env/root.crl",
		"PGSSLNEGOTIATION": "direct", "PGSSLMINPROTOCOLVERSION": "TLSv1.3", "PGSSLMAXPROTOCOLVERSION": "TLSv1.3",
		"PGCHANNELBINDING": "disable", "PGREQUIREAUTH": "!password", "PGAPPNAME": "envapp",
		"PGCONNECT_TIMEOUT": "9", "PGTARGETSESSIONATTRS": "standby", "PGOPTIONS": "-c work_mem=5MB",
		"PGTZ": "Europe/Paris", "PGHOSTADDR": "127.0.0.1,127.0.0.2",
	} {
		t.Setenv(k, v)
	}
	cfg, err := pg.ParseConfig("")
	require.NoError(t, err)
	assert.Equal(t, []pg.Host{{Host: "envhost1", HostAddr: "127.0.0.1", Port: 6001}, {Host: "envhost2", HostAddr: "127.0.0.2", Port: 6002}}, cfg.Hosts)
	assert.Equal(t, "envuser", cfg.User)
	assert.Equal(t, "envpw", cfg.Password)
	assert.Equal(t, "envdb", cfg.Database)
	assert.Equal(t, "/env/pgpass", cfg.Passfile)
	assert.Equal(t, "require", cfg.SSLMode)
	assert.Equal(t, "/env/c.crt", cfg.SSLCert)
	assert.Equal(t, "/env/c.key", cfg.SSLKey)
	assert.Equal(t, "/env/root.crt", cfg.SSLRootCert)
	assert.Equal(t, "/env/root.crl", cfg.SSLCRL)
	assert.Equal(t, "direct", cfg.SSLNegotiation)
	assert.Equal(t, "TLSv1.3", cfg.SSLMinProtocolVersion)
	assert.Equal(t, "TLSv1.3", cfg.SSLMaxProtocolVersion)
	assert.Equal(t, "disable", cfg.ChannelBinding)
	assert.Equal(t, "!password", cfg.RequireAuth)
	assert.Equal(t, "envapp", cfg.ApplicationName)
	assert.Equal(t, 9*time.Second, cfg.ConnectTimeout)
	assert.Equal(t, "standby", cfg.TargetSessionAttrs)
	assert.Equal(t, "-c work_mem=5MB", cfg.Options)
	assert.Equal(t, map[string]string{"TimeZone": "Europe/Paris"}, cfg.RuntimeParams)

	// The DSN wins over the environment, even with an empty value.
	cfg, err = pg.ParseConfig("host=dsnhost hostaddr='' port=7000 user=dsnuser sslmode=disable sslnegotiation=postgres TimeZone=UTC application_name=''")
	require.NoError(t, err)
	assert.Equal(t, []pg.Host{{Host: "dsnhost", Port: 7000}}, cfg.Hosts)
	assert.Equal(t, "dsnuser", cfg.User)
	assert.Equal(t, "envpw", cfg.Password)
	assert.Equal(t, "disable", cfg.SSLMode)
	assert.Equal(t, "", cfg.ApplicationName)
	assert.Equal(t, map[string]string{"TimeZone": "UTC"}, cfg.RuntimeParams)
}

// TestParseConfigServiceFile: a service's settings sit between the DSN and
// the environment.
func TestParseConfigServiceFile(t *testing.T) {
	clearPGEnv(t)
	file := writeTemp(t, "pg_service.conf", []byte(`[mydb]
host=svchost
port=6432
dbname=svcdb
user=svcuser
sslmode=verify-ca
application_name=svcapp
search_path=app
`))
	t.Setenv("PGUSER", "envuser")
	t.Setenv("PGAPPNAME", "envapp")
	cfg, err := pg.ParseConfig("service=mydb servicefile=" + file + " dbname=dsndb")
	require.NoError(t, err)
	assert.Equal(t, []pg.Host{{Host: "svchost", Port: 6432}}, cfg.Hosts)
	assert.Equal(t, "dsndb", cfg.Database, "the DSN wins over the service")
	assert.Equal(t, "svcuser", cfg.User, "the service wins over the environment")
	assert.Equal(t, "svcapp", cfg.ApplicationName)
	assert.Equal(t, "verify-ca", cfg.SSLMode)
	assert.Equal(t, map[string]string{"search_path": "app"}, cfg.RuntimeParams)

	// PGSERVICE and PGSERVICEFILE, without a DSN.
	t.Setenv("PGSERVICEFILE", file)
	t.Setenv("PGSERVICE", "mydb")
	cfg, err = pg.ParseConfig("")
	require.NoError(t, err)
	assert.Equal(t, "svcdb", cfg.Database)

	_, err = pg.ParseConfig("service=nosuch")
	var ce *pg.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "service", ce.Option)
	assert.Contains(t, err.Error(), `"nosuch" not found`)
}

// TestConfigString: String and GoString redact both passwords, and the
// rest parses back to the same Config.
func TestConfigString(t *testing.T) {
	clearPGEnv(t)
	cfg := &pg.Config{
		Hosts:                      []pg.Host{{Host: "db one", Port: 5433}, {Host: "/tmp", HostAddr: "", Port: 5433}},
		User:                       "o'brien",
		Password:                   "hunter2 secret",
		Database:                   `back\slash`,
		Passfile:                   "/pf",
		SSLMode:                    "verify-full",
		SSLCert:                    "/c.crt",
		SSLKey:                     "/c.key",
		SSLPassword:                "keysecret",
		SSLRootCert:                "/root.crt",
		SSLCRL:                     "/root.crl",
		SSLMinProtocolVersion:      "TLSv1.2",
		SSLMaxProtocolVersion:      "TLSv1.3",
		SSLNegotiation:             "direct",
		ChannelBinding:             "require",
		RequireAuth:                "!password,!md5",
		ConnectTimeout:             7 * time.Second,
		ApplicationName:            "my app",
		Options:                    "-c geqo=off",
		TargetSessionAttrs:         "prefer-standby",
		StatementCacheSize:         0,
		MaxCachedStatementLifetime: 90 * time.Second,
		MaxCacheableStatementSize:  0,
		CommandTimeout:             1500 * time.Millisecond,
		RuntimeParams:              map[string]string{"search_path": "a, b", "work_mem": ""},
	}
	s := cfg.String()
	for _, printed := range []string{s, fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", *cfg)} {
		assert.NotContains(t, printed, "hunter2")
		assert.NotContains(t, printed, "keysecret")
		assert.Contains(t, printed, "password=xxxxx")
		assert.Contains(t, printed, "sslpassword=xxxxx")
	}
	back, err := pg.ParseConfig(s)
	require.NoError(t, err, s)
	back.Password, back.SSLPassword = cfg.Password, cfg.SSLPassword
	assert.Equal(t, cfg, back, s)

	assert.Equal(t, "", pg.DefaultConfig().String())
	// A zero field is off, which a DSN must say (an absent key is the default).
	assert.Equal(t, "statement_cache_size=0 max_cached_statement_lifetime=0 max_cacheable_statement_size=0", (&pg.Config{}).String())
	dflt := pg.DefaultConfig()
	dflt.Hosts, dflt.User = []pg.Host{{Host: "h"}}, "u"
	assert.Equal(t, "host=h port=5432 user=u", dflt.String())
}

// TestConfigValidation: a hand-built Config with an impossible value is a
// *ConfigError before any host is tried.
func TestConfigValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		edit   func(c *pg.Config)
		option string
	}{
		{func(c *pg.Config) { c.SSLMode = "required" }, "sslmode"},
		{func(c *pg.Config) { c.ChannelBinding = "on" }, "channel_binding"},
		{func(c *pg.Config) { c.TargetSessionAttrs = "master" }, "target_session_attrs"},
		{func(c *pg.Config) { c.SSLNegotiation = "tls" }, "sslnegotiation"},
		{func(c *pg.Config) { c.SSLNegotiation = "direct" }, "sslnegotiation"}, // with the default prefer
		{func(c *pg.Config) { c.SSLRootCert = "system"; c.SSLMode = "verify-ca" }, "sslmode"},
		{func(c *pg.Config) { c.SSLMaxProtocolVersion = "TLSv2" }, "ssl_max_protocol_version"},
		{func(c *pg.Config) { c.RequireAuth = "kerberos" }, "require_auth"},
		{func(c *pg.Config) { c.Hosts[0].HostAddr = "db.example" }, "hostaddr"},
	} {
		cfg := &pg.Config{Hosts: []pg.Host{{Host: "127.0.0.1", Port: deadPort(t)}}, User: "u"}
		tc.edit(cfg)
		_, err := pg.ConnectConfig(ctxT(t), cfg)
		var ce *pg.ConfigError
		require.ErrorAs(t, err, &ce, "%v", err)
		assert.Equal(t, tc.option, ce.Option)
		var conn *pg.ConnectError
		assert.False(t, errors.As(err, &conn), "no host was tried")
	}
}
