package pg

import "github.com/wirepg/pg/pgproto"

// readMessage reads the next message off the wire, passing each
// asynchronous one (notice, parameter change, notification) to routeAsync
// first. It is the one place the driver reads messages on the caller's
// goroutine: every reader, from startup to WaitForNotification, calls it,
// so asynchronous messages are handled the same way whatever is running.
//
// Asynchronous messages are not returned, except a notification to a
// WaitForNotification that is waiting for one (c.awaiting). I/O and
// decode errors are returned as they are: the caller decides whether they
// break the connection. body is valid until the next read.
func (c *Conn) readMessage() (byte, []byte, error) {
	for {
		typ, body, err := c.r.ReadMessage()
		if err != nil {
			return 0, nil, err
		}
		if c.track.on && typ == pgproto.MsgCommandComplete {
			c.noteCommandComplete(body)
		}
		async, err := c.routeAsync(typ, body)
		if err != nil {
			return 0, nil, err
		}
		if !async || (c.awaiting != nil && c.awaiting.arrived) {
			return typ, body, nil
		}
	}
}

// routeAsync handles typ if it is a message the server may send at any
// moment: a NoticeResponse goes to the notice handlers, a ParameterStatus
// updates the session's parameters and a NotificationResponse goes to the
// channel's callbacks or the queue. It reports whether typ was one of
// them. Readers that cannot call readMessage (the COPY reader, whose reads
// run on a goroutine of their own) hand it each message they get.
//
// A notification for a callback is kept in c.arrived and handed to its
// callbacks when the stream is let go: at the end of the call (release)
// or, on an idle connection, by the watcher (idle_watch.go).
func (c *Conn) routeAsync(typ byte, body []byte) (bool, error) {
	switch typ {
	case pgproto.MsgNoticeResponse:
		c.handleNotice(body)
	case pgproto.MsgParameterStatus:
		var ps pgproto.ParameterStatus
		if err := ps.Decode(body); err != nil {
			return true, err
		}
		c.paramsMu.Lock()
		c.params[ps.Name] = ps.Value
		c.paramsMu.Unlock()
		c.noteParameterStatus()
	case pgproto.MsgNotificationResponse:
		var m pgproto.NotificationResponse
		if err := m.Decode(body); err != nil {
			return true, err
		}
		n := Notification{PID: m.PID, Channel: m.Channel, Payload: m.Payload}
		// Callbacks run once the stream is let go (deliver), so that they
		// may use the connection; a notification no callback takes is
		// queued for WaitForNotification at once.
		taken := c.cb.takes(n.Channel) || c.cfg.OnNotification != nil
		if taken {
			c.arrived = append(c.arrived, n)
		} else {
			c.cb.enqueue(n)
		}
		if w := c.awaiting; w != nil {
			w.arrived, w.taken, w.n = true, taken, n
		}
	default:
		return false, nil
	}
	return true, nil
}

// notificationWait is a WaitForNotification in progress: routeAsync fills
// it when a notification arrives.
type notificationWait struct {
	arrived bool         // a notification came
	taken   bool         // a callback took it (else it was queued)
	n       Notification // the notification, when taken
}
