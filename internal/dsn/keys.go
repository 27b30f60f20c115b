package dsn

import "strings"

// options maps every key pg understands to the environment variable that
// supplies it when neither the string nor the service file does ("" for
// none). The names and variables are libpq's (the docs' "Parameter Key
// Words" and "Environment Variables"), except statement_cache_size,
// max_cached_statement_lifetime, max_cacheable_statement_size and
// command_timeout (asyncpg's) and cancel_grace (pg's own).
var options = map[string]string{
	"host":                          "PGHOST",
	"hostaddr":                      "PGHOSTADDR",
	"port":                          "PGPORT",
	"user":                          "PGUSER",
	"password":                      "PGPASSWORD",
	"dbname":                        "PGDATABASE",
	"passfile":                      "PGPASSFILE",
	"service":                       "PGSERVICE",
	"servicefile":                   "PGSERVICEFILE",
	"sslmode":                       "PGSSLMODE",
	"sslcert":                       "PGSSLCERT",
	"sslkey":                        "PGSSLKEY",
	"sslpassword":                   "",
	"sslrootcert":                   "PGSSLROOTCERT",
	"sslcrl":                        "PGSSLCRL",
	"ssl_min_protocol_version":      "PGSSLMINPROTOCOLVERSION",
	"ssl_max_protocol_version":      "PGSSLMAXPROTOCOLVERSION",
	"sslnegotiation":                "PGSSLNEGOTIATION",
	"channel_binding":               "PGCHANNELBINDING",
	"require_auth":                  "PGREQUIREAUTH",
	"connect_timeout":               "PGCONNECT_TIMEOUT",
	"application_name":              "PGAPPNAME",
	"fallback_application_name":     "",
	"options":                       "PGOPTIONS",
	"target_session_attrs":          "PGTARGETSESSIONATTRS",
	"statement_cache_size":          "",
	"max_cached_statement_lifetime": "",
	"max_cacheable_statement_size":  "",
	"command_timeout":               "",
	"cancel_grace":                  "",
	"keepalives":                    "",
	"keepalives_idle":               "",
	"keepalives_interval":           "",
	"keepalives_count":              "",
	"tcp_user_timeout":              "",
	"load_balance_hosts":            "PGLOADBALANCEHOSTS",
}

// canonicalKey applies the spellings libpq and pgx accept for a key:
// database for dbname (pgx), requiressl for sslmode (libpq's
// conninfo_storeval: values starting with '1' mean require, others prefer).
func canonicalKey(key, value string) (string, string) {
	switch key {
	case "database":
		return "dbname", value
	case "requiressl":
		if strings.HasPrefix(value, "1") {
			return "sslmode", "require"
		}
		return "sslmode", "prefer"
	}
	return key, value
}

// clientOnly lists libpq options that configure the client, not the
// server, and that pg does not implement. Sending them in the startup
// packet would make the server refuse the connection ("unrecognized
// configuration parameter"), so they never reach RuntimeParams. The func
// returns "" when ignoring the value is harmless (a tuning knob, or a
// value that asks for what pg does anyway) and otherwise why pg cannot
// honour it: silently dropping gssencmode=require or requirepeer would
// weaken a security requirement the user wrote down.
var clientOnly = map[string]func(v string) string{
	"sslcompression": ignore, // removed from TLS 1.3 and OpenSSL defaults
	"sslsni":         ignore, // Go always sends SNI for host names
	"sslkeylogfile":  ignore,
	"krbsrvname":     ignore, // GSSAPI authentication is not supported
	"gsslib":         ignore,
	"gssdelegation":  ignore,
	"min_protocol_version": allowOnly("protocol version 3.0 is the only one pg speaks",
		"", "3.0"),
	"max_protocol_version": ignore,
	"gssencmode": allowOnly("GSSAPI encryption is not supported",
		"", "disable", "prefer"),
	"sslcertmode": allowOnly(`sslcertmode "require" is not supported`,
		"", "disable", "allow"),
	"requirepeer": allowOnly("peer credential checks are not supported",
		""),
	"sslcrldir": allowOnly("CRL directories are not supported; use sslcrl",
		""),
}

func ignore(string) string { return "" }

// allowOnly accepts the listed values and refuses the others with why.
func allowOnly(why string, ok ...string) func(string) string {
	return func(v string) string {
		for _, o := range ok {
			if v == o {
				return ""
			}
		}
		return why
	}
}
