package soak

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
)

// cause is why a caller saw an error. Every cause but unexpected is one a
// service must expect; unexpected is what issue 12 says must not reach a
// caller.
type cause int

const (
	causeOwnCtx         cause = iota // the caller's own context ended (cancel or deadline)
	causeTerminated                  // its backend (pid known) was terminated while it held the connection
	causeTerminatedRace              // ... terminated while idle, handed out before it was gone
	causeTerminatedWin               // a backend was terminated during the call (pool method or Acquire: pid unknown)
	causeRestart                     // the call overlapped the server restart
	causeUnexpected                  // none of the above
	numCauses
)

var causeNames = [numCauses]string{
	causeOwnCtx:         "own ctx cancel/deadline",
	causeTerminated:     "backend terminated while the caller held it (pid matched)",
	causeTerminatedRace: "backend terminated just before the lease, handed out before it was gone or <" + leaseSlack.String() + " after (pid matched)",
	causeTerminatedWin:  "a backend terminated during the call (pool method or Acquire, pid unknown: by time)",
	causeRestart:        "inside the restart window",
	causeUnexpected:     "unexpected",
}

// path says how a failed call reached its connection, and so what is
// known about which backend served it.
type path int

const (
	pathLease   path = iota // on a PoolConn: the backend's pid is known
	pathPool                // a Pool method: acquired, run and released inside
	pathAcquire             // Acquire itself failed
)

// ctxMode is how a call's context was set to end.
type ctxMode int

const (
	modeSafety   ctxMode = iota // only the generous safety deadline
	modeDeadline                // a short deadline, meant to fire mid-call
	modeCancel                  // an explicit cancel from a timer, meant to fire mid-call
)

// failure is one error a caller saw. It is classified after the run, once
// the killer has recorded when each terminated backend was gone and the
// restart window is known. Times are offsets from the start of the soak.
type failure struct {
	op     string
	path   path
	err    error
	ctxErr error // the call's ctx.Err() right after the failure
	// pastDeadline: the ctx's deadline had passed right after the
	// failure, even if its timer had not fired yet (ctxErr nil).
	pastDeadline bool
	mode         ctxMode
	// start is when the pool handed the connection out (pathLease; its
	// Tracer hook, else when Acquire returned) or when the call began
	// (pathPool, pathAcquire); end is when the error was returned.
	start, end time.Duration
	pid        uint32        // pathLease only
	opened     time.Duration // when that connection's connect began; pathLease only
	acquire    time.Duration // when the Acquire began; pathLease only
}

// terminate is one pg_terminate_backend the killer sent: issued just
// before the call, gone once pg_stat_activity no longer listed the pid
// (the backend has then written its FATAL and closed its socket), or when
// the killer gave up looking.
type terminate struct {
	pid          uint32
	issued, gone time.Duration
}

// leaseSlack: a backend gone this little before a lease began counts as
// terminated around the lease, not while idle. The lease's start is taken
// when Acquire has returned, which on a loaded machine can be a few
// milliseconds after the pool last looked at the connection.
const leaseSlack = 5 * time.Millisecond

// timeline is what the classification needs to know about the run.
type timeline struct {
	mu                     sync.Mutex
	terms                  []terminate
	restartBegin           time.Duration // 0: no restart
	restartEnd             time.Duration
	restarted              bool
	killerErrs             []string // the killer's own failures outside the restart window
	killerErrsInRestartWin int
}

func (tl *timeline) addTerm(t terminate) {
	tl.mu.Lock()
	tl.terms = append(tl.terms, t)
	tl.mu.Unlock()
}

func overlaps(a0, a1, b0, b1 time.Duration) bool { return a0 <= b1 && b0 <= a1 }

// classify puts a failure down to its cause. For an unexpected one, hint
// says what the timeline knows about it, and by is the time that hint
// measures (-1 when none).
func (tl *timeline) classify(f failure) (c cause, hint string, by time.Duration) {
	by = -1
	ctxErr := f.ctxErr
	if ctxErr == nil && f.pastDeadline {
		// The deadline passed but the ctx's timer had not fired yet: a
		// socket deadline set from it fires first.
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr != nil && errors.Is(f.err, ctxErr) {
		if f.mode != modeSafety {
			return causeOwnCtx, "", by
		}
		return causeUnexpected, fmt.Sprintf("the call outlived its %v safety deadline", safetyTimeout), by
	}
	from := f.start
	if f.path == pathLease && f.opened >= f.acquire {
		// The caller's own Acquire opened the connection: a backend
		// killed while it started up was killed during the caller's
		// call.
		from = f.acquire
	}
	if f.path == pathLease {
		for _, t := range tl.terms {
			if t.pid == f.pid && t.issued > f.opened && overlaps(t.issued, t.gone+leaseSlack, from, f.end) {
				if t.issued < from {
					// No check at Acquire can see a FATAL the
					// backend has not sent yet.
					return causeTerminatedRace, "", by
				}
				return causeTerminated, "", by
			}
		}
	}
	if tl.restarted && overlaps(f.start, f.end, tl.restartBegin, tl.restartEnd) {
		return causeRestart, "", by
	}
	if f.path != pathLease {
		for _, t := range tl.terms {
			if overlaps(t.issued, t.gone, f.start, f.end) {
				return causeTerminatedWin, "", by
			}
		}
	}
	switch f.path {
	case pathLease:
		for _, t := range tl.terms {
			if t.pid == f.pid && t.issued > f.opened && t.gone < f.start {
				hint, by = "handed out a connection whose backend was terminated, and gone from pg_stat_activity this long before the lease:", f.start-t.gone
			}
		}
		// A connection opened just as Restart began may have reached
		// the old server.
		if by < 0 && tl.restarted && f.opened < tl.restartEnd && f.start > tl.restartEnd {
			hint, by = "handed out a connection opened before Restart returned, this long after it returned:", f.start-tl.restartEnd
		}
		if by < 0 {
			hint = fmt.Sprintf("no terminate of pid %d recorded since its connect began at +%v (Acquire +%v, lease +%v..+%v)",
				f.pid, roundDur(f.opened), roundDur(f.acquire), roundDur(f.start), roundDur(f.end))
		}
	default:
		// The pid is unknown: say how long before the call the last
		// terminated backend was gone.
		for _, t := range tl.terms {
			if t.gone < f.start {
				hint, by = "pid unknown (Pool method or Acquire); the last backend terminated before the call was gone this long before it:", f.start-t.gone
			}
		}
		if tl.restarted && f.start > tl.restartEnd && (by < 0 || f.start-tl.restartEnd < by) {
			hint, by = "pid unknown (Pool method or Acquire), this long after Restart returned:", f.start-tl.restartEnd
		}
	}
	// An error that should have said the context ended: that is the
	// news, whatever else happened around it.
	switch {
	case f.ctxErr != nil:
		return causeUnexpected, "its context had ended (" + f.ctxErr.Error() + ") but the error does not match it", -1
	case f.pastDeadline && f.mode == modeDeadline:
		return causeUnexpected, "its deadline had passed (ctx.Err() still nil: the timer had not fired) but the error does not match context.DeadlineExceeded", -1
	}
	return causeUnexpected, hint, by
}

var digits = regexp.MustCompile(`[0-9]+`)

// describe renders err with the Go types of its chain, so the report says
// not only what an error reads but what a caller's errors.Is and errors.As
// find in it.
func describe(err error) string {
	var b strings.Builder
	var walk func(e error, depth int)
	walk = func(e error, depth int) {
		if depth > 0 {
			b.WriteString(" <- ")
		}
		fmt.Fprintf(&b, "%T", e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if n := u.Unwrap(); n != nil {
				walk(n, depth+1)
			}
		case interface{ Unwrap() []error }:
			b.WriteString(" [")
			for i, n := range u.Unwrap() {
				if i > 0 {
					b.WriteString(" | ")
				}
				walk(n, 0)
			}
			b.WriteString("]")
		}
	}
	walk(err, 0)
	return b.String()
}

// errKey groups errors that differ only in numbers (ports, pids, times).
func errKey(err error) string {
	return digits.ReplaceAllString(err.Error(), "N")
}

func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d
}
