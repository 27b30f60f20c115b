package main

// The seven queries of MagicStack's pgbench suite (github.com/MagicStack/pgbench,
// queries/*.json), the harness asyncpg publishes its figures with. As
// there, each of msConcurrency workers owns one connection, read queries
// decode every value into the driver's default Go type (Values, or Scan
// into *any for database/sql), and the suite reports queries/s and rows/s
// with their geometric mean over the seven.

const (
	msConcurrency = 10

	sqlMSPgType = "SELECT typname, typnamespace, typowner, typlen, typbyval, typcategory, typispreferred, " +
		"typisdefined, typdelim, typrelid, typelem, typarray FROM pg_type WHERE typtypmod = $1 AND typisdefined = $2"
	sqlMSSeries  = "SELECT i FROM generate_series(1, $1) AS i"
	sqlMSBytea   = "SELECT * FROM ms_bytes"
	sqlMSArrays  = "SELECT * FROM ms_arrays"
	sqlMSBatch   = "INSERT INTO ms_batch (a, b, c, d, e, f, g) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	msCopyTable  = "ms_copy"
	nMSCopy      = 10_000
	nMSBatch     = 1_000
	nMSSeries    = 1_000
	msTableSetup = "(a int, b int, c int, d text, e float8, f int, g text)"
)

// msColumns are the columns of ms_copy and ms_batch.
var msColumns = []string{"a", "b", "c", "d", "e", "f", "g"}

// msRow is the row MagicStack's copy and batch queries write, over and over.
var msRow = []any{int32(10), int32(11), int32(10), "TESTTESTTEST", 10.333, int32(12341234), "123412341234"}

// msRows returns n references to msRow, as the suite's COPY source.
func msRows(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = msRow
	}
	return rows
}

// msArgs are the arguments of the read queries that take any.
var msArgs = map[string][]any{
	sqlMSPgType: {int32(-1), true},
	sqlMSSeries: {int32(nMSSeries)},
}

var msDrivers = []string{drvPG, drvPGX, drvLibPQ}

var magicStackWorkloads = []*Workload{
	{
		Name: "ms-pg_type", Desc: "pg_type scan WHERE typtypmod = $1 AND typisdefined = $2",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
	},
	{
		Name: "ms-generate_series", Desc: "1,000 rows of generate_series ints",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
	},
	{
		Name: "ms-bytea", Desc: "100 rows of 1,000-byte bytea",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
		Setup: "DROP TABLE IF EXISTS ms_bytes; CREATE TABLE ms_bytes (b bytea); " +
			"INSERT INTO ms_bytes (b) SELECT repeat('a', 1000)::bytea FROM generate_series(1, 100)",
		Teardown: "DROP TABLE IF EXISTS ms_bytes",
	},
	{
		Name: "ms-arrays", Desc: "100 rows of int4[100]",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
		Setup: "DROP TABLE IF EXISTS ms_arrays; CREATE TABLE ms_arrays (a int4[]); " +
			"INSERT INTO ms_arrays (a) SELECT (SELECT array_agg(i) FROM generate_series(1, 100) AS s(i)) FROM generate_series(1, 100)",
		Teardown: "DROP TABLE IF EXISTS ms_arrays",
	},
	{
		Name: "ms-copyfrom", Desc: "COPY of 10,000 seven-column rows",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
		Setup:       "DROP TABLE IF EXISTS ms_copy; CREATE UNLOGGED TABLE ms_copy " + msTableSetup,
		BeforeRound: "TRUNCATE ms_copy",
		Teardown:    "DROP TABLE IF EXISTS ms_copy",
	},
	{
		Name: "ms-batch", Desc: "batch INSERT of 1,000 seven-column rows",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
		Setup:       "DROP TABLE IF EXISTS ms_batch; CREATE UNLOGGED TABLE ms_batch " + msTableSetup,
		BeforeRound: "TRUNCATE ms_batch",
		Teardown:    "DROP TABLE IF EXISTS ms_batch",
	},
	{
		Name: "ms-1plus1", Desc: "SELECT 1+1",
		Workers: msConcurrency, Unit: "query", Drivers: msDrivers, MagicStack: true,
	},
}

// msReadQueries maps the read workloads to their SQL.
var msReadQueries = map[string]string{
	"ms-pg_type":         sqlMSPgType,
	"ms-generate_series": sqlMSSeries,
	"ms-bytea":           sqlMSBytea,
	"ms-arrays":          sqlMSArrays,
	"ms-1plus1":          "SELECT 1+1",
}
