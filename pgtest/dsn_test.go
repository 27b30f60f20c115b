package pgtest

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExternal attaches to a server through PGTEST_DSN, in both DSN forms.
func TestExternal(t *testing.T) {
	base := Shared()
	if base.External() {
		t.Skip("already running against PGTEST_DSN")
	}
	port := strconv.Itoa(base.Port())
	for _, dsn := range []string{base.DSN(), base.UnixDSN()} {
		t.Setenv(EnvDSN, dsn)
		s, err := startOrAttach(Options{Users: []User{{Name: "ignored"}}})
		require.NoError(t, err, dsn)

		assert.True(t, s.External())
		assert.Equal(t, dsn, s.DSN())
		assert.Equal(t, base.Port(), s.Port())
		assert.Equal(t, "postgres", s.Superuser())
		assert.Empty(t, s.DataDir())
		out, err := s.SQL("SELECT current_user")
		require.NoError(t, err)
		assert.Equal(t, "postgres", out)

		assert.NoError(t, s.Stop())
		assert.NoError(t, s.Stop())
		assert.Error(t, s.Restart())
		_, err = s.LogContents()
		assert.Error(t, err)
		out, err = base.SQL("SELECT 'still up'") // Stop left it alone
		require.NoError(t, err)
		assert.Equal(t, "still up", out)

		if dsn == base.DSN() {
			assert.Equal(t, "127.0.0.1", s.Host())
			assert.Empty(t, s.SocketDir())
			assert.Empty(t, s.UnixDSN())
			assert.Equal(t, "postgres://u:p%20w@127.0.0.1:"+port+"/postgres?sslmode=disable", s.UserDSN("u", "p w"))
		} else {
			assert.Empty(t, s.Host())
			assert.Equal(t, base.SocketDir(), s.SocketDir())
			assert.Equal(t, base.UnixDSN(), s.UnixDSN())
			assert.Equal(t, "host="+base.SocketDir()+" port="+port+" dbname=postgres user=u password='p w'", s.UserDSN("u", "p w"))
		}
	}
}

func TestParseExtDSN(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		dsn, host, user, dbname string
		port                    int
		withUser                string
	}{
		{"postgres://bob:pw@db.example:6432/app?sslmode=require", "db.example", "bob", "app", 6432,
			"postgres://u:p%40@db.example:6432/app?sslmode=require"},
		{"postgresql://db.example/app", "db.example", "", "app", 5432,
			"postgresql://u:p%40@db.example/app"},
		{"postgres:///app?host=/var/run/postgresql&user=bob&password=x", "/var/run/postgresql", "bob", "app", 5432,
			"postgres://u:p%40@/app?host=%2Fvar%2Frun%2Fpostgresql"},
		{"postgres://h1:5432,h2:5433/app", "h1", "", "app", 5432, "postgres://u:p%40@h1:5432,h2:5433/app"},
		{"postgres://[::1]:7/app", "::1", "", "app", 7, "postgres://u:p%40@[::1]:7/app"},
		{"postgres://%zz", "", "", "", 0, "postgres://%zz"},
		{"host=db.example port=6432 user=bob password='a \\'b' dbname = app", "db.example", "bob", "app", 6432,
			"host=db.example port=6432 dbname=app user=u password=p@"},
		{"dbname='my db'", "", "", "my db", 5432, "dbname='my db' user=u password=p@"},
		{"", "", "", "", 0, ""},
	} {
		e := parseExtDSN(tt.dsn)
		assert.Equal(t, tt.host, e.host, tt.dsn)
		assert.Equal(t, tt.user, e.user, tt.dsn)
		assert.Equal(t, tt.dbname, e.dbname, tt.dsn)
		assert.Equal(t, tt.port, e.port, tt.dsn)
		assert.Equal(t, tt.withUser, e.withUser("u", "p@"), tt.dsn)
	}
}

func TestQuoting(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "plain", kvQuote("plain"))
	assert.Equal(t, `''`, kvQuote(""))
	assert.Equal(t, `'a b\'c\\d'`, kvQuote(`a b'c\d`))
	assert.Equal(t, [][2]string{{"a", `b'c\d`}, {"e", "f"}}, parseKV(`a='b\'c\\d' e=f`))
	assert.Equal(t, "aZ09-._~%25%2F%3A%40%20%C3%A9", pctEncode("aZ09-._~%/:@ é"))
	assert.Equal(t, `"a""b"`, quoteIdent(`a"b`))
	assert.Equal(t, `'it''s \n'`, quoteLiteral(`it's \n`))
	assert.Equal(t, `'/it''s'`, confQuote(`/it's`))
}
