package pg

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgtest"
)

// The result formats the driver asks for: binary for every type that has a
// binary form (also introspected composites, enums, domains, ranges and
// arrays of them), text for the rest and for types it has no codec for;
// and introspection happens once per type, not per statement.
func TestTypesResultFormats(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer c.Close(ctx)
	lockExtension(t, c, "citext")
	_, err = c.Exec(ctx, `DROP SCHEMA IF EXISTS types_formats CASCADE; CREATE SCHEMA types_formats;
		CREATE TYPE types_formats.e AS ENUM ('a');
		CREATE DOMAIN types_formats.d AS numeric(10,2);
		CREATE TYPE types_formats.c AS (x int4, y types_formats.e, z types_formats.d[]);
		CREATE TYPE types_formats.ct AS (x int4, v tsvector);
		CREATE TYPE types_formats.r AS RANGE (subtype = types_formats.d);
		CREATE EXTENSION IF NOT EXISTS citext SCHEMA types_formats`)
	require.NoError(t, err)
	defer func() { _, _ = c.Exec(context.Background(), "DROP SCHEMA types_formats CASCADE") }()

	formats := func(sql string) []int16 {
		t.Helper()
		require.NoError(t, c.begin(ctx))
		sd, err := c.stmtFor(sql)
		require.NoError(t, c.endCall(err))
		return sd.colFormats
	}
	bin, txt := codec.BinaryFormat, codec.TextFormat
	assert.Equal(t, []int16{bin, bin, bin, bin, bin, bin},
		formats(`SELECT 'a'::types_formats.e, 1::types_formats.d, ROW(1,'a',NULL)::types_formats.c,
			ARRAY[ROW(1,'a',NULL)::types_formats.c], '[1,2)'::types_formats.r, '{}'::types_formats.r_multirange`))
	assert.Equal(t, []int16{txt, txt, txt, txt, bin},
		formats(`SELECT ROW(1,'')::types_formats.ct, 'x'::types_formats.citext, '{x}'::types_formats.citext[], 'a'::tsvector, 1`))

	// Every type above is now in the connection's cache: a new statement
	// using them needs no introspection.
	known := func(oid uint32) bool { return c.types.Lookup(oid) != nil }
	var oids []uint32
	require.NoError(t, c.QueryRow(ctx, `SELECT ARRAY['types_formats.e'::regtype::oid, 'types_formats.c'::regtype::oid, 'types_formats.r'::regtype::oid, 'types_formats.d'::regtype::oid]`).Scan(&oids))
	for _, oid := range oids {
		assert.True(t, known(oid), "OID %d cached", oid)
	}
	require.NoError(t, c.begin(ctx))
	sd, err := c.stmtFor(`SELECT NULL::types_formats.c, NULL::types_formats.e[]`)
	require.NoError(t, c.endCall(err))
	assert.Empty(t, c.unknownOIDs(sd))
}
