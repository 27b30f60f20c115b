//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package pg

// socketReadable cannot peek at the socket on this platform: the pool
// relies on its ping after a second of idleness alone.
func (c *Conn) socketReadable() bool { return c.r != nil && c.r.Buffered() > 0 }

// socketPeek has nothing to hold on this platform.
type socketPeek struct{}
