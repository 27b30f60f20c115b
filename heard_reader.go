package pg

// heardReader is what the Conn's message reader reads from: the socket,
// noting for a pooled connection when the server last sent anything
// (lastSeen). That is the pool's evidence that the session was alive, so
// it is taken where bytes arrive, not where a call ends: a call that
// fails before it is sent, or only consumes rows read long before, proves
// nothing, and a connection whose backend was killed meanwhile must still
// be looked at before the next Acquire hands it out. One clock read per
// read system call, which costs fifty times more.
type heardReader struct{ c *Conn }

func (h heardReader) Read(p []byte) (int, error) {
	n, err := h.c.netConn.Read(p)
	if n > 0 && h.c.readStamps {
		h.c.lastSeen.Store(monoNow())
	}
	return n, err
}
