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

// superuser is the bootstrap superuser initdb creates (-U).
const superuser = "postgres"

const (
	startTimeout = 30 * time.Second
	stopTimeout  = 15 * time.Second
	portAttempts = 5
	// maxSocketPath bounds <dir>/.s.PGSQL.<port>: sun_path holds 108 bytes
	// with the terminating NUL on Linux.
	maxSocketPath = 107
)

// Server is a PostgreSQL server that Start launched, or one that Main attached
// to through PGTEST_DSN. Its methods are safe for concurrent use; Restart, Crash and
// Stop serialize with each other.
type Server struct {
	opts    Options
	user    osUser
	binDir  string
	dir     string // temp dir: data/, postgres.log, maybe the socket
	sockDir string
	ownSock bool // sockDir is a separate temp dir (dir's path was too long)
	port    int
	ext     *extDSN // set when attached to PGTEST_DSN
	tls     *TLS    // set when started with Options.TLS

	mu      sync.Mutex
	proc    *exec.Cmd
	exited  chan struct{} // closed when proc has been waited for
	stopped bool
}

// Start creates a fresh cluster in a new temporary directory, starts a
// server on a free loopback port and creates opts.Users. The caller must call
// Stop, typically with t.Cleanup(func() { s.Stop() }) or via Main. If the test
// binary dies without Stop, the server still exits (it gets SIGQUIT when its
// parent dies) and a later Start removes the orphaned directory.
func Start(opts Options) (*Server, error) {
	for _, u := range opts.Users {
		if err := u.validate(); err != nil {
			return nil, err
		}
	}
	binDir, err := findBinDir(opts.BinDir)
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
	s := &Server{opts: opts, user: u, binDir: binDir, dir: dir, sockDir: dir}
	if err := s.setup(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) setup() error {
	t0 := time.Now()
	s.opts.logf("using %s, directory %s", s.binDir, s.dir)
	if err := s.user.checkReachable(s.dir); err != nil {
		return err
	}
	if err := s.user.chown(s.dir); err != nil {
		return err
	}
	if len(s.sockDir)+len("/.s.PGSQL.65535") > maxSocketPath {
		d, err := os.MkdirTemp("/tmp", "pgs-")
		if err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
		s.sockDir, s.ownSock = d, true
		if err := s.user.chown(d); err != nil {
			return err
		}
	}
	if s.opts.StandbyOf != nil {
		// The copy already includes pgtest.conf, which writeConf rewrites.
		if err := s.basebackup(); err != nil {
			return err
		}
		s.opts.logf("pg_basebackup took %v", time.Since(t0).Round(time.Millisecond))
	} else {
		if err := s.initdb(); err != nil {
			return err
		}
		s.opts.logf("initdb took %v", time.Since(t0).Round(time.Millisecond))
		if err := s.includeConf(); err != nil {
			return err
		}
	}
	if err := s.writeHBA(); err != nil {
		return err
	}
	if s.opts.TLS {
		if err := s.setupTLS(); err != nil {
			return err
		}
	}
	var err error
	for i := 0; i < portAttempts; i++ {
		if s.port, err = pickPort(); err != nil {
			return err
		}
		if err = s.writeConf(); err != nil {
			return err
		}
		if err = s.launch(); !errors.Is(err, errAddrInUse) {
			break
		}
		s.opts.logf("port %d taken, retrying", s.port)
	}
	if err != nil {
		return err
	}
	if s.opts.StandbyOf == nil {
		if err := s.createUsers(); err != nil {
			return err
		}
	}
	s.opts.logf("server ready on port %d in %v", s.port, time.Since(t0).Round(time.Millisecond))
	return nil
}

// initdb creates the cluster, in a UTF-8 C locale where the system has one.
func (s *Server) initdb() error {
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		os.RemoveAll(s.DataDir()) // a failed attempt's leftovers
		cmd := s.user.command(s.dir, filepath.Join(s.binDir, "initdb"),
			"-D", s.DataDir(), "-U", superuser, "--auth=trust", "-E", "UTF8",
			"--locale="+locale, "--no-sync")
		if _, err = run(cmd, ""); err == nil {
			return nil
		}
	}
	return err
}

// errAddrInUse marks a startup that failed because another process took the
// port between freePort and the server's bind.
var errAddrInUse = errors.New("address already in use")

// launch starts postgres as a child and waits until it accepts connections.
func (s *Server) launch() error {
	logPath := s.logPath()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close() // the child has its own descriptor
	if err := s.user.chown(logPath); err != nil {
		return err
	}
	fi, err := logf.Stat()
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	logStart := fi.Size()

	// Started directly, not through pg_ctl, so that it is our child: it gets
	// SIGQUIT (immediate shutdown) if this process dies, and lives in its own
	// process group, which a terminal's ^C does not reach and which the
	// SIGKILL fallback in stop can take down with its backends. (Linux sends
	// the death signal when the forking OS thread exits; Go keeps its threads
	// unless a goroutine exits while locked to one with runtime.LockOSThread.)
	cmd := s.user.command(s.dir, filepath.Join(s.binDir, "postgres"), "-D", s.DataDir())
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: starting postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	s.proc, s.exited = cmd, exited

	if err := s.waitReady(); err != nil {
		s.stop(syscall.SIGQUIT)
		log := readFrom(logPath, logStart)
		if strings.Contains(log, "Address already in use") {
			err = fmt.Errorf("%w: %w", errAddrInUse, err)
		}
		return fmt.Errorf("pgtest: postgres on port %d: %w\nserver log:\n%s", s.port, err, tail(log, 20))
	}
	return nil
}

// waitReady polls until the postmaster reports "ready" in postmaster.pid (as
// pg_ctl does) and a psql session works.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	pidFile := filepath.Join(s.DataDir(), "postmaster.pid")
	pid := strconv.Itoa(s.proc.Process.Pid)
	var lastErr error
	for delay := 5 * time.Millisecond; time.Now().Before(deadline); delay = min(2*delay, 100*time.Millisecond) {
		select {
		case <-s.exited:
			return fmt.Errorf("exited during startup: %v", s.proc.ProcessState)
		case <-time.After(delay):
		}
		b, err := os.ReadFile(pidFile)
		lines := strings.Split(string(b), "\n")
		// Line 1 is the PID, line 8 the status: PM_STATUS_READY, or
		// PM_STATUS_STANDBY for a hot standby accepting read-only sessions.
		if err != nil || len(lines) < 8 || lines[0] != pid {
			continue
		}
		if st := strings.TrimSpace(lines[7]); st != "ready" && st != "standby" {
			continue
		}
		if _, lastErr = s.SQL("SELECT 1"); lastErr == nil {
			return nil
		}
	}
	if lastErr != nil {
		return fmt.Errorf("not ready after %v: %w", startTimeout, lastErr)
	}
	return fmt.Errorf("not ready after %v", startTimeout)
}

// stop signals the server (SIGQUIT: immediate shutdown, SIGINT: fast
// shutdown) and waits for it to exit, falling back to SIGKILL for its whole
// process group.
func (s *Server) stop(sig syscall.Signal) error {
	if s.proc == nil {
		return nil
	}
	p, exited := s.proc, s.exited
	s.proc, s.exited = nil, nil
	p.Process.Signal(sig)
	select {
	case <-exited:
		return nil
	case <-time.After(stopTimeout):
	}
	syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
	<-exited
	return fmt.Errorf("pgtest: postgres did not stop within %v of %v; killed", stopTimeout, sig)
}

// Stop shuts the server down immediately and removes its directory. It is
// idempotent and returns nil after the first call. For a server attached
// through PGTEST_DSN it does nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || s.ext != nil {
		s.stopped = true
		return nil
	}
	s.stopped = true
	err := s.stop(syscall.SIGQUIT)
	if rerr := os.RemoveAll(s.dir); err == nil && rerr != nil {
		err = fmt.Errorf("pgtest: %w", rerr)
	}
	if s.ownSock {
		os.RemoveAll(s.sockDir)
	}
	return err
}

// Crash stops the server with an immediate shutdown, as pg_ctl stop -m
// immediate does (SIGQUIT: no checkpoint, every session cut off at once),
// and keeps its data directory, so that Restart starts it again through
// crash recovery. A failover test crashes a primary and promotes its
// standby (Promote). Unlike a host that dies, the server's sockets are
// closed: clients see the connection end, not silence.
func (s *Server) Crash() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ext != nil:
		return errors.New("pgtest: Crash needs a server that pgtest started, not PGTEST_DSN")
	case s.stopped:
		return errors.New("pgtest: Crash after Stop")
	}
	return s.stop(syscall.SIGQUIT)
}

// Restart stops the server with a fast shutdown (disconnecting every client)
// and starts it again on the same port and data directory, for tests of
// reconnection and fault handling. Users and settings persist. After
// Crash it only starts the server.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ext != nil:
		return errors.New("pgtest: Restart needs a server that pgtest started, not PGTEST_DSN")
	case s.stopped:
		return errors.New("pgtest: Restart after Stop")
	}
	if err := s.stop(syscall.SIGINT); err != nil {
		return err
	}
	return s.launch()
}

// LogContents returns the server log: everything the server wrote to stderr
// since Start, across restarts.
func (s *Server) LogContents() (string, error) {
	if s.ext != nil {
		return "", errors.New("pgtest: no server log for PGTEST_DSN")
	}
	b, err := os.ReadFile(s.logPath())
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return string(b), nil
}

func (s *Server) logPath() string { return filepath.Join(s.dir, "postgres.log") }

// pickPort is freePort; tests replace it to provoke a port clash.
var pickPort = freePort

// freePort asks the kernel for an unused loopback port. Another process may
// take it before the server binds; launch reports that as errAddrInUse.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
