// Package stdlib registers pg as a database/sql driver named "pg".
//
//	import _ "github.com/wirepg/pg/stdlib"
//	db, err := sql.Open("pg", "postgres://user:pw@localhost/db")
//
// Each database/sql connection is one *pg.Conn, so queries use pg's binary
// protocol and its statement cache; database/sql's own pool manages the
// connections. Arguments go to pg's codecs as they are: every Go type pg
// encodes is accepted, not just driver.Value's types, so Go slices,
// pg.Array, pg.Range, pg.Interval and friends are arguments as with a
// *pg.Conn.
//
// Results: bool, the integers (and oid, xid, cid), float4 and float8,
// text-like types, bytea, json and jsonb, date, timestamp and timestamptz
// arrive as their natural driver.Value (bool, int64, float64, string,
// []byte, time.Time; an infinite date or timestamp as "infinity" or
// "-infinity"). Every other type (numeric, uuid, arrays, composites,
// ranges, multiranges, hstore, money, intervals, geometric types, enums
// ...) arrives as a string in PostgreSQL's text form, as lib/pq and pgx's
// stdlib deliver it, so the sql.Scanners written for them read it:
// stdlib.Array (pq.Array's drop-in), bun's and GORM's types, sqlc's
// enums, and pg's own pg.Array[T], pg.Range[T], pg.Money, pg.Interval,
// pg.Numeric, pg.UUID. Two sharp edges: money is cash_out's form under
// lc_monetary C ("$1,234.56"), which pg.Money scans back and a float64
// refuses; and the text is DateStyle ISO's, with a timestamptz inside a
// container in the session's TimeZone (UTC when Go cannot load it).
//
// Prepare parses the statement on the server, so bad SQL fails there.
// ColumnTypes reports the types by name as the connection knows them
// (enums and composites too), lengths, numeric precision and scale, and
// nullability for table columns.
//
// Settings a DSN cannot carry: OpenDB with a *pg.Config and the
// OptionBeforeConnect, OptionAfterConnect and OptionResetSession hooks;
// RegisterConnConfig for tools that take only a driver name and a DSN;
// OpenDBFromPool for a *sql.DB over a pg.Pool. Conn (via
// (*sql.Conn).Raw) reaches the underlying *pg.Conn for pg-only features
// such as COPY or LISTEN.
package stdlib
