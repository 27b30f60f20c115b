package pg_test

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A connection dropped mid-COPY fails the call promptly with a
// *ConnError, and the connection reports itself closed.
func TestCopyDroppedConnection(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	setup := connect(t)
	_, err := setup.Exec(ctx, "DROP TABLE IF EXISTS copy_drop; CREATE UNLOGGED TABLE copy_drop (id int8, pad text)")
	require.NoError(t, err)
	defer setup.Exec(ctx, "DROP TABLE copy_drop")

	t.Run("in", func(t *testing.T) {
		cfg, p := proxied(t)
		c := connectConfig(t, cfg)
		terminated := make(chan error, 1)
		c.OnTerminate(func(err error) { terminated <- err })
		i := 0
		start := time.Now()
		_, err := c.CopyRecordsToTable(ctx, "copy_drop", nil, pg.CopyFromFunc(func() ([]any, error) {
			i++
			if i == 50_000 {
				p.DropAll()
			}
			if i > 5_000_000 {
				return nil, nil
			}
			return []any{int64(i), "some padding text"}, nil
		}))
		var connErr *pg.ConnError
		require.ErrorAs(t, err, &connErr)
		assert.True(t, c.IsClosed())
		assert.Less(t, time.Since(start), 30*time.Second)
		select {
		case err := <-terminated:
			assert.Error(t, err)
		case <-time.After(10 * time.Second):
			t.Fatal("OnTerminate not called")
		}
	})

	t.Run("out", func(t *testing.T) {
		_, err := setup.Exec(ctx, "INSERT INTO copy_drop SELECT i, repeat('x', 100) FROM generate_series(1, 300000) i")
		require.NoError(t, err)
		cfg, p := proxied(t)
		c := connectConfig(t, cfg)
		var written int
		_, err = c.CopyFromTable(ctx, "copy_drop", writerFunc(func(b []byte) (int, error) {
			if written += len(b); written > 1<<20 {
				p.DropAll()
			}
			return len(b), nil
		}), pg.CopyOptions{})
		var connErr *pg.ConnError
		require.ErrorAs(t, err, &connErr)
		assert.True(t, c.IsClosed())
	})

	t.Run("reader", func(t *testing.T) {
		cfg, p := proxied(t)
		c := connectConfig(t, cfg)
		// The reader blocks until the connection is gone, then fails.
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write([]byte("1\ta\n"))
			p.DropAll()
			time.Sleep(200 * time.Millisecond)
			pw.CloseWithError(errors.New("late reader error"))
		}()
		_, err := c.CopyToTable(ctx, "copy_drop", pr, pg.CopyOptions{})
		require.Error(t, err)
		assert.True(t, c.IsClosed())
	})
}

func TestExecManyDroppedConnection(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	cfg, p := proxied(t)
	reading := signalReads(cfg)
	c := connectConfig(t, cfg)
	rows := make([][]any, 200_000)
	for i := range rows {
		rows[i] = []any{int32(i)}
	}
	drain(reading)
	go func() {
		<-reading // the first replies are being read
		p.DropAll()
	}()
	err := c.ExecMany(ctx, "SELECT $1::int4, pg_sleep(0.00001)", rows)
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	assert.True(t, c.IsClosed())
}

func TestWaitForNotificationDroppedConnection(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	cfg, p := proxied(t)
	reading := signalReads(cfg)
	c := connectConfig(t, cfg)
	require.NoError(t, c.Listen(ctx, "dropped", nil))
	drain(reading)
	go func() {
		<-reading // the wait is reading from the server
		p.DropAll()
	}()
	_, err := c.WaitForNotification(ctx)
	var connErr *pg.ConnError
	require.ErrorAs(t, err, &connErr)
	assert.True(t, c.IsClosed())
}
