package dsn

import (
	"strings"
	"testing"

	"github.com/jackc/pgpassfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPassfileAgainstPgpassfile compares lookupPassword with
// github.com/jackc/pgpassfile, the parser the issue suggested. On ordinary
// files they agree; where they differ, pgpassfile departs from libpq's
// passwordFromFile (fe-connect.c), whose behaviour pg keeps so that a
// passfile means to pg what it means to psql. These cases are why pg has
// its own matcher.
func TestPassfileAgainstPgpassfile(t *testing.T) {
	t.Parallel()
	lookup := func(t *testing.T, data, host, db, user string) (libpq, pgx string) {
		t.Helper()
		pf, err := pgpassfile.ParsePassfile(strings.NewReader(data))
		if err == nil {
			pgx = pf.FindPassword(host, "5432", db, user)
		} else {
			pgx = "error: " + err.Error()
		}
		return lookupPassword(data, Host{Host: host, Port: 5432}, db, user), pgx
	}

	agree := []struct{ data, host, db, user, want string }{
		{"h:5432:db:u:pw\n", "h", "db", "u", "pw"},
		{"# comment\n*:*:*:u:star\n", "any", "db", "u", "star"},
		{"h:5433:db:u:no\nh:*:db:u:yes\n", "h", "db", "u", "yes"},
		{`h\:x:5432:db:u:p\:w\\d` + "\n", "h:x", "db", "u", `p:w\d`},
		{"h:5432:db:u:first\nh:5432:db:u:second\n", "h", "db", "u", "first"},
		{"h:5432:db:other:pw\n", "h", "db", "u", ""},
		{"h:5432:db:u:crlf\r\n", "h", "db", "u", "crlf"},
	}
	for _, tc := range agree {
		libpq, pgx := lookup(t, tc.data, tc.host, tc.db, tc.user)
		assert.Equal(t, tc.want, libpq, "%q", tc.data)
		assert.Equal(t, tc.want, pgx, "pgpassfile on %q", tc.data)
	}

	for _, tc := range []struct {
		why                  string
		data, host, db, user string
		libpq, pgpassfile    string
	}{
		{"libpq keeps a password's trailing blanks; pgpassfile trims the line",
			"h:5432:db:u:pass phrase \n", "h", "db", "u", "pass phrase ", "pass phrase"},
		{"libpq ends the password at an unescaped colon; pgpassfile drops a line with more than five fields",
			"h:5432:db:u:pw:extra\n*:*:*:*:fallback\n", "h", "db", "u", "pw", "fallback"},
		{`libpq takes any backslash-escaped character literally; pgpassfile only unescapes \: and \\`,
			`h:5432:db:u:p\w\d` + "\n", "h", "db", "u", "pwd", `p\w\d`},
		{`libpq reads \* as a literal host "*"; pgpassfile never matches it`,
			`\*:5432:db:u:literal` + "\n", "*", "db", "u", "literal", ""},
		{"libpq matches a host field exactly; pgpassfile trims leading blanks",
			"  h:5432:db:u:pw\n", "h", "db", "u", "", "pw"},
		{"libpq reads lines of any length; pgpassfile fails on a line over 64 KiB and reads nothing",
			"#" + strings.Repeat("x", 70000) + "\nh:5432:db:u:pw\n", "h", "db", "u", "pw", "error: bufio.Scanner: token too long"},
	} {
		libpq, pgx := lookup(t, tc.data, tc.host, tc.db, tc.user)
		require.Equal(t, tc.libpq, libpq, tc.why)
		assert.Equal(t, tc.pgpassfile, pgx, tc.why)
	}
}
