package pgtest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// osUser is the operating-system account the server runs as.
type osUser struct {
	cred *syscall.Credential // nil: the current user
}

// serverOSUser decides who runs initdb, postgres and psql. PostgreSQL refuses
// to run as root ("root execution of the PostgreSQL server is not permitted"),
// so a root test process hands them to the postgres system account.
func serverOSUser() (osUser, error) {
	if os.Geteuid() != 0 {
		return osUser{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return osUser{}, fmt.Errorf("pgtest: running as root, and PostgreSQL will not run as root: "+
			"create the postgres system user (the postgresql packages do) or run the tests as another user: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return osUser{}, fmt.Errorf("pgtest: user postgres has non-numeric uid %q or gid %q", u.Uid, u.Gid)
	}
	// Its own supplementary groups (ssl-cert on Debian, for the snakeoil key)
	// instead of root's.
	groups := []uint32{}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if g, err := strconv.ParseUint(id, 10, 32); err == nil {
				groups = append(groups, uint32(g))
			}
		}
	}
	return osUser{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: groups}}, nil
}

// chown gives paths to the server's user; a no-op unless running as root.
func (u osUser) chown(paths ...string) error {
	if u.cred == nil {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(u.cred.Uid), int(u.cred.Gid)); err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
	}
	return nil
}

// checkReachable reports a directory the server's user cannot search on the
// way to dir, which otherwise surfaces as an obscure initdb failure.
func (u osUser) checkReachable(dir string) error {
	if u.cred == nil {
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("pgtest: running as root, the server runs as user postgres, which cannot "+
				"enter %s; set TMPDIR to a directory it can reach, such as /tmp", d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// command builds a child process running as u with a clean environment.
func (u osUser) command(dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = childEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	return cmd
}

// childEnv is the environment without libpq's PG* variables, which would
// otherwise redirect psql (PGHOST, PGSSLMODE, PGOPTIONS ...) or initdb
// (PGDATA) away from the throwaway server.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return append(env, "PGCONNECT_TIMEOUT=10")
}

// run runs cmd, returning its trimmed stdout, and an error that carries its
// stderr (or, if empty, its stdout: initdb reports problems there).
func run(cmd *exec.Cmd, stdin string) (string, error) {
	var stdout, stderr bytes.Buffer
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out := strings.TrimSpace(stdout.String())
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = out
		}
		return out, fmt.Errorf("pgtest: %s: %w: %s", filepath.Base(cmd.Path), err, msg)
	}
	return out, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// readFrom returns the contents of path from byte offset off on.
func readFrom(path string, off int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(f)
	return string(b)
}
