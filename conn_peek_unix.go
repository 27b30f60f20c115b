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
	sc, ok := c.rawConn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	readable := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		// n > 0: bytes waiting; n == 0 without error: the peer closed;
		// an error other than "would block": the socket is broken.
		readable = n > 0 || err == nil || !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR)
		return true // never wait for readiness
	})
	return readable || err != nil
}
