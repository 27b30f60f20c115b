package pg

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/wirepg/pg/internal/sqlquote"
	"github.com/wirepg/pg/pgproto"
)

// Listen runs LISTEN on channel and adds f as a callback for its
// notifications (Unlisten removes every callback of the channel;
// AddListener returns a function that removes one). f may be nil: the
// channel's notifications are then queued for WaitForNotification. The
// channel name is sent as a quoted identifier, so it is case-sensitive and
// may hold any character.
//
// Delivery: while a connection with a callback (or an OnTerminate
// callback) sits idle, a goroutine of its own watches the socket, so a
// notification reaches its callbacks within milliseconds, as in asyncpg,
// and so does the end of the session (OnTerminate). Notifications that
// arrive during a call are delivered when the call ends. Connections with
// no such callback have no watcher, and their calls do not pay for it.
//
// Each notification goes to its channel's callbacks, in the order they
// were added; on a channel with none, to Config.OnNotification; when
// neither takes it, it is queued for WaitForNotification. The queue is
// unbounded, so a program that listens without callbacks must keep
// calling WaitForNotification. Notifications reach the callbacks one at a
// time and in the order they arrived.
//
// Callbacks run while no call holds the connection (on the watcher's
// goroutine, or on the caller's after its call ended), so a callback may
// use the connection itself, as asyncpg's receive it: its calls take the
// connection from the watcher and give it back. A call from a callback
// still fails with ErrConnBusy if another goroutine is using the
// connection at that moment (a Conn is not safe for concurrent use); a
// callback that must query while the program also uses the connection
// should use a Pool or a connection of its own. A slow callback delays the
// ones after it, not the connection.
func (c *Conn) Listen(ctx context.Context, channel string, f func(Notification)) error {
	_, err := c.AddListener(ctx, channel, f)
	return err
}

// AddListener is Listen returning a function that removes this one
// callback (asyncpg's add_listener and remove_listener): when it removes
// the channel's last callback, UNLISTEN is sent too.
func (c *Conn) AddListener(ctx context.Context, channel string, f func(Notification)) (remove func(context.Context) error, err error) {
	if channel == "" {
		return nil, errors.New("pg: Listen needs a channel name")
	}
	if _, err := c.Exec(ctx, "LISTEN "+sqlquote.Identifier(channel)); err != nil {
		return nil, err
	}
	c.cb.mu.Lock()
	if c.cb.listeners == nil {
		c.cb.listeners = make(map[string][]callback[func(Notification)])
	}
	list := c.cb.listeners[channel]
	id := uint64(0)
	if f != nil {
		c.cb.seq++
		id = c.cb.seq
		list = append(list, callback[func(Notification)]{id: id, f: f})
	}
	c.cb.listeners[channel] = list
	c.cb.updateWatch()
	c.cb.mu.Unlock()
	c.watchNow()
	return func(ctx context.Context) error { return c.removeListener(ctx, channel, id) }, nil
}

// removeListener drops the callback with id from channel, and sends
// UNLISTEN when no callback of the channel is left.
func (c *Conn) removeListener(ctx context.Context, channel string, id uint64) error {
	c.cb.mu.Lock()
	list, ok := c.cb.listeners[channel]
	if !ok {
		c.cb.mu.Unlock()
		return nil // Unlisten has already dropped the channel
	}
	list = slices.DeleteFunc(list, func(e callback[func(Notification)]) bool { return e.id == id })
	c.cb.listeners[channel] = list
	last := len(list) == 0
	c.cb.mu.Unlock()
	if !last {
		c.cb.mu.Lock()
		c.cb.updateWatch()
		c.cb.mu.Unlock()
		return nil
	}
	return c.Unlisten(ctx, channel)
}

// Unlisten runs UNLISTEN on channel and drops its callbacks. Queued
// notifications of the channel stay queued.
func (c *Conn) Unlisten(ctx context.Context, channel string) error {
	if _, err := c.Exec(ctx, "UNLISTEN "+sqlquote.Identifier(channel)); err != nil {
		return err
	}
	c.cb.mu.Lock()
	delete(c.cb.listeners, channel)
	c.cb.updateWatch()
	c.cb.mu.Unlock()
	return nil
}

// WaitForNotification returns the oldest queued notification or, when
// there is none, waits on the idle connection for the next one (which the
// channel's callbacks also receive). It returns ctx's error when ctx ends
// first; the connection stays usable. Notices and parameter changes
// arriving meanwhile are handled as in any call.
//
// On a pooled connection, the session reset of its last release may still
// be queued or unanswered; it is sent and its reply read first. Should it
// have failed, its error is returned: the session is then in a failed
// transaction and must not be waited on.
func (c *Conn) WaitForNotification(ctx context.Context) (Notification, error) {
	if err := ctx.Err(); err != nil {
		return Notification{}, err
	}
	if err := c.acquire(); err != nil {
		return Notification{}, err
	}
	defer c.release()
	if n, ok := c.popNotification(); ok {
		return n, nil
	}
	if len(c.pendingSend) > 0 || c.pendingSyncs > 0 {
		if err := c.settlePending(ctx); err != nil {
			return Notification{}, err
		}
		if n, ok := c.popNotification(); ok {
			return n, nil
		}
	}
	// The context ends the wait through the read deadline, not a
	// CancelRequest: there is no query to cancel. The Reader keeps a
	// partly read message across a deadline, so nothing is lost.
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = c.netConn.SetReadDeadline(time.Now())
		close(fired)
	})
	defer func() {
		if !stop() {
			// The AfterFunc started: wait until it has set the deadline,
			// then clear it for the next call.
			<-fired
			_ = c.netConn.SetReadDeadline(time.Time{})
		}
	}()
	w := &notificationWait{}
	c.awaiting = w
	defer func() { c.awaiting = nil }()
	for {
		typ, body, err := c.readMessage()
		if err != nil {
			if ctx.Err() != nil && isTimeout(err) {
				return Notification{}, ctx.Err()
			}
			return Notification{}, c.fail("read", err)
		}
		switch typ {
		case pgproto.MsgNotificationResponse:
			if w.taken {
				return w.n, nil
			}
			// Queued: hand back the oldest, which may be this one.
			if q, ok := c.popNotification(); ok {
				return q, nil
			}
			w.arrived = false
		case pgproto.MsgErrorResponse:
			// An idle session only gets an error when the server ends it
			// (FATAL); the read that sees the close reports it.
			_ = c.pgError(body, "")
		default:
			return Notification{}, c.protocolViolation(typ, "wait for notification")
		}
	}
}

// settlePending sends what is queued for the next request (a deferred
// session reset, Close messages for evicted statements) and reads every
// reply still owed, including that of a reset sent at a pool Release, so
// that the wait that follows meets only asynchronous messages. It runs as
// a call on the held connection: ctx cancels it like a query. A failed
// reset is returned (and kept in resetErr).
func (c *Conn) settlePending(ctx context.Context) error {
	if err := c.startWatch(ctx); err != nil {
		return err
	}
	failedBefore := c.resetErr != nil
	err := c.endWatch(c.readPending())
	if err == nil && !failedBefore && c.resetErr != nil {
		err = c.resetErr
	}
	return err
}

// readPending does the work of settlePending. Messages still queued go
// out with a Sync of their own (Close messages have none); the replies of
// deferred resets come first (requestSent), then that Sync's.
func (c *Conn) readPending() error {
	send := len(c.pendingSend) > 0
	if send {
		c.beginRequest()
		c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
		if err := c.flush(); err != nil {
			return err
		}
	}
	if err := c.requestSent(); err != nil {
		return err
	}
	if !send {
		return nil
	}
	if err := c.drain(""); isBroken(err) {
		return err
	}
	return nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// runListeners gives n to the channel's callbacks, else to
// Config.OnNotification, else (both went since it arrived) queues it.
func (c *Conn) runListeners(n Notification) {
	cb := &c.cb
	cb.mu.Lock()
	var fs []func(Notification)
	for _, e := range cb.listeners[n.Channel] {
		if e.f != nil {
			fs = append(fs, e.f)
		}
	}
	if len(fs) == 0 && c.cfg.OnNotification == nil {
		cb.queue = append(cb.queue, n)
		cb.mu.Unlock()
		return
	}
	cb.mu.Unlock()
	if len(fs) == 0 {
		c.cfg.OnNotification(n)
		return
	}
	for _, f := range fs {
		f(n)
	}
}

// takes reports whether a callback is registered for channel's
// notifications.
func (cb *callbacks) takes(channel string) bool {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	for _, e := range cb.listeners[channel] {
		if e.f != nil {
			return true
		}
	}
	return false
}

// enqueue keeps n for WaitForNotification.
func (cb *callbacks) enqueue(n Notification) {
	cb.mu.Lock()
	cb.queue = append(cb.queue, n)
	cb.mu.Unlock()
}

func (c *Conn) popNotification() (Notification, bool) {
	cb := &c.cb
	cb.mu.Lock()
	defer cb.mu.Unlock()
	if len(cb.queue) == 0 {
		return Notification{}, false
	}
	n := cb.queue[0]
	cb.queue[0] = Notification{}
	cb.queue = cb.queue[1:]
	if len(cb.queue) == 0 {
		cb.queue = nil
	}
	return n, true
}

// handleNotice decodes a NoticeResponse for Config.OnNotice and the
// OnNotice callbacks.
func (c *Conn) handleNotice(body []byte) {
	if c.cfg.OnNotice == nil && !c.cb.hasNotice() {
		return
	}
	var nr pgproto.NoticeResponse
	if err := nr.Decode(body); err != nil {
		return // a malformed notice is not worth breaking the connection
	}
	n := (*Notice)(pgErrorFrom((*pgproto.ErrorResponse)(&nr)))
	if c.cfg.OnNotice != nil {
		c.cfg.OnNotice(n)
	}
	c.cb.runNotice(n)
}
