package pgtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvPgBouncer names the environment variable holding the path of the
// pgbouncer binary, overriding the search of PATH and /usr/sbin.
const EnvPgBouncer = "PGBOUNCER"

// debianPgBouncer is where Debian's pgbouncer package installs the binary,
// outside a non-root PATH.
const debianPgBouncer = "/usr/sbin/pgbouncer"

// errNoPgBouncer is returned when no pgbouncer binary is found.
var errNoPgBouncer = errors.New("pgbouncer not found on PATH or at " + debianPgBouncer +
	": install Debian's pgbouncer package (apt-get install pgbouncer) or set " + EnvPgBouncer)

// PgBouncerOptions configures StartPgBouncer. The zero value is a session
// pool of PgBouncer's default size.
type PgBouncerOptions struct {
	// PoolMode is "session" (empty means session), "transaction" or
	// "statement": when PgBouncer hands a client's server connection back
	// to the pool (at disconnect, at the end of each transaction, after
	// each statement).
	PoolMode string
	// DefaultPoolSize is how many server connections PgBouncer opens per
	// user and database; zero means PgBouncer's default, 20.
	DefaultPoolSize int
	// MaxClientConn is how many client connections PgBouncer accepts; zero
	// means PgBouncer's default, 100.
	MaxClientConn int
	// ServerResetQuery runs on a server connection when a client releases
	// it. Empty means "DISCARD ALL" in session mode, as PgBouncer's default;
	// in the other modes PgBouncer runs it only with
	// server_reset_query_always = 1 (see Settings).
	ServerResetQuery string
	// Users are written to PgBouncer's auth_file besides the server's
	// superuser and the server's Options.Users, so that clients may log in
	// as them. PgBouncer authenticates no client (auth_type = trust); it
	// logs in to the server with the Password given here, which must be
	// right for the server's pg_hba.conf method. Only Name and Password
	// are used.
	Users []User
	// Settings are raw lines for the [pgbouncer] section of pgbouncer.ini,
	// after pgtest's own, such as "server_reset_query_always = 1" or
	// "verbose = 2". Where a setting repeats, the last one wins.
	Settings []string
	// Binary is the pgbouncer executable. Empty means the PGBOUNCER
	// environment variable, then PATH, then /usr/sbin/pgbouncer.
	Binary string
	// Logf, if set, receives progress messages.
	Logf func(format string, args ...any)
}

func (o *PgBouncerOptions) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf("pgtest: pgbouncer: "+format, args...)
	}
}

// PgBouncer is a PgBouncer process in front of a Server, listening on a
// free loopback port. Its methods are safe for concurrent use.
type PgBouncer struct {
	opts   PgBouncerOptions
	srv    *Server
	user   osUser
	binary string
	dir    string // temp dir: pgbouncer.ini, userlist.txt, pgbouncer.log
	port   int
	dbUser string // the superuser, or PGTEST_DSN's user
	dbName string

	mu      sync.Mutex
	proc    *exec.Cmd
	exited  chan struct{}
	stopped bool
}

// StartPgBouncer starts PgBouncer in front of s, pooling connections to
// every database of s for the users PgBouncer knows: the superuser,
// Options.Users of s and opts.Users. The caller must call Stop, typically
// with t.Cleanup; if the test binary dies without it, PgBouncer still exits
// (SIGKILL when its parent dies) and a later Start removes its directory.
//
// PgBouncer is configured for tests: auth_type trust (any password is
// accepted for a listed user), no unix socket, a one-second
// server_login_retry, an admin console (database "pgbouncer", see Admin)
// for the superuser, and ignore_startup_parameters = extra_float_digits,
// options, which drivers commonly send (pgx sends extra_float_digits, pg
// sends options when Config.Options is set; PgBouncer drops them silently).
// Connection logging goes to LogPath.
//
// For a server attached through PGTEST_DSN, PgBouncer connects to that
// DSN's first host and port (a unix socket directory included) as its user
// with its password, using its sslmode as server_tls_sslmode; other DSN
// settings are not carried over.
//
// Running as root, PgBouncer runs as the postgres system account, as the
// server does: it too refuses root ("PgBouncer should not run as root").
func (s *Server) StartPgBouncer(opts PgBouncerOptions) (*PgBouncer, error) {
	switch opts.PoolMode {
	case "":
		opts.PoolMode = "session"
	case "session", "transaction", "statement":
	default:
		return nil, fmt.Errorf("pgtest: pgbouncer: PoolMode %q: want session, transaction or statement", opts.PoolMode)
	}
	if opts.ServerResetQuery == "" && opts.PoolMode == "session" {
		opts.ServerResetQuery = "DISCARD ALL"
	}
	for _, u := range opts.Users {
		if err := u.validate(); err != nil {
			return nil, err
		}
	}
	binary, err := findPgBouncer(opts.Binary)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	u, err := serverOSUser()
	if err != nil {
		return nil, err
	}
	sweepStale()
	dir, err := newTempDir()
	if err != nil {
		return nil, err
	}
	b := &PgBouncer{opts: opts, srv: s, user: u, binary: binary, dir: dir,
		dbUser: s.Superuser(), dbName: "postgres"}
	if s.ext != nil && s.ext.dbname != "" {
		b.dbName = s.ext.dbname
	}
	if b.dbUser == "" {
		b.dbUser = superuser
	}
	if err := b.setup(); err != nil {
		b.Stop()
		return nil, err
	}
	return b, nil
}

// findPgBouncer returns the pgbouncer binary: path, or $PGBOUNCER, or the
// first found on PATH and at debianPgBouncer.
func findPgBouncer(path string) (string, error) {
	src := "PgBouncerOptions.Binary"
	if path == "" {
		path, src = os.Getenv(EnvPgBouncer), EnvPgBouncer
	}
	if path != "" {
		if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s=%s is not an executable file: %w", src, path, errNoPgBouncer)
		}
		return path, nil
	}
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p, nil
	}
	if fi, err := os.Stat(debianPgBouncer); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
		return debianPgBouncer, nil
	}
	return "", errNoPgBouncer
}

func (b *PgBouncer) setup() error {
	t0 := time.Now()
	b.opts.logf("using %s, directory %s", b.binary, b.dir)
	if err := b.user.checkReachable(b.dir); err != nil {
		return err
	}
	if err := b.writeAuthFile(); err != nil {
		return err
	}
	if err := b.user.chown(b.dir); err != nil {
		return err
	}
	var err error
	for i := 0; i < portAttempts; i++ {
		if b.port, err = pickPort(); err != nil {
			return err
		}
		if err = b.writeIni(); err != nil {
			return err
		}
		if err = b.launch(); !errors.Is(err, errAddrInUse) {
			break
		}
		b.opts.logf("port %d taken, retrying", b.port)
	}
	if err != nil {
		return err
	}
	b.opts.logf("%s pool ready on port %d in %v", b.opts.PoolMode, b.port, time.Since(t0).Round(time.Millisecond))
	return nil
}

// writeAuthFile lists the users PgBouncer admits, with the passwords it
// logs in to the server with.
func (b *PgBouncer) writeAuthFile() error {
	users := map[string]string{b.dbUser: ""}
	order := []string{b.dbUser}
	add := func(name, password string) {
		if _, ok := users[name]; !ok {
			order = append(order, name)
		}
		users[name] = password
	}
	if b.srv.ext != nil {
		users[b.dbUser] = b.srv.ext.password()
	} else {
		for _, u := range b.srv.opts.Users {
			add(u.Name, u.Password)
		}
	}
	for _, u := range b.opts.Users {
		add(u.Name, u.Password)
	}
	// auth_file fields are double-quoted with inner quotes doubled: the
	// quoting of an SQL identifier.
	var lines []string
	for _, name := range order {
		lines = append(lines, quoteIdent(name)+" "+quoteIdent(users[name]))
	}
	return b.writeFile("userlist.txt", lines)
}

// writeIni writes pgbouncer.ini for b.port.
func (b *PgBouncer) writeIni() error {
	host, port := b.srv.Host(), b.srv.Port()
	if host == "" {
		host = b.srv.SocketDir()
	}
	// "*" is the fallback database: a client's dbname goes through as is.
	db := fmt.Sprintf("* = host=%s port=%d", iniConnValue(host), port)
	lines := []string{
		"; Written by pgtest; see github.com/wirepg/pg/pgtest.",
		"[databases]",
		db,
		"",
		"[pgbouncer]",
		"listen_addr = 127.0.0.1",
		fmt.Sprintf("listen_port = %d", b.port),
		// No unix socket: its default directory (/tmp, or Debian's
		// /var/run/postgresql) is shared with other servers.
		"unix_socket_dir =",
		"auth_type = trust",
		"auth_file = " + filepath.Join(b.dir, "userlist.txt"),
		"admin_users = " + b.dbUser,
		"stats_users = " + b.dbUser,
		"pool_mode = " + b.opts.PoolMode,
		"server_reset_query = " + b.opts.ServerResetQuery,
		"ignore_startup_parameters = extra_float_digits,options",
		// A refused server login would otherwise block the pool for 15 s.
		"server_login_retry = 1",
		"log_connections = 1",
		"log_disconnections = 1",
		"log_pooler_errors = 1",
	}
	if b.opts.DefaultPoolSize > 0 {
		lines = append(lines, fmt.Sprintf("default_pool_size = %d", b.opts.DefaultPoolSize))
	}
	if b.opts.MaxClientConn > 0 {
		lines = append(lines, fmt.Sprintf("max_client_conn = %d", b.opts.MaxClientConn))
	}
	if b.srv.ext != nil {
		if mode := b.srv.ext.get("sslmode"); mode != "" {
			lines = append(lines, "server_tls_sslmode = "+mode)
		}
	}
	lines = append(lines, "; PgBouncerOptions.Settings:")
	lines = append(lines, b.opts.Settings...)
	return b.writeFile("pgbouncer.ini", lines)
}

// iniConnValue quotes a value in a [databases] connection string.
func iniConnValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " '\\") {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

func (b *PgBouncer) writeFile(name string, lines []string) error {
	path := filepath.Join(b.dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return b.user.chown(path)
}

// launch starts pgbouncer in the foreground as a child and waits until it
// accepts connections.
func (b *PgBouncer) launch() error {
	logPath := b.LogPath()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close()
	if err := b.user.chown(logPath); err != nil {
		return err
	}
	fi, err := logf.Stat()
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	logStart := fi.Size()

	// Not daemonized (-d), so that it stays our child: SIGKILL if this
	// process dies, and its own process group, out of reach of a
	// terminal's ^C (Main stops the server first). It logs to stderr.
	cmd := b.user.command(b.dir, b.binary, filepath.Join(b.dir, "pgbouncer.ini"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: starting pgbouncer: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	b.proc, b.exited = cmd, exited

	if err := b.waitReady(); err != nil {
		b.stop()
		log := readFrom(logPath, logStart)
		if strings.Contains(log, "Address already in use") {
			err = fmt.Errorf("%w: %w", errAddrInUse, err)
		}
		return fmt.Errorf("pgtest: pgbouncer on port %d: %w\npgbouncer log:\n%s", b.port, err, tail(log, 20))
	}
	return nil
}

// waitReady polls until PgBouncer accepts TCP connections.
func (b *PgBouncer) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port))
	for delay := 5 * time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, 100*time.Millisecond) {
		select {
		case <-b.exited:
			return fmt.Errorf("exited during startup: %v", b.proc.ProcessState)
		case <-time.After(delay):
		}
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return nil
		}
	}
	return fmt.Errorf("not accepting connections after %v", startTimeout)
}

// stop kills PgBouncer (SIGTERM is its immediate shutdown) and waits for it.
func (b *PgBouncer) stop() error {
	if b.proc == nil {
		return nil
	}
	p, exited := b.proc, b.exited
	b.proc, b.exited = nil, nil
	p.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		return nil
	case <-time.After(stopTimeout):
	}
	syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
	<-exited
	return fmt.Errorf("pgtest: pgbouncer did not stop within %v of SIGTERM; killed", stopTimeout)
}

// Stop shuts PgBouncer down at once, dropping its clients and server
// connections, and removes its directory. It is idempotent and returns nil
// after the first call. The server is left running.
func (b *PgBouncer) Stop() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return nil
	}
	b.stopped = true
	err := b.stop()
	if rerr := os.RemoveAll(b.dir); err == nil && rerr != nil {
		err = fmt.Errorf("pgtest: %w", rerr)
	}
	return err
}

// Close is Stop, for io.Closer.
func (b *PgBouncer) Close() error { return b.Stop() }

// PoolMode returns the pool mode: "session", "transaction" or "statement".
func (b *PgBouncer) PoolMode() string { return b.opts.PoolMode }

// Port returns the loopback TCP port PgBouncer listens on.
func (b *PgBouncer) Port() int { return b.port }

// DSN returns a URI connecting through PgBouncer as the server's superuser
// (PGTEST_DSN's user) to its database, without TLS, such as
// "postgres://postgres@127.0.0.1:6432/postgres?sslmode=disable".
func (b *PgBouncer) DSN() string { return b.UserDSN(b.dbUser, "") }

// UserDSN returns a URI connecting through PgBouncer as user, with password
// percent-encoded (left out if empty), to the same database as DSN.
// PgBouncer ignores the password (auth_type = trust) but admits only the
// users in its auth_file: see StartPgBouncer.
func (b *PgBouncer) UserDSN(user, password string) string {
	return b.dbDSN(user, password, b.dbName)
}

// AdminDSN returns a URI for PgBouncer's admin console (database
// "pgbouncer"), which takes only the simple query protocol: SHOW POOLS,
// SHOW SERVERS, RECONNECT ...
func (b *PgBouncer) AdminDSN() string { return b.dbDSN(b.dbUser, "", "pgbouncer") }

func (b *PgBouncer) dbDSN(user, password, dbname string) string {
	return "postgres://" + userinfo(user, password) + "@" +
		net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port)) + "/" + pctEncode(dbname) + "?sslmode=disable"
}

// Admin runs commands on PgBouncer's admin console through psql and returns
// the output in the form of Server.SQL, such as Admin("SHOW POOLS").
func (b *PgBouncer) Admin(commands string) (string, error) {
	return b.psql(b.AdminDSN(), commands)
}

// SQL runs sql through PgBouncer as the superuser with psql, which uses the
// simple query protocol; the output is in the form of Server.SQL.
func (b *PgBouncer) SQL(sql string) (string, error) {
	return b.psql(b.DSN(), sql)
}

func (b *PgBouncer) psql(dsn, sql string) (string, error) {
	psql, err := b.srv.psqlPath()
	if err != nil {
		return "", err
	}
	return run(psqlCommand(osUser{}, "", psql, dsn), sql)
}

// LogPath returns the file PgBouncer logs to, for reading while debugging a
// test; it is removed by Stop.
func (b *PgBouncer) LogPath() string { return filepath.Join(b.dir, "pgbouncer.log") }

// LogContents returns PgBouncer's log since StartPgBouncer.
func (b *PgBouncer) LogContents() (string, error) {
	data, err := os.ReadFile(b.LogPath())
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return string(data), nil
}

// get returns setting k of the external DSN, from its query string or its
// key=value pairs.
func (e *extDSN) get(k string) string {
	switch {
	case e.uri != nil:
		return e.uri.Query().Get(k)
	case e.kv != nil:
		for _, p := range e.kv {
			if p[0] == k {
				return p[1]
			}
		}
	}
	return ""
}

// password returns the external DSN's password, or "".
func (e *extDSN) password() string {
	if e.uri != nil && e.uri.User != nil {
		if p, ok := e.uri.User.Password(); ok {
			return p
		}
	}
	return e.get("password")
}
