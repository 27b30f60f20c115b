package pgtest

import (
	"errors"
	"fmt"
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

// Promote ends recovery on a hot standby (one started with StandbyOf), as a
// failover does, and returns once it has become a primary that accepts
// read-write sessions: pg_promote with wait, which gives up after 60 s.
// Sessions open on the standby stay open and become read-write.
func (s *Server) Promote() error {
	out, err := s.SQL("SELECT pg_catalog.pg_promote(true, 60)")
	if err != nil {
		return fmt.Errorf("pgtest: promote: %w", err)
	}
	if out != "t" {
		return fmt.Errorf("pgtest: promote: pg_promote returned %q; is the server a standby?", out)
	}
	return nil
}
