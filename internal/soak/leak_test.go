package soak

import (
	"context"
	"runtime"
	"time"

	"github.com/wirepg/pg"
)

// settleTimeout bounds the wait for closed connections and their
// goroutines to go away: both end asynchronously after Close returns.
const settleTimeout = 15 * time.Second

// serverConnsLeft counts the backends still open under the soak's
// application_name, waiting up to settleTimeout for them to reach zero
// (a backend exits a moment after the Terminate message). It returns the
// count seen first, the count at the end and how long it took.
func serverConnsLeft(ctx context.Context, cfg *pg.Config) (first, left int64, took time.Duration, err error) {
	c, err := pg.ConnectConfig(ctx, cfg)
	if err != nil {
		return 0, 0, 0, err
	}
	defer c.Close(context.Background())
	start := time.Now()
	for i := 0; ; i++ {
		if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", appName).Scan(&left); err != nil {
			return first, left, time.Since(start), err
		}
		if i == 0 {
			first = left
		}
		if left == 0 || time.Since(start) > settleTimeout {
			return first, left, time.Since(start), nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// goroutinesLeft waits up to settleTimeout for the goroutine count to fall
// back to base and returns the excess, how long it took and, if some are
// left, every goroutine's stack.
func goroutinesLeft(base int) (extra int, took time.Duration, stacks string) {
	start := time.Now()
	for {
		extra = runtime.NumGoroutine() - base
		if extra <= 0 {
			return 0, time.Since(start), ""
		}
		if time.Since(start) > settleTimeout {
			buf := make([]byte, 1<<20)
			return extra, time.Since(start), string(buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
