// Package tlsconfig builds the crypto/tls configuration of a PostgreSQL
// connection from libpq's ssl* options, with libpq's meaning.
//
// New reads the files each time it is called, as libpq does per
// connection, so rotated certificates are picked up by new connections:
//
//   - sslrootcert (default ~/.postgresql/root.crt, or "system") is the set
//     of trusted roots; verify-ca and verify-full need it, and with it even
//     require and prefer check the chain, as in libpq.
//   - sslcrl (default ~/.postgresql/root.crl) revokes certificates; it must
//     then cover the whole chain (OpenSSL's CRL_CHECK_ALL).
//   - sslcert and sslkey (default ~/.postgresql/postgresql.crt and .key)
//     are the client certificate; the key may be PKCS#8, PKCS#1 or SEC 1,
//     encrypted (PKCS#8 PBES2 or legacy PEM) with sslpassword, and must not
//     be readable by others (keyfile_unix.go).
//
// Verification is this package's own (tls.Config.VerifyConnection, with
// InsecureSkipVerify set so crypto/tls does not also check): libpq's rules
// differ from crypto/tls's. verify-ca checks the chain but no name, any
// extended key usage is accepted (OpenSSL does not check it by default),
// and host names are matched as fe-secure-common.c does (verify.go).
//
// Failures caused by the options are *Error values naming the option at
// fault; the caller turns them into its own configuration error. No error
// contains sslpassword.
package tlsconfig
