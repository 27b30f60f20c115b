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

// TestBuiltinOIDs checks every OID pg writes down as a constant (codec's
// built-in types and their arrays, introspect.go's nameArrayOID and
// oidArrayOID) against the server's pg_type: same OID, same name.
func TestBuiltinOIDs(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer c.Close(ctx)

	server := map[uint32]string{}
	rows, err := c.Query(ctx, "SELECT oid, typname::text FROM pg_catalog.pg_type WHERE oid < 16384")
	require.NoError(t, err)
	for rows.Next() {
		var oid uint32
		var name string
		require.NoError(t, rows.Scan(&oid, &name))
		server[oid] = name
	}
	require.NoError(t, rows.Err())

	reg := codec.Default()
	n := 0
	for oid := range uint32(16384) {
		if typ := reg.Lookup(oid); typ != nil {
			n++
			assert.Equal(t, server[oid], typ.Name, "OID %d", oid)
		}
	}
	assert.Greater(t, n, 150, "built-in types checked")
	assert.Equal(t, "_name", server[nameArrayOID])
	assert.Equal(t, "_oid", server[oidArrayOID])
}
