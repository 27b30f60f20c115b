package dsn

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testSystem is a machine with no passwd entry and, when socketDir is set,
// a /var/run/postgresql directory.
func testSystem(socketDir bool) system {
	return system{
		socketDirExists: func(dir string) bool { return socketDir && dir == defaultSocketDir },
		currentUser:     func() (string, string, bool) { return "", "", false },
	}
}

func fakeEnv(m map[string]string) Env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

const testHome = "/nonexistent/home/alice"

// baseSettings is what Parse("") gives with the base environment.
func baseSettings() *Settings {
	return &Settings{
		Hosts:         []Host{{Host: "localhost", Port: 5432}},
		User:          "alice",
		Database:      "alice",
		Passfile:      testHome + "/.pgpass",
		RuntimeParams: map[string]string{},
	}
}

type parseCase struct {
	name      string
	dsn       string
	env       map[string]string // added to USER=alice HOME=testHome; "" key values are set-but-empty
	unset     []string          // removed from the base environment
	socketDir bool
	want      func(s *Settings) // edits baseSettings into the expected result
	err       string            // substring of the error; "" means success
	errKey    string
	secret    string // must not appear in the error
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

const serviceFile = `# services for tests
[prod]
host=prod.example.com
port=6543
dbname=proddb
user=svcuser
password=SvcSekr3t
sslmode=verify-full
search_path=app

[nested]
service=prod

[gss]
gssencmode=require

[db_only]
database=fromservice
`

func TestParse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	svcFile := writeFile(t, filepath.Join(dir, "services.conf"), serviceFile)
	home := filepath.Join(dir, "home")
	writeFile(t, filepath.Join(home, ".pg_service.conf"), "[homesvc]\nhost=fromhome\n")
	sysconf := filepath.Join(dir, "etc")
	writeFile(t, filepath.Join(sysconf, "pg_service.conf"), "[homesvc]\nhost=fromsystem\n[syssvc]\nhost=sys.example.com\nport=7777\n")
	badFile := writeFile(t, filepath.Join(dir, "bad.conf"), "host=outside-any-section\n")

	hosts := func(hs ...Host) func(s *Settings) {
		return func(s *Settings) { s.Hosts = hs }
	}
	cases := []parseCase{
		// URI form.
		{name: "uri empty", dsn: "postgres://", want: func(*Settings) {}},
		{name: "uri full", dsn: "postgresql://bob:secret@db.example.com:6543/app", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "db.example.com", Port: 6543}}
			s.User, s.Password, s.Database = "bob", "secret", "app"
		}},
		{name: "uri percent-encoded userinfo and dbname", dsn: "postgres://b%40b:p%3Aw%2Fd%25@h/d%20b", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.User, s.Password, s.Database = "b@b", "p:w/d%", "d b"
		}},
		{name: "uri user only", dsn: "postgres://bob@h", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.User, s.Database = "bob", "bob"
		}},
		{name: "uri unencoded ? and : in password as libpq", dsn: "postgres://u:pa?s:s@h/db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.User, s.Password, s.Database = "u", "pa?s:s", "db"
		}},
		{name: "uri ipv6", dsn: "postgres://[::1]:5433/db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "::1", Port: 5433}}
			s.Database = "db"
		}},
		{name: "uri ipv6 zone", dsn: "postgres://[fe80::1%25eth0]/db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "fe80::1%eth0", Port: 5432}}
			s.Database = "db"
		}},
		{name: "uri multi-host mixed ports", dsn: "postgres://h1:5432,[::1]:5433,h3/db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h1", Port: 5432}, {Host: "::1", Port: 5433}, {Host: "h3", Port: 5432}}
			s.Database = "db"
		}},
		{name: "uri multi-host without ports ignores PGPORT as libpq", dsn: "postgres://h1,h2/db",
			env: map[string]string{"PGPORT": "6000"}, want: func(s *Settings) {
				s.Hosts = []Host{{Host: "h1", Port: 5432}, {Host: "h2", Port: 5432}}
				s.Database = "db"
			}},
		{name: "uri single host takes PGPORT", dsn: "postgres://h1/db", env: map[string]string{"PGPORT": "6000"}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h1", Port: 6000}}
			s.Database = "db"
		}},
		{name: "uri query options and server settings", dsn: "postgres://h/db?sslmode=require&application_name=my%20app&search_path=a%2Cb&statement_cache_size=0", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.Database, s.SSLMode, s.ApplicationName, s.StatementCacheSize = "db", "require", "my app", -1
			s.RuntimeParams["search_path"] = "a,b"
		}},
		{name: "uri socket dir in host", dsn: "postgresql://%2Fvar%2Flib%2Fpostgresql/db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "/var/lib/postgresql", Port: 5432}}
			s.Database = "db"
		}},
		{name: "uri host and port in query", dsn: "postgres:///db?host=/tmp&port=5433", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "/tmp", Port: 5433}}
			s.Database = "db"
		}},
		{name: "uri query overrides netloc", dsn: "postgres://h1:1111/db?port=2222", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h1", Port: 2222}}
			s.Database = "db"
		}},
		{name: "uri ssl=true", dsn: "postgres://h?ssl=true", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.SSLMode = "require"
		}},
		{name: "uri ssl=false", dsn: "postgres://h?ssl=false", err: "only ssl=true", errKey: "ssl"},
		{name: "uri empty path keeps PGDATABASE", dsn: "postgres://h/", env: map[string]string{"PGDATABASE": "envdb"}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.Database = "envdb"
		}},
		{name: "uri path beats PGDATABASE", dsn: "postgres://h/db", env: map[string]string{"PGDATABASE": "envdb"}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5432}}
			s.Database = "db"
		}},
		{name: "uri query without =", dsn: "postgres://h/db?sslmode", err: `missing "=" in URI query parameter 1`},
		{name: "uri query extra =", dsn: "postgres://h/db?a=b&options=-c%20x=y", err: `extra "=" in URI query parameter 2`},
		{name: "uri bad percent in password", dsn: "postgres://u:Sekr3t%zz@h/db", err: "percent-encoding in the password", errKey: "password", secret: "Sekr3t"},
		{name: "uri %00", dsn: "postgres://h/d%00b", err: "%00", errKey: "dbname"},
		{name: "uri unterminated ipv6", dsn: "postgres://[::1/db", err: `missing "]"`, errKey: "host"},
		{name: "uri junk after ipv6", dsn: "postgres://[::1]x/db", err: `unexpected character after "]"`, errKey: "host"},
		{name: "uri empty ipv6", dsn: "postgres://[]/db", err: "empty IPv6", errKey: "host"},
		{name: "uri bad port", dsn: "postgres://h:abc/db", err: `invalid port "abc": must be 1-65535`, errKey: "port"},
		{name: "uri port zero", dsn: "postgres://h:0/db", err: `invalid port "0"`, errKey: "port"},
		{name: "uri port too big", dsn: "postgres://h:65536/db", err: "must be 1-65535", errKey: "port"},
		{name: "uri unencoded slash in password is not echoed", dsn: "postgres://u:Sekr3t/x@h/db", err: "invalid port", errKey: "port", secret: "Sekr3t"},

		// key=value form.
		{name: "kv empty", dsn: "", want: func(*Settings) {}},
		{name: "kv blanks only", dsn: " \t\n ", want: func(*Settings) {}},
		{name: "kv basics", dsn: "host=h port=5433 user=bob password=pw dbname=db", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5433}}
			s.User, s.Password, s.Database = "bob", "pw", "db"
		}},
		{name: "kv spaces around =", dsn: "host = h   port= 5433\tdbname =db ", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "h", Port: 5433}}
			s.Database = "db"
		}},
		{name: "kv quoted with escapes", dsn: `password='it\'s a \\ secret' application_name='my app'`, want: func(s *Settings) {
			s.Password, s.ApplicationName = `it's a \ secret`, "my app"
		}},
		{name: "kv unquoted escape", dsn: `password=a\ b options=-c\ geqo=off`, want: func(s *Settings) {
			s.Password, s.Options = "a b", "-c geqo=off"
		}},
		{name: "kv quoted value followed directly by key", dsn: "host='h'port=7", want: hosts(Host{Host: "h", Port: 7})},
		{name: "kv empty values block env", dsn: "host='' user='' dbname=", env: map[string]string{"PGHOST": "envhost", "PGUSER": "envuser", "PGDATABASE": "envdb"}, want: func(*Settings) {}},
		{name: "kv database alias", dsn: "database=db", want: func(s *Settings) { s.Database = "db" }},
		{name: "kv later key wins", dsn: "port=1 port=2 dbname=a database=b", want: func(s *Settings) {
			s.Hosts[0].Port = 2
			s.Database = "b"
		}},
		{name: "kv requiressl", dsn: "requiressl=1", want: func(s *Settings) { s.SSLMode = "require" }},
		{name: "kv one port for all hosts", dsn: "host=a,b,c port=6000", want: hosts(Host{Host: "a", Port: 6000}, Host{Host: "b", Port: 6000}, Host{Host: "c", Port: 6000})},
		{name: "kv port per host", dsn: "host=a,b port=1,2", want: hosts(Host{Host: "a", Port: 1}, Host{Host: "b", Port: 2})},
		{name: "kv empty port entry", dsn: "host=a,b port=,7000", want: hosts(Host{Host: "a", Port: 5432}, Host{Host: "b", Port: 7000})},
		{name: "kv port count mismatch", dsn: "host=a,b,c port=1,2", err: "3 hosts; give one port for all hosts or one per host", errKey: "port"},
		{name: "kv port with blanks", dsn: "port=' 5433 '", want: hosts(Host{Host: "localhost", Port: 5433})},
		{name: "kv hostaddr", dsn: "host=h hostaddr=10.0.0.1 port=5433", want: hosts(Host{Host: "h", HostAddr: "10.0.0.1", Port: 5433})},
		{name: "kv hostaddr only", dsn: "hostaddr=10.0.0.1,::1", want: hosts(Host{HostAddr: "10.0.0.1", Port: 5432}, Host{HostAddr: "::1", Port: 5432})},
		{name: "kv hostaddr count mismatch", dsn: "host=a,b hostaddr=1.1.1.1", err: "1 hostaddr values for 2 host names", errKey: "hostaddr"},
		{name: "kv hostaddr not numeric", dsn: "hostaddr=db.example.com", err: `invalid hostaddr "db.example.com"`, errKey: "hostaddr"},
		{name: "kv unix sockets", dsn: "host=/tmp,@abstract", want: hosts(Host{Host: "/tmp", Port: 5432}, Host{Host: "@abstract", Port: 5432})},
		{name: "kv default host is socket dir when it exists", dsn: "", socketDir: true, want: hosts(Host{Host: "/var/run/postgresql", Port: 5432})},
		{name: "kv empty host entry gets default", dsn: "host=a,,b", want: hosts(Host{Host: "a", Port: 5432}, Host{Host: "localhost", Port: 5432}, Host{Host: "b", Port: 5432})},
		{name: "kv unterminated quote", dsn: "host=h password='Sekr3t", err: "unterminated quoted value", secret: "Sekr3t"},
		{name: "kv stray word not echoed", dsn: "host=h Sekr3tword", err: `missing "=" after a key`, secret: "Sekr3tword"},
		{name: "kv password with space not echoed", dsn: "password=my Sekr3t", err: `missing "=" after a key`, secret: "Sekr3t"},
		{name: "kv known key named", dsn: "host", err: `missing "=" after "host"`},
		{name: "kv empty key", dsn: "=x", err: `empty key`},
		{name: "kv NUL", dsn: "host=a\x00b", err: "NUL"},
		{name: "kv server settings", dsn: "search_path=myschema work_mem=64MB", want: func(s *Settings) {
			s.RuntimeParams = map[string]string{"search_path": "myschema", "work_mem": "64MB"}
		}},

		// Every option.
		{name: "all ssl and session options", dsn: "sslmode=verify-full sslcert=c sslkey=k sslpassword=sp sslrootcert=r sslcrl=l " +
			"ssl_min_protocol_version=tlsv1.2 ssl_max_protocol_version=TLSv1.3 sslnegotiation=direct channel_binding=require " +
			"require_auth=scram-sha-256 connect_timeout=10 application_name=a options='-c geqo=off' target_session_attrs=read-write passfile=/p",
			want: func(s *Settings) {
				s.SSLMode, s.SSLCert, s.SSLKey, s.SSLPassword, s.SSLRootCert, s.SSLCRL = "verify-full", "c", "k", "sp", "r", "l"
				s.SSLMinProtocolVersion, s.SSLMaxProtocolVersion, s.SSLNegotiation = "TLSv1.2", "TLSv1.3", "direct"
				s.ChannelBinding, s.RequireAuth, s.ConnectTimeout = "require", "scram-sha-256", 10*time.Second
				s.ApplicationName, s.Options, s.TargetSessionAttrs, s.Passfile = "a", "-c geqo=off", "read-write", "/p"
			}},
		{name: "statement cache options", dsn: "statement_cache_size=50 max_cached_statement_lifetime=1.5 max_cacheable_statement_size=2048 command_timeout=2.5", want: func(s *Settings) {
			s.StatementCacheSize, s.MaxCachedStatementLifetime = 50, 1500*time.Millisecond
			s.MaxCacheableStatementSize, s.CommandTimeout = 2048, 2500*time.Millisecond
		}},
		{name: "statement cache zeros", dsn: "statement_cache_size=0 max_cached_statement_lifetime=0 max_cacheable_statement_size=0 command_timeout=0", want: func(s *Settings) {
			s.StatementCacheSize, s.MaxCachedStatementLifetime, s.MaxCacheableStatementSize = -1, -1, -1
		}},
		{name: "negative statement_cache_size", dsn: "statement_cache_size=-1", err: `invalid statement_cache_size "-1"`, errKey: "statement_cache_size"},
		{name: "bad max_cacheable_statement_size", dsn: "max_cacheable_statement_size=1k", err: "invalid max_cacheable_statement_size", errKey: "max_cacheable_statement_size"},
		{name: "command_timeout not a number", dsn: "command_timeout=abc", err: "non-negative number of seconds", errKey: "command_timeout"},
		{name: "command_timeout NaN", dsn: "command_timeout=NaN", err: "invalid command_timeout", errKey: "command_timeout"},
		{name: "command_timeout negative", dsn: "command_timeout=-1", err: "invalid command_timeout", errKey: "command_timeout"},
		{name: "cancel_grace", dsn: "cancel_grace=0.25", want: func(s *Settings) { s.CancelGrace = 250 * time.Millisecond }},
		{name: "cancel_grace zero is the default", dsn: "cancel_grace=0", want: func(s *Settings) {}},
		{name: "cancel_grace negative", dsn: "cancel_grace=-1", err: "invalid cancel_grace", errKey: "cancel_grace"},
		{name: "lifetime overflow", dsn: "max_cached_statement_lifetime=1e300", err: "invalid max_cached_statement_lifetime", errKey: "max_cached_statement_lifetime"},
		{name: "connect_timeout 1 is 2", dsn: "connect_timeout=1", want: func(s *Settings) { s.ConnectTimeout = 2 * time.Second }},
		{name: "connect_timeout 0 is none", dsn: "connect_timeout=0", want: func(*Settings) {}},
		{name: "connect_timeout negative", dsn: "connect_timeout=-5", err: `invalid connect_timeout "-5"`, errKey: "connect_timeout"},
		{name: "connect_timeout junk", dsn: "connect_timeout=10s", err: "whole number of seconds", errKey: "connect_timeout"},
		{name: "fallback_application_name", dsn: "fallback_application_name=fb", want: func(s *Settings) { s.ApplicationName = "fb" }},
		{name: "application_name beats fallback", dsn: "fallback_application_name=fb application_name=a", want: func(s *Settings) { s.ApplicationName = "a" }},

		// Enumerations.
		{name: "bad sslmode", dsn: "sslmode=bogus", err: `invalid sslmode "bogus": must be one of disable, allow, prefer, require, verify-ca, verify-full`, errKey: "sslmode"},
		{name: "direct needs strong sslmode", dsn: "sslnegotiation=direct", err: "use sslmode require, verify-ca or verify-full", errKey: "sslnegotiation"},
		{name: "direct with prefer", dsn: "sslnegotiation=direct sslmode=prefer", err: `sslmode prefer`, errKey: "sslnegotiation"},
		{name: "bad sslnegotiation", dsn: "sslnegotiation=fast", err: `invalid sslnegotiation "fast"`, errKey: "sslnegotiation"},
		{name: "bad channel_binding", dsn: "channel_binding=maybe", err: `invalid channel_binding "maybe"`, errKey: "channel_binding"},
		{name: "all target_session_attrs", dsn: "target_session_attrs=prefer-standby", want: func(s *Settings) { s.TargetSessionAttrs = "prefer-standby" }},
		{name: "bad target_session_attrs", dsn: "target_session_attrs=master", err: `invalid target_session_attrs "master"`, errKey: "target_session_attrs"},
		{name: "bad tls version", dsn: "ssl_min_protocol_version=TLSv1.4", err: `invalid ssl_min_protocol_version "TLSv1.4"`, errKey: "ssl_min_protocol_version"},
		{name: "tls min above max", dsn: "ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", err: "invalid SSL protocol version range", errKey: "ssl_max_protocol_version"},
		{name: "tls min TLSv1", dsn: "ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=tlsv1.1", want: func(s *Settings) {
			s.SSLMinProtocolVersion, s.SSLMaxProtocolVersion = "TLSv1", "TLSv1.1"
		}},
		{name: "require_auth negated list", dsn: "require_auth=!password,!md5", want: func(s *Settings) { s.RequireAuth = "!password,!md5" }},
		{name: "require_auth mixed", dsn: "require_auth=scram-sha-256,!md5", err: "cannot be mixed", errKey: "require_auth"},
		{name: "require_auth unknown", dsn: "require_auth=kerberos", err: `invalid require_auth "kerberos"`, errKey: "require_auth"},
		{name: "require_auth duplicate", dsn: "require_auth=md5,md5", err: "more than once", errKey: "require_auth"},
		{name: "sslrootcert=system defaults to verify-full", dsn: "sslrootcert=system", want: func(s *Settings) {
			s.SSLRootCert, s.SSLMode = "system", "verify-full"
		}},
		{name: "sslrootcert=system refuses weaker mode", dsn: "sslrootcert=system sslmode=require", err: `sslrootcert=system needs sslmode "verify-full"`, errKey: "sslmode"},

		// libpq client-only options.
		{name: "client-only options ignored", dsn: "sslsni=1 gssencmode=disable sslcompression=1", want: func(*Settings) {}},
		{name: "tcp options", dsn: "keepalives=1 keepalives_idle=30 keepalives_interval=5 keepalives_count=3 tcp_user_timeout=2500", want: func(s *Settings) {
			s.KeepalivesIdle, s.KeepalivesInterval, s.KeepalivesCount, s.TCPUserTimeout = 30*time.Second, 5*time.Second, 3, 2500*time.Millisecond
		}},
		{name: "keepalives off", dsn: "keepalives=0", want: func(s *Settings) { s.DisableKeepalives = true }},
		{name: "keepalives any non-zero is on", dsn: "keepalives=2", want: func(*Settings) {}},
		{name: "keepalives not a number", dsn: "keepalives=yes", err: `invalid keepalives "yes"`, errKey: "keepalives"},
		{name: "keepalives_idle negative", dsn: "keepalives_idle=-1", err: `invalid keepalives_idle "-1"`, errKey: "keepalives_idle"},
		{name: "tcp_user_timeout fraction", dsn: "tcp_user_timeout=1.5", err: `invalid tcp_user_timeout "1.5"`, errKey: "tcp_user_timeout"},
		{name: "load_balance_hosts random", dsn: "load_balance_hosts=random", want: func(s *Settings) { s.LoadBalanceHosts = "random" }},
		{name: "load_balance_hosts from env", env: map[string]string{"PGLOADBALANCEHOSTS": "disable"}, want: func(s *Settings) { s.LoadBalanceHosts = "disable" }},
		{name: "load_balance_hosts unknown", dsn: "load_balance_hosts=round-robin", err: `invalid load_balance_hosts "round-robin"`, errKey: "load_balance_hosts"},
		{name: "gssencmode=require refused", dsn: "gssencmode=require", err: "GSSAPI encryption is not supported", errKey: "gssencmode"},
		{name: "requirepeer refused", dsn: "requirepeer=postgres", err: "peer credential", errKey: "requirepeer"},

		// Environment.
		{name: "every env var", dsn: "", env: map[string]string{
			"PGHOST": "eh1,eh2", "PGHOSTADDR": "10.0.0.1,10.0.0.2", "PGPORT": "6001", "PGUSER": "envuser", "PGPASSWORD": "envpw",
			"PGDATABASE": "envdb", "PGPASSFILE": "/env/pgpass", "PGSSLMODE": "verify-ca", "PGSSLCERT": "ec", "PGSSLKEY": "ek",
			"PGSSLROOTCERT": "er", "PGSSLCRL": "el", "PGSSLNEGOTIATION": "direct", "PGSSLMINPROTOCOLVERSION": "TLSv1.2",
			"PGSSLMAXPROTOCOLVERSION": "TLSv1.3", "PGCHANNELBINDING": "disable", "PGREQUIREAUTH": "md5", "PGAPPNAME": "envapp",
			"PGCONNECT_TIMEOUT": "7", "PGTARGETSESSIONATTRS": "standby", "PGOPTIONS": "-c work_mem=1MB", "PGTZ": "Europe/Paris",
		}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "eh1", HostAddr: "10.0.0.1", Port: 6001}, {Host: "eh2", HostAddr: "10.0.0.2", Port: 6001}}
			s.User, s.Password, s.Database, s.Passfile = "envuser", "envpw", "envdb", "/env/pgpass"
			s.SSLMode, s.SSLCert, s.SSLKey, s.SSLRootCert, s.SSLCRL = "verify-ca", "ec", "ek", "er", "el"
			s.SSLNegotiation, s.SSLMinProtocolVersion, s.SSLMaxProtocolVersion = "direct", "TLSv1.2", "TLSv1.3"
			s.ChannelBinding, s.RequireAuth, s.ApplicationName = "disable", "md5", "envapp"
			s.ConnectTimeout, s.TargetSessionAttrs, s.Options = 7*time.Second, "standby", "-c work_mem=1MB"
			s.RuntimeParams["TimeZone"] = "Europe/Paris"
		}},
		{name: "dsn beats env", dsn: "host=dsnhost user=dsnuser options=-cx=y", env: map[string]string{"PGHOST": "envhost", "PGUSER": "envuser", "PGOPTIONS": "-cz=w"}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "dsnhost", Port: 5432}}
			s.User, s.Database, s.Options = "dsnuser", "dsnuser", "-cx=y"
		}},
		{name: "dsn timezone beats PGTZ", dsn: "timezone=UTC", env: map[string]string{"PGTZ": "Europe/Paris"}, want: func(s *Settings) {
			s.RuntimeParams["timezone"] = "UTC"
		}},
		{name: "user from LOGNAME", dsn: "", unset: []string{"USER"}, env: map[string]string{"LOGNAME": "logan"}, want: func(s *Settings) {
			s.User, s.Database = "logan", "logan"
		}},
		{name: "no user at all", dsn: "", unset: []string{"USER"}, err: "set user or PGUSER", errKey: "user"},
		{name: "PGPORT list against one host", dsn: "host=h", env: map[string]string{"PGPORT": "1,2"}, err: "2 port numbers for 1 hosts", errKey: "port"},
		{name: "bad PGSSLMODE", dsn: "", env: map[string]string{"PGSSLMODE": "on"}, err: `invalid sslmode "on"`, errKey: "sslmode"},
		{name: "PGPASSWORD never echoed", dsn: "port=Sekr3tEnv", env: map[string]string{"PGPASSWORD": "Sekr3tEnv"}, err: "invalid port", errKey: "port", secret: "Sekr3tEnv"},
		{name: "passfile from HOME", dsn: "", env: map[string]string{"HOME": "/home/bob"}, want: func(s *Settings) { s.Passfile = "/home/bob/.pgpass" }},
		{name: "passfile option beats PGPASSFILE", dsn: "passfile=/dsn/pass", env: map[string]string{"PGPASSFILE": "/env/pass"}, want: func(s *Settings) { s.Passfile = "/dsn/pass" }},
		{name: "no home no passfile", dsn: "", unset: []string{"HOME"}, want: func(s *Settings) { s.Passfile = "" }},

		// Service file.
		{name: "service from dsn", dsn: "service=prod servicefile=" + svcFile, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "prod.example.com", Port: 6543}}
			s.User, s.Password, s.Database, s.SSLMode = "svcuser", "SvcSekr3t", "proddb", "verify-full"
			s.RuntimeParams["search_path"] = "app"
		}},
		{name: "service from env", dsn: "", env: map[string]string{"PGSERVICE": "prod", "PGSERVICEFILE": svcFile}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "prod.example.com", Port: 6543}}
			s.User, s.Password, s.Database, s.SSLMode = "svcuser", "SvcSekr3t", "proddb", "verify-full"
			s.RuntimeParams["search_path"] = "app"
		}},
		{name: "service in uri query", dsn: "postgres:///mine?service=prod&servicefile=" + svcFile + "&search_path=mine", want: func(s *Settings) {
			s.Hosts = []Host{{Host: "prod.example.com", Port: 6543}}
			s.User, s.Password, s.Database, s.SSLMode = "svcuser", "SvcSekr3t", "mine", "verify-full"
			s.RuntimeParams["search_path"] = "mine"
		}},
		{name: "dsn beats service beats env", dsn: "service=prod dbname=mine", env: map[string]string{
			"PGSERVICEFILE": svcFile, "PGHOST": "envhost", "PGUSER": "envuser", "PGAPPNAME": "envapp", "PGSSLMODE": "disable",
		}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "prod.example.com", Port: 6543}}
			s.User, s.Password, s.Database, s.SSLMode = "svcuser", "SvcSekr3t", "mine", "verify-full"
			s.ApplicationName = "envapp"
			s.RuntimeParams["search_path"] = "app"
		}},
		{name: "service database alias", dsn: "service=db_only servicefile=" + svcFile, want: func(s *Settings) { s.Database = "fromservice" }},
		{name: "service not found", dsn: "service=nope servicefile=" + svcFile, env: map[string]string{"PGSYSCONFDIR": filepath.Join(dir, "none")}, err: `definition of service "nope" not found`, errKey: "service"},
		{name: "service file missing", dsn: "service=prod servicefile=" + filepath.Join(dir, "missing.conf"), err: "not found", errKey: "service"},
		{name: "service from home file", dsn: "service=homesvc", env: map[string]string{"HOME": home, "PGSYSCONFDIR": sysconf}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "fromhome", Port: 5432}}
			s.Passfile = home + "/.pgpass"
		}},
		{name: "service falls back to system file", dsn: "service=syssvc", env: map[string]string{"HOME": home, "PGSYSCONFDIR": sysconf}, want: func(s *Settings) {
			s.Hosts = []Host{{Host: "sys.example.com", Port: 7777}}
			s.Passfile = home + "/.pgpass"
		}},
		{name: "service with no file anywhere", dsn: "service=x", env: map[string]string{"PGSYSCONFDIR": filepath.Join(dir, "none")}, err: "no service file", errKey: "service"},
		{name: "nested service", dsn: "service=nested servicefile=" + svcFile, err: "nested service", errKey: "service"},
		{name: "service client-only refused", dsn: "service=gss servicefile=" + svcFile, err: "libpq client option in service gss", errKey: "gssencmode"},
		{name: "malformed service file", dsn: "service=x servicefile=" + badFile, err: "cannot read service file", errKey: "service"},
		{name: "service password never echoed", dsn: "service=prod port=xSvcSekr3t servicefile=" + svcFile, err: "invalid port", errKey: "port", secret: "SvcSekr3t"},
	}
	require.GreaterOrEqual(t, len(cases), 60)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{"USER": "alice", "HOME": testHome}
			for _, k := range tc.unset {
				delete(env, k)
			}
			for k, v := range tc.env {
				env[k] = v
			}
			got, err := parse(tc.dsn, fakeEnv(env), testSystem(tc.socketDir))
			if tc.err != "" {
				require.Error(t, err)
				assert.ErrorContains(t, err, tc.err)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, tc.errKey, e.Key)
				if tc.secret != "" {
					assert.NotContains(t, err.Error(), tc.secret)
				}
				return
			}
			require.NoError(t, err)
			want := baseSettings()
			tc.want(want)
			assert.Equal(t, want, got)
		})
	}
}

func TestParseRealSystem(t *testing.T) {
	t.Parallel()
	s, err := Parse("postgres://u@h:1/d", fakeEnv(map[string]string{"HOME": "/h"}))
	require.NoError(t, err)
	assert.Equal(t, []Host{{Host: "h", Port: 1}}, s.Hosts)
	assert.Equal(t, "/h/.pgpass", s.Passfile)
}

func TestErrorUnwrap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := writeFile(t, filepath.Join(dir, "bad.conf"), "no section\n")
	_, err := parse("service=x servicefile="+bad, fakeEnv(map[string]string{"USER": "a"}), testSystem(false))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.NotNil(t, errors.Unwrap(err))
	assert.Contains(t, err.Error(), "dsn: ")
}

func TestHostIsUnixSocket(t *testing.T) {
	t.Parallel()
	assert.True(t, Host{Host: "/tmp"}.IsUnixSocket())
	assert.True(t, Host{Host: "@abstract"}.IsUnixSocket())
	assert.False(t, Host{Host: "/tmp", HostAddr: "127.0.0.1"}.IsUnixSocket())
	assert.False(t, Host{Host: "localhost"}.IsUnixSocket())
}
