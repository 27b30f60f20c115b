package pg

import (
	"sync/atomic"
	"time"
)

// PoolStats is a snapshot of a pool's state and counters since it was
// created.
type PoolStats struct {
	Size    int // open connections plus those being opened
	Idle    int // open connections waiting in the pool
	InUse   int // connections leased (Size - Idle - Connecting)
	Waiting int // Acquires waiting now
	MinSize int
	MaxSize int

	AcquireCount         int64         // Acquires started (the Pool's query methods included)
	AcquireWaitCount     int64         // Acquires that had to wait for a connection
	AcquireWaitDuration  time.Duration // total time spent waiting
	CanceledAcquireCount int64         // Acquires whose context ended before they got a connection
	SetupFailedCount     int64         // Acquires failed by the Setup hook

	CreatedConns int64 // connections opened
	// Connections closed, by reason.
	ClosedMaxQueries  int64 // served MaxQueries queries
	ClosedInactive    int64 // idle for MaxInactiveConnLifetime
	ClosedLifetime    int64 // older than MaxConnLifetime
	ClosedBroken      int64 // found closed or broken (server gone, killed, protocol error)
	ClosedExpired     int64 // replaced by ExpireConnections
	ClosedResetFailed int64 // the reset at Release failed
	ClosedHookFailed  int64 // Init failed on it
	ClosedPoolClosed  int64 // closed by Close or Terminate
}

// poolCounters are the counters behind PoolStats.
type poolCounters struct {
	acquires, waits, waitNanos, canceled, hookFailed, created atomic.Int64
	closed                                                    [numCloseReasons]atomic.Int64
}

func (p *Pool) countClosed(why closeReason) {
	if why >= 0 && why < numCloseReasons {
		p.stats.closed[why].Add(1)
	}
}

// Stats returns the pool's current state and counters.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	s := PoolStats{
		Size:    p.size,
		Idle:    len(p.idle),
		Waiting: p.waiters.len(),
		MinSize: p.limits.minSize,
		MaxSize: p.limits.maxSize,
	}
	out := 0
	for h := range p.all {
		if !h.inIdle {
			out++
		}
	}
	p.mu.Unlock()
	s.InUse = out
	c := &p.stats
	s.AcquireCount = c.acquires.Load()
	s.AcquireWaitCount = c.waits.Load()
	s.AcquireWaitDuration = time.Duration(c.waitNanos.Load())
	s.CanceledAcquireCount = c.canceled.Load()
	s.SetupFailedCount = c.hookFailed.Load()
	s.CreatedConns = c.created.Load()
	s.ClosedMaxQueries = c.closed[closeMaxQueries].Load()
	s.ClosedInactive = c.closed[closeInactive].Load()
	s.ClosedLifetime = c.closed[closeLifetime].Load()
	s.ClosedBroken = c.closed[closeBroken].Load()
	s.ClosedExpired = c.closed[closeExpired].Load()
	s.ClosedResetFailed = c.closed[closeResetFailed].Load()
	s.ClosedHookFailed = c.closed[closeHookFailed].Load()
	s.ClosedPoolClosed = c.closed[closePoolClosed].Load()
	return s
}
