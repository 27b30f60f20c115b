package pg

import (
	"fmt"
	"net"
)

// setTCPOptions applies the keepalive and user-timeout settings to a
// freshly dialled TCP socket, as libpq's connectDBStart does before the
// startup packet. Settings left at zero keep what the dialer set, so a
// DialFunc's own choices survive. A setsockopt failure fails the attempt,
// as in libpq: the user asked for a bound the connection would not have.
func (c *Config) setTCPOptions(tc *net.TCPConn) error {
	if c.DisableKeepalives {
		if err := tc.SetKeepAlive(false); err != nil {
			return fmt.Errorf("turning TCP keepalives off: %w", err)
		}
	} else if c.KeepalivesIdle > 0 || c.KeepalivesInterval > 0 || c.KeepalivesCount > 0 {
		// A negative field leaves the socket's value as it is.
		ka := net.KeepAliveConfig{Enable: true, Idle: -1, Interval: -1, Count: -1}
		if c.KeepalivesIdle > 0 {
			ka.Idle = c.KeepalivesIdle
		}
		if c.KeepalivesInterval > 0 {
			ka.Interval = c.KeepalivesInterval
		}
		if c.KeepalivesCount > 0 {
			ka.Count = c.KeepalivesCount
		}
		if err := tc.SetKeepAliveConfig(ka); err != nil {
			return fmt.Errorf("setting TCP keepalives: %w", err)
		}
	}
	if c.TCPUserTimeout > 0 {
		if err := setTCPUserTimeout(tc, c.TCPUserTimeout); err != nil {
			return fmt.Errorf("setting tcp_user_timeout: %w", err)
		}
	}
	return nil
}
