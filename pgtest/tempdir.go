package pgtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const (
	tempPrefix = "pgtest-"
	ownerFile  = "pgtest.owner" // PID of the process that created the dir
)

// newTempDir creates the server's directory and records who owns it.
func newTempDir() (string, error) {
	dir, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return dir, nil
}

// DataDir returns the cluster's data directory, or "" for PGTEST_DSN.
func (s *Server) DataDir() string {
	if s.ext != nil {
		return ""
	}
	return filepath.Join(s.dir, "data")
}

// sweepStale removes directories left by test processes that died without
// Stop (a panic, a -timeout, SIGKILL): those whose owner process is gone and
// whose server is not running. A directory is skipped when in doubt, for
// example when its owner file is missing or its PID has been reused.
func sweepStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		owner := readPID(filepath.Join(dir, ownerFile))
		if owner == 0 || pidAlive(owner) {
			continue
		}
		if pm := readPID(filepath.Join(dir, "data", "postmaster.pid")); pm != 0 && pidAlive(pm) {
			continue
		}
		os.RemoveAll(dir)
	}
}

// readPID returns the number on the first line of path, or 0.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return max(pid, 0)
}

// pidAlive reports whether process pid (> 0) exists.
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
