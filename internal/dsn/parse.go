package dsn

import (
	"sort"
	"strings"
	"time"
)

// Host is one server address, as in pg.Host: a host name, IP address or
// unix socket directory (starting with '/' or '@'), an optional numeric
// HostAddr to dial instead of resolving Host, and a port.
type Host struct {
	Host     string
	HostAddr string
	// Port is never 0 in Settings returned by Parse.
	Port uint16
}

// IsUnixSocket reports whether h names a unix socket directory (libpq's
// is_unixsock_path; a HostAddr makes it TCP).
func (h Host) IsUnixSocket() bool {
	return h.HostAddr == "" && len(h.Host) > 0 && (h.Host[0] == '/' || h.Host[0] == '@')
}

// Settings is a parsed connection string with the service file,
// environment and libpq's defaults applied. Fields follow pg.Config; an
// empty string means the option was not given and the caller's default
// applies.
type Settings struct {
	// Hosts has at least one entry, each with a non-zero Port.
	Hosts []Host

	User     string // never empty
	Password string // "" means: look in Passfile at connect time
	Database string // never empty: defaults to User
	Passfile string // the passfile option, else DefaultPassfile; "" when there is no home directory

	SSLMode               string // disable, allow, prefer, require, verify-ca, verify-full
	SSLCert               string
	SSLKey                string
	SSLPassword           string
	SSLRootCert           string
	SSLCRL                string
	SSLMinProtocolVersion string // TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3 (canonical case)
	SSLMaxProtocolVersion string
	SSLNegotiation        string // postgres or direct

	ChannelBinding string // disable, prefer or require
	RequireAuth    string // validated, as given

	// ConnectTimeout is 0 for none, else at least 2s (libpq rounds 1 up).
	ConnectTimeout     time.Duration
	ApplicationName    string // application_name, else fallback_application_name
	Options            string
	TargetSessionAttrs string // any, read-write, read-only, primary, standby, prefer-standby

	// StatementCacheSize, MaxCachedStatementLifetime and
	// MaxCacheableStatementSize follow pg.Config: 0 when absent (the
	// default), -1 when the DSN said 0 (disabled, forever, no limit).
	StatementCacheSize         int
	MaxCachedStatementLifetime time.Duration
	MaxCacheableStatementSize  int
	// CommandTimeout is 0 for none.
	CommandTimeout time.Duration
	// CancelGrace is 0 for the default.
	CancelGrace time.Duration

	// DisableKeepalives is keepalives=0. KeepalivesIdle,
	// KeepalivesInterval (whole seconds in the DSN), KeepalivesCount and
	// TCPUserTimeout (milliseconds in the DSN) are 0 when absent or 0.
	DisableKeepalives  bool
	KeepalivesIdle     time.Duration
	KeepalivesInterval time.Duration
	KeepalivesCount    int
	TCPUserTimeout     time.Duration
	// LoadBalanceHosts is disable or random; empty when nothing set it.
	LoadBalanceHosts string

	// RuntimeParams holds every key pg does not know, plus PGTZ as
	// TimeZone: server settings for the startup packet. Never nil.
	RuntimeParams map[string]string
}

// Parse parses a connection string, a URI or libpq's key=value form, and
// completes it from the service file, the environment (env; nil means
// os.LookupEnv) and libpq's defaults, in that order of precedence. An
// empty string is valid. Errors are *Error and never contain a password.
func Parse(connString string, env Env) (*Settings, error) {
	return parse(connString, env, defaultSystem())
}

// parser carries what an error message must not reveal.
type parser struct {
	sys     system
	secrets secrets
	// suspect hides URI host and port values from errors (see uriResult).
	suspect bool
}

func parse(connString string, env Env, sys system) (*Settings, error) {
	p := &parser{sys: sys}
	if strings.IndexByte(connString, 0) >= 0 {
		return nil, errorf("", "connection string contains a NUL byte")
	}

	var pairs []pair
	if uriPrefixLen(connString) > 0 {
		u, err := parseURI(connString)
		if err != nil {
			return nil, err
		}
		pairs, p.suspect = u.pairs, u.suspect
	} else {
		kv, serr := parseKeywordValue(connString)
		if serr != nil {
			return nil, serr.toError()
		}
		pairs = kv
	}

	// vals holds the known options that are set, even to ""; runtime the
	// server settings. Later pairs override earlier ones, as in libpq.
	vals := make(map[string]string)
	runtime := make(map[string]string)
	for i := range pairs {
		pairs[i].key, pairs[i].value = canonicalKey(pairs[i].key, pairs[i].value)
		if isSecretKey(pairs[i].key) || p.suspect && pairs[i].authority {
			p.secrets.add(pairs[i].value)
		}
	}
	for _, kv := range pairs {
		if err := p.store(kv.key, kv.value, vals, runtime, "the connection string"); err != nil {
			return nil, err
		}
	}

	if err := p.applyService(vals, runtime, env); err != nil {
		return nil, err
	}
	p.applyEnv(vals, runtime, env)
	return p.build(vals, runtime, env)
}

// store files one key/value under vals (known options) or runtime (server
// settings); from names where it came from, for errors.
func (p *parser) store(key, value string, vals, runtime map[string]string, from string) error {
	if _, ok := options[key]; ok {
		vals[key] = value
		return nil
	}
	if check, ok := clientOnly[key]; ok {
		if why := check(value); why != "" {
			return p.secrets.invalid(key, value, why+" (libpq client option in "+from+")")
		}
		return nil
	}
	runtime[key] = value
	return nil
}

// applyService fills unset options from the service named by service= or
// PGSERVICE.
func (p *parser) applyService(vals, runtime map[string]string, env Env) error {
	name, ok := vals["service"]
	if !ok {
		name = env.get("PGSERVICE")
	}
	if name == "" {
		return nil
	}
	file, ok := vals["servicefile"]
	if !ok {
		file = env.get("PGSERVICEFILE")
	}
	settings, err := p.lookupService(name, file, env)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	svc := make([]pair, 0, len(keys))
	for _, k := range keys {
		key, value := canonicalKey(k, settings[k])
		if isSecretKey(key) {
			p.secrets.add(value)
		}
		svc = append(svc, pair{key: key, value: value})
	}
	for _, kv := range svc {
		if kv.key == "service" || kv.key == "servicefile" {
			return errorf("service", "nested service specifications are not supported (%s= in service %q)", kv.key, p.secrets.scrub(name))
		}
		if _, set := vals[kv.key]; set {
			continue
		}
		if _, set := runtime[kv.key]; set {
			continue
		}
		if err := p.store(kv.key, kv.value, vals, runtime, "service "+p.secrets.scrub(name)); err != nil {
			return err
		}
	}
	return nil
}

// applyEnv fills options still unset from the PG* variables. A variable
// that is set but empty counts, as libpq's getenv does.
func (p *parser) applyEnv(vals, runtime map[string]string, env Env) {
	for key, name := range options {
		if name == "" || key == "service" || key == "servicefile" {
			continue
		}
		if _, set := vals[key]; set {
			continue
		}
		if v, ok := env.lookup(name); ok {
			vals[key] = v
			if isSecretKey(key) {
				p.secrets.add(v)
			}
		}
	}
	// libpq sends PGTZ as the TimeZone setting unless the string set it.
	if tz, ok := env.lookup("PGTZ"); ok {
		for k := range runtime {
			if strings.EqualFold(k, "timezone") {
				return
			}
		}
		runtime["TimeZone"] = tz
	}
}
