package main

import (
	"math/bits"
	"time"
)

// latencyHist counts operation latencies in buckets an eighth of a power
// of two wide (at most 12.5% apart), exact below 8 ns. It is a fixed
// array, so recording allocates nothing during a round.
type latencyHist struct {
	counts [64 * 8]uint64
	n      uint64
}

func latencyBucket(ns uint64) int {
	if ns < 8 {
		return int(ns)
	}
	e := bits.Len64(ns) - 1 // ≥ 3
	return e*8 + int(ns>>(e-3)&7)
}

// bucketMid is the middle of bucket i, in nanoseconds.
func bucketMid(i int) float64 {
	if i < 8 {
		return float64(i)
	}
	e, m := i/8, i%8
	lo := uint64(8+m) << (e - 3)
	return float64(lo) + float64(uint64(1)<<(e-3))/2
}

func (h *latencyHist) add(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[latencyBucket(uint64(d))]++
	h.n++
}

func (h *latencyHist) merge(o *latencyHist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the latency below which a fraction q of the
// operations fell (the middle of its bucket), 0 with none recorded.
func (h *latencyHist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n-1)) + 1
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(bucketMid(i))
		}
	}
	return 0
}
