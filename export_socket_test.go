package pg

import "net"

// RawSocketOf returns the socket c dialled, under any TLS layer, so that a
// test can read its options back with getsockopt.
func RawSocketOf(c *Conn) net.Conn { return c.rawConn }
