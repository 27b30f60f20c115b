//go:build unix

package tlsconfig

import (
	"fmt"
	"os"
	"syscall"
)

// checkKeyFileMode refuses a private key that others can read, as libpq
// (fe-secure-openssl.c) does: owned by root it may be 0640 or less, so
// that a system-managed key can be shared through a group; owned by anyone
// else, 0600 or less.
func checkKeyFileMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return &Error{Option: "sslkey", Msg: fmt.Sprintf("cannot read sslkey: %v", err), Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &Error{Option: "sslkey", Msg: fmt.Sprintf("sslkey %q is not a regular file", path)}
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	perm := fi.Mode().Perm()
	bad := perm&0o077 != 0
	if st.Uid == 0 {
		bad = perm&0o037 != 0
	}
	if bad {
		return &Error{Option: "sslkey", Msg: fmt.Sprintf(
			"private key file %q has group or world access (%v); it must be u=rw (0600) or less (u=rw,g=r (0640) or less if owned by root): chmod 0600 it",
			path, perm)}
	}
	return nil
}
