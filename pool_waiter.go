package pg

import "sync"

// poolWaiter is an Acquire waiting for a connection. Whoever frees one
// fills in exactly one of h, slot or err under Pool.mu and signals ready
// (buffered, so the sender never blocks).
type poolWaiter struct {
	ready chan struct{}
	h     *poolHolder // an idle connection, handed over directly
	slot  bool        // a free slot: the waiter opens a connection itself
	err   error       // the pool closed
}

// waiterQueue is the FIFO of waiting Acquires: a slice with a moving head,
// compacted as it goes so that a queue that never empties does not grow.
type waiterQueue struct {
	items []*poolWaiter
	head  int
}

func (q *waiterQueue) len() int { return len(q.items) - q.head }

func (q *waiterQueue) push(w *poolWaiter) {
	if q.head > 0 && q.head >= len(q.items)/2 {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items = q.items[:n]
		q.head = 0
	}
	q.items = append(q.items, w)
}

// pop removes the longest-waiting waiter; nil when there is none.
func (q *waiterQueue) pop() *poolWaiter {
	if q.head == len(q.items) {
		return nil
	}
	w := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items = q.items[:0]
		q.head = 0
	}
	return w
}

// remove takes w out of the queue (its Acquire gave up) and reports
// whether it was still there.
func (q *waiterQueue) remove(w *poolWaiter) bool {
	for i := q.head; i < len(q.items); i++ {
		if q.items[i] == w {
			copy(q.items[i:], q.items[i+1:])
			q.items[len(q.items)-1] = nil
			q.items = q.items[:len(q.items)-1]
			if q.head == len(q.items) {
				q.items = q.items[:0]
				q.head = 0
			}
			return true
		}
	}
	return false
}

// waiterPool recycles waiters with their channels. A waiter goes back
// only with its ready channel empty.
var waiterPool = sync.Pool{New: func() any { return &poolWaiter{ready: make(chan struct{}, 1)} }}

func newWaiter() *poolWaiter { return waiterPool.Get().(*poolWaiter) }

// freeWaiter keeps w for reuse; its ready channel must be empty and no one
// may signal it any more.
func freeWaiter(w *poolWaiter) {
	*w = poolWaiter{ready: w.ready}
	waiterPool.Put(w)
}
