package pg

import "errors"

// SafeToRetry reports whether err proves that the server never received
// the failed call's request, so that running it again (on another
// connection) cannot run it twice: the connection was closed before the
// call began (ErrConnClosed), or it broke before a single byte of the
// request was written (a socket the server or the network had already
// reset). Any other failure, even one that looks like a lost connection,
// may have happened after the server ran the statement.
//
// The Pool's own query methods and the database/sql adapter retry such a
// call once on a fresh connection by themselves; code that holds a Conn
// (a PoolConn, a transaction) never has its calls retried.
func SafeToRetry(err error) bool {
	if errors.Is(err, ErrConnClosed) {
		return true
	}
	var ce *ConnError
	return errors.As(err, &ce) && ce.unsent
}
