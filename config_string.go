package pg

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// redacted stands in for a password in String.
const redacted = "xxxxx"

// String renders c as a libpq key=value connection string with the
// password and sslpassword replaced by xxxxx, for logs and error reports.
// Only options that differ from what ParseConfig would give without them
// appear (so a zero StatementCacheSize, the cache off, is written as
// statement_cache_size=0); fields a DSN cannot
// express (TLSConfig, the funcs, buffer sizes) are left out. Apart from the
// redacted secrets, ParseConfig of the result gives back the same settings.
func (c Config) String() string {
	var b strings.Builder
	put := func(key, value string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(quoteConnValue(value))
	}
	add := func(key, value string) {
		if value != "" {
			put(key, value)
		}
	}
	hosts, addrs, ports := hostLists(c.Hosts)
	add("host", hosts)
	add("hostaddr", addrs)
	add("port", ports)
	add("user", c.User)
	if c.Password != "" {
		add("password", redacted)
	}
	add("dbname", c.Database)
	add("passfile", c.Passfile)
	add("sslmode", c.SSLMode)
	add("sslcert", c.SSLCert)
	add("sslkey", c.SSLKey)
	if c.SSLPassword != "" {
		add("sslpassword", redacted)
	}
	add("sslrootcert", c.SSLRootCert)
	add("sslcrl", c.SSLCRL)
	add("ssl_min_protocol_version", c.SSLMinProtocolVersion)
	add("ssl_max_protocol_version", c.SSLMaxProtocolVersion)
	add("sslnegotiation", c.SSLNegotiation)
	add("channel_binding", c.ChannelBinding)
	add("require_auth", c.RequireAuth)
	if c.ConnectTimeout > 0 {
		// libpq takes whole seconds; round up so the bound is not lost.
		add("connect_timeout", strconv.FormatInt(int64(math.Ceil(c.ConnectTimeout.Seconds())), 10))
	}
	add("application_name", c.ApplicationName)
	add("options", c.Options)
	add("target_session_attrs", c.TargetSessionAttrs)
	add("load_balance_hosts", c.LoadBalanceHosts)
	if c.DisableKeepalives {
		add("keepalives", "0")
	}
	add("keepalives_idle", wholeUnits(c.KeepalivesIdle, time.Second))
	add("keepalives_interval", wholeUnits(c.KeepalivesInterval, time.Second))
	if c.KeepalivesCount > 0 {
		add("keepalives_count", strconv.Itoa(c.KeepalivesCount))
	}
	add("tcp_user_timeout", wholeUnits(c.TCPUserTimeout, time.Millisecond))
	add("statement_cache_size", cacheValue(c.StatementCacheSize, DefaultStatementCacheSize))
	add("max_cached_statement_lifetime", cacheDuration(c.MaxCachedStatementLifetime, DefaultMaxCachedStatementLifetime))
	add("max_cacheable_statement_size", cacheValue(c.MaxCacheableStatementSize, DefaultMaxCacheableStatementSize))
	add("command_timeout", durationValue(c.CommandTimeout))
	if c.CancelGrace > 0 {
		add("cancel_grace", durationValue(c.CancelGrace))
	}
	keys := make([]string, 0, len(c.RuntimeParams))
	for k := range c.RuntimeParams {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		put(k, c.RuntimeParams[k]) // an empty setting is still a setting
	}
	return b.String()
}

// GoString is String, so that %#v does not print the password either.
// Both have value receivers so that a Config printed by value is redacted
// too.
func (c Config) GoString() string { return "pg.Config(" + c.String() + ")" }

// hostLists renders Hosts as libpq's comma-separated host, hostaddr and
// port lists (one port when all are equal).
func hostLists(hosts []Host) (string, string, string) {
	var h, a, p []string
	anyAddr, samePort := false, true
	for _, x := range hosts {
		h = append(h, x.Host)
		a = append(a, x.HostAddr)
		p = append(p, strconv.Itoa(int(x.port())))
		anyAddr = anyAddr || x.HostAddr != ""
		samePort = samePort && x.port() == hosts[0].port()
	}
	if len(hosts) == 0 {
		return "", "", ""
	}
	if !anyAddr {
		a = nil
	}
	if samePort {
		p = p[:1]
	}
	return strings.Join(h, ","), strings.Join(a, ","), strings.Join(p, ",")
}

// cacheValue renders a statement-cache setting: zero or negative (off, no
// limit) is 0, the default is omitted.
func cacheValue(n, def int) string {
	switch {
	case n <= 0:
		return "0"
	case n == def:
		return ""
	}
	return strconv.Itoa(n)
}

// cacheDuration is cacheValue for a duration in seconds.
func cacheDuration(d, def time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d == def:
		return ""
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// durationValue renders seconds; negative (forever) is 0 in a DSN.
func durationValue(d time.Duration) string {
	switch {
	case d < 0:
		return "0"
	case d == 0:
		return ""
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// wholeUnits renders a positive duration in whole units, rounded up so
// that a bound is not lost; zero or negative is omitted.
func wholeUnits(d, unit time.Duration) string {
	if d <= 0 {
		return ""
	}
	return strconv.FormatInt(int64((d+unit-1)/unit), 10)
}

// quoteConnValue quotes a key=value value as libpq reads it: bare when it
// has no space, quote or backslash, else in single quotes with \ before '
// and \.
func quoteConnValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\f\v'\\") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}
