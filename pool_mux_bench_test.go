package pg_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/wirepg/pg"
)

// BenchmarkPoolMux: 64 goroutines each running QueryRow(SELECT $1::int4)
// through the Pool, on 16 ordinary connections (no reset, as pgxpool)
// and on 4 multiplexed ones. bench/ compares with pgxpool.
//
//	go test -run '^$' -bench PoolMux -benchmem .
func BenchmarkPoolMux(b *testing.B) {
	noReset := pg.PoolConfig{MinSize: 16, MaxSize: 16, Reset: func(context.Context, *pg.Conn) error { return nil }}
	b.Run("ordinary-16", func(b *testing.B) { benchPoolPoint(b, noReset) })
	b.Run("multiplexed-4", func(b *testing.B) { benchPoolPoint(b, pg.PoolConfig{MaxSize: 1, MultiplexConns: 4}) })
}

func benchPoolPoint(b *testing.B, pc pg.PoolConfig) {
	p, err := pg.CreatePoolConfig(context.Background(), testConfig(b), pc)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Terminate()
	ctx := context.Background()
	var seq atomic.Int32
	b.ReportAllocs()
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var got int32
		for pb.Next() {
			n := seq.Add(1)
			if err := p.QueryRow(ctx, "SELECT $1::int4", n).Scan(&got); err != nil || got != n {
				b.Error(err, got, n)
				return
			}
		}
	})
}
