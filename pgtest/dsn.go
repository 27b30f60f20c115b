package pgtest

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Host returns the TCP host clients connect to: "127.0.0.1", or for
// PGTEST_DSN its host if that is not a socket directory ("" otherwise).
func (s *Server) Host() string {
	if s.ext != nil {
		if strings.HasPrefix(s.ext.host, "/") {
			return ""
		}
		return s.ext.host
	}
	return "127.0.0.1"
}

// Port returns the server's port, shared by TCP and the unix socket. For
// PGTEST_DSN it is the DSN's port, 5432 if it names none, or 0 if the DSN
// could not be parsed.
func (s *Server) Port() int {
	if s.ext != nil {
		return s.ext.port
	}
	return s.port
}

// SocketDir returns the directory holding the unix socket, or for
// PGTEST_DSN its host if that is a directory ("" otherwise).
func (s *Server) SocketDir() string {
	if s.ext != nil {
		if strings.HasPrefix(s.ext.host, "/") {
			return s.ext.host
		}
		return ""
	}
	return s.sockDir
}

// Superuser returns the bootstrap superuser, "postgres". For PGTEST_DSN it
// is the DSN's user, which pgtest cannot check is a superuser, or "".
func (s *Server) Superuser() string {
	if s.ext != nil {
		return s.ext.user
	}
	return superuser
}

// DSN returns a URI connecting as the superuser over TCP without TLS, such as
// "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", or
// PGTEST_DSN verbatim.
func (s *Server) DSN() string {
	if s.ext != nil {
		return s.ext.raw
	}
	return s.UserDSN(superuser, "")
}

// UnixDSN returns a key=value connection string for the superuser over the
// unix socket, such as "host=/tmp/pgtest-1 port=5432 user=postgres
// dbname=postgres". For PGTEST_DSN it is built from the DSN's socket
// directory, port, user and dbname, or "" if its host is not a directory.
func (s *Server) UnixDSN() string {
	dir := s.SocketDir()
	if dir == "" {
		return ""
	}
	kv := [][2]string{{"host", dir}, {"port", strconv.Itoa(s.Port())}, {"user", s.Superuser()}, {"dbname", "postgres"}}
	if s.ext != nil {
		kv[3][1] = s.ext.dbname
	}
	var parts []string
	for _, p := range kv {
		if p[1] != "" {
			parts = append(parts, p[0]+"="+kvQuote(p[1]))
		}
	}
	return strings.Join(parts, " ")
}

// UserDSN returns a URI connecting as user over TCP without TLS, with
// password percent-encoded (and left out if empty). For PGTEST_DSN it is that
// DSN with its user and password replaced, in the DSN's own form.
func (s *Server) UserDSN(user, password string) string {
	if s.ext != nil {
		return s.ext.withUser(user, password)
	}
	return "postgres://" + userinfo(user, password) + "@" +
		net.JoinHostPort(s.Host(), strconv.Itoa(s.port)) + "/postgres?sslmode=disable"
}

// extDSN is what pgtest can tell about a server from PGTEST_DSN.
type extDSN struct {
	raw                string
	uri                *url.URL    // URI form
	kv                 [][2]string // key=value form
	host, user, dbname string
	port               int
}

func parseExtDSN(raw string) *extDSN {
	e := &extDSN{raw: raw}
	var get func(k string) string
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		u, err := url.Parse(raw)
		if err != nil {
			return e // e.g. several hosts: derive nothing
		}
		e.uri = u
		e.user, e.dbname = u.User.Username(), strings.TrimPrefix(u.Path, "/")
		// libpq allows a host list, "h1:5432,h2:5433"; describe the first.
		first := strings.Split(u.Host, ",")[0]
		if h, p, err := net.SplitHostPort(first); err == nil {
			e.host, e.port = h, atoi(p)
		} else {
			e.host = strings.Trim(first, "[]")
		}
		q := u.Query()
		get = q.Get
	} else {
		e.kv = parseKV(raw)
		get = func(k string) string {
			for _, p := range e.kv {
				if p[0] == k {
					return p[1]
				}
			}
			return ""
		}
	}
	if v := get("host"); v != "" {
		e.host = strings.Split(v, ",")[0]
	}
	for k, dst := range map[string]*string{"user": &e.user, "dbname": &e.dbname} {
		if v := get(k); v != "" {
			*dst = v
		}
	}
	if v := get("port"); v != "" {
		e.port = atoi(strings.Split(v, ",")[0])
	}
	if e.port == 0 && (e.uri != nil || e.kv != nil) {
		e.port = 5432 // libpq's default
	}
	return e
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// withUser returns the DSN with user and password replaced.
func (e *extDSN) withUser(user, password string) string {
	switch {
	case e.uri != nil:
		u := *e.uri
		u.User = nil
		q := u.Query()
		if q.Has("user") || q.Has("password") {
			q.Del("user")
			q.Del("password")
			u.RawQuery = q.Encode()
		}
		rest := strings.SplitN(u.String(), "://", 2)
		return rest[0] + "://" + userinfo(user, password) + "@" + rest[1]
	case e.kv != nil:
		var parts []string
		for _, p := range e.kv {
			if p[0] != "user" && p[0] != "password" {
				parts = append(parts, p[0]+"="+kvQuote(p[1]))
			}
		}
		parts = append(parts, "user="+kvQuote(user))
		if password != "" {
			parts = append(parts, "password="+kvQuote(password))
		}
		return strings.Join(parts, " ")
	}
	return e.raw
}

// userinfo percent-encodes every byte outside RFC 3986's unreserved set, a
// form every URI parser (libpq's included) decodes the same way.
func userinfo(user, password string) string {
	if password == "" {
		return pctEncode(user)
	}
	return pctEncode(user) + ":" + pctEncode(password)
}

func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// kvQuote quotes a key=value connection string value as libpq expects:
// single quotes around values that are empty or hold spaces, with
// backslash before ' and \.
func kvQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\f\v'\\") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

// parseKV parses libpq's key=value form, leniently: pgtest only reads it.
func parseKV(s string) [][2]string {
	var out [][2]string
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return out
		}
		key := strings.TrimSpace(s[:eq])
		s = strings.TrimLeft(s[eq+1:], " \t\n\r\f\v")
		var val strings.Builder
		if strings.HasPrefix(s, "'") {
			s = s[1:]
			for len(s) > 0 && s[0] != '\'' {
				if s[0] == '\\' && len(s) > 1 {
					s = s[1:]
				}
				val.WriteByte(s[0])
				s = s[1:]
			}
			s = strings.TrimPrefix(s, "'")
		} else {
			end := strings.IndexAny(s, " \t\n\r\f\v")
			if end < 0 {
				end = len(s)
			}
			val.WriteString(s[:end])
			s = s[end:]
		}
		out = append(out, [2]string{key, val.String()})
	}
}
