// Package integration runs the tools most Go code reaches PostgreSQL
// through (sqlx, goose, bun, GORM, golang-migrate and sqlc-style
// database/sql code) over pg's database/sql driver, as their users write
// them, against pgtest's throwaway server. It is a module of its own so
// that the library's go.mod does not grow by these tools.
package integration
