package dsn

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// escapePassfileField escapes a value for one field of a passfile line:
// '\' and ':' get a backslash, as does a leading '#', which would make the
// line a comment.
func escapePassfileField(v string) string {
	v = strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(v)
	if strings.HasPrefix(v, "#") {
		v = `\` + v
	}
	return v
}

// FuzzPassfile looks a password up in arbitrary passfile text (nothing
// may panic, and a password never spans lines), and checks that a line
// written with libpq's escaping, put first, gives back exactly its
// password for its own host, database and user.
func FuzzPassfile(f *testing.F) {
	for _, seed := range [][5]string{
		{passfile, "h1", "db1", "u1", "pw"},
		{"*:*:*:*:x\n", "h:o:st", "d\\b", "#user", `p:a\ss`},
		{"h:5432:db:u:a:b\r\n# c\n\\*:*:*:*:star", "*", "db", "u", "pw "},
		{"trailing\\", "/var/run/postgresql", "x", "y", "\\"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], seed[4])
	}
	f.Fuzz(func(t *testing.T, data, host, database, user, password string) {
		for _, h := range []Host{{Host: host, Port: 5432}, {HostAddr: host}, {Host: "/tmp", Port: 1}} {
			if got := lookupPassword(data, h, database, user); strings.ContainsAny(got, "\n") {
				t.Fatalf("password %q spans lines", got)
			}
		}
		if host == "" || database == "" || user == "" || strings.ContainsAny(host+database+user+password, "\r\n") {
			return // not expressible in one passfile line
		}
		line := strings.Join([]string{escapePassfileField(host), "5432", escapePassfileField(database),
			escapePassfileField(user), escapePassfileField(password)}, ":")
		if got := lookupPassword(line+"\n"+data, Host{Host: host, Port: 5432}, database, user); got != password {
			t.Fatalf("line %q: got password %q, want %q", line, got, password)
		}
	})
}

// FuzzServiceFile parses a connection string naming a service in a file
// of arbitrary content whose service sets a password: no panic, every
// error is an *Error, and no error quotes the password.
func FuzzServiceFile(f *testing.F) {
	for _, seed := range [][3]string{
		{"pw", serviceFile, "service=svc"},
		{"x", "[svc]\nhost=a,b\nport=1,2,3\n", "service=svc"},
		{"y", "host=outside\n[svc]\n", "service=svc"},
		{"z", "[svc]\nservice=svc\n", "service=svc"},
		{"w", "[svc]\nsslmode=bogus\nport=Sekr3tw\n", "service=svc"},
		{"v", "[other]\nhost=h\n", "service=svc"},
		{"u", "[svc]\ngssencmode=require\n", "service=svc dbname=d"},
		{"t", "[svc]\nno equals sign\n", "service=svc"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, pw, content, rest string) {
		password := secretPrefix + pw
		if strings.ContainsAny(password, "\r\n\x00") || strings.TrimSpace(password) != password {
			return // not a value a service file line can hold
		}
		file, err := os.CreateTemp(dir, "svc")
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(file.Name())
		if _, err := file.WriteString("[svc]\npassword=" + password + "\n" + content); err != nil {
			t.Fatal(err)
		}
		file.Close()
		if mentionsSecret(content) || mentionsSecret(rest) {
			password = "" // the text may spell the secret outside the password
		}
		dsn := "servicefile='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(filepath.ToSlash(file.Name())) + "' " + rest
		_, err = parse(dsn, fuzzEnv, testSystem(false))
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is %T, not *Error", err, err)
		}
		if password != "" && strings.Contains(err.Error(), password) {
			t.Fatalf("error %q contains the service's password", err)
		}
	})
}

// FuzzParseRequireAuth: a list that parses allows exactly its methods
// (or, negated, all others), and one that does not gives a reason.
func FuzzParseRequireAuth(f *testing.F) {
	for _, seed := range []string{"", "md5", "!password,!md5", "scram-sha-256,none", "md5,!md5", "md5,md5", ",", "!", "gss,sspi"} {
		f.Add(seed)
	}
	methods := []string{"password", "md5", "gss", "sspi", "scram-sha-256", "none"}
	f.Fuzz(func(t *testing.T, v string) {
		r, why := ParseRequireAuth(v)
		if why != "" {
			if len(r.Methods) != 0 {
				t.Fatalf("%q: failed (%s) but returned methods %v", v, why, r.Methods)
			}
			return
		}
		listed := map[string]bool{}
		if v != "" {
			for _, m := range strings.Split(v, ",") {
				listed[strings.TrimPrefix(m, "!")] = true
			}
		}
		for _, m := range methods {
			want := v == "" || listed[m] != r.Negated
			if r.Allows(m) != want {
				t.Fatalf("%q: Allows(%q) = %v, want %v", v, m, !want, want)
			}
		}
		for m := range listed {
			if !r.Methods[m] {
				t.Fatalf("%q: method %q listed but not parsed", v, m)
			}
		}
	})
}
