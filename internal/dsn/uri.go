package dsn

import (
	"fmt"
	"strings"
)

// The two URI designators libpq accepts (fe-connect.c uri_prefix_length).
const (
	uriDesignator      = "postgresql://"
	shortURIDesignator = "postgres://"
)

// uriPrefixLen returns the length of s's URI designator, or 0 when s is in
// the key=value form.
func uriPrefixLen(s string) int {
	switch {
	case strings.HasPrefix(s, uriDesignator):
		return len(uriDesignator)
	case strings.HasPrefix(s, shortURIDesignator):
		return len(shortURIDesignator)
	}
	return 0
}

// uriResult is a split URI.
type uriResult struct {
	pairs []pair
	// suspect is set when the URI has no user info before the host but an
	// '@' later on: probably an unencoded '/' in a password (u:p/w@h),
	// which libpq parses as host "u" and port "p". Authority values are
	// then never quoted in errors.
	suspect bool
}

// parseURI splits a connection URI the way libpq does (the docs'
// "Connection URIs"; fe-connect.c conninfo_uri_parse_options):
//
//	postgresql://[user[:password]@][host][:port][,...][/dbname][?key=value&...]
//
// Every part may be percent-encoded. Like libpq, user info is whatever
// precedes the first '@' that comes before any '/', so a password may hold
// an unencoded '?' or ':' but not '/' or '@'. Hosts and ports are gathered
// into comma-separated lists, one entry per host, an entry being empty when
// its host or port was omitted; a port list is stored even when no host
// named a port (postgres://a,b is port ",") so, as in libpq, PGPORT does
// not apply to a multi-host URI.
func parseURI(s string) (uriResult, error) {
	var res uriResult
	rest := s[uriPrefixLen(s):]

	if at := strings.IndexAny(rest, "@/"); at >= 0 && rest[at] == '@' {
		user, password, hasPassword := strings.Cut(rest[:at], ":")
		rest = rest[at+1:]
		if user != "" {
			v, err := percentDecode(user)
			if err != nil {
				return res, errorf("user", "invalid percent-encoding in the user name of the URI: %v", err)
			}
			res.pairs = append(res.pairs, pair{key: "user", value: v})
		}
		if hasPassword && password != "" {
			v, err := percentDecode(password)
			if err != nil {
				return res, errorf("password", "invalid percent-encoding in the password of the URI: %v", err)
			}
			res.pairs = append(res.pairs, pair{key: "password", value: v})
		}
	} else if q := strings.IndexByte(rest, '?'); strings.Contains(rest, "@") && (q < 0 || strings.IndexByte(rest, '@') < q) {
		res.suspect = true
	}

	var hosts, ports strings.Builder
	var term byte // the character that ended the current part, 0 at the end
	next := func(stop string) string {
		i := strings.IndexAny(rest, stop)
		if i < 0 {
			part := rest
			rest, term = "", 0
			return part
		}
		part := rest[:i]
		term, rest = rest[i], rest[i+1:]
		return part
	}
	for {
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return res, errorf("host", `missing "]" after an IPv6 address in the URI`)
			}
			if end == 1 {
				return res, errorf("host", "empty IPv6 address in the URI")
			}
			hosts.WriteString(rest[1:end])
			rest = rest[end+1:]
			if rest != "" && !strings.ContainsRune(":/?,", rune(rest[0])) {
				return res, errorf("host", `unexpected character after "]" in the URI: want ":", "/", "?" or ","`)
			}
			term = 0
			if rest != "" {
				term, rest = rest[0], rest[1:]
			}
		} else {
			hosts.WriteString(next(":/?,"))
		}
		if term == ':' {
			ports.WriteString(next("/?,"))
		}
		if term != ',' {
			break
		}
		hosts.WriteByte(',')
		ports.WriteByte(',')
	}
	for _, p := range []struct {
		key string
		b   *strings.Builder
	}{{"host", &hosts}, {"port", &ports}} {
		if p.b.Len() == 0 {
			continue
		}
		v, err := percentDecode(p.b.String())
		if err != nil {
			return res, errorf(p.key, "invalid percent-encoding in the %s part of the URI: %v", p.key, err)
		}
		res.pairs = append(res.pairs, pair{key: p.key, value: v, authority: true})
	}

	if term == '/' {
		// An empty path sets nothing, so PGDATABASE still applies (libpq).
		if db := next("?"); db != "" {
			v, err := percentDecode(db)
			if err != nil {
				return res, errorf("dbname", "invalid percent-encoding in the database name of the URI: %v", err)
			}
			res.pairs = append(res.pairs, pair{key: "dbname", value: v})
		}
	}
	if term != '?' {
		return res, nil
	}
	for n := 1; rest != ""; n++ {
		seg := next("&")
		k, v, ok := strings.Cut(seg, "=")
		if !ok {
			return res, errorf("", `missing "=" in URI query parameter %d`, n)
		}
		if strings.Contains(v, "=") {
			return res, errorf("", `extra "=" in URI query parameter %d; percent-encode it as %%3D`, n)
		}
		key, err := percentDecode(k)
		if err != nil {
			return res, errorf("", "invalid percent-encoding in the name of URI query parameter %d: %v", n, err)
		}
		if key == "" {
			return res, errorf("", "empty name in URI query parameter %d", n)
		}
		val, err := percentDecode(v)
		if err != nil {
			return res, errorf(keyForError(key), "invalid percent-encoding in the value of URI query parameter %d: %v", n, err)
		}
		// libpq accepts JDBC's ssl=true as sslmode=require.
		if key == "ssl" {
			if val != "true" {
				return res, errorf("ssl", `invalid ssl value in the URI: only ssl=true (sslmode=require) is recognized; use sslmode`)
			}
			key, val = "sslmode", "require"
		}
		res.pairs = append(res.pairs, pair{key: key, value: val})
	}
	return res, nil
}

// keyForError returns key when it is an option name, else "": an unknown
// key could be anything, including a misplaced password.
func keyForError(key string) string {
	if _, ok := options[key]; ok {
		return key
	}
	return ""
}

// percentDecode decodes %XY triplets as libpq's conninfo_uri_decode does:
// every '%' must start a valid triplet, '+' stays '+', and %00 is refused
// because values end up in C strings on the server.
func percentDecode(s string) (string, error) {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", fmt.Errorf(`"%%" at offset %d is not followed by two hex digits`, i)
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if c == 0 {
			return "", fmt.Errorf("%%00 at offset %d is not allowed", i)
		}
		b = append(b, c)
		i += 2
	}
	return string(b), nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
