package dsn

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgservicefile"
)

// defaultSysconfDir is where a Debian-built libpq looks for the system-wide
// pg_service.conf (its SYSCONFDIR) when PGSYSCONFDIR is unset.
const defaultSysconfDir = "/etc/postgresql-common"

// lookupService returns the settings of the named service, searched for as
// libpq's parseServiceInfo does (the docs' "The Connection Service File"):
// first the file given by servicefile= or PGSERVICEFILE, which must exist,
// or else ~/.pg_service.conf if it exists; then, when the service is not
// in that file, $PGSYSCONFDIR/pg_service.conf if it exists. A service
// found nowhere is an error.
func (p *parser) lookupService(name, file string, env Env) (map[string]string, error) {
	var tried []string
	if file == "" {
		if dir := p.sys.configDir(env); dir != "" {
			file = filepath.Join(dir, ".pg_service.conf")
			if !fileExists(file) {
				file = ""
			}
		}
	} else if !fileExists(file) {
		return nil, p.serviceError(nil, "service file %q not found", file)
	}
	if file != "" {
		s, err := p.readService(file, name)
		if s != nil || err != nil {
			return s, err
		}
		tried = append(tried, file)
	}

	sysconf := env.get("PGSYSCONFDIR")
	if sysconf == "" {
		sysconf = defaultSysconfDir
	}
	file = filepath.Join(sysconf, "pg_service.conf")
	if fileExists(file) {
		s, err := p.readService(file, name)
		if s != nil || err != nil {
			return s, err
		}
		tried = append(tried, file)
	}
	if len(tried) == 0 {
		return nil, p.serviceError(nil, "definition of service %q not found: no service file (set PGSERVICEFILE or create ~/.pg_service.conf)", name)
	}
	return nil, p.serviceError(nil, "definition of service %q not found in %q", name, tried)
}

// readService returns the service's settings from file, or nil when the
// file has no such section.
func (p *parser) readService(file, name string) (map[string]string, error) {
	sf, err := pgservicefile.ReadServicefile(file)
	if err != nil {
		return nil, p.serviceError(err, "cannot read service file %q: %v", file, err)
	}
	svc, err := sf.GetService(name)
	if err != nil {
		return nil, nil
	}
	return svc.Settings, nil
}

// serviceError formats an error about the service file, replacing any
// string, []string or error argument that contains a known secret.
func (p *parser) serviceError(err error, format string, args ...any) *Error {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = p.secrets.scrub(v)
		case error:
			args[i] = p.secrets.scrub(v.Error())
		case []string:
			s := make([]string, len(v))
			for j := range v {
				s[j] = p.secrets.scrub(v[j])
			}
			args[i] = s
		}
	}
	return &Error{Key: "service", Msg: fmt.Sprintf(format, args...), Err: err}
}

// fileExists is libpq's stat() test: a file it cannot stat is skipped.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
