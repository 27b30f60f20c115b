// Package pkcs8 decrypts PKCS#8 EncryptedPrivateKeyInfo, the "ENCRYPTED
// PRIVATE KEY" PEM blocks that OpenSSL writes (openssl pkcs8 -topk8,
// openssl genpkey -aes256) and that libpq reads for sslkey with
// sslpassword. The standard library parses only unencrypted PKCS#8.
//
// Supported is PBES2 (RFC 8018 section 6.2), the scheme every OpenSSL since
// 1.1 uses by default: key derivation by PBKDF2 with HMAC-SHA-1, -224,
// -256, -384 or -512, or by scrypt (RFC 7914), and encryption with
// AES-128/192/256-CBC or DES-EDE3-CBC. The older PBES1 schemes (DES or RC2
// with MD5 or SHA-1 keys, PKCS#12 PBE) are refused with an error that says
// how to re-encrypt the key; their ciphers are broken.
//
// The password is used as given, as bytes, which is what OpenSSL does with
// a UTF-8 pass phrase. The work factors the file asks for are bounded so
// that a corrupt or hostile key file cannot stall the caller for minutes
// or exhaust memory.
package pkcs8
