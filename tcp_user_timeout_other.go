//go:build !linux

package pg

import (
	"net"
	"time"
)

// setTCPUserTimeout does nothing where TCP_USER_TIMEOUT does not exist,
// as libpq does there.
func setTCPUserTimeout(*net.TCPConn, time.Duration) error { return nil }
