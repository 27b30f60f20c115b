package dsn

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// PasswordFromFile returns the password the passfile at path gives for
// connecting to h as user to database, or "" when the file is missing,
// unreadable or has no matching line. It follows libpq's passwordFromFile
// (the docs' "The Password File"): lines are
// hostname:port:database:username:password, the first matching line wins,
// '*' alone matches anything, '\' makes the next character literal ("\:"
// is a colon, "\*" a star), and lines starting with '#' are comments.
//
// The host matched is h.Host, else h.HostAddr, else "localhost". A unix
// socket directory matches its own path or "localhost" (libpq matches
// "localhost" only for its compiled-in socket directory; pgx, for every
// socket). A zero port matches 5432.
//
// pg does not use github.com/jackc/pgpassfile for this, because it reads
// some lines differently from libpq (TestPassfileAgainstPgpassfile shows
// each): it trims a password's trailing blanks, drops a line with an
// unescaped ':' in the password, unescapes only \: and \\, and reads nothing
// of a file with a line over 64 KiB.
//
// As libpq does, a file that is not a plain file, or that group or others
// may access (any of mode 0077), is ignored and warn, when not nil, is
// called with a message saying so; it never contains a password.
func PasswordFromFile(path string, h Host, database, user string, warn func(string)) string {
	if path == "" || database == "" || user == "" {
		return ""
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	if runtime.GOOS != "windows" {
		if !fi.Mode().IsRegular() {
			warnf(warn, "WARNING: password file %q is not a plain file", path)
			return ""
		}
		if fi.Mode().Perm()&0o077 != 0 {
			warnf(warn, "WARNING: password file %q has group or world access; permissions should be u=rw (0600) or less", path)
			return ""
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return lookupPassword(string(data), h, database, user)
}

// lookupPassword finds the password for h, database and user in the text
// of a passfile (see PasswordFromFile).
func lookupPassword(data string, h Host, database, user string) string {
	if database == "" || user == "" {
		return ""
	}
	host := h.Host
	if host == "" {
		host = h.HostAddr
	}
	if host == "" {
		host = "localhost"
	}
	port := strconv.Itoa(int(h.Port))
	if h.Port == 0 {
		port = strconv.Itoa(defaultPort)
	}
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		rest, ok := matchPassfileField(line, host)
		if !ok && h.IsUnixSocket() {
			rest, ok = matchPassfileField(line, "localhost")
		}
		for _, want := range []string{port, database, user} {
			if !ok {
				break
			}
			rest, ok = matchPassfileField(rest, want)
		}
		if ok {
			return unescapePassword(rest)
		}
	}
	return ""
}

func warnf(warn func(string), format string, args ...any) {
	if warn != nil {
		warn(fmt.Sprintf(format, args...))
	}
}

// matchPassfileField matches the first field of line against token and
// returns what follows the field's ':' (libpq's pwdfMatchesString). A field
// of exactly "*" matches anything; a backslash makes the next character
// literal, so "\*" matches only "*" and "\:" a colon.
func matchPassfileField(line, token string) (rest string, ok bool) {
	if strings.HasPrefix(line, "*:") {
		return line[2:], true
	}
	j := 0
	for i := 0; i < len(line); i++ {
		c, escaped := line[i], false
		if c == '\\' {
			if i++; i == len(line) {
				return "", false
			}
			c, escaped = line[i], true
		}
		if c == ':' && !escaped && j == len(token) {
			return line[i+1:], true
		}
		if j == len(token) || c != token[j] {
			return "", false
		}
		j++
	}
	return "", false
}

// unescapePassword takes the password field: up to the next unescaped ':'
// or the end of the line, with backslash escapes removed.
func unescapePassword(s string) string {
	var b strings.Builder
	for i := 0; i < len(s) && s[i] != ':'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
