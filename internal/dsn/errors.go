package dsn

import (
	"fmt"
	"strings"
)

// Error is the error type of Parse: a connection string, service file or
// environment value that cannot be used. Its message never contains a
// password or sslpassword.
type Error struct {
	// Key is the option at fault ("port", "sslmode"), or "" for a syntax
	// error in the connection string.
	Key string
	// Msg says what is wrong and, where it helps, how to fix it. Error
	// returns it prefixed with "dsn: ".
	Msg string
	// Err is the underlying error (reading the service file), or nil. Its
	// text is already part of Msg.
	Err error
}

// Error returns Msg prefixed with "dsn: ".
func (e *Error) Error() string { return "dsn: " + e.Msg }

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// redacted replaces any quoted value that could contain a secret.
const redacted = "xxxxx"

// secrets collects every password and sslpassword seen while parsing so
// that no error message can quote one, whichever option it is about: a
// value can hold a password by mistake (password=my secret parses "secret"
// as a key), and a malformed string can shift a password into another
// option's value.
type secrets []string

func (s *secrets) add(v string) {
	if v != "" {
		*s = append(*s, v)
	}
}

// scrub returns v, or a placeholder when v contains a known secret.
func (s secrets) scrub(v string) string {
	for _, sec := range s {
		if strings.Contains(v, sec) {
			return redacted
		}
	}
	return v
}

// invalid reports an unusable value: dsn: invalid port "abc": must be 1-65535.
func (s secrets) invalid(key, value, why string) *Error {
	if isSecretKey(key) {
		return &Error{Key: key, Msg: fmt.Sprintf("invalid %s: %s", key, why)}
	}
	return &Error{Key: key, Msg: fmt.Sprintf("invalid %s %q: %s", key, s.scrub(value), why)}
}

// errorf reports an error about key whose text has no quoted value, or
// whose quoted values the caller has scrubbed.
func errorf(key, format string, args ...any) *Error {
	return &Error{Key: key, Msg: fmt.Sprintf(format, args...)}
}

// isSecretKey reports whether key's value must never be printed.
func isSecretKey(key string) bool {
	return key == "password" || key == "sslpassword"
}
