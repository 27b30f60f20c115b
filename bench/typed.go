package main

// Typed-Scan workloads: reads scanned with rows.Scan into typed Go
// destinations (string, uint32, int16, bool, []int32 ...), the way most
// applications read rows, next to the Values()-based MagicStack reads,
// which measure each driver's default decoding instead.

const (
	// pgtype-typed: every row of pg_type, 12 columns of name, oid, int2,
	// bool and "char".
	sqlPgTypeTyped = "SELECT typname, typnamespace, typowner, typlen, typbyval, typtype, typcategory, " +
		"typispreferred, typisdefined, typdelim, typrelid, typelem FROM pg_type"
	// int4array-typed: 100 rows of int4[100].
	sqlInt4ArrayTyped = "SELECT a FROM bench_int4array"
	int4ArraySetup    = "DROP TABLE IF EXISTS bench_int4array; CREATE TABLE bench_int4array (a int4[]); " +
		"INSERT INTO bench_int4array (a) SELECT (SELECT array_agg(i) FROM generate_series(1, 100) AS s(i)) FROM generate_series(1, 100)"
)

// pgTypeRow is one row of pg_type's columns as applications scan them:
// oid as uint32 (pgx, pg and database/sql all convert to it), "char" as
// a one-character string (each driver's text of it).
type pgTypeRow struct {
	name                      string
	namespace, owner          uint32
	length                    int16
	byVal, preferred, defined bool
	typType, category, delim  string
	relID, elem, array        uint32
}

// typedRow holds every destination the typed reads scan into. A worker
// owns one, reused over rows as applications reuse loop variables.
type typedRow struct {
	t     pgTypeRow
	i     int32
	bytes []byte
	ints  []int32
}

// typedRead is one typed-Scan read: its SQL, arguments and destinations.
type typedRead struct {
	sql  string
	args []any
	// dests returns r's destinations in column order; intArray wraps an
	// []int32 destination for drivers that need an adapter (lib/pq's
	// pq.Array), nil for those that scan into it directly.
	dests func(r *typedRow, intArray func(*[]int32) any) []any
}

// msTypedPrefix names the typed variants of the MagicStack reads:
// ms-typed-pg_type for ms-pg_type ...
const msTypedPrefix = "ms-typed-"

// typedReads maps each typed workload to its read.
var typedReads = map[string]typedRead{
	"pgtype-typed": {sql: sqlPgTypeTyped, dests: func(r *typedRow, _ func(*[]int32) any) []any {
		t := &r.t
		return []any{&t.name, &t.namespace, &t.owner, &t.length, &t.byVal, &t.typType, &t.category,
			&t.preferred, &t.defined, &t.delim, &t.relID, &t.elem}
	}},
	"int4array-typed": {sql: sqlInt4ArrayTyped, dests: intArrayDests},
	msTypedPrefix + "pg_type": {sql: sqlMSPgType, args: msArgs[sqlMSPgType], dests: func(r *typedRow, _ func(*[]int32) any) []any {
		t := &r.t
		return []any{&t.name, &t.namespace, &t.owner, &t.length, &t.byVal, &t.category, &t.preferred,
			&t.defined, &t.delim, &t.relID, &t.elem, &t.array}
	}},
	msTypedPrefix + "generate_series": {sql: sqlMSSeries, args: msArgs[sqlMSSeries], dests: intDests},
	msTypedPrefix + "bytea":           {sql: sqlMSBytea, dests: func(r *typedRow, _ func(*[]int32) any) []any { return []any{&r.bytes} }},
	msTypedPrefix + "arrays":          {sql: sqlMSArrays, dests: intArrayDests},
	msTypedPrefix + "1plus1":          {sql: "SELECT 1+1", dests: intDests},
}

func intDests(r *typedRow, _ func(*[]int32) any) []any { return []any{&r.i} }

func intArrayDests(r *typedRow, intArray func(*[]int32) any) []any {
	if intArray != nil {
		return []any{intArray(&r.ints)}
	}
	return []any{&r.ints}
}

// typedWorkloads are the two typed workloads of their own; they follow
// decode-1000 in the report.
var typedWorkloads = []*Workload{
	{
		Name: "pgtype-typed", Desc: "every row of pg_type, 12 columns (name, oid, int2, bool, \"char\") scanned into string/uint32/int16/bool",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
	},
	{
		Name: "int4array-typed", Desc: "100 rows of int4[100] scanned into []int32 (lib/pq: pq.Array)",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
		Setup: int4ArraySetup, Teardown: "DROP TABLE IF EXISTS bench_int4array",
	},
}

// msTypedWorkloads are the MagicStack reads again, scanned into typed
// destinations; with ms-copyfrom and ms-batch (no reads to type) they make
// the typed suite, whose geometric mean is reported beside the other.
var msTypedWorkloads = func() []*Workload {
	var out []*Workload
	for _, wl := range magicStackWorkloads {
		if _, read := msReadQueries[wl.Name]; !read {
			continue
		}
		t := *wl
		t.Name = msTypedPrefix + wl.Name[len("ms-"):]
		t.Desc = wl.Desc + ", scanned into typed destinations"
		t.MagicStack, t.MSTyped = false, true
		out = append(out, &t)
	}
	return out
}()

// inTypedSuite reports whether a workload counts in the typed MagicStack
// suite: a typed read, or one of the writes both suites share.
func inTypedSuite(wl *Workload) bool {
	if wl.MSTyped {
		return true
	}
	_, read := msReadQueries[wl.Name]
	return wl.MagicStack && !read
}
