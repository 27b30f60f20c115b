// Package restart holds tests that restart their PostgreSQL server, which
// they get to themselves (tests elsewhere share theirs and must not see
// it go away). It has no code of its own.
package restart
