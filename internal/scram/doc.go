// Package scram is the client side of SCRAM-SHA-256 and
// SCRAM-SHA-256-PLUS authentication (RFC 5802, RFC 7677) as PostgreSQL uses
// it, a state machine with no I/O.
//
// # Flow
//
// The server's AuthenticationSASL lists mechanisms. The connection picks
// SHA256Plus when it is on TLS and the server offers it, else SHA256, and:
//
//	var cbData []byte // nil unless mech is SHA256Plus
//	if mech == scram.SHA256Plus {
//		cbData, err = scram.EndPointHash(tlsState.PeerCertificates[0])
//	}
//	c, err := scram.NewClient(mech, password, scram.TLSServerEndPoint, cbData, onTLS)
//	send SASLInitialResponse{mech, c.ClientFirstMessage()}
//	resp, err := c.ServerFirst(authenticationSASLContinue.Data)
//	send SASLResponse{resp}
//	err = c.ServerFinal(authenticationSASLFinal.Data)
//	then expect AuthenticationOk; require c.Done()
//
// cbData is EndPointHash of the server's leaf certificate, the
// tls-server-end-point binding of RFC 5929; it is the only channel-binding
// type PostgreSQL implements. Binding ties the exchange to the TLS session,
// so a man in the middle that the client's certificate checks let through
// (sslmode=require, or verify-ca without host name checks) cannot relay the
// authentication. Without binding or sslmode=verify-full, an impostor server
// can also choose the salt and iteration count and attack the client proof
// offline.
//
// # PostgreSQL specifics
//
// The SCRAM user name is sent empty: PostgreSQL takes the role from the
// startup message and ignores it. The iteration count is accepted from 1 (the
// server's scram_iterations minimum) to 10,000,000. Server messages are
// parsed strictly, as libpq does: no extensions, exact attribute order.
//
// # Password normalisation
//
// Passwords are prepared with SASLprep (RFC 4013) following PostgreSQL's
// pg_saslprep and libpq's fallback: a password that is not UTF-8 or that
// SASLprep rejects is hashed as raw bytes. ASCII passwords are always used
// exactly. NFKC normalisation (nfkc.go) is golang.org/x/text/unicode/norm,
// except for runs of more than 30 combining marks, where norm's
// stream-safe limit would part from PostgreSQL; TestNFKCAgainstPostgreSQL
// checks it against the server's own normalize() on every code point
// SASLprep lets through. As in pg_saslprep, the prohibited-character and
// bidirectional checks look at the mapped password before normalisation,
// which also makes the Unicode version of norm's tables unobservable: a
// character unassigned in Unicode 3.2 is refused before NFKC sees it.
//
// # Secrets
//
// Go cannot reliably wipe memory; a Client drops its reference to the
// password once ServerFirst has derived the keys, and keeps only the
// expected server signature.
package scram
