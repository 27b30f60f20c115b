package pg

import (
	"errors"

	"github.com/wirepg/pg/internal/dsn"
)

// ConfigError reports a connection string or Config that cannot be used:
// a malformed DSN, an unknown sslmode, a missing root certificate for
// sslmode=verify-full, an unreadable client key. Its message names the
// option at fault and never contains a password.
type ConfigError struct {
	// Option is the option at fault, in libpq's spelling ("port",
	// "sslmode", "sslkey"), or "" for a syntax error in the DSN.
	Option string
	// Msg says what is wrong and how to fix it.
	Msg string
	// Err is the underlying error (a file that cannot be read), or nil.
	Err error
}

func (e *ConfigError) Error() string { return "pg: " + e.Msg }

// Unwrap returns the underlying error, if any.
func (e *ConfigError) Unwrap() error { return e.Err }

// configError turns a dsn.Error into a ConfigError.
func configError(err error) error {
	var de *dsn.Error
	if errors.As(err, &de) {
		return &ConfigError{Option: de.Key, Msg: de.Msg, Err: de.Err}
	}
	return err
}
