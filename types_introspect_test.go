package pg_test

import (
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// queryCounter wraps the driver's connection and records the simple-protocol
// Query messages it sends. Introspection (introspect.go) runs as a simple
// Query outside the query loggers, so the wire is where to count it.
type queryCounter struct {
	net.Conn
	mu      sync.Mutex
	pending []byte // frontend bytes not yet parsed into whole messages
	started bool   // past the untyped startup packets
	queries []string
}

func (q *queryCounter) Write(p []byte) (int, error) {
	q.mu.Lock()
	q.pending = append(q.pending, p...)
	q.parse()
	q.mu.Unlock()
	return q.Conn.Write(p)
}

// parse consumes whole frontend messages (protocol.html, "Message
// Formats"): untyped length-prefixed packets until the StartupMessage
// (SSLRequest and GSSENCRequest come before it), then a type byte and a
// length that counts itself.
func (q *queryCounter) parse() {
	for {
		if !q.started {
			if len(q.pending) < 8 {
				return
			}
			n := int(binary.BigEndian.Uint32(q.pending))
			if len(q.pending) < n {
				return
			}
			code := binary.BigEndian.Uint32(q.pending[4:])
			q.started = code != 80877103 && code != 80877104
			q.pending = q.pending[n:]
			continue
		}
		if len(q.pending) < 5 {
			return
		}
		n := 1 + int(binary.BigEndian.Uint32(q.pending[1:]))
		if len(q.pending) < n {
			return
		}
		if q.pending[0] == 'Q' {
			q.queries = append(q.queries, strings.TrimSuffix(string(q.pending[5:n]), "\x00"))
		}
		q.pending = q.pending[n:]
	}
}

// take returns the Query messages sent since the last call.
func (q *queryCounter) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.queries
	q.queries = nil
	return out
}

// connectCounting opens a connection whose simple-protocol queries are
// counted.
func connectCounting(t *testing.T) (*pg.Conn, *queryCounter) {
	t.Helper()
	cfg := testConfig(t)
	var mu sync.Mutex
	var first *queryCounter
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		qc := &queryCounter{Conn: nc}
		mu.Lock()
		if first == nil {
			first = qc // later dials are cancel requests
		}
		mu.Unlock()
		return qc, nil
	}
	c := connectConfig(t, cfg)
	mu.Lock()
	defer mu.Unlock()
	require.NotNil(t, first)
	first.take()
	return c, first
}

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

	c, counter := connectCounting(t)
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
	assert.Equal(t, 1, introspections(t, counter.take()), "the first statement")
	run()
	assert.Equal(t, 0, introspections(t, counter.take()), "the same statement again")
	var p person
	require.NoError(t, c.QueryRow(ctx, `SELECT ($1::types_introspect.person[])[1]`, people).Scan(&p))
	assert.Equal(t, people[0], p)
	assert.Equal(t, 0, introspections(t, counter.take()), "a new statement over known types")

	require.NoError(t, c.ReloadSchemaState(ctx))
	run()
	assert.Equal(t, 1, introspections(t, counter.take()), "the first statement after ReloadSchemaState")
}
