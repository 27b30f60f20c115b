package pg

import "context"

// CheckConn reports whether an idle connection is still good, without a
// round trip in the usual case: one non-blocking look at the socket. When
// nothing has arrived since the last call it returns nil at once. When
// something has (a notification, a parameter change, or the FATAL error
// and close of a backend that was terminated, a server restart, a network
// reset), an empty query reads it, delivering notifications as any call
// does, and proves the session alive; if it is not, the connection is
// closed and the error returned.
//
// The pool runs the same check before it hands out an idle connection,
// and the database/sql adapter before it reuses one, so callers of those
// never get a connection that died while idle.
func (c *Conn) CheckConn(ctx context.Context) error {
	if c.IsClosed() {
		return ErrConnClosed
	}
	// Take the stream (from an idle watcher too, which reads the socket
	// and must not be raced) just for the look.
	if err := c.acquire(); err != nil {
		return err
	}
	readable := c.socketReadable()
	c.release()
	if !readable {
		return nil
	}
	_, err := c.Exec(ctx, "")
	return err
}
