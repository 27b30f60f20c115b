package pgtest

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// SQL runs sql as the superuser through psql and returns its trimmed output:
// unaligned, tuples only, one row per line, columns separated by "|", and no
// command tags (psql -X -A -t -q -v ON_ERROR_STOP=1, the script on stdin).
// sql may hold several statements and psql meta-commands; the first error
// stops it and is returned with psql's message. psql connects over the unix
// socket (for PGTEST_DSN, with that DSN), so it needs no password and does
// not depend on the pg_hba.conf lines for TCP.
func (s *Server) SQL(sql string) (string, error) {
	psql, err := s.psqlPath()
	if err != nil {
		return "", err
	}
	conn := s.UnixDSN()
	u := s.user
	if s.ext != nil {
		conn, u = s.ext.raw, osUser{}
	}
	return run(psqlCommand(u, s.dir, psql, conn), sql)
}

// psqlCommand runs psql as u in dir against dsn, its output in the form
// SQL documents and the script on stdin.
func psqlCommand(u osUser, dir, psql, dsn string) *exec.Cmd {
	return u.command(dir, psql, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn)
}

func (s *Server) psqlPath() (string, error) {
	if s.binDir != "" {
		return filepath.Join(s.binDir, "psql"), nil
	}
	p, err := exec.LookPath("psql")
	if err != nil {
		return "", errors.New("pgtest: psql not found: install postgresql-client or set PG_BIN")
	}
	return p, nil
}

// createUsers creates opts.Users in one psql session.
func (s *Server) createUsers() error {
	if len(s.opts.Users) == 0 {
		return nil
	}
	var b strings.Builder
	for _, u := range s.opts.Users {
		// The stored form decides what md5 can do: with a SCRAM verifier the
		// server answers an md5 line with SCRAM (pg_hba.conf docs, "md5").
		enc := "scram-sha-256"
		if strings.Fields(u.method())[0] == "md5" {
			enc = "md5"
		}
		fmt.Fprintf(&b, "SET password_encryption = '%s';\n", enc)
		fmt.Fprintf(&b, "CREATE ROLE %s LOGIN", quoteIdent(u.Name))
		if u.Superuser {
			b.WriteString(" SUPERUSER")
		}
		if u.Password != "" {
			b.WriteString(" PASSWORD " + quoteLiteral(u.Password))
		}
		b.WriteString(";\n")
	}
	if _, err := s.SQL(b.String()); err != nil {
		return fmt.Errorf("pgtest: creating users: %w", err)
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLiteral quotes a string literal; standard_conforming_strings is on,
// so backslashes are ordinary characters.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
