package md5auth

import (
	"crypto/md5"
	"encoding/hex"
)

// Password returns the PasswordMessage payload answering
// AuthenticationMD5Password: "md5" followed by 32 lower-case hex digits of
// md5(hex(md5(password + user)) + salt). user is the role name sent in the
// startup message; salt is the 4 bytes the server sent.
func Password(user, password string, salt [4]byte) string {
	inner := md5.Sum([]byte(password + user))
	buf := make([]byte, 0, 2*md5.Size+len(salt))
	buf = hex.AppendEncode(buf, inner[:])
	buf = append(buf, salt[:]...)
	outer := md5.Sum(buf)
	return "md5" + hex.EncodeToString(outer[:])
}
