package pg

import (
	"slices"
	"time"
)

// The pool keeps a coarse clock instead of reading the system clock on
// every Acquire and Release: a janitor goroutine advances it each tick and,
// on the same tick, closes connections idle past MaxInactiveConnLifetime
// or older than MaxConnLifetime. On a virtual machine a clock read can
// cost as much as the rest of Acquire+Release together; a tick is at most
// a tenth of the shortest limit (and of pingAfterIdle), so the limits keep
// their meaning.

// janitorTick returns how often the janitor runs for the pool's limits.
func (l *poolLimits) janitorTick() time.Duration {
	shortest := pingAfterIdle
	for _, d := range []time.Duration{l.maxInactive, l.maxLifetime} {
		if d > 0 && d < shortest {
			shortest = d
		}
	}
	return min(max(shortest/10, 5*time.Millisecond), 100*time.Millisecond)
}

// clock is the pool's coarse monotonic time: nanoseconds since the pool
// was created, as of the last tick.
func (p *Pool) clock() int64 { return p.now.Load() }

// exactClock reads the real time on the same scale, for the rare paths.
func (p *Pool) exactClock() int64 { return int64(time.Since(p.epoch)) }

// janitor runs until the pool is closed.
func (p *Pool) janitor(stop <-chan struct{}) {
	t := time.NewTicker(p.limits.janitorTick())
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := p.exactClock()
		p.now.Store(now)
		p.sweep(now)
	}
}

// sweep closes idle connections past their inactivity or lifetime limit.
func (p *Pool) sweep(now int64) {
	inactive := int64(p.limits.maxInactive)
	var closing []*poolHolder
	p.mu.Lock()
	for i := 0; i < len(p.idle); {
		h := p.idle[i]
		why := keepConn
		switch {
		case inactive > 0 && now-h.idleSince >= inactive:
			why = closeInactive
		case h.expires != 0 && now >= h.expires:
			why = closeLifetime
		}
		if why == keepConn {
			i++
			continue
		}
		p.idle = slices.Delete(p.idle, i, i+1)
		h.inIdle = false
		p.dropLocked(h, why)
		closing = append(closing, h)
	}
	p.mu.Unlock()
	if len(closing) > 0 {
		endHolders(closing)
	}
}
