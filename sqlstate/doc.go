// Package sqlstate names PostgreSQL's SQLSTATE error codes.
//
// Every error or notice the server sends carries a five-character SQLSTATE
// code (the C field of ErrorResponse); the first two characters are its class.
// This package holds one constant per code, generated from the errcodes.txt of
// PostgreSQL's source tree (see Appendix A, "PostgreSQL Error Codes", of the
// PostgreSQL documentation), so callers compare codes instead of parsing
// message text, which the server translates and rewords between releases:
//
//	var pgErr *pg.PgError
//	if errors.As(err, &pgErr) && pgErr.Code == sqlstate.UniqueViolation { ... }
//	if errors.As(err, &pgErr) && sqlstate.IsTransactionRollback(pgErr.Code) { retry() }
//
// The constants are untyped strings named in Go CamelCase after the condition
// names PL/pgSQL uses (unique_violation is UniqueViolation, with Go's
// initialisms upper case: InvalidSQLStatementName, FDWError). A condition name
// that errcodes.txt uses in more than one class keeps the plain Go name for its
// primary code and is prefixed with the class name elsewhere:
// StringDataRightTruncation is 22001, WarningStringDataRightTruncation is
// 01004. Class constants are the class name prefixed with Class
// (ClassIntegrityConstraintViolation is "23").
//
// Codes are upper case, as the server sends them; lookups do not fold case.
// A code this package does not know (from a newer server or an extension)
// still has a class: Name falls back to the class's generic condition, and the
// class helpers work on any code.
//
// sqlstate_gen.go is generated; edit internal/gen/sqlstate instead and run
// go generate ./sqlstate from the module root.
package sqlstate

//go:generate go run ../internal/gen/sqlstate -in ../internal/gen/sqlstate/errcodes.txt -out sqlstate_gen.go
