package main

import (
	"runtime/metrics"
	"sync"
	"time"
)

// heapMetric is the bytes of live and not yet swept heap objects: what
// the Go heap holds at an instant, garbage not yet collected included.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heapSampler records the peak of heapMetric while a round runs, every
// heapSampleEvery. Reading runtime/metrics does not stop the world, and
// 500 reads a second cost the round next to nothing.
type heapSampler struct {
	start uint64
	peak  uint64
	stop  chan struct{}
	done  sync.WaitGroup
}

const heapSampleEvery = 2 * time.Millisecond

func readHeap() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{start: readHeap(), stop: make(chan struct{})}
	h.peak = h.start
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(heapSampleEvery)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.peak = max(h.peak, readHeap())
			}
		}
	}()
	return h
}

// growth stops the sampler and returns how far the heap rose above its
// size at the start of the round.
func (h *heapSampler) growth() uint64 {
	close(h.stop)
	h.done.Wait()
	h.peak = max(h.peak, readHeap())
	return h.peak - h.start
}
