package pg_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestRawBytesWireValues(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rows, err := c.Query(ctx, `SELECT 42::int4, 'héllo'::text, ''::text, NULL::int4, '\x00ff'::bytea, 'a b'::tsvector`)
	require.NoError(t, err)
	defer rows.Close()
	require.True(t, rows.Next())
	var i4, txt, empty, null, bytea, tsv pg.RawBytes
	null = pg.RawBytes("not yet")
	require.NoError(t, rows.Scan(&i4, &txt, &empty, &null, &bytea, &tsv))

	assert.Equal(t, binary.BigEndian.AppendUint32(nil, 42), []byte(i4), "int4 in its binary format")
	assert.Equal(t, "héllo", string(txt))
	assert.NotNil(t, empty, "an empty value is not NULL")
	assert.Empty(t, empty)
	assert.Nil(t, null, "NULL scans as nil")
	assert.Equal(t, []byte{0x00, 0xff}, []byte(bytea))
	// tsvector has no binary codec: its bytes are the text form.
	assert.False(t, rows.ColumnTypes()[5].HasBinary())
	assert.Equal(t, "'a' 'b'", string(tsv))

	// The bytes alias the row: what RawValues returns, not a copy.
	raw := rows.RawValues()
	assert.Same(t, &raw[1][0], &txt[0])
	require.False(t, rows.Next())
	require.NoError(t, rows.Err())
}

// TestRawBytesInvalidatedByNext checks the documented danger: the bytes a
// RawBytes holds are overwritten by later reads. Rows far larger than the
// read buffer make the reader reuse its buffer's start, where the earlier
// rows were.
func TestRawBytesInvalidatedByNext(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const size = 200_000
	rows, err := c.Query(ctx, `SELECT repeat(chr(97 + i), $1) FROM generate_series(0, 7) i`, size)
	require.NoError(t, err)
	defer rows.Close()
	var kept []pg.RawBytes
	for n := 0; rows.Next(); n++ {
		var rb pg.RawBytes
		require.NoError(t, rows.Scan(&rb))
		// Right until the next Next.
		require.Len(t, rb, size)
		require.Equal(t, size, bytes.Count(rb, []byte{byte('a' + n)}), "row %d", n)
		kept = append(kept, rb)
	}
	require.NoError(t, rows.Err())
	require.Len(t, kept, 8)
	overwritten := 0
	for n, rb := range kept[:len(kept)-1] {
		if bytes.Count(rb, []byte{byte('a' + n)}) != size {
			overwritten++
		}
	}
	assert.Positive(t, overwritten, "no RawBytes was overwritten by the rows read after it")
}

// TestRawBytesRefusedByHelpers: helpers that return after the row is gone
// cannot hand out bytes that alias it.
func TestRawBytesRefusedByHelpers(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var rb pg.RawBytes
	err := c.QueryRow(ctx, "SELECT 'x'::text").Scan(&rb)
	require.Error(t, err)
	assert.ErrorContains(t, err, "RawBytes")
	var se *pg.ScanError
	assert.ErrorAs(t, err, &se)

	_, err = pg.FetchVal[pg.RawBytes](ctx, c, "SELECT 'x'::text")
	assert.ErrorContains(t, err, "RawBytes")
	_, err = pg.CollectRows[pg.RawBytes](ctx, c, "SELECT 'x'::text")
	assert.ErrorContains(t, err, "RawBytes")
	type withRaw struct{ V pg.RawBytes }
	_, err = pg.CollectOne[withRaw](ctx, c, "SELECT 'x'::text AS v")
	assert.ErrorContains(t, err, "RawBytes")

	// The connection is still usable, and []byte still works there.
	var b []byte
	require.NoError(t, c.QueryRow(ctx, "SELECT 'x'::text").Scan(&b))
	assert.Equal(t, "x", string(b))
}
