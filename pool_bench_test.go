package pg_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/wirepg/pg"
)

// Pool benchmarks: Acquire+Release alone and Acquire + SELECT 1 + Release,
// at parallelism 1 and 64, on a pool of 10 (asyncpg's default size).
//
//	go test -run '^$' -bench Pool -benchmem .

func benchPool(b *testing.B, pc pg.PoolConfig) *pg.Pool {
	b.Helper()
	pc.MinSize, pc.MaxSize = 10, 10
	p, err := pg.CreatePoolConfig(context.Background(), testConfig(b), pc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Terminate)
	return p
}

func acquireRelease(b *testing.B, p *pg.Pool, ctx context.Context) {
	pc, err := p.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	_ = pc.Release()
}

func acquireSelectRelease(b *testing.B, p *pg.Pool, ctx context.Context) {
	pc, err := p.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var one int32
	if err := pc.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		b.Fatal(err, one)
	}
	_ = pc.Release()
}

func runPoolBench(b *testing.B, pc pg.PoolConfig, parallel int, f func(*testing.B, *pg.Pool, context.Context)) {
	p := benchPool(b, pc)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	if parallel == 1 {
		for b.Loop() {
			f(b, p, ctx)
		}
		return
	}
	b.SetParallelism(max(1, parallel/runtime.GOMAXPROCS(0)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			f(b, p, ctx)
		}
	})
}

func BenchmarkPoolAcquireRelease(b *testing.B) {
	b.Run("parallel=1", func(b *testing.B) { runPoolBench(b, pg.PoolConfig{}, 1, acquireRelease) })
	b.Run("parallel=64", func(b *testing.B) { runPoolBench(b, pg.PoolConfig{}, 64, acquireRelease) })
}

func BenchmarkPoolAcquireSelect1Release(b *testing.B) {
	b.Run("parallel=1", func(b *testing.B) { runPoolBench(b, pg.PoolConfig{}, 1, acquireSelectRelease) })
	b.Run("parallel=64", func(b *testing.B) { runPoolBench(b, pg.PoolConfig{}, 64, acquireSelectRelease) })
}

// BenchmarkPoolSelect1Baselines puts the pool's figures in context: the
// same SELECT 1 on a bare Conn, and through a pool whose Reset hook does
// nothing (so no reset is sent), which shows what the default reset costs.
func BenchmarkPoolSelect1Baselines(b *testing.B) {
	b.Run("conn", func(b *testing.B) {
		c, err := pg.ConnectConfig(context.Background(), testConfig(b))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close(context.Background())
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			var one int32
			if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				b.Fatal(err)
			}
		}
	})
	noReset := pg.PoolConfig{Reset: func(context.Context, *pg.Conn) error { return nil }}
	b.Run("pool-no-reset/parallel=1", func(b *testing.B) { runPoolBench(b, noReset, 1, acquireSelectRelease) })
	b.Run("pool-no-reset/parallel=64", func(b *testing.B) { runPoolBench(b, noReset, 64, acquireSelectRelease) })
}
