package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
)

// basebackup copies the cluster of opts.StandbyOf into the data directory
// with pg_basebackup -R, which also writes standby.signal and the
// primary_conninfo that makes the new server a streaming hot standby. It
// connects over the primary's unix socket as the superuser, which pgtest's
// pg_hba.conf lets replicate without a password.
func (s *Server) basebackup() error {
	p := s.opts.StandbyOf
	if p.ext != nil {
		return errors.New("pgtest: StandbyOf needs a server that pgtest started, not PGTEST_DSN")
	}
	p.mu.Lock()
	running := !p.stopped && p.proc != nil
	p.mu.Unlock()
	if !running {
		return errors.New("pgtest: StandbyOf names a server that is not running")
	}
	os.RemoveAll(s.DataDir())
	cmd := s.user.command(s.dir, filepath.Join(s.binDir, "pg_basebackup"),
		"-D", s.DataDir(), "-h", p.sockDir, "-p", strconv.Itoa(p.port), "-U", superuser,
		"-R", "-X", "stream", "-c", "fast", "--no-sync")
	_, err := run(cmd, "")
	return err
}
