package pg

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/wirepg/pg/internal/scram"
	"github.com/wirepg/pg/internal/tlsconfig"
	"github.com/wirepg/pg/pgproto"
)

// alpnProtocol is the ALPN protocol name PostgreSQL registered; libpq 17
// sends it on every TLS connection and the server requires it for direct
// TLS.
const alpnProtocol = tlsconfig.ALPN

// encryption is how one connection attempt starts.
type encryption uint8

const (
	encPlain  encryption = iota // StartupMessage in the clear
	encTLS                      // SSLRequest, then TLS if the server says 'S'
	encDirect                   // TLS handshake at once (sslnegotiation=direct)
)

// connSecurity is what startup learned about the connection's protection,
// kept for the cancel connection, channel binding and auth policy.
type connSecurity struct {
	// tlsConfig is the configuration the session's TLS was set up with,
	// reused for the cancel connection; nil when the session is not
	// encrypted.
	tlsConfig *tls.Config
	tlsConn   *tls.Conn
	direct    bool
	// authMethod is how the server authenticated the client: "" (it did
	// not), "password", "md5", "SCRAM-SHA-256" or "SCRAM-SHA-256-PLUS".
	authMethod string
	// passfile is the password file the password came from, if it did.
	passfile string
}

// encryptionPlan lists the attempts sslmode makes on one host, in order,
// with libpq's fallbacks: allow tries without TLS first and retries with
// it when the server rejects the session; prefer does the opposite. (prefer
// continuing in the clear after the server refuses SSLRequest is not a
// retry: that happens within the encTLS attempt.) TLS is never used on unix
// sockets, whatever the mode, as in libpq.
func (c *Config) encryptionPlan(h Host) []encryption {
	if h.IsUnixSocket() {
		return []encryption{encPlain}
	}
	switch mode := c.sslMode(); {
	case mode == SSLModeDisable:
		return []encryption{encPlain}
	case mode == SSLModeAllow:
		return []encryption{encPlain, encTLS}
	case mode == SSLModePrefer:
		return []encryption{encTLS, encPlain}
	case c.SSLNegotiation == "direct":
		return []encryption{encDirect}
	}
	return []encryption{encTLS}
}

// tlsError is a failure to set up TLS (configuration, handshake,
// verification); under sslmode=prefer it makes pg retry without TLS.
type tlsError struct{ err error }

func (e *tlsError) Error() string {
	var ce *ConfigError
	if errors.As(e.err, &ce) {
		return ce.Msg // already says what is wrong with which option
	}
	return "TLS: " + e.err.Error()
}
func (e *tlsError) Unwrap() error { return e.err }

// negotiateTLS starts the session's encryption as enc asks and returns the
// connection to speak the protocol on.
func (c *Conn) negotiateTLS(ctx context.Context, conn net.Conn, enc encryption) (net.Conn, error) {
	if enc == encPlain {
		return conn, nil
	}
	cfg, err := c.cfg.tlsConfigFor(c.host)
	if err != nil {
		return nil, &tlsError{err}
	}
	if enc == encTLS {
		ok, err := requestTLS(conn)
		if err != nil {
			return nil, err
		}
		if !ok {
			if mode := c.cfg.sslMode(); requiresTLS(mode) {
				return nil, fmt.Errorf("the server does not accept TLS connections (it refused SSLRequest), but sslmode=%s requires TLS: enable ssl on the server or use sslmode=prefer", mode)
			}
			return conn, nil
		}
	}
	tc, err := handshake(ctx, conn, cfg, enc == encDirect)
	if err != nil {
		return nil, err
	}
	c.sec.tlsConfig, c.sec.tlsConn, c.sec.direct = cfg, tc, enc == encDirect
	return tc, nil
}

// requestTLS sends SSLRequest and reads the server's one-byte answer:
// true for 'S' (go ahead with TLS), false for 'N' (refused).
func requestTLS(conn net.Conn) (bool, error) {
	msg, _ := (&pgproto.SSLRequest{}).Encode(nil)
	if _, err := conn.Write(msg); err != nil {
		return false, err
	}
	// The answer is read straight from the socket, with room for more: a
	// server sends nothing after its one byte until the client speaks
	// again, so anything that came with it was not encrypted, was put
	// there by someone between us and the server, and must not be read
	// as protocol (CVE-2021-23222; libpq fails with "received unencrypted
	// data after SSL response"). Bytes that arrive later are read by the
	// TLS layer, which rejects them as a broken handshake.
	var buf [64]byte
	n, err := readSome(conn, buf[:])
	if err != nil {
		return false, fmt.Errorf("reading the answer to SSLRequest: %w", err)
	}
	switch {
	case buf[0] == 'S' && n > 1:
		return false, &pgproto.ProtocolError{Msg: fmt.Sprintf(
			"received %d bytes of unencrypted data after the server accepted TLS (SSLRequest answered 'S'): refusing them as a possible man-in-the-middle injection (CVE-2021-23222)", n-1)}
	case buf[0] == 'N' && n > 1:
		// libpq would keep these for the plaintext session; a server never
		// sends them, so they are refused too rather than read as replies
		// to a StartupMessage not yet sent.
		return false, &pgproto.ProtocolError{Msg: fmt.Sprintf(
			"received %d unexpected bytes after the server refused TLS (SSLRequest answered 'N')", n-1)}
	}
	switch buf[0] {
	case 'S':
		return true, nil
	case 'N':
		return false, nil
	case 'E':
		// A pre-7.0 server, or one failing to start a backend. Its message
		// came unauthenticated and is not read (libpq does the same).
		return false, errors.New("the server sent an error response to SSLRequest")
	}
	return false, &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected answer %q to SSLRequest", buf[0])}
}

// readSome reads at least one byte into buf, as much as has arrived.
func readSome(conn net.Conn, buf []byte) (int, error) {
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			return n, nil
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
}

// handshake runs the TLS client handshake; direct TLS must negotiate ALPN
// "postgresql", as libpq 17 requires, so that a connection to some other
// TLS service fails instead of speaking the protocol to it.
func handshake(ctx context.Context, conn net.Conn, cfg *tls.Config, direct bool) (*tls.Conn, error) {
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		if direct {
			err = fmt.Errorf("%w (sslnegotiation=direct needs a server that accepts direct TLS, PostgreSQL 17 or later)", err)
		}
		return nil, &tlsError{err}
	}
	if direct && tc.ConnectionState().NegotiatedProtocol != alpnProtocol {
		return nil, &tlsError{errors.New(`the server did not negotiate ALPN protocol "postgresql" in direct TLS (sslnegotiation=direct needs PostgreSQL 17 or later)`)}
	}
	return tc, nil
}

// startTLSForCancel repeats the main connection's TLS on a cancel
// connection: same configuration, same negotiation, no fallback. A session
// that is not encrypted cancels in the clear, as it talks.
func (c *Conn) startTLSForCancel(ctx context.Context, conn net.Conn) (net.Conn, error) {
	cfg := c.sec.tlsConfig
	if cfg == nil {
		return conn, nil
	}
	if !c.sec.direct {
		ok, err := requestTLS(conn)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("the server refused TLS for the cancel request")
		}
	}
	return handshake(ctx, conn, cfg, c.sec.direct)
}

// channelBindingData is the tls-server-end-point hash of the server's
// certificate (RFC 5929), or nil without TLS or when the certificate's
// signature algorithm defines none (then SCRAM runs without binding).
func (c *Conn) channelBindingData() []byte {
	if c.sec.tlsConn == nil {
		return nil
	}
	certs := c.sec.tlsConn.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return nil
	}
	h, err := scram.EndPointHash(certs[0])
	if err != nil {
		return nil
	}
	return h
}
