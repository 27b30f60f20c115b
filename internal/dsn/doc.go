// Package dsn turns a PostgreSQL connection string into typed, validated
// Settings with libpq's meaning, so that a DSN moved between psql, pgx and
// pg connects to the same place as the same user.
//
// The flow through Parse is libpq's (fe-connect.c, conninfo_parse and
// conninfo_add_defaults):
//
//  1. The string is split into key/value pairs: a URI when it starts with
//     postgresql:// or postgres:// (uri.go), else libpq's key=value form
//     (keyword_value.go). Later pairs override earlier ones. Keys pg does
//     not know become RuntimeParams, server settings for the startup packet.
//  2. If a service is named (service= or PGSERVICE), its section of the
//     service file fills keys the string did not set (service.go).
//  3. PG* environment variables fill keys still unset (env.go). A key set
//     in the string to an empty value counts as set, as in libpq: an empty
//     host ignores PGHOST and means the default host.
//  4. libpq's defaults fill the rest and every value is checked
//     (validate.go, hosts.go): the host, hostaddr and port lists are zipped
//     into Hosts, enumerations are checked, numbers converted.
//
// The only I/O is reading the service file, plus the checks for the home
// directory, the default socket directory and the service files' existence.
// The password file is not read by Parse: libpq looks a password up per
// host at connect time, and so does PasswordFromFile.
//
// Sharp edges:
//
//   - Every error is an *Error naming the option at fault. No error text
//     contains a password: values quoted in errors are dropped when they
//     contain any password or sslpassword seen so far, syntax errors quote
//     no input at all, and URI authority values are not quoted when the
//     URI looks like it holds an unencoded password. Use Redact before
//     logging a connection string.
//   - libpq's client-only options that pg does not implement (sslsni,
//     gssencmode, ...) are not sent to the server: those with a harmless
//     meaning are ignored, those that would weaken a security requirement
//     if ignored (gssencmode=require, requirepeer, sslcrldir, ...) are
//     errors.
//   - Settings leaves SSLMode, ChannelBinding, TargetSessionAttrs and the
//     TLS versions empty when nothing set them; the caller applies libpq's
//     defaults (prefer, prefer, any, TLSv1.2) so that a hand-built Config
//     and a parsed one mean the same.
package dsn
