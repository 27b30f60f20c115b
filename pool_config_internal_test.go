package pg

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolConfigLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		pc   PoolConfig
		want poolLimits
	}{
		{"zero value: zero means none, MaxSize its default", PoolConfig{},
			poolLimits{maxSize: 10}},
		{"DefaultPoolConfig: asyncpg's defaults", DefaultPoolConfig(),
			poolLimits{minSize: 10, maxSize: 10, maxQueries: 50000, maxInactive: 5 * time.Minute}},
		{"MinSize 0 opens none", PoolConfig{MinSize: 0, MaxSize: 5},
			poolLimits{maxSize: 5}},
		{"negative is zero", PoolConfig{MinSize: -1, MaxQueries: -1, MaxInactiveConnLifetime: -1},
			poolLimits{minSize: 0, maxSize: 10}},
		{"explicit", PoolConfig{MinSize: 2, MaxSize: 3, MaxQueries: 7, MaxInactiveConnLifetime: time.Second,
			MaxConnLifetime: time.Hour, MaxConnLifetimeJitter: time.Minute},
			poolLimits{minSize: 2, maxSize: 3, maxQueries: 7, maxInactive: time.Second, maxLifetime: time.Hour, lifetimeJitter: time.Minute}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.pc.limits()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPoolJanitorTick(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 100*time.Millisecond, (&poolLimits{maxInactive: 5 * time.Minute}).janitorTick())
	assert.Equal(t, 30*time.Millisecond, (&poolLimits{maxInactive: 300 * time.Millisecond}).janitorTick())
	assert.Equal(t, 40*time.Millisecond, (&poolLimits{maxInactive: time.Minute, maxLifetime: 400 * time.Millisecond}).janitorTick())
	assert.Equal(t, 5*time.Millisecond, (&poolLimits{maxInactive: time.Millisecond}).janitorTick())
}

// With inactivity switched off, an idle connection outlives any sweep.
func TestPoolSweepKeepsWhenInactivityOff(t *testing.T) {
	t.Parallel()
	p := &Pool{limits: poolLimits{maxSize: 1}, all: map[*poolHolder]struct{}{}, drained: make(chan struct{})}
	h := &poolHolder{p: p, idleSince: 0, inIdle: true}
	p.idle = []*poolHolder{h}
	p.all[h] = struct{}{}
	p.size = 1
	p.sweep(int64(24 * time.Hour))
	assert.Len(t, p.idle, 1)
	assert.Equal(t, 1, p.size)
}
