package pgtest

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startBouncer starts PgBouncer in front of s for one test and stops it when
// the test ends. A missing pgbouncer binary fails the test: CI installs it.
func startBouncer(t *testing.T, s *Server, opts PgBouncerOptions) *PgBouncer {
	t.Helper()
	opts.Logf = t.Logf
	b, err := s.StartPgBouncer(opts)
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			if log, err := b.LogContents(); err == nil {
				t.Logf("pgbouncer log:\n%s", tail(log, 30))
			}
		}
		assert.NoError(t, b.Stop())
	})
	return b
}

// config returns PgBouncer's settings from SHOW CONFIG, by name.
func config(t *testing.T, b *PgBouncer) map[string]string {
	t.Helper()
	out, err := b.Admin("SHOW CONFIG")
	require.NoError(t, err)
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, "|"); len(f) >= 2 {
			m[f[0]] = f[1]
		}
	}
	return m
}

// TestPgBouncerModes runs queries through PgBouncer in each pool mode in
// front of one throwaway server.
func TestPgBouncerModes(t *testing.T) {
	t.Parallel()
	s := start(t, Options{Users: []User{{Name: "app", Password: "s3 cret", Method: "scram-sha-256"}}})
	for _, mode := range []string{"session", "transaction", "statement"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			b := startBouncer(t, s, PgBouncerOptions{PoolMode: mode, DefaultPoolSize: 3, MaxClientConn: 50})
			assert.Equal(t, mode, b.PoolMode())
			port := strconv.Itoa(b.Port())
			assert.Equal(t, "postgres://postgres@127.0.0.1:"+port+"/postgres?sslmode=disable", b.DSN())
			assert.Equal(t, "postgres://a%20b:p%40w@127.0.0.1:"+port+"/postgres?sslmode=disable", b.UserDSN("a b", "p@w"))
			assert.NotEqual(t, s.Port(), b.Port())

			out, err := psqlAs(s, b.DSN(), "SELECT current_user, inet_server_port(), 6 * 7")
			require.NoError(t, err)
			assert.Equal(t, "postgres|"+strconv.Itoa(s.Port())+"|42", out, "through PgBouncer to the server's TCP port")
			out, err = b.SQL("SELECT 1; SELECT 2")
			require.NoError(t, err)
			assert.Equal(t, "1\n2", out)

			// PgBouncer logs in to the server with the user's password
			// (SCRAM here) from its auth_file.
			out, err = psqlAs(s, b.UserDSN("app", ""), "SELECT current_user")
			require.NoError(t, err)
			assert.Equal(t, "app", out)
			_, err = psqlAs(s, b.UserDSN("stranger", ""), "SELECT 1")
			assert.Error(t, err, "a user missing from the auth_file")

			// options is dropped (ignore_startup_parameters), not refused.
			out, err = psqlAs(s, b.DSN()+"&options=-c%20work_mem%3D7MB", "SELECT 1")
			require.NoError(t, err)
			assert.Equal(t, "1", out)

			cfg := config(t, b)
			assert.Equal(t, mode, cfg["pool_mode"])
			assert.Equal(t, "3", cfg["default_pool_size"])
			assert.Equal(t, "50", cfg["max_client_conn"])
			assert.Equal(t, "trust", cfg["auth_type"])
			assert.Equal(t, "extra_float_digits,options", cfg["ignore_startup_parameters"])
			if mode == "session" {
				assert.Equal(t, "DISCARD ALL", cfg["server_reset_query"])
			} else {
				assert.Empty(t, cfg["server_reset_query"])
			}

			out, err = b.Admin("SHOW POOLS")
			require.NoError(t, err)
			assert.Contains(t, out, "postgres|postgres|")
			assert.Contains(t, out, "|"+mode)

			log, err := b.LogContents()
			require.NoError(t, err)
			assert.Contains(t, log, "process up: PgBouncer")
			assert.Contains(t, log, "login attempt: db=postgres user=postgres")
		})
	}
}

// TestPgBouncerTransactionMode checks that transaction mode really hands
// the server connection back between transactions: with one server
// connection, two clients interleave on the same backend.
func TestPgBouncerTransactionMode(t *testing.T) {
	t.Parallel()
	s := Shared()
	if s.External() {
		t.Skip("PGTEST_DSN: TestPgBouncerExternal covers it")
	}
	b := startBouncer(t, s, PgBouncerOptions{PoolMode: "transaction", DefaultPoolSize: 1})
	pids := map[string]bool{}
	for i := 0; i < 3; i++ {
		out, err := b.SQL("SELECT pg_backend_pid()")
		require.NoError(t, err)
		pids[out] = true
	}
	assert.Len(t, pids, 1, "one server connection serves every client")

	// Session state outlives the client: nothing resets it in transaction
	// mode (server_reset_query is empty there).
	// (PgBouncer itself tracks a few, such as application_name.)
	_, err := b.SQL("SET work_mem = '7MB'")
	require.NoError(t, err)
	out, err := b.SQL("SHOW work_mem")
	require.NoError(t, err)
	assert.Equal(t, "7MB", out)
}

// TestPgBouncerSessionReset checks that session mode's DISCARD ALL resets a
// server connection between clients.
func TestPgBouncerSessionReset(t *testing.T) {
	t.Parallel()
	s := Shared()
	if s.External() {
		t.Skip("PGTEST_DSN")
	}
	b := startBouncer(t, s, PgBouncerOptions{DefaultPoolSize: 1})
	_, err := b.SQL("SET work_mem = '7MB'; PREPARE p AS SELECT 1")
	require.NoError(t, err)
	out, err := b.SQL("SHOW work_mem; SELECT count(*) FROM pg_prepared_statements")
	require.NoError(t, err)
	assert.Equal(t, "4MB\n0", out)
}

func TestPgBouncerStop(t *testing.T) {
	t.Parallel()
	b, err := Shared().StartPgBouncer(PgBouncerOptions{Logf: t.Logf})
	require.NoError(t, err)
	dir, pid := b.dir, b.proc.Process.Pid
	require.FileExists(t, b.LogPath())
	require.NoError(t, b.Close())
	assert.NoDirExists(t, dir)
	assert.False(t, pidAlive(pid), "pgbouncer still running")
	assert.NoError(t, b.Stop(), "second Stop")
	_, err = b.SQL("SELECT 1")
	assert.Error(t, err)
	out, err := Shared().SQL("SELECT 'server still up'")
	require.NoError(t, err)
	assert.Equal(t, "server still up", out)
}

func TestPgBouncerErrors(t *testing.T) {
	s := Shared()
	_, err := s.StartPgBouncer(PgBouncerOptions{PoolMode: "Transaction"})
	assert.ErrorContains(t, err, `PoolMode "Transaction"`)
	_, err = s.StartPgBouncer(PgBouncerOptions{Users: []User{{Name: `a"b`}}})
	assert.ErrorContains(t, err, "invalid user name")

	_, err = s.StartPgBouncer(PgBouncerOptions{Binary: "/nonexistent/pgbouncer"})
	assert.ErrorContains(t, err, "PgBouncerOptions.Binary=/nonexistent/pgbouncer is not an executable file")
	assert.ErrorContains(t, err, "install Debian's pgbouncer package")
	assert.ErrorIs(t, err, errNoPgBouncer)
	t.Setenv(EnvPgBouncer, t.TempDir())
	_, err = s.StartPgBouncer(PgBouncerOptions{})
	assert.ErrorContains(t, err, "PGBOUNCER=")
	assert.ErrorIs(t, err, errNoPgBouncer)

	// A bad setting: the log tail explains, and nothing is left behind.
	t.Setenv(EnvPgBouncer, "")
	var dir string
	_, err = s.StartPgBouncer(PgBouncerOptions{
		Settings: []string{"pool_mode = sometimes"},
		Logf: func(format string, args ...any) {
			if strings.Contains(format, "directory") {
				dir = args[len(args)-1].(string)
			}
		},
	})
	assert.ErrorContains(t, err, "sometimes")
	require.NotEmpty(t, dir)
	assert.NoDirExists(t, dir)
}

// TestPgBouncerExternal puts PgBouncer in front of a server attached through
// PGTEST_DSN, in both DSN forms, with a password PgBouncer must pass on.
func TestPgBouncerExternal(t *testing.T) {
	base := Shared()
	if base.External() {
		t.Skip("already running against PGTEST_DSN")
	}
	_, err := base.SQL("CREATE ROLE ext_owner LOGIN SUPERUSER PASSWORD 'ext pw'")
	require.NoError(t, err)
	t.Cleanup(func() { base.SQL("DROP ROLE ext_owner") })
	for _, dsn := range []string{
		base.UserDSN("ext_owner", "ext pw"),
		strings.Replace(base.UnixDSN(), "user=postgres", "user=ext_owner password='ext pw'", 1),
	} {
		t.Setenv(EnvDSN, dsn)
		s, err := startOrAttach(Options{})
		require.NoError(t, err, dsn)
		b := startBouncer(t, s, PgBouncerOptions{PoolMode: "transaction"})
		assert.Contains(t, b.DSN(), "postgres://ext_owner@127.0.0.1:")
		out, err := b.SQL("SELECT current_user")
		require.NoError(t, err)
		assert.Equal(t, "ext_owner", out)
		ini, err := os.ReadFile(b.dir + "/userlist.txt")
		require.NoError(t, err)
		assert.Equal(t, "\"ext_owner\" \"ext pw\"\n", string(ini))
	}
}

func TestAuthQuote(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `"a""b c"`, quoteIdent(`a"b c`))
	assert.Equal(t, `'/a b'`, iniConnValue("/a b"))
	assert.Equal(t, `127.0.0.1`, iniConnValue("127.0.0.1"))
}
