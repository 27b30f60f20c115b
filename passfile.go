package pg

import (
	"fmt"
	"os"
	"strings"

	"github.com/wirepg/pg/internal/dsn"
)

// passwordFromFile looks the password up in the passfile for the host
// being tried, as libpq does at connect time: "" when the file is missing,
// has no matching line, or is ignored for its permissions (with a warning).
func (c *Conn) passwordFromFile() string {
	path := c.cfg.Passfile
	if path == "" {
		path = dsn.DefaultPassfile(nil)
	}
	h := dsn.Host{Host: c.host.Host, HostAddr: c.host.HostAddr, Port: c.host.port()}
	pw := dsn.PasswordFromFile(path, h, c.database(), c.user(), c.passfileWarning)
	if pw != "" {
		c.sec.passfile = path
	}
	return pw
}

// passfileWarning reports a passfile ignored for its permissions: to
// Config.OnNotice when set, else to standard error as libpq does, since a
// silently ignored passfile is a puzzle.
func (c *Conn) passfileWarning(msg string) {
	if c.cfg.OnNotice != nil {
		c.cfg.OnNotice(&Notice{Severity: "WARNING", SeverityUnlocal: "WARNING", Message: strings.TrimPrefix(msg, "WARNING: ")})
		return
	}
	fmt.Fprintln(os.Stderr, "pg: "+msg)
}

// database is the database to connect to: Database, else the user name.
func (c *Conn) database() string {
	if c.cfg.Database != "" {
		return c.cfg.Database
	}
	return c.user()
}
