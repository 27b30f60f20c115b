package pg

import (
	"slices"
	"sync"
	"sync/atomic"
)

// callbacks holds a Conn's user callbacks: notices, termination, query
// loggers and LISTEN channels, plus the notifications queued for
// WaitForNotification. Each registration gets an id so that the function
// returned to the caller removes exactly that one (funcs are not
// comparable).
//
// A mutex guards everything: Terminate runs the terminate callbacks on
// whatever goroutine calls it, and a remove function may be called from
// anywhere. Callbacks are always called without the lock held, so they
// may register or remove callbacks themselves.
type callbacks struct {
	mu  sync.Mutex
	seq uint64
	// kept is the last id that clear keeps: the callbacks registered up
	// to keepSessionCallbacks (a pool's Init) belong to the connection.
	kept      uint64
	notice    []callback[func(*Notice)]
	terminate []callback[func(error)]
	loggers   []callback[func(LoggedQuery)]
	// hasLoggers lets the query path skip the clock and the lock when no
	// logger is registered.
	hasLoggers atomic.Bool
	// listeners are the Listen callbacks per channel; a channel listened
	// to with a nil callback is present with no entries.
	listeners map[string][]callback[func(Notification)]
	// queue holds notifications no callback took, for WaitForNotification.
	queue []Notification
	// watchIdle: a notification or termination callback is registered,
	// so the connection is watched while idle (idle_watch.go).
	watchIdle atomic.Bool
}

// updateWatch recomputes watchIdle; the caller holds mu.
func (cb *callbacks) updateWatch() {
	watch := len(cb.terminate) > 0
	for _, l := range cb.listeners {
		watch = watch || len(l) > 0
	}
	cb.watchIdle.Store(watch)
}

type callback[F any] struct {
	id uint64
	f  F
}

// add appends f to *list and returns the function that removes it.
func addCallback[F any](cb *callbacks, list *[]callback[F], f F) func() {
	cb.mu.Lock()
	cb.seq++
	id := cb.seq
	*list = append(*list, callback[F]{id: id, f: f})
	cb.mu.Unlock()
	return func() {
		cb.mu.Lock()
		*list = slices.DeleteFunc(*list, func(e callback[F]) bool { return e.id == id })
		cb.mu.Unlock()
	}
}

// snapshot copies the funcs of list under the lock, so they can be called
// without it.
func snapshot[F any](cb *callbacks, list *[]callback[F]) []F {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if len(*list) == 0 {
		return nil
	}
	out := make([]F, len(*list))
	for i, e := range *list {
		out[i] = e.f
	}
	return out
}

// OnNotice adds a callback for notices (RAISE NOTICE, warnings) and returns
// a function that removes it. Callbacks run on the goroutine using the
// connection, while it reads the server's reply; they must not use the
// connection. Config.OnNotice, when set, runs before them.
func (c *Conn) OnNotice(f func(*Notice)) (remove func()) {
	return addCallback(&c.cb, &c.cb.notice, f)
}

// OnTerminate adds a callback that runs once when the connection closes —
// Close, Terminate, or a broken connection — with the error that closed it
// (nil for Close), and returns a function that removes it. It runs on the
// goroutine that closed the connection, which for Terminate may be any.
//
// While a connection with an OnTerminate callback sits idle, its socket is
// watched (see Listen), so the callback runs within milliseconds of the
// server ending the session (pg_terminate_backend, a restart), not at the
// next call.
func (c *Conn) OnTerminate(f func(error)) (remove func()) {
	drop := addCallback(&c.cb, &c.cb.terminate, f)
	c.cb.mu.Lock()
	c.cb.updateWatch()
	c.cb.mu.Unlock()
	c.watchNow()
	return func() {
		drop()
		c.cb.mu.Lock()
		c.cb.updateWatch()
		c.cb.mu.Unlock()
	}
}

// AddQueryLogger adds a callback that receives every query the connection
// runs (SQL, arguments, duration, command tag, error) once it has
// finished, and returns a function that removes it. It runs on the
// goroutine using the connection and must not use the connection. With no
// logger registered, logging costs nothing.
func (c *Conn) AddQueryLogger(f func(LoggedQuery)) (remove func()) {
	drop := addCallback(&c.cb, &c.cb.loggers, f)
	c.cb.hasLoggers.Store(true)
	return func() {
		drop()
		c.cb.mu.Lock()
		c.cb.hasLoggers.Store(len(c.cb.loggers) > 0)
		c.cb.mu.Unlock()
	}
}

// runTerminate calls the OnTerminate callbacks with the reason the
// connection closed.
func (cb *callbacks) runTerminate(reason error) {
	for _, f := range snapshot(cb, &cb.terminate) {
		f(reason)
	}
}

// hasNotice reports whether any notice callback is registered.
func (cb *callbacks) hasNotice() bool {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return len(cb.notice) > 0
}

// runNotice calls the OnNotice callbacks.
func (cb *callbacks) runNotice(n *Notice) {
	for _, f := range snapshot(cb, &cb.notice) {
		f(n)
	}
}

// clear forgets every callback registered after the kept ones, every
// channel and every queued notification.
func (cb *callbacks) clear() {
	cb.mu.Lock()
	cb.notice = dropAfter(cb.notice, cb.kept)
	cb.terminate = dropAfter(cb.terminate, cb.kept)
	cb.loggers = dropAfter(cb.loggers, cb.kept)
	cb.hasLoggers.Store(len(cb.loggers) > 0)
	cb.listeners = nil
	cb.queue = nil
	cb.updateWatch()
	cb.mu.Unlock()
}

// dropAfter removes the entries of list registered after id kept; nil
// when none is left.
func dropAfter[F any](list []callback[F], kept uint64) []callback[F] {
	list = slices.DeleteFunc(list, func(e callback[F]) bool { return e.id > kept })
	if len(list) == 0 {
		return nil
	}
	return list
}
