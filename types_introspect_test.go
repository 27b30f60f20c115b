package pg_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// introspections returns the introspection queries among qs and requires
// that there is no other simple-protocol query.
func introspections(t *testing.T, qs []string) int {
	t.Helper()
	n := 0
	for _, q := range qs {
		if strings.Contains(q, "pg_catalog.pg_type") {
			n++
		} else {
			t.Errorf("unexpected simple query: %.200s", q)
		}
	}
	return n
}

// A fresh statement with many new OIDs (an array of a composite of a
// composite, a domain chain and an enum, a custom range and its
// multirange, a domain over an array, as parameters and as columns) costs
// exactly one introspection query; the next statement over the same types
// costs none, and after ReloadSchemaState one again.
func TestTypesIntrospectionOneQuery(t *testing.T) {
	t.Parallel()
	setup := connect(t)
	ctx := ctxT(t)
	setupSchema(t, setup, "types_introspect", derivedDDL)

	c, rec := recordedConn(t)
	const q = `SELECT $1::types_introspect.person[], $2::types_introspect.floatrange,
		NULL::types_introspect.floatmultirange, '{ok}'::types_introspect.mood[], '{1,2}'::types_introspect.intarr`
	people := []person{{Name: "Ann", Age: 42, Home: addr{Street: "Elm", Tags: []string{"x"}}, Mood: "happy", Born: date(1980, 5, 6)}}
	fr := pg.Range[float64]{Lower: 1, Upper: 2, LowerInc: true}
	run := func() {
		t.Helper()
		var gotPeople []person
		var gotRange pg.Range[float64]
		var multi []pg.Range[float64]
		var moods []string
		var ints []int32
		require.NoError(t, c.QueryRow(ctx, q, people, fr).Scan(&gotPeople, &gotRange, &multi, &moods, &ints))
		assert.Equal(t, people, gotPeople)
		assert.Equal(t, fr, gotRange)
		assert.Nil(t, multi)
		assert.Equal(t, []string{"ok"}, moods)
		assert.Equal(t, []int32{1, 2}, ints)
	}

	run()
	assert.Equal(t, 1, introspections(t, simpleQueries(t, rec.take())), "the first statement")
	run()
	assert.Equal(t, 0, introspections(t, simpleQueries(t, rec.take())), "the same statement again")
	var p person
	require.NoError(t, c.QueryRow(ctx, `SELECT ($1::types_introspect.person[])[1]`, people).Scan(&p))
	assert.Equal(t, people[0], p)
	assert.Equal(t, 0, introspections(t, simpleQueries(t, rec.take())), "a new statement over known types")

	require.NoError(t, c.ReloadSchemaState(ctx))
	run()
	assert.Equal(t, 1, introspections(t, simpleQueries(t, rec.take())), "the first statement after ReloadSchemaState")
}
