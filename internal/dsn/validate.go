package dsn

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// build applies libpq's defaults to the merged options and checks each
// value, in the order libpq's pqConnectOptions2 does.
func (p *parser) build(vals, runtime map[string]string, env Env) (*Settings, error) {
	for k, v := range vals {
		if strings.IndexByte(v, 0) >= 0 {
			return nil, errorf(k, "%s contains a NUL byte", k)
		}
	}
	for k, v := range runtime {
		if strings.IndexByte(k, 0) >= 0 || strings.IndexByte(v, 0) >= 0 {
			return nil, errorf("", "a server setting contains a NUL byte")
		}
	}

	s := &Settings{
		Password:           vals["password"],
		SSLCert:            vals["sslcert"],
		SSLKey:             vals["sslkey"],
		SSLPassword:        vals["sslpassword"],
		SSLRootCert:        vals["sslrootcert"],
		SSLCRL:             vals["sslcrl"],
		Options:            vals["options"],
		ApplicationName:    vals["application_name"],
		RuntimeParams:      runtime,
		User:               vals["user"],
		Database:           vals["dbname"],
		Passfile:           vals["passfile"],
		RequireAuth:        vals["require_auth"],
		SSLNegotiation:     vals["sslnegotiation"],
		ChannelBinding:     vals["channel_binding"],
		TargetSessionAttrs: vals["target_session_attrs"],
		LoadBalanceHosts:   vals["load_balance_hosts"],
	}
	var err error
	if s.Hosts, err = p.hosts(vals); err != nil {
		return nil, err
	}
	if s.User == "" {
		if s.User = p.sys.osUser(env); s.User == "" {
			return nil, errorf("user", "no user name given and the OS user is unknown; set user or PGUSER")
		}
	}
	if s.Database == "" {
		s.Database = s.User
	}
	if s.Passfile == "" {
		s.Passfile = p.sys.defaultPassfile(env)
	}
	if s.ApplicationName == "" {
		s.ApplicationName = vals["fallback_application_name"]
	}

	if err := p.checkRequireAuth(s.RequireAuth); err != nil {
		return nil, err
	}
	if err := p.oneOf("channel_binding", s.ChannelBinding, "disable", "prefer", "require"); err != nil {
		return nil, err
	}
	if err := p.sslMode(s, vals); err != nil {
		return nil, err
	}
	if err := p.tlsVersions(s, vals); err != nil {
		return nil, err
	}
	if err := p.oneOf("target_session_attrs", s.TargetSessionAttrs,
		"any", "read-write", "read-only", "primary", "standby", "prefer-standby"); err != nil {
		return nil, err
	}

	if err := p.oneOf("load_balance_hosts", s.LoadBalanceHosts, "disable", "random"); err != nil {
		return nil, err
	}
	if err := p.tcpOptions(s, vals); err != nil {
		return nil, err
	}

	if v, ok := vals["connect_timeout"]; ok {
		if s.ConnectTimeout, err = p.connectTimeout(v); err != nil {
			return nil, err
		}
	}
	if s.StatementCacheSize, err = p.cacheInt(vals, "statement_cache_size"); err != nil {
		return nil, err
	}
	if s.MaxCacheableStatementSize, err = p.cacheInt(vals, "max_cacheable_statement_size"); err != nil {
		return nil, err
	}
	if v, ok := vals["max_cached_statement_lifetime"]; ok && trimSpace(v) != "" {
		if s.MaxCachedStatementLifetime, err = p.seconds("max_cached_statement_lifetime", v); err != nil {
			return nil, err
		}
		if s.MaxCachedStatementLifetime == 0 {
			s.MaxCachedStatementLifetime = -1 // 0 means keep forever
		}
	}
	if v, ok := vals["command_timeout"]; ok && trimSpace(v) != "" {
		if s.CommandTimeout, err = p.seconds("command_timeout", v); err != nil {
			return nil, err
		}
	}
	if v, ok := vals["cancel_grace"]; ok && trimSpace(v) != "" {
		if s.CancelGrace, err = p.seconds("cancel_grace", v); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// oneOf checks an enumerated option; "" means the default.
func (p *parser) oneOf(key, v string, allowed ...string) error {
	if v == "" {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return p.secrets.invalid(key, v, "must be one of "+strings.Join(allowed, ", "))
}

// sslMode checks sslmode and the options that depend on it.
func (p *parser) sslMode(s *Settings, vals map[string]string) error {
	s.SSLMode = vals["sslmode"]
	if err := p.oneOf("sslmode", s.SSLMode,
		"disable", "allow", "prefer", "require", "verify-ca", "verify-full"); err != nil {
		return err
	}
	// sslrootcert=system trusts every CA the OS trusts, so only checking
	// the host name protects anything: libpq makes verify-full the default
	// and refuses weaker modes.
	if s.SSLRootCert == "system" {
		switch s.SSLMode {
		case "":
			s.SSLMode = "verify-full"
		case "verify-full":
		default:
			return p.secrets.invalid("sslmode", s.SSLMode, `sslrootcert=system needs sslmode "verify-full"`)
		}
	}
	if err := p.oneOf("sslnegotiation", s.SSLNegotiation, "postgres", "direct"); err != nil {
		return err
	}
	// libpq 17: direct TLS has no plaintext fallback, so it is only
	// allowed with a mode that requires TLS anyway.
	if s.SSLNegotiation == "direct" {
		switch s.SSLMode {
		case "require", "verify-ca", "verify-full":
		default:
			mode := s.SSLMode
			if mode == "" {
				mode = "prefer (the default)"
			}
			return errorf("sslnegotiation", `invalid sslnegotiation "direct" with sslmode %s: use sslmode require, verify-ca or verify-full`, mode)
		}
	}
	return nil
}

var tlsVersionNames = []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

// tlsVersions checks ssl_min_protocol_version and ssl_max_protocol_version
// (case-insensitive, as libpq's sslVerifyProtocolVersion) and their order.
func (p *parser) tlsVersions(s *Settings, vals map[string]string) error {
	rank := func(key string) (string, int, error) {
		v := vals[key]
		if v == "" {
			return "", -1, nil
		}
		for i, t := range tlsVersionNames {
			if strings.EqualFold(v, t) {
				return t, i, nil
			}
		}
		return "", 0, p.secrets.invalid(key, v, "must be one of "+strings.Join(tlsVersionNames, ", "))
	}
	var lo, hi int
	var err error
	if s.SSLMinProtocolVersion, lo, err = rank("ssl_min_protocol_version"); err != nil {
		return err
	}
	if s.SSLMaxProtocolVersion, hi, err = rank("ssl_max_protocol_version"); err != nil {
		return err
	}
	if lo >= 0 && hi >= 0 && lo > hi {
		return errorf("ssl_max_protocol_version", "invalid SSL protocol version range: ssl_min_protocol_version %s is above ssl_max_protocol_version %s",
			s.SSLMinProtocolVersion, s.SSLMaxProtocolVersion)
	}
	return nil
}

// checkRequireAuth validates libpq's require_auth list (see
// ParseRequireAuth).
func (p *parser) checkRequireAuth(v string) error {
	if _, why := ParseRequireAuth(v); why != "" {
		return p.secrets.invalid("require_auth", v, why)
	}
	return nil
}

// connectTimeout follows libpq: whole seconds, 0 for none, values below 2
// raised to 2 because a 1s timeout can expire almost at once after
// rounding. Unlike libpq, which treats a negative value as 0, a negative
// value is an error. An empty value means none.
func (p *parser) connectTimeout(v string) (time.Duration, error) {
	t := trimSpace(v)
	if t == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(t, 10, 32)
	if err != nil || n < 0 {
		return 0, p.secrets.invalid("connect_timeout", v, "must be a whole number of seconds, 0 for none")
	}
	switch {
	case n == 0:
		return 0, nil
	case n < 2:
		n = 2
	}
	return time.Duration(n) * time.Second, nil
}

// cacheInt parses a statement-cache size: absent or empty gives 0 (the
// default), 0 gives -1 (disabled, or no limit), as pg.Config encodes them.
func (p *parser) cacheInt(vals map[string]string, key string) (int, error) {
	v, ok := vals[key]
	if !ok || trimSpace(v) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(trimSpace(v))
	if err != nil || n < 0 {
		return 0, p.secrets.invalid(key, v, "must be a whole number, 0 to disable")
	}
	if n == 0 {
		return -1, nil
	}
	return n, nil
}

// seconds parses a non-negative number of seconds, fractions allowed
// (asyncpg's command_timeout and max_cached_statement_lifetime).
func (p *parser) seconds(key, v string) (time.Duration, error) {
	f, err := strconv.ParseFloat(trimSpace(v), 64)
	if err != nil || math.IsNaN(f) || f < 0 || f >= math.MaxInt64/float64(time.Second) {
		return 0, p.secrets.invalid(key, v, "must be a non-negative number of seconds")
	}
	d := time.Duration(f * float64(time.Second))
	if d == 0 && f > 0 {
		d = 1 // a positive value must not turn into "default"
	}
	return d, nil
}

// tcpOptions reads libpq's TCP keys: keepalives (an integer, 0 for off,
// as libpq's useKeepalives reads it), keepalives_idle and
// keepalives_interval in seconds, keepalives_count, and tcp_user_timeout
// in milliseconds. libpq takes a negative value as 0; here it is an error,
// as for connect_timeout.
func (p *parser) tcpOptions(s *Settings, vals map[string]string) error {
	num := func(key string) (int, error) {
		v, ok := vals[key]
		if !ok || trimSpace(v) == "" {
			return 0, nil
		}
		n, err := strconv.ParseInt(trimSpace(v), 10, 32)
		if err != nil || (n < 0 && key != "keepalives") {
			return 0, p.secrets.invalid(key, v, "must be a non-negative whole number, 0 for the default")
		}
		return int(n), nil
	}
	on, err := num("keepalives")
	if err != nil {
		return err
	}
	if v, ok := vals["keepalives"]; ok && trimSpace(v) != "" {
		s.DisableKeepalives = on == 0
	}
	idle, err := num("keepalives_idle")
	if err != nil {
		return err
	}
	interval, err := num("keepalives_interval")
	if err != nil {
		return err
	}
	if s.KeepalivesCount, err = num("keepalives_count"); err != nil {
		return err
	}
	userTimeout, err := num("tcp_user_timeout")
	if err != nil {
		return err
	}
	s.KeepalivesIdle = time.Duration(idle) * time.Second
	s.KeepalivesInterval = time.Duration(interval) * time.Second
	s.TCPUserTimeout = time.Duration(userTimeout) * time.Millisecond
	return nil
}
