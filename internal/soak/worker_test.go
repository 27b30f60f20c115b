package soak

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg"
)

// safetyTimeout bounds a call whose context is not meant to end: one that
// takes longer is reported as unexpected (a hang), not as a cancellation.
const safetyTimeout = 30 * time.Second

// soak is the state the workers, the killer and the report share.
type soak struct {
	pool  *pg.Pool
	start time.Time
	tl    timeline

	opened sync.Map // *pg.Conn -> time.Duration its connect began at
	handed sync.Map // *pg.Conn -> time.Duration the pool last handed it out at

	ops, calls, okOps, checks atomic.Int64
	wrong                     atomic.Int64
	armed                     atomic.Int64 // operations given a short deadline or a timer cancel

	mu       sync.Mutex
	failures []failure
	wrongs   []string // the first wrong results, described
}

// since is the time since the soak began, on the monotonic clock.
func (s *soak) since() time.Duration { return time.Since(s.start) }

// acquireEnd is the pool's Tracer hook at the end of each Acquire: it
// notes when the pool handed the connection out, after its checks. The
// worker's own clock read after Acquire returns can be much later on a
// loaded machine (a goroutine not run for 100 ms), which would make a
// backend killed after the pool looked at its connection seem killed
// long before the lease.
func (s *soak) acquireEnd(_ context.Context, _ *pg.Pool, d pg.TraceAcquireEnd) {
	if d.Conn != nil {
		s.handed.Store(d.Conn, s.since())
	}
}

// connect is the pool's Connect hook: it notes when each connection's
// connect began, to tell a connection from before the restart, and a
// terminate of its pid from one of an earlier backend with that pid.
func (s *soak) connect(ctx context.Context, cfg *pg.Config) (*pg.Conn, error) {
	began := s.since()
	c, err := pg.ConnectConfig(ctx, cfg)
	if err == nil {
		s.opened.Store(c, began)
	}
	return c, err
}

// quiet tells the workers to pause between operations: 0.8 s of every
// 2 s, so the load alternates between 64 callers queueing for 8
// connections, none idle, and a trickle that leaves most of them idle.
func (s *soak) quiet() bool { return s.since()%(2*time.Second) >= 1200*time.Millisecond }

// errWrong marks a call that succeeded with a wrong result.
type errWrong struct{ msg string }

func (e *errWrong) Error() string { return "wrong result: " + e.msg }

func wrongf(format string, args ...any) error {
	return &errWrong{fmt.Sprintf(format, args...)}
}

// worker runs operations on the pool until stop is closed.
type worker struct {
	s   *soak
	id  int
	rng *rand.Rand
	seq uint32

	mode ctxMode
	// recovered is when this worker's first operation to succeed after
	// Restart returned ended (a time.Duration); 0 until then.
	recovered atomic.Int64
}

// key returns an int8 key no other operation of the soak uses.
func (w *worker) key() int64 {
	w.seq++
	return int64(w.id)<<32 | int64(w.seq)
}

func (w *worker) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		ok := w.runOne()
		if w.s.quiet() {
			// A lull: connections sit idle in the pool, where the
			// killer and the restart also find them.
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(20+w.rng.IntN(130)) * time.Millisecond):
			}
		}
		if !ok {
			// Back off a little after a failure: during the restart
			// every Acquire fails at once, and 64 workers spinning on
			// it would only load the machine.
			select {
			case <-stop:
				return
			case <-time.After(time.Duration(5+w.rng.IntN(25)) * time.Millisecond):
			}
		}
	}
}

// op is one checked operation: on a leased connection, or through the
// Pool's own methods.
type op struct {
	name   string
	weight int
	lease  func(w *worker, ctx context.Context, pc *pg.PoolConn) error
	pool   func(w *worker, ctx context.Context) error
}

// runOne runs one operation under a context that may be set to end
// mid-call, and reports whether it succeeded.
func (w *worker) runOne() bool {
	s := w.s
	s.ops.Add(1)
	ctx, cancel := w.opContext()
	defer cancel()
	o := w.pick()
	var err error
	if o.pool != nil {
		start := s.since()
		err = o.pool(w, ctx)
		if err != nil {
			w.fail(ctx, failure{op: o.name, path: pathPool, err: err, start: start, end: s.since()})
		}
	} else {
		err = w.leased(ctx, o)
	}
	if err != nil {
		return false
	}
	s.okOps.Add(1)
	if w.recovered.Load() == 0 {
		end := s.since()
		s.tl.mu.Lock()
		re, done := s.tl.restartEnd, s.tl.restarted
		s.tl.mu.Unlock()
		if done && end > re {
			w.recovered.Store(int64(end))
		}
	}
	return true
}

// leased runs o on a connection from Acquire.
func (w *worker) leased(ctx context.Context, o op) error {
	s := w.s
	start := s.since()
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		w.fail(ctx, failure{op: "Acquire", path: pathAcquire, err: err, start: start, end: s.since()})
		return err
	}
	leased := s.since()
	err = o.lease(w, ctx, pc)
	if isWrong(err) {
		w.fail(ctx, failure{op: o.name, err: err})
	} else if err != nil {
		f := failure{op: o.name, path: pathLease, err: err, acquire: start, start: leased, end: s.since(), opened: -1}
		// Only now: PoolConn.Conn makes the release reset the session
		// and flushes a pending reset, which would change the path
		// under test on every lease.
		c := pc.Conn()
		f.pid = c.ServerPID()
		if at, ok := s.opened.Load(c); ok {
			f.opened = at.(time.Duration)
		}
		if at, ok := s.handed.Load(c); ok && at.(time.Duration) >= start && at.(time.Duration) < leased {
			f.start = at.(time.Duration)
		}
		w.fail(ctx, f)
	}
	_ = pc.Release()
	return err
}

func isWrong(err error) bool {
	var e *errWrong
	return errors.As(err, &e)
}

// fail records a failed call for classification after the run; a wrong
// result is counted instead.
func (w *worker) fail(ctx context.Context, f failure) {
	s := w.s
	if isWrong(f.err) {
		s.wrong.Add(1)
		s.mu.Lock()
		if len(s.wrongs) < 20 {
			s.wrongs = append(s.wrongs, f.op+": "+f.err.Error())
		}
		s.mu.Unlock()
		return
	}
	f.mode, f.ctxErr = w.mode, ctx.Err()
	if dl, ok := ctx.Deadline(); ok {
		f.pastDeadline = !time.Now().Before(dl)
	}
	s.mu.Lock()
	s.failures = append(s.failures, f)
	s.mu.Unlock()
}

// opContext returns the context for one operation: most get only the
// safety deadline; some a deadline of a few milliseconds, some an
// explicit cancel a few milliseconds in, to land mid-call (the slow
// operations take 5 to 100 ms).
func (w *worker) opContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), safetyTimeout)
	switch r := w.rng.IntN(100); {
	case r < 70:
		w.mode = modeSafety
		return ctx, cancel
	case r < 85:
		w.mode = modeDeadline
		w.s.armed.Add(1)
		dctx, dcancel := context.WithTimeout(ctx, time.Duration(1+w.rng.IntN(50))*time.Millisecond)
		return dctx, func() { dcancel(); cancel() }
	default:
		w.mode = modeCancel
		w.s.armed.Add(1)
		cctx, ccancel := context.WithCancel(ctx)
		t := time.AfterFunc(time.Duration(w.rng.IntN(50))*time.Millisecond, ccancel)
		return cctx, func() { t.Stop(); ccancel(); cancel() }
	}
}

func (w *worker) pick() op {
	n := w.rng.IntN(totalWeight)
	for _, o := range ops {
		if n < o.weight {
			return o
		}
		n -= o.weight
	}
	panic("unreachable")
}
