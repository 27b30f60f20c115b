package pgslog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgslog"
	"github.com/wirepg/pg/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m, pgtest.Options{}) }

// syncBuffer is a bytes.Buffer safe for the handler's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records decodes the JSON lines written so far.
func (s *syncBuffer) records(t *testing.T) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		out = append(out, m)
	}
	s.b.Reset()
	return out
}

func connect(t *testing.T, tr *pg.Tracer) *pg.Conn {
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	cfg.Tracer = tr
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pg.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func TestLevelsRedactionAndErrors(t *testing.T) {
	var buf syncBuffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := connect(t, pgslog.New(l, pgslog.Options{}))
	ctx := context.Background()
	recs := buf.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "pg: connect", recs[0]["msg"])
	assert.Equal(t, "INFO", recs[0]["level"])
	assert.EqualValues(t, 0, recs[0]["host_index"])

	_, err := c.Exec(ctx, "SELECT $1::text, $2::int", "secret", 7)
	require.NoError(t, err)
	recs = buf.records(t)
	require.Len(t, recs, 1)
	q := recs[0]
	assert.Equal(t, "pg: query", q["msg"])
	assert.Equal(t, "DEBUG", q["level"])
	assert.Equal(t, "SELECT $1::text, $2::int", q["sql"])
	assert.Equal(t, "[2 redacted]", q["args"])
	assert.EqualValues(t, 1, q["rows"])
	assert.Equal(t, false, q["cache_hit"])
	assert.NotContains(t, buf.b.String(), "secret")

	_, err = c.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	recs = buf.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "ERROR", recs[0]["level"])
	assert.Contains(t, recs[0]["err"], "division by zero")
}

func TestSlowQueryAndArgs(t *testing.T) {
	var buf syncBuffer
	l := slog.New(slog.NewJSONHandler(&buf, nil)) // Info: queries at Debug are left out
	lv := pgslog.DefaultLevels()
	c := connect(t, pgslog.New(l, pgslog.Options{Levels: lv, SlowQuery: 2 * time.Second, LogArgs: true}))
	ctx := context.Background()
	buf.records(t)

	_, err := c.Exec(ctx, "SELECT $1::int", 1)
	require.NoError(t, err)
	assert.Empty(t, buf.records(t), "a fast query at Debug is below the handler's level")

	_, err = c.Exec(ctx, "SELECT pg_sleep(2.1), $1::text", "shown")
	require.NoError(t, err)
	recs := buf.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "WARN", recs[0]["level"])
	assert.Equal(t, true, recs[0]["slow"])
	assert.Equal(t, []any{"shown"}, recs[0]["args"])
}

func TestPoolEvents(t *testing.T) {
	var buf syncBuffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	ctx := context.Background()
	p, err := pg.CreatePoolConfig(ctx, cfg, pg.PoolConfig{MinSize: 1, MaxSize: 1, Tracer: pgslog.New(l, pgslog.Options{})})
	require.NoError(t, err)
	defer p.Terminate()
	buf.records(t)
	_, err = p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	var msgs []string
	for _, r := range buf.records(t) {
		msgs = append(msgs, r["msg"].(string))
	}
	assert.Equal(t, []string{"pg: pool acquire", "pg: query", "pg: pool release"}, msgs)
}
