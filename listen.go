package pg

import (
	"context"
	"errors"
	"time"

	"github.com/wirepg/pg/internal/sqlquote"
	"github.com/wirepg/pg/pgproto"
)

// Listen runs LISTEN on channel and adds f as a callback for its
// notifications (Unlisten removes it). f may be nil: the channel's
// notifications are then queued for WaitForNotification. The channel name
// is sent as a quoted identifier, so it is case-sensitive and may hold any
// character.
//
// Delivery: the driver has no background reader; a Conn reads its socket
// only during a call. Notifications that arrive while it is idle wait in
// the socket and are delivered during the next call, before its own reply
// is processed, or by WaitForNotification, which blocks on the idle
// connection until one arrives. A program that only listens calls
// WaitForNotification in a loop, usually on a connection of its own.
//
// Each notification goes to its channel's Listen callbacks, in the order
// they were added; on a channel with none, to Config.OnNotification; when
// neither takes it, it is queued for WaitForNotification. The queue is
// unbounded, so a program that listens without callbacks must keep
// calling WaitForNotification.
//
// Callbacks run on the goroutine using the connection, inside whichever
// call received the notification; they must not use the connection.
func (c *Conn) Listen(ctx context.Context, channel string, f func(Notification)) error {
	if channel == "" {
		return errors.New("pg: Listen needs a channel name")
	}
	if _, err := c.Exec(ctx, "LISTEN "+sqlquote.Identifier(channel)); err != nil {
		return err
	}
	c.cb.mu.Lock()
	if c.cb.listeners == nil {
		c.cb.listeners = make(map[string][]callback[func(Notification)])
	}
	list := c.cb.listeners[channel]
	if f != nil {
		c.cb.seq++
		list = append(list, callback[func(Notification)]{id: c.cb.seq, f: f})
	}
	c.cb.listeners[channel] = list
	c.cb.mu.Unlock()
	return nil
}

// Unlisten runs UNLISTEN on channel and drops its callbacks. Queued
// notifications of the channel stay queued.
func (c *Conn) Unlisten(ctx context.Context, channel string) error {
	if _, err := c.Exec(ctx, "UNLISTEN "+sqlquote.Identifier(channel)); err != nil {
		return err
	}
	c.cb.mu.Lock()
	delete(c.cb.listeners, channel)
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

// dispatchNotification gives n to the channel's callbacks, else to
// Config.OnNotification, else queues it. It reports whether a callback
// took it.
func (c *Conn) dispatchNotification(n Notification) bool {
	cb := &c.cb
	cb.mu.Lock()
	var fs []func(Notification)
	for _, e := range cb.listeners[n.Channel] {
		fs = append(fs, e.f)
	}
	if len(fs) == 0 && c.cfg.OnNotification == nil {
		cb.queue = append(cb.queue, n)
		cb.mu.Unlock()
		return false
	}
	cb.mu.Unlock()
	if len(fs) == 0 {
		c.cfg.OnNotification(n)
		return true
	}
	for _, f := range fs {
		f(n)
	}
	return true
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
