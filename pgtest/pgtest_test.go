package pgtest

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// start starts a server for one test and stops it when the test ends.
func start(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Logf = t.Logf
	s, err := Start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Stop()) })
	return s
}

// psqlAs runs sql through psql with dsn as the current OS user, the way a
// client of the server would connect.
func psqlAs(s *Server, dsn, sql string) (string, error) {
	cmd := exec.Command(filepath.Join(s.binDir, "psql"), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql)
	cmd.Env = childEnv()
	return run(cmd, "")
}

func TestStartWithUsers(t *testing.T) {
	t.Parallel()
	s := start(t, Options{
		Users: []User{
			{Name: "pw_user", Password: "pa ss'@:/%", Method: "password"},
			{Name: "scram_user", Password: "s3cret", Method: "scram-sha-256", Superuser: true},
			{Name: "md5_user", Password: "m", Method: "md5"},
			{Name: "nobody", Method: "reject"},
		},
		HBA:  []string{"host all hba_only 127.0.0.1/32 reject"},
		Conf: []string{"max_connections = 123", "work_mem = '7MB'"},
	})

	out, err := s.SQL("SHOW max_connections; SHOW work_mem; SHOW fsync; SHOW server_encoding")
	require.NoError(t, err)
	assert.Equal(t, "123\n7MB\noff\nUTF8", out)

	out, err = s.SQL(`SELECT rolname, rolsuper, left(rolpassword, 3) FROM pg_authid
		WHERE rolname IN ('pw_user', 'scram_user', 'md5_user') ORDER BY 1`)
	require.NoError(t, err)
	assert.Equal(t, "md5_user|f|md5\npw_user|f|SCR\nscram_user|t|SCR", out)

	// First matching line wins: HBA, then users, then the defaults.
	out, err = s.SQL(`SELECT type, user_name[1], auth_method FROM pg_hba_file_rules ORDER BY line_number LIMIT 8`)
	require.NoError(t, err)
	assert.Equal(t, strings.Join([]string{
		"host|hba_only|reject",
		"local|pw_user|password", "host|pw_user|password", "host|pw_user|password",
		"local|scram_user|scram-sha-256", "host|scram_user|scram-sha-256", "host|scram_user|scram-sha-256",
		"local|md5_user|md5",
	}, "\n"), out)

	for _, tt := range []struct {
		user, password, wantErr string
	}{
		{"pw_user", "pa ss'@:/%", ""},
		{"pw_user", "wrong", `password authentication failed for user "pw_user"`},
		{"scram_user", "s3cret", ""},
		{"scram_user", "", "no password supplied"},
		{"md5_user", "m", ""},
		{"nobody", "", `pg_hba.conf rejects connection`},
		{"postgres", "", ""}, // trust
	} {
		out, err := psqlAs(s, s.UserDSN(tt.user, tt.password), "SELECT current_user")
		if tt.wantErr != "" {
			assert.ErrorContains(t, err, tt.wantErr, tt.user)
			continue
		}
		if assert.NoError(t, err, tt.user) {
			assert.Equal(t, tt.user, out)
		}
	}
}

func TestAccessors(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	port := strconv.Itoa(s.Port())
	assert.Equal(t, "127.0.0.1", s.Host())
	assert.Equal(t, "postgres", s.Superuser())
	assert.False(t, s.External())
	assert.Equal(t, "postgres://postgres@127.0.0.1:"+port+"/postgres?sslmode=disable", s.DSN())
	assert.Equal(t, "host="+s.SocketDir()+" port="+port+" user=postgres dbname=postgres", s.UnixDSN())
	assert.Equal(t, "postgres://a%20b:p%40ss%3Aw%2Fd@127.0.0.1:"+port+"/postgres?sslmode=disable", s.UserDSN("a b", "p@ss:w/d"))
	assert.FileExists(t, filepath.Join(s.SocketDir(), ".s.PGSQL."+port))
	assert.FileExists(t, filepath.Join(s.DataDir(), "PG_VERSION"))
	assert.Less(t, len(s.SocketDir()+"/.s.PGSQL.65535"), 108)

	out, err := psqlAs(s, s.DSN(), "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, "1", out)
	out, err = psqlAs(s, s.UnixDSN(), "SELECT current_setting('unix_socket_directories') = '"+s.SocketDir()+"'")
	require.NoError(t, err)
	assert.Equal(t, "t", out)
}

func TestSQL(t *testing.T) {
	t.Parallel()
	s := Shared()
	out, err := s.SQL("CREATE TEMP TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x'), (2, NULL); SELECT * FROM t ORDER BY a")
	require.NoError(t, err)
	assert.Equal(t, "1|x\n2|", out)

	out, err = s.SQL("")
	require.NoError(t, err)
	assert.Empty(t, out)

	_, err = s.SQL("SELECT 1; SELECT nope; SELECT 3")
	assert.ErrorContains(t, err, `column "nope" does not exist`)
}

func TestShared(t *testing.T) {
	t.Parallel()
	s := Shared()
	out, err := s.SQL("SELECT current_setting('application_name'), count(*) FROM pg_roles WHERE rolname = 'shared_app'")
	require.NoError(t, err)
	if s.External() {
		t.Skip("PGTEST_DSN: Options not applied")
	}
	assert.Equal(t, "psql|1", out) // psql sets its own application_name
	assert.DirExists(t, s.DataDir())
}

func TestRestart(t *testing.T) {
	t.Parallel()
	s := start(t, Options{Users: []User{{Name: "u", Password: "p"}}})
	port, pid := s.Port(), s.proc.Process.Pid
	_, err := s.SQL("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)")
	require.NoError(t, err)

	require.NoError(t, s.Restart())
	assert.Equal(t, port, s.Port())
	assert.NotEqual(t, pid, s.proc.Process.Pid)
	out, err := s.SQL("SELECT x FROM kept; SELECT count(*) FROM pg_roles WHERE rolname = 'u'")
	require.NoError(t, err)
	assert.Equal(t, "7\n1", out)

	log, err := s.LogContents()
	require.NoError(t, err)
	assert.Contains(t, log, "received fast shutdown request")
	assert.Equal(t, 2, strings.Count(log, "database system is ready to accept connections"))
	assert.Contains(t, log, "connection authorized: user=postgres") // log_connections
}

func TestStop(t *testing.T) {
	t.Parallel()
	s, err := Start(Options{Logf: t.Logf})
	require.NoError(t, err)
	dir, pid := s.dir, s.proc.Process.Pid
	require.DirExists(t, dir)

	require.NoError(t, s.Stop())
	assert.NoDirExists(t, dir)
	assert.False(t, pidAlive(pid), "postmaster still running")
	assert.NoError(t, s.Stop(), "second Stop")
	assert.ErrorContains(t, s.Restart(), "after Stop")
	_, err = s.SQL("SELECT 1")
	assert.Error(t, err)
}

func TestStartFailure(t *testing.T) {
	t.Parallel()
	var dir string
	_, err := Start(Options{
		Conf: []string{"no_such_setting = 1"},
		Logf: func(format string, args ...any) {
			if strings.Contains(format, "directory") {
				dir = args[len(args)-1].(string)
			}
		},
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unrecognized configuration parameter "no_such_setting"`) // log tail
	require.NotEmpty(t, dir)
	assert.NoDirExists(t, dir, "failed Start left its directory")

	for _, u := range []User{{Name: ""}, {Name: `a"b`}, {Name: "postgres"}, {Name: "x", Method: "md5\nlocal all all trust"}} {
		_, err = Start(Options{Users: []User{u}})
		assert.ErrorContains(t, err, "pgtest: ", u.Name)
	}
}

// TestLongTempDir checks that a socket path too long for sun_path moves the
// socket to a short directory of its own.
func TestLongTempDir(t *testing.T) {
	long, err := os.MkdirTemp("", "pglong-")
	require.NoError(t, err)
	defer os.RemoveAll(long)
	long = filepath.Join(long, strings.Repeat("x", 100))
	require.NoError(t, os.MkdirAll(long, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(long), 0o755))
	t.Setenv("TMPDIR", long)

	s, err := Start(Options{})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(s.DataDir(), long))
	assert.True(t, strings.HasPrefix(s.SocketDir(), "/tmp/pgs-"), s.SocketDir())
	out, err := s.SQL("SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, "1", out)
	sock := s.SocketDir()
	require.NoError(t, s.Stop())
	assert.NoDirExists(t, sock)
}

// TestUnreachableTempDir checks the error when, running as root, the
// server's user could not reach the temporary directory.
func TestUnreachableTempDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to another user")
	}
	private := t.TempDir()
	require.NoError(t, os.Chmod(private, 0o700))
	t.Setenv("TMPDIR", private)
	_, err := Start(Options{})
	assert.ErrorContains(t, err, "cannot enter "+private)
	entries, _ := os.ReadDir(private)
	assert.Empty(t, entries, "failed Start left its directory")
}

// TestPortClash runs alone (no t.Parallel) because it replaces pickPort.
func TestPortClash(t *testing.T) {
	busy := Shared()
	if busy.External() {
		t.Skip("PGTEST_DSN")
	}
	calls := 0
	pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return busy.Port(), nil // taken: Start must move on
		}
		return freePort()
	}
	defer func() { pickPort = freePort }()
	s := start(t, Options{})
	assert.Equal(t, 2, calls)
	assert.NotEqual(t, busy.Port(), s.Port())
}

func TestFindBinDir(t *testing.T) {
	_, err := findBinDir("/nonexistent")
	assert.ErrorContains(t, err, "Options.BinDir=/nonexistent: no postgres: PostgreSQL server binaries not found: install postgresql-15 or set PG_BIN")
	t.Setenv("PG_BIN", t.TempDir())
	_, err = findBinDir("")
	assert.ErrorContains(t, err, "PG_BIN=")
	assert.ErrorIs(t, err, errNoBinaries)

	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "10"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, v, "bin"), 0o755))
	}
	assert.Equal(t, []string{root + "/15/bin", root + "/10/bin", root + "/9.6/bin"}, debianDirs(root))
}

func TestHBALines(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"hostssl all u 127.0.0.1/32 cert clientcert=verify-full", "hostssl all u ::1/128 cert clientcert=verify-full"},
		hbaLines("u", "cert clientcert=verify-full"))
	assert.Equal(t, []string{"local all u peer"}, hbaLines("u", "peer"))
	assert.Len(t, hbaLines("u", "md5"), 3)
	assert.Equal(t, "scram-sha-256", User{Password: "x"}.method())
	assert.Equal(t, "trust", User{}.method())
}

func TestSweepStale(t *testing.T) {
	t.Parallel()
	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	mk := func(owner int) string {
		dir, err := os.MkdirTemp("", tempPrefix)
		require.NoError(t, err)
		t.Cleanup(func() { os.RemoveAll(dir) })
		require.NoError(t, os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(owner)), 0o644))
		return dir
	}
	stale, live := mk(dead.Process.Pid), mk(os.Getpid())
	noOwner := mk(0)
	sweepStale()
	assert.NoDirExists(t, stale)
	assert.DirExists(t, live)
	assert.DirExists(t, noOwner)
}

var dsnRE = regexp.MustCompile(`^postgres://postgres@127\.0\.0\.1:\d+/postgres\?sslmode=disable$`)

func TestMainRun(t *testing.T) {
	prev := shared.Load()
	defer shared.Store(prev)
	if prev.External() {
		t.Skip("PGTEST_DSN")
	}
	var seen *Server
	code := runMain(runFunc(func() int {
		seen = Shared()
		return 3
	}), Options{}, io.Discard)
	assert.Equal(t, 3, code)
	require.NotNil(t, seen)
	assert.Regexp(t, dsnRE, seen.DSN())
	assert.NoDirExists(t, seen.dir, "Main did not stop its server")
	assert.Panics(t, func() { Shared() })

	t.Setenv(EnvDSN, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	var stderr strings.Builder
	assert.Equal(t, 1, runMain(runFunc(func() int { return 0 }), Options{}, &stderr), "unreachable PGTEST_DSN")
	assert.Contains(t, stderr.String(), "PGTEST_DSN: pgtest: psql: ")
	assert.NotContains(t, stderr.String(), "port 1/", "DSN printed")
}

type runFunc func() int

func (f runFunc) Run() int { return f() }
