package dsn

import (
	"errors"
	"strings"
	"testing"
)

// secretPrefix makes the fuzzed password distinct from any text an error
// message has of its own.
const secretPrefix = "Sekr3t"

var fuzzEnv = fakeEnv(map[string]string{"USER": "alice", "HOME": "/nonexistent/home/alice", "PGSYSCONFDIR": "/nonexistent/etc"})

// checkParse checks the invariants of one parse: no panic, errors are
// *Error without the password, and a success has usable hosts.
func checkParse(t *testing.T, dsn, password string) {
	t.Helper()
	s, err := parse(dsn, fuzzEnv, testSystem(false))
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is %T, not *Error", err, err)
		}
		if password != "" && strings.Contains(err.Error(), password) {
			t.Fatalf("error %q contains the password %q", err, password)
		}
		return
	}
	if len(s.Hosts) == 0 {
		t.Fatalf("no hosts for %q", dsn)
	}
	for _, h := range s.Hosts {
		if h.Port == 0 {
			t.Fatalf("port 0 for %q: %+v", dsn, s.Hosts)
		}
	}
	if s.User == "" || s.Database == "" || s.RuntimeParams == nil {
		t.Fatalf("defaults missing for %q: %+v", dsn, s)
	}
}

// mentionsSecret reports whether rest spells the secret prefix itself, once
// quotes, backslash escapes and percent-encoding are undone: then an error
// quoting another option's value may legitimately contain the password's text.
func mentionsSecret(rest string) bool {
	var b strings.Builder
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '\\' || c == '\'':
			continue
		case c == '%' && i+2 < len(rest) && isHex(rest[i+1]) && isHex(rest[i+2]):
			b.WriteByte(unhex(rest[i+1])<<4 | unhex(rest[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return strings.Contains(b.String(), secretPrefix)
}

// FuzzParseKeywordValue parses "password='<pw>' <rest>": the password is
// always read correctly, whatever rest does, so no error may contain it.
func FuzzParseKeywordValue(f *testing.F) {
	for _, seed := range [][2]string{
		{"pw", "host=h port=5432 dbname=db"},
		{"it's", "host=a,b,c port=1,2,3 sslmode=verify-full"},
		{`back\slash`, "port=abc"},
		{"x", "password=my secret"},
		{"y", "host='h' port=' 5433 ' search_path='a b'"},
		{"z", "hostaddr=::1,10.0.0.1 host=a,b"},
		{"w", "sslnegotiation=direct sslmode=require require_auth=!md5,!password"},
		{"v", "connect_timeout=1 command_timeout=1.5 statement_cache_size=0"},
		{"u", "service=nope"},
		{"t", "port=Sekr3tt"},
		{"s", "unterminated='"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pw, rest string) {
		password := secretPrefix + pw
		quoted := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(password)
		dsn := "password='" + quoted + "' " + rest
		if strings.IndexByte(password, 0) < 0 {
			// Redact's output is the DSN's text with secret values replaced,
			// so the password may appear in it only where rest spells it.
			if r := Redact(dsn); strings.Contains(r, password) && !strings.Contains(rest, password) {
				t.Fatalf("Redact(%q) = %q keeps the password", dsn, r)
			}
			// An error may quote rest, which may spell the prefix however
			// it is quoted; then the parse check cannot tell a leak.
			if mentionsSecret(rest) {
				password = ""
			}
			checkParse(t, dsn, password)
		}
		checkParse(t, rest, "")
		_ = Redact(rest)
	})
}

// FuzzParseURI parses "postgres://user:<percent-encoded pw>@<rest>": the
// user info is always found, so no error may contain the password.
func FuzzParseURI(f *testing.F) {
	for _, seed := range [][2]string{
		{"pw", "h/db"},
		{"p@ss/w:rd?", "h1:5432,h2:5433,[::1]/db?sslmode=require&search_path=a%2Cb"},
		{"x", "[fe80::1%25eth0]:1/db?application_name=a%20b"},
		{"y", "h:abc/db"},
		{"z", "[::1/db"},
		{"w", "h/db?a=b=c"},
		{"v", "h/db?ssl=true&target_session_attrs=primary"},
		{"u", "%2Ftmp/db?port=0"},
		{"t", ",,/db?host=a,b&port=1,2,3"},
		{"s", "h/d%zz"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pw, rest string) {
		password := secretPrefix + pw
		var enc strings.Builder
		for i := 0; i < len(password); i++ {
			c := password[i]
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				enc.WriteByte(c)
			} else {
				enc.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			}
		}
		dsn := "postgres://user:" + enc.String() + "@" + rest
		if strings.IndexByte(password, 0) < 0 {
			if r := Redact(dsn); strings.Contains(r, enc.String()) && !strings.Contains(rest, enc.String()) {
				t.Fatalf("Redact(%q) = %q keeps the password", dsn, r)
			}
			if mentionsSecret(rest) {
				password = ""
			}
			checkParse(t, dsn, password)
		}
		checkParse(t, "postgresql://"+rest, "")
		_ = Redact("postgres://" + rest)
	})
}
