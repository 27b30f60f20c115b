package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// confFile is included from postgresql.conf and rewritten for every port
// tried, leaving initdb's file otherwise untouched.
const confFile = "pgtest.conf"

// writeConf writes pgtest's settings for port, followed by opts.Conf.
func (s *Server) writeConf() error {
	lines := []string{
		"# Written by pgtest; see github.com/wirepg/pg/pgtest.",
		"listen_addresses = '127.0.0.1'",
		fmt.Sprintf("port = %d", s.port),
		"unix_socket_directories = " + confQuote(s.sockDir),
		// Durability is pointless for a throwaway server and costs seconds.
		"fsync = off",
		"synchronous_commit = off",
		"full_page_writes = off",
		"max_connections = 300",
		"shared_buffers = 128MB",
		// stderr goes to the log file Start opened; the collector would
		// rotate it away into log/.
		"logging_collector = off",
		"log_destination = 'stderr'",
		"log_connections = on",
		"log_line_prefix = '%m [%p] %q%u@%d '",
	}
	if s.opts.TLS {
		lines = append(lines, tlsConf()...)
	} else {
		// A standby's copy of its primary's files may include TLS ones.
		lines = append(lines, "ssl = off")
	}
	lines = append(lines, "# Options.Conf:")
	lines = append(lines, s.opts.Conf...)
	path := filepath.Join(s.DataDir(), confFile)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return s.user.chown(path)
}

// includeConf makes postgresql.conf read confFile last, so its settings win.
func (s *Server) includeConf() error {
	f, err := os.OpenFile(filepath.Join(s.DataDir(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	_, err = fmt.Fprintf(f, "\ninclude '%s'\n", confFile)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

// writeHBA replaces pg_hba.conf: opts.HBA, then each user's lines, then trust
// for the superuser and everyone else. The server uses the first matching
// line, so users' methods take effect and other roles that tests create with
// SQL can still connect.
func (s *Server) writeHBA() error {
	lines := []string{"# Written by pgtest. Options.HBA:"}
	lines = append(lines, s.opts.HBA...)
	lines = append(lines, "# Options.Users:")
	for _, u := range s.opts.Users {
		lines = append(lines, hbaLines(`"`+u.Name+`"`, u.method())...)
	}
	lines = append(lines, "# Defaults:")
	lines = append(lines, hbaLines(`"`+superuser+`"`, "trust")...)
	lines = append(lines, hbaLines("all", "trust")...)
	lines = append(lines,
		"local replication all trust",
		"host replication all 127.0.0.1/32 trust",
		"host replication all ::1/128 trust")
	path := filepath.Join(s.DataDir(), "pg_hba.conf")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return s.user.chown(path)
}

// hbaLines returns the pg_hba.conf lines admitting role by method over the
// unix socket and loopback TCP. The server refuses to load a file with cert
// on a non-SSL line or peer/ident on a TCP line, so those get only the lines
// they can have (ident on local means peer).
func hbaLines(role, method string) []string {
	local := "local all " + role + " " + method
	host := func(kind string) []string {
		return []string{
			kind + " all " + role + " 127.0.0.1/32 " + method,
			kind + " all " + role + " ::1/128 " + method,
		}
	}
	switch strings.Fields(method)[0] {
	case "cert":
		return host("hostssl")
	case "peer", "ident":
		return []string{local}
	}
	return append([]string{local}, host("host")...)
}

// confQuote quotes a postgresql.conf string value.
func confQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
