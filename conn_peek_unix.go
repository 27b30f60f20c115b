//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pg

import (
	"errors"
	"syscall"
)

// socketReadable reports whether the server has sent anything, or closed
// its end, that nobody has read yet: one non-blocking MSG_PEEK on the
// socket under any TLS layer, which leaves the bytes where they are. False
// when it cannot tell (a DialFunc's conn that is no socket).
func (c *Conn) socketReadable() bool {
	if c.r != nil && c.r.Buffered() > 0 {
		return true
	}
	if c.peek == nil {
		sc, ok := c.rawConn.(syscall.Conn)
		if !ok {
			return false
		}
		rc, err := sc.SyscallConn()
		if err != nil {
			return false
		}
		c.peek = &socketPeek{rc: rc}
		c.peek.fn = c.peek.recv // one closure per connection, not per peek
	}
	return c.peek.readable()
}

// socketPeek is the raw socket of a Conn and the callback that peeks at
// it.
type socketPeek struct {
	rc    syscall.RawConn
	fn    func(fd uintptr) bool
	buf   [1]byte
	ready bool
}

func (p *socketPeek) readable() bool {
	p.ready = false
	err := p.rc.Read(p.fn)
	return p.ready || err != nil
}

func (p *socketPeek) recv(fd uintptr) bool {
	n, _, err := syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	// n > 0: bytes waiting; n == 0 without error: the peer closed; an
	// error other than "would block": the socket is broken.
	p.ready = n > 0 || err == nil || !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR)
	return true // never wait for readiness
}
