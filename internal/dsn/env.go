package dsn

import (
	"os"
	"os/user"
	"path/filepath"
	"runtime"
)

// Env looks up an environment variable the way os.LookupEnv does; pass
// os.LookupEnv, or a fake in tests. A nil Env means os.LookupEnv.
type Env func(key string) (string, bool)

func (e Env) lookup(key string) (string, bool) {
	if e == nil {
		return os.LookupEnv(key)
	}
	return e(key)
}

// get returns the variable's value, "" when unset.
func (e Env) get(key string) string {
	v, _ := e.lookup(key)
	return v
}

// defaultSocketDir is the unix socket directory libpq uses when no host is
// given, as compiled by Debian and Ubuntu (DEFAULT_PGSOCKET_DIR); upstream
// builds use /tmp.
const defaultSocketDir = "/var/run/postgresql"

// socketDirExists reports whether dir is an existing directory. It is a
// variable so that tests do not depend on the machine.
var socketDirExists = func(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// currentUser returns the OS user's name and home directory, the fallback
// when USER, LOGNAME and HOME are unset. It is a variable so that tests do
// not depend on the machine.
var currentUser = func() (name, home string, ok bool) {
	u, err := user.Current()
	if err != nil {
		return "", "", false
	}
	return u.Username, u.HomeDir, true
}

// system is the machine state Parse consults. Parse uses the package
// variables; tests pass their own so they can run in parallel.
type system struct {
	socketDirExists func(dir string) bool
	currentUser     func() (name, home string, ok bool)
}

func defaultSystem() system {
	return system{socketDirExists: socketDirExists, currentUser: currentUser}
}

// DefaultUser returns libpq's default user name, the OS user's: $USER,
// else $LOGNAME (%USERNAME% on Windows), else the OS user database; ""
// when none of them knows. A nil env means os.LookupEnv.
func DefaultUser(env Env) string {
	return defaultSystem().osUser(env)
}

// osUser is libpq's default user name. libpq asks getpwuid; we look at
// USER and LOGNAME first so that containers without a passwd entry work.
func (sys system) osUser(env Env) string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := env.get(k); v != "" {
			return v
		}
	}
	if runtime.GOOS == "windows" {
		if v := env.get("USERNAME"); v != "" {
			return v
		}
	}
	name, _, _ := sys.currentUser()
	return name
}

// configDir is the directory libpq keeps per-user files in
// (pqGetHomeDirectory): $HOME or the passwd entry's home on Unix,
// %APPDATA%\postgresql on Windows. "" when unknown.
func (sys system) configDir(env Env) string {
	if runtime.GOOS == "windows" {
		if v := env.get("APPDATA"); v != "" {
			return filepath.Join(v, "postgresql")
		}
		return ""
	}
	if v := env.get("HOME"); v != "" {
		return v
	}
	_, home, _ := sys.currentUser()
	return home
}

// DefaultPassfile returns the password file libpq reads when no passfile
// option is given: $PGPASSFILE, else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf
// on Windows), the home directory coming from HOME or, failing that, the
// OS user database. It returns "" when there is no home directory. A nil
// env means os.LookupEnv.
func DefaultPassfile(env Env) string {
	return defaultSystem().defaultPassfile(env)
}

func (sys system) defaultPassfile(env Env) string {
	if v := env.get("PGPASSFILE"); v != "" {
		return v
	}
	dir := sys.configDir(env)
	if dir == "" {
		return ""
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(dir, "pgpass.conf")
	}
	return filepath.Join(dir, ".pgpass")
}

// UserFile returns the path of a file in libpq's per-user directory,
// ~/.postgresql/name (%APPDATA%\postgresql\name on Windows): libpq's
// defaults for sslrootcert (root.crt), sslcrl (root.crl), sslcert
// (postgresql.crt) and sslkey (postgresql.key). It returns "" when there is
// no home directory. It does not check that the file exists. A nil env
// means os.LookupEnv.
func UserFile(name string, env Env) string {
	return defaultSystem().userFile(name, env)
}

func (sys system) userFile(name string, env Env) string {
	dir := sys.configDir(env)
	if dir == "" {
		return ""
	}
	if runtime.GOOS == "windows" {
		return filepath.Join(dir, name)
	}
	return filepath.Join(dir, ".postgresql", name)
}
