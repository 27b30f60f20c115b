package dsn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const passfile = `# hostname:port:database:username:password
h1:5432:db1:u1:pw1
h1:*:*:u2:pw2
*:*:*:u3:pw\:with\\colon
esc\:host:5432:db:u:escpw
localhost:5432:db:sock:sockpw
/custom/dir:5432:db:dir:dirpw
\*:5432:db:star:literalstar
h9:5432:db:trunc:first:ignored
h9:5432:db:crlf:crlfpw` + "\r" + `
h9:5432:db:dup:firstdup
h9:5432:db:dup:seconddup
h9:5432:db:trailing\
`

func TestPasswordFromFile(t *testing.T) {
	t.Parallel()
	path := writeFile(t, filepath.Join(t.TempDir(), "pgpass"), passfile)

	cases := []struct {
		name           string
		h              Host
		database, user string
		want           string
	}{
		{"exact", Host{Host: "h1", Port: 5432}, "db1", "u1", "pw1"},
		{"wrong port", Host{Host: "h1", Port: 5433}, "db1", "u1", ""},
		{"zero port is 5432", Host{Host: "h1"}, "db1", "u1", "pw1"},
		{"wildcard port and db", Host{Host: "h1", Port: 9999}, "any", "u2", "pw2"},
		{"wildcard host, escaped password", Host{Host: "anywhere", Port: 1}, "x", "u3", `pw:with\colon`},
		{"escaped colon in host", Host{Host: "esc:host", Port: 5432}, "db", "u", "escpw"},
		{"default socket dir is localhost", Host{Host: "/var/run/postgresql", Port: 5432}, "db", "sock", "sockpw"},
		{"any socket dir is localhost", Host{Host: "/tmp", Port: 5432}, "db", "sock", "sockpw"},
		{"no host is localhost", Host{}, "db", "sock", "sockpw"},
		{"socket dir by path", Host{Host: "/custom/dir", Port: 5432}, "db", "dir", "dirpw"},
		{"hostaddr when no host", Host{HostAddr: "10.0.0.1", Port: 5432}, "db", "u3", `pw:with\colon`},
		{"TCP localhost is not a socket path", Host{Host: "localhost", Port: 5432}, "db", "dir", ""},
		{"escaped star is literal", Host{Host: "*", Port: 5432}, "db", "star", "literalstar"},
		{"escaped star does not match others", Host{Host: "other", Port: 5432}, "db", "star", ""},
		{"password ends at unescaped colon", Host{Host: "h9", Port: 5432}, "db", "trunc", "first"},
		{"CRLF line", Host{Host: "h9", Port: 5432}, "db", "crlf", "crlfpw"},
		{"first match wins", Host{Host: "h9", Port: 5432}, "db", "dup", "firstdup"},
		{"trailing backslash never matches", Host{Host: "h9", Port: 5432}, "db", `trailing\`, ""},
		{"empty database", Host{Host: "h1", Port: 5432}, "", "u1", ""},
		{"empty user", Host{Host: "h1", Port: 5432}, "db1", "", ""},
		{"no entry", Host{Host: "nowhere", Port: 5432}, "db", "nobody", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := PasswordFromFile(path, tc.h, tc.database, tc.user, func(m string) { t.Errorf("unexpected warning %q", m) })
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPasswordFromFileIgnored(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := Host{Host: "h1", Port: 5432}

	t.Run("missing file", func(t *testing.T) {
		assert.Equal(t, "", PasswordFromFile(filepath.Join(dir, "missing"), h, "db1", "u1", nil))
		assert.Equal(t, "", PasswordFromFile("", h, "db1", "u1", nil))
	})
	t.Run("group readable", func(t *testing.T) {
		path := writeFile(t, filepath.Join(dir, "open"), passfile)
		require.NoError(t, os.Chmod(path, 0o640))
		var warnings []string
		got := PasswordFromFile(path, h, "db1", "u1", func(m string) { warnings = append(warnings, m) })
		assert.Equal(t, "", got)
		require.Len(t, warnings, 1)
		assert.Contains(t, warnings[0], "has group or world access")
		assert.Contains(t, warnings[0], path)
		assert.NotContains(t, warnings[0], "pw1")
		// A nil warn must not panic.
		assert.Equal(t, "", PasswordFromFile(path, h, "db1", "u1", nil))
	})
	t.Run("not a plain file", func(t *testing.T) {
		var warnings []string
		got := PasswordFromFile(dir, h, "db1", "u1", func(m string) { warnings = append(warnings, m) })
		assert.Equal(t, "", got)
		require.Len(t, warnings, 1)
		assert.Contains(t, warnings[0], "not a plain file")
	})
}

func TestDefaultPassfile(t *testing.T) {
	t.Parallel()
	sys := testSystem(false)
	assert.Equal(t, "/env/pass", sys.defaultPassfile(fakeEnv(map[string]string{"PGPASSFILE": "/env/pass", "HOME": "/h"})))
	assert.Equal(t, "/h/.pgpass", sys.defaultPassfile(fakeEnv(map[string]string{"HOME": "/h"})))
	assert.Equal(t, "", sys.defaultPassfile(fakeEnv(nil)))

	sys.currentUser = func() (string, string, bool) { return "u", "/passwd/home", true }
	assert.Equal(t, "/passwd/home/.pgpass", sys.defaultPassfile(fakeEnv(nil)))
	assert.Equal(t, "/h/.pgpass", DefaultPassfile(fakeEnv(map[string]string{"HOME": "/h"})))
}
