package main

import (
	"slices"
	"strings"
)

// The SQL every driver runs for a workload, so the drivers differ only in
// how they run it.
const (
	sqlPoint = "SELECT $1::int4"
	// rows-small and rows-large: int4, text, float8 and timestamptz columns.
	sqlRows = "SELECT i, i::text, i*1.5::float8, now() FROM generate_series(1, $1) i"

	nRowsSmall = 100
	nRowsLarge = 100_000

	sqlInsert = "INSERT INTO bench_insert (a, b, c, d) VALUES ($1, $2, $3, $4)"
	nInsert   = 10_000
	copyTable = "bench_copy"
	nCopyIn   = 1_000_000
	poolConns = 16
	// muxConns is pool-mux's multiplexed connections: a quarter of
	// poolConns.
	muxConns   = poolConns / 4
	poolWorker = 64

	// pool-select1-*: the query run on each acquired connection.
	sqlSelect1 = "SELECT 1"

	// decode-1000: 1,000 rows of eight common types, scanned into decodeRow.
	sqlDecode = "SELECT i::int4, i::int8, 'row '||i, i*1.5::float8, now() + i*interval '1 s', " +
		"(i*1.25)::numeric, md5(i::text)::uuid, i%2=0 FROM generate_series(1, $1) i"
	nDecodeRows = 1000

	// stream: 10,000,000 rows of an int4 and a 1,000-byte text, about
	// 10 GB on the wire. The text is a parameter, so the server spends its
	// time sending rows, not building strings.
	sqlStream    = "SELECT i, $2::text FROM generate_series(1, $1) i"
	nStreamRows  = 10_000_000
	streamTextSz = 1000
)

// streamArgs are sqlStream's arguments, boxed once.
var streamArgs = []any{int32(nStreamRows), strings.Repeat("x", streamTextSz)}

// copyColumns are the columns of bench_insert and bench_copy.
var copyColumns = []string{"a", "b", "c", "d"}

var (
	singleDrivers = []string{drvPG, drvPGX, drvLibPQ}
	poolDrivers   = []string{drvPG, drvPGResetTracked, drvPGNoReset, drvPGXPool, drvLibPQ, drvPGXStdlib, drvPGStdlib}
	// nativePoolDrivers are the pools with an Acquire of their own.
	nativePoolDrivers = []string{drvPG, drvPGResetTracked, drvPGNoReset, drvPGXPool}
)

// workloads is every workload in report order. The MagicStack ones are in
// magicstack.go, the typed-Scan ones in typed.go.
var workloads = slices.Concat(rowWorkloads, typedWorkloads, poolWorkloads, magicStackWorkloads, msTypedWorkloads, optInWorkloads)

// rowWorkloads are the single-connection reads and writes.
var rowWorkloads = []*Workload{
	{
		Name: "point", Desc: "one connection, SELECT $1::int4 round trips",
		Workers: 1, Unit: "query", Drivers: singleDrivers,
	},
	{
		Name: "rows-small", Desc: "100 rows of (int4, text, float8, timestamptz) scanned into Go values",
		Workers: 1, Unit: "query", Drivers: singleDrivers,
	},
	{
		Name: "rows-large", Desc: "100,000 rows of (int4, text, float8, timestamptz) scanned into Go values",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
	},
	{
		Name: "rows-rawbytes", Desc: "rows-large with the text column scanned into the driver's no-copy bytes (pg.RawBytes, pgtype.DriverBytes, sql.RawBytes)",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
	},
	{
		Name: "wide", Desc: "one row of 50 columns of mixed types",
		Workers: 1, Unit: "query", Drivers: singleDrivers,
	},
	{
		Name: "insert-each", Desc: "10,000 single-row INSERTs in one transaction, one round trip each",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
		Setup:       createInsertTable,
		BeforeRound: "TRUNCATE bench_insert",
		Teardown:    "DROP TABLE IF EXISTS bench_insert",
	},
	{
		Name: "insert-batch", Desc: "the same 10,000 INSERTs pipelined in one batch",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
		Setup:       createInsertTable,
		BeforeRound: "TRUNCATE bench_insert",
		Teardown:    "DROP TABLE IF EXISTS bench_insert",
	},
	{
		Name: "copy-in", Desc: "1,000,000 rows of (int4, text, float8, timestamptz) by COPY FROM STDIN into an unlogged table",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
		Setup:       "DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy (a int4, b text, c float8, d timestamptz)",
		BeforeRound: "TRUNCATE bench_copy",
		Teardown:    "DROP TABLE IF EXISTS bench_copy",
	},
	{
		Name: "decode-1000", Desc: "1,000 rows of (int4, int8, text, float8, timestamptz, numeric, uuid, bool) scanned into Go values",
		Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers,
	},
}

// poolWorkloads share a pool among goroutines.
var poolWorkloads = []*Workload{
	{
		Name: "pool", Desc: "64 goroutines sharing 16 connections, SELECT $1::int4",
		Workers: poolWorker, Unit: "query", Drivers: poolDrivers,
	},
	{
		Name: "pool-mux", Desc: "64 goroutines, SELECT $1::int4 through the pool: pg multiplexed on 4 connections, pools of 16 (pg-noreset, pgxpool)",
		Workers: poolWorker, Unit: "query", Drivers: []string{drvPGMux, drvPGNoReset, drvPGXPool}, Latency: true,
	},
	{
		Name: "pool-acquire-1", Desc: "1 goroutine, pool of 16: Acquire + Release, no query",
		Workers: 1, Unit: "acquire", Drivers: nativePoolDrivers,
	},
	{
		Name: "pool-acquire-64", Desc: "64 goroutines sharing 16 connections: Acquire + Release, no query",
		Workers: poolWorker, Unit: "acquire", Drivers: nativePoolDrivers,
	},
	{
		Name: "pool-select1-1", Desc: "1 goroutine, pool of 16: Acquire + SELECT 1 on the acquired connection + Release",
		Workers: 1, Unit: "acquire", Drivers: nativePoolDrivers,
	},
	{
		Name: "pool-select1-64", Desc: "64 goroutines sharing 16 connections: Acquire + SELECT 1 on the acquired connection + Release",
		Workers: poolWorker, Unit: "acquire", Drivers: nativePoolDrivers,
	},
}

// optInWorkloads run only when named.
var optInWorkloads = []*Workload{{
	Name: "stream", Desc: "10,000,000 rows of (int4, 1,000-byte text), ~10 GB, scanned into Go values; watch heap↑",
	Workers: 1, Unit: "row", PerRow: true, Drivers: singleDrivers, OptIn: true,
}}

const createInsertTable = "DROP TABLE IF EXISTS bench_insert; CREATE UNLOGGED TABLE bench_insert (a int4, b text, c float8, d timestamptz)"
