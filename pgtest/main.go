package pgtest

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"testing"
)

// EnvDSN names the environment variable that makes Main use an existing
// server instead of starting one.
const EnvDSN = "PGTEST_DSN"

var shared atomic.Pointer[Server]

// Main is for a package's TestMain. It starts a server with opts (or, when
// PGTEST_DSN is set, attaches to that server and ignores opts other than
// BinDir), makes it available through Shared, runs the tests, stops the
// server and exits with the tests' status. If the server cannot start it
// prints why and exits 1.
//
// With PGTEST_DSN, DSN returns it verbatim and the other accessors derive
// what they can from it: see Host, Port, SocketDir, Superuser, UnixDSN and
// UserDSN; DataDir is "", Stop does nothing, and Restart and LogContents
// return errors. Tests that need those, or opts.Users, should check External
// and skip.
//
// An interrupt (SIGINT, SIGTERM) stops the server before the process dies.
// A panicking test or a -timeout still leaves the temporary directory behind
// (the server itself exits with the test binary); the next Start removes it.
func Main(m *testing.M, opts Options) {
	os.Exit(runMain(m, opts, os.Stderr))
}

func runMain(m interface{ Run() int }, opts Options, stderr io.Writer) int {
	s, err := startOrAttach(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	shared.Store(s)
	defer shared.Store(nil)
	defer s.Stop()

	sigc := make(chan os.Signal, 1)
	done := make(chan struct{})
	defer close(done)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)
	go func() {
		select {
		case sig := <-sigc:
			s.Stop()
			signal.Stop(sigc)
			// Die of the signal, as the process would have without us.
			syscall.Kill(os.Getpid(), sig.(syscall.Signal))
		case <-done:
		}
	}()
	return m.Run()
}

// startOrAttach starts a server, or attaches to PGTEST_DSN when it is set.
func startOrAttach(opts Options) (*Server, error) {
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		return Start(opts)
	}
	s := &Server{opts: opts, ext: parseExtDSN(dsn)}
	s.binDir, _ = findBinDir(opts.BinDir) // for psql; PATH otherwise
	if _, err := s.SQL("SELECT 1"); err != nil {
		return nil, fmt.Errorf("%s: %w", EnvDSN, err) // the DSN may hold a password
	}
	return s, nil
}

// Shared returns the server Main started for this test binary. It panics if
// Main is not running, since then there is no server to return.
func Shared() *Server {
	s := shared.Load()
	if s == nil {
		panic("pgtest: Shared called without pgtest.Main in TestMain")
	}
	return s
}

// External reports whether s is a server named by PGTEST_DSN rather than one
// pgtest started, so that tests needing Restart, LogContents, DataDir or
// Options.Users can skip.
func (s *Server) External() bool { return s.ext != nil }
