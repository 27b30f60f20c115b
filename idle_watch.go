package pg

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// idleWatch reads a Conn's socket while no call runs, so that
// notifications reach their callbacks, and the loss of the connection its
// OnTerminate callbacks, within milliseconds instead of at the next call.
// It runs only on a connection that has a notification callback or a
// termination callback (callbacks.watchIdle): other connections have no
// goroutine, and their calls pay one atomic load for it.
//
// The watcher owns the stream from the end of one call (release) to the
// start of the next (acquire), which takes it back by moving the read
// deadline to now and waiting for the watcher to leave; the Reader keeps
// a partly read message across the deadline, so nothing is lost.
type idleWatch struct {
	on   atomic.Bool   // a watcher owns the stream
	mu   sync.Mutex    // orders starting and stopping
	stop bool          // the watcher has been asked to leave
	done chan struct{} // closed when the watcher has left the stream
}

// startIdleWatch hands the stream to a new watcher. The caller owns the
// connection (busy) and calls it just before it lets go, so a call that
// follows finds the watcher on and stops it.
func (c *Conn) startIdleWatch() {
	if c.closed.Load() || c.closing.Load() {
		return
	}
	w := &c.idle
	w.mu.Lock()
	w.stop = false
	w.done = make(chan struct{})
	w.on.Store(true)
	w.mu.Unlock()
	go c.watchIdle(w.done)
}

// watchNow starts the watcher on an idle connection that just got its
// first callback, instead of at the end of its next call. On a connection
// in use it does nothing: that call starts the watcher when it ends.
func (c *Conn) watchNow() {
	if c.cb.watchIdle.Load() && !c.idle.on.Load() && c.acquire() == nil {
		c.release()
	}
}

// stopIdleWatch takes the stream back from the watcher, if one runs. The
// caller owns the connection (busy).
func (c *Conn) stopIdleWatch() {
	w := &c.idle
	if !w.on.Load() {
		return
	}
	w.mu.Lock()
	w.stop = true
	done := w.done
	w.mu.Unlock()
	_ = c.netConn.SetReadDeadline(time.Now())
	<-done
	_ = c.netConn.SetReadDeadline(time.Time{})
	w.on.Store(false)
}

// watchIdle is the watcher: it reads and routes whatever the server sends
// while the connection is idle. Notifications go to the delivery queue as
// each burst ends, on a goroutine of their own, so their callbacks may use
// the connection (their calls stop this watcher). A FATAL error or the
// end of the stream breaks the connection, which runs the OnTerminate
// callbacks.
func (c *Conn) watchIdle(done chan struct{}) {
	w := &notificationWait{}
	c.awaiting = w
	defer func() {
		// Whatever ends the watch, what arrived goes to its callbacks;
		// handed over while the stream is still the watcher's.
		c.handOverArrived(true)
		c.awaiting = nil
		close(done)
	}()
	for {
		typ, body, err := c.readMessage()
		if err != nil {
			c.idle.mu.Lock()
			stopped := c.idle.stop
			c.idle.mu.Unlock()
			if !stopped || !isTimeout(err) {
				_ = c.fail("read", err)
			}
			return
		}
		switch typ {
		case pgproto.MsgNotificationResponse:
			w.arrived = false
			if c.r.Buffered() == 0 { // the end of a burst
				c.handOverArrived(true)
			}
		case pgproto.MsgErrorResponse:
			// An idle session only gets an error when the server ends it
			// (FATAL): the connection is done, whether or not the close
			// has arrived yet.
			err := c.pgError(body, "")
			if c.fatalErr != nil {
				err = c.fatalErr
			}
			_ = c.fail("read", err)
			return
		default:
			_ = c.protocolViolation(typ, "idle")
			return
		}
	}
}

// handOverArrived passes the notifications that arrived while the stream
// was owned (by a call or the watcher) to the delivery queue, in order,
// and runs the queue unless a delivery already does: on a new goroutine
// for the watcher (async), on the caller's for a call.
func (c *Conn) handOverArrived(async bool) {
	if len(c.arrived) == 0 {
		return
	}
	batch := c.arrived
	c.arrived = nil
	c.deliver(batch, async)
}

// deliver queues a batch of notifications for their callbacks and, unless
// a delivery is running, runs the queue (on a goroutine of its own when
// async). Queueing is done here, in the caller, so batches keep the order
// in which they arrived; callbacks run without the connection held, so
// they may use it.
func (c *Conn) deliver(batch []Notification, async bool) {
	if !c.queueDelivery(batch) {
		return
	}
	if async {
		go c.runDeliveries()
	} else {
		c.runDeliveries()
	}
}

// queueDelivery appends batch to the delivery queue and reports whether
// the caller must run it (no delivery was running).
func (c *Conn) queueDelivery(batch []Notification) bool {
	d := &c.delivery
	d.mu.Lock()
	defer d.mu.Unlock()
	d.queue = append(d.queue, batch...)
	if d.running {
		return false
	}
	d.running = true
	return true
}

// runDeliveries runs the callbacks of everything queued, until the queue
// is empty.
func (c *Conn) runDeliveries() {
	d := &c.delivery
	d.mu.Lock()
	for len(d.queue) > 0 {
		next := d.queue
		d.queue = nil
		d.mu.Unlock()
		for _, n := range next {
			c.runListeners(n)
		}
		d.mu.Lock()
	}
	d.running = false
	d.mu.Unlock()
}

// delivery is the queue of notifications waiting for their callbacks.
type delivery struct {
	mu      sync.Mutex
	queue   []Notification
	running bool
}
