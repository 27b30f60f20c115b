// Package stdlib registers pg as a database/sql driver named "pg".
//
//	import _ "github.com/wirepg/pg/stdlib"
//	db, err := sql.Open("pg", "postgres://user:pw@localhost/db")
//
// Each database/sql connection is one *pg.Conn, so queries use pg's binary
// protocol and its prepared-statement cache; database/sql's own pool
// manages the connections. Arguments are passed to pg's codecs as they are
// (the driver accepts every Go type pg can encode, not just driver.Value
// types), and results come back as database/sql expects: int64, float64,
// bool, []byte, string, time.Time or nil, with pg's richer types (numeric,
// uuid, intervals ...) converted through their driver.Valuer or their text
// form. A money value comes back as its amount in decimal, "12.34" for
// '$12.34' (two fractional digits assumed, see pg.Money), which database/sql
// converts to a float64 or string destination and refuses for an integer
// one; for the count of cents, scan into pg.Money or an integer through the
// *pg.Conn that Conn returns.
//
// Use OpenDB with a *pg.Config for settings a DSN cannot carry, and Conn
// (via (*sql.Conn).Raw) to reach the underlying *pg.Conn for pg-only
// features such as COPY or LISTEN.
package stdlib
