package ctxwatch

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Phases of a call, in the low two bits of Watcher.state; the bits above
// hold the generation of the registration the call is watched by.
// Generation 0 is never registered: calls with a context that cannot be
// cancelled use it, so nothing can fire into them.
const (
	phaseOff        uint64 = iota // between calls
	phaseActive                   // a call runs
	phaseCancelling               // its context ended; the cancel action runs
	phaseCancelled                // the cancel action has finished
	phaseMask       = 3
)

// Actions is what the Watcher does to the connection it watches.
type Actions struct {
	// Cancel asks the server to stop the running call. Its ctx ends when
	// the grace does; an error means the call could not be stopped, and
	// the deadline is then moved to now.
	Cancel func(ctx context.Context) error
	// SetDeadline sets the connection's read and write deadline; the zero
	// time clears it. It is called from the Watcher's goroutine while the
	// owner reads, so it must be safe for that (net.Conn's is).
	SetDeadline func(t time.Time)
	// Grace is how long after a call's context ends the call may still run:
	// the connection's deadline is set to the end of it, and Cancel is
	// bounded by it. It must be positive.
	Grace time.Duration
	// Timeout bounds calls whose context has no deadline; zero means none.
	Timeout time.Duration
}

// Watcher watches the calls of one connection, one at a time. Start, Stop,
// Err and Disarm are for the goroutine making the call; Deregister may be
// called from any goroutine. The zero Watcher must be given its Actions by
// Init before the first Start.
type Watcher struct {
	act Actions

	ctx       context.Context // the current call's context (owner only)
	armedDone <-chan struct{} // Done of the registered context (owner only)
	armedGen  uint64          // generation of that registration (owner only)

	mu   sync.Mutex  // guards stop against Deregister from another goroutine
	stop func() bool // deregisters the AfterFunc

	state atomic.Uint64 // armedGen<<2 | phase of the current call
	done  chan struct{} // receives once a started cancellation finishes
	// timeoutCancel releases the context Timeout made for the call.
	timeoutCancel context.CancelFunc
}

// Init gives w its actions. It must be called before the first Start and
// not again.
func (w *Watcher) Init(a Actions) { w.act = a }

// Start begins watching a call made with ctx. It fails with ctx's error
// when ctx has already ended (then the call must not run, and Stop must
// not be called).
func (w *Watcher) Start(ctx context.Context) error {
	if w.act.Timeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			ctx, w.timeoutCancel = context.WithTimeout(ctx, w.act.Timeout)
		}
	}
	w.ctx = ctx
	d := ctx.Done()
	if d == nil {
		w.state.Store(phaseActive) // generation 0: nothing fires into it
		return nil
	}
	if d != w.armedDone {
		if w.done == nil {
			w.done = make(chan struct{}, 1)
		}
		w.armedGen++
		gen := w.armedGen
		w.mu.Lock()
		if w.stop != nil {
			w.stop()
		}
		w.stop = context.AfterFunc(ctx, func() { w.fire(gen) })
		w.mu.Unlock()
		w.armedDone = d
	}
	w.state.Store(w.armedGen<<2 | phaseActive)
	// A registration kept from an earlier call may have fired between
	// calls, into a phase it ignores, and will not fire again: a context
	// that has ended is caught here instead.
	if err := ctx.Err(); err != nil {
		w.Stop()
		return err
	}
	return nil
}

// Stop ends the watch of the current call. When the context ended during
// the call, Stop waits for the cancel action to finish and clears the
// deadline it set, so the connection is ready for the next call (if the
// call's reads did not break it).
func (w *Watcher) Stop() {
	s := w.state.Load()
	if s&phaseMask == phaseActive && w.state.CompareAndSwap(s, phaseOff) {
		// Fast path: the context did not end during the call.
	} else if s&phaseMask != phaseOff {
		<-w.done
		w.act.SetDeadline(time.Time{})
		w.state.Store(phaseOff)
		w.armedDone = nil // that registration has fired and is spent
	}
	if w.timeoutCancel != nil {
		// The timeout context dies with the call: drop its registration
		// first so cancelling it does not start a goroutine.
		w.Disarm()
		w.timeoutCancel()
		w.timeoutCancel = nil
	}
	w.ctx = nil
}

// Context is the context of the call being watched, nil between calls.
// The Cancel action may call it: the call's watch does not end before the
// action returns.
func (w *Watcher) Context() context.Context { return w.ctx }

// InCall reports whether a call is being watched (between Start and Stop).
// It may be called from any goroutine; the answer may be stale at once.
func (w *Watcher) InCall() bool { return w.state.Load()&phaseMask != phaseOff }

// Err is the call's context error when the context ended during the call
// (the cancel action ran or runs), else nil. Call it between Start and
// Stop.
func (w *Watcher) Err() error {
	if w.ctx == nil {
		return nil
	}
	switch w.state.Load() & phaseMask {
	case phaseCancelling, phaseCancelled:
		return w.ctx.Err()
	}
	return nil
}

// Disarm drops the registration kept between calls, so that the context
// it belongs to is no longer referenced (a pool does it when a connection
// is released). Only the goroutine making calls may call it.
func (w *Watcher) Disarm() {
	w.Deregister()
	w.armedDone = nil
}

// Deregister stops the registration kept between calls; safe from any
// goroutine. It is for a connection that is closing: a later Start with
// the same context would not register again (Disarm is the owner's way).
func (w *Watcher) Deregister() {
	w.mu.Lock()
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
	w.mu.Unlock()
}

// fire runs in its own goroutine when a registered context ends.
func (w *Watcher) fire(gen uint64) {
	if !w.state.CompareAndSwap(gen<<2|phaseActive, gen<<2|phaseCancelling) {
		return // between calls, or a call watched by another registration
	}
	// The grace starts now and bounds everything after it: the call's
	// reads through the deadline, the cancel connection through its ctx.
	end := time.Now().Add(w.act.Grace)
	w.act.SetDeadline(end)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	err := w.act.Cancel(ctx)
	cancel()
	if err != nil {
		// The query cannot be stopped: end the call now rather than at
		// the end of the grace. The connection breaks on the failed read.
		w.act.SetDeadline(time.Now())
	}
	w.state.Store(gen<<2 | phaseCancelled)
	w.done <- struct{}{}
}
