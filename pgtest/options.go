package pgtest

import (
	"fmt"
	"strings"
)

// User is a login role that Start creates once the server is up, together with
// pg_hba.conf lines that let it connect.
type User struct {
	// Name is the role name. It may not contain a double quote, a newline or
	// a NUL byte.
	Name string
	// Password is the role's password; empty means none (PASSWORD NULL), so
	// only password-less methods such as trust or cert can admit the role.
	Password string
	// Method is the pg_hba.conf authentication method, optionally followed by
	// its options: "trust", "password", "md5", "scram-sha-256", "reject",
	// "cert clientcert=verify-full" ... Empty means scram-sha-256 when
	// Password is set and trust otherwise.
	//
	// For md5 the password is stored as an MD5 hash (password_encryption =
	// 'md5'): with a SCRAM verifier stored the server would silently upgrade
	// the exchange to SCRAM. cert gets hostssl lines only and peer/ident
	// local lines only, since the server rejects the other combinations.
	Method string
	// Superuser makes the role a superuser.
	Superuser bool
}

// method returns u.Method with its default applied.
func (u User) method() string {
	if m := strings.TrimSpace(u.Method); m != "" {
		return m
	}
	if u.Password != "" {
		return "scram-sha-256"
	}
	return "trust"
}

func (u User) validate() error {
	if u.Name == "" || strings.ContainsAny(u.Name, "\"\n\r\x00") {
		return fmt.Errorf("pgtest: invalid user name %q", u.Name)
	}
	if u.Name == superuser {
		return fmt.Errorf("pgtest: user %s is the bootstrap superuser pgtest connects as; choose another name", u.Name)
	}
	if strings.ContainsAny(u.method(), "\n\r") {
		return fmt.Errorf("pgtest: user %s: invalid method %q", u.Name, u.Method)
	}
	return nil
}

// Options configures Start. The zero value starts a plain server that admits
// the superuser postgres (and any other role) without a password.
type Options struct {
	// BinDir is the directory holding postgres, initdb and psql. Empty means:
	// the PG_BIN environment variable, then `pg_config --bindir`, then
	// /usr/lib/postgresql/*/bin (newest major version first), then PATH.
	BinDir string
	// Users are created after the server starts. Each gets pg_hba.conf lines
	// for local, host 127.0.0.1/32 and host ::1/128 connections, placed after
	// HBA and before the default trust lines.
	Users []User
	// HBA holds raw pg_hba.conf lines, placed first (the server uses the first
	// line that matches a connection).
	HBA []string
	// Conf holds extra postgresql.conf lines such as "max_connections = 200"
	// or "ssl = on". They come after pgtest's own settings, so they win.
	Conf []string
	// TLS turns TLS on (ssl = on) with a certificate authority generated at
	// Start by crypto/x509: Server.TLS returns the CA, the server certificate
	// (valid for localhost, 127.0.0.1 and ::1) and issues client
	// certificates, which the server accepts for the cert method.
	TLS bool
	// StandbyOf makes the server a hot standby that streams from the given
	// server, which must be running and started by pgtest: the cluster is
	// copied with pg_basebackup instead of created by initdb. The standby is
	// read-only and reports in_hot_standby = on. Users are not created again
	// (roles come from the primary), but their pg_hba.conf lines are
	// written, so pass the primary's Users to admit them the same way.
	StandbyOf *Server
	// Logf, if set, receives progress messages (binaries found, startup time).
	Logf func(format string, args ...any)
}

func (o *Options) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf("pgtest: "+format, args...)
	}
}
