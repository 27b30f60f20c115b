package dsn

import "strings"

// Redact returns connString with every password and sslpassword value
// replaced by xxxxx, for logging. It works on malformed strings too: in the
// key=value form everything from a pair that cannot be parsed onwards is
// replaced (it may be the tail of a password); in a URI the user info's
// password is replaced even when an unencoded '/' in it keeps libpq from
// recognising it (postgres://u:p/w@h). Redact does not consult the
// environment, the service file or the passfile.
func Redact(connString string) string {
	if uriPrefixLen(connString) > 0 {
		return redactURI(connString)
	}
	return redactKeywordValue(connString)
}

func redactKeywordValue(s string) string {
	pairs, serr := parseKeywordValue(s)
	var b strings.Builder
	last := 0
	for _, kv := range pairs {
		key, _ := canonicalKey(kv.key, kv.value)
		if !isSecretKey(key) || kv.start == kv.end {
			continue
		}
		b.WriteString(s[last:kv.start])
		b.WriteString(redacted)
		last = kv.end
	}
	if serr != nil {
		b.WriteString(s[last:serr.token])
		b.WriteString(redacted)
		return b.String()
	}
	b.WriteString(s[last:])
	return b.String()
}

func redactURI(s string) string {
	n := uriPrefixLen(s)
	rest := s[n:]
	var b strings.Builder
	b.WriteString(s[:n])

	// The user info ends at libpq's '@' (the first, before any '/'), or, for
	// a suspect URI, at the last '@' before the query.
	end := -1
	if at := strings.IndexAny(rest, "@/"); at >= 0 && rest[at] == '@' {
		end = at
	} else if q := strings.IndexByte(rest, '?'); q < 0 {
		end = strings.LastIndexByte(rest, '@')
	} else {
		end = strings.LastIndexByte(rest[:q], '@')
	}
	if end >= 0 {
		user, pw, ok := strings.Cut(rest[:end], ":")
		b.WriteString(user)
		if ok {
			b.WriteByte(':')
			if pw != "" {
				b.WriteString(redacted)
			}
		}
		rest = rest[end:]
	}

	q := strings.IndexByte(rest, '?')
	if q < 0 {
		b.WriteString(rest)
		return b.String()
	}
	b.WriteString(rest[:q+1])
	for i, seg := range strings.Split(rest[q+1:], "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		k, v, ok := strings.Cut(seg, "=")
		key, err := percentDecode(k)
		if err != nil {
			key = k
		}
		if ok && v != "" && isSecretKey(key) {
			seg = k + "=" + redacted
		}
		b.WriteString(seg)
	}
	return b.String()
}
