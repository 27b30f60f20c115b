// Package md5auth computes the response to PostgreSQL's
// AuthenticationMD5Password request (protocol documentation, "Message
// Flow", "AuthenticationMD5Password").
//
// The server stores "md5" + hex(md5(password + user)) and sends a random
// 4-byte salt; the client answers with "md5" + hex(md5(hex(md5(password +
// user)) + salt)) in a PasswordMessage. The user is the role name from the
// startup message.
//
// MD5 authentication is deprecated since PostgreSQL 18. The stored hash is
// as good as the password for logging in, anyone who sees the salt and the
// response can guess passwords offline at MD5 speed, and the server is never
// authenticated. Prefer SCRAM (package scram) and answer MD5 only when the
// server asks for it. The password is used as raw bytes, with no
// normalisation.
package md5auth
