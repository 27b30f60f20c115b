package pg_test

import (
	"errors"
	"io"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgproto"
)

// injectingProxy relays SSLRequest to the real server and its one-byte
// answer back, with inject appended in the same write — what a
// man-in-the-middle does to slip plaintext messages in ahead of the TLS
// session (CVE-2021-23222) — and then relays everything else untouched.
func injectingProxy(t *testing.T, backend string, inject []byte, answers *atomic.Int32) *proxy {
	t.Helper()
	return startProxy(t, backend, func(client, backend net.Conn) error {
		_ = client.SetDeadline(time.Now().Add(10 * time.Second))
		req := make([]byte, 8)
		if _, err := io.ReadFull(client, req); err != nil {
			return err
		}
		if string(req) != string(sslRequest) {
			return errors.New("client did not start with SSLRequest")
		}
		if _, err := backend.Write(req); err != nil {
			return err
		}
		answer := make([]byte, 1)
		if _, err := io.ReadFull(backend, answer); err != nil {
			return err
		}
		answers.Add(1)
		if _, err := client.Write(append(answer, inject...)); err != nil {
			return err
		}
		_ = client.SetDeadline(time.Time{})
		return pipe(client, backend)
	})
}

// TestSSLResponseInjection: bytes that arrive together with the server's
// 'S' were not encrypted and are refused as a protocol violation, under
// every mode that tries TLS; prefer does not fall back to plaintext
// either, as in libpq. The same proxy without injection is transparent.
func TestSSLResponseInjection(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	backend := net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Port()))

	// What an attacker would like the client to believe: authentication
	// done, session ready — before any TLS.
	var inject []byte
	inject, _ = (&pgproto.AuthenticationOk{}).Encode(inject)
	inject, _ = (&pgproto.ReadyForQuery{TxStatus: 'I'}).Encode(inject)

	var answers atomic.Int32
	bad := injectingProxy(t, backend, inject, &answers)
	for _, mode := range []string{"prefer", "require", "verify-full"} {
		t.Run(mode, func(t *testing.T) {
			cfg := tcpConfig(srv, scramUser, scramPass)
			cfg.Hosts = []pg.Host{{Host: "localhost", Port: bad.port()}}
			cfg.SSLMode, cfg.SSLRootCert = mode, srv.TLS().RootCert
			before := answers.Load()
			_, err := tryConnect(t, cfg)
			require.Error(t, err)
			var pe *pgproto.ProtocolError
			assert.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), "unencrypted data after the server accepted TLS")
			assert.Contains(t, err.Error(), "CVE-2021-23222")
			assert.Equal(t, before+1, answers.Load(), "one attempt, no plaintext retry")
		})
	}

	clean := injectingProxy(t, backend, nil, &answers)
	cfg := tcpConfig(srv, scramUser, scramPass)
	cfg.Hosts = []pg.Host{{Host: "localhost", Port: clean.port()}}
	cfg.SSLMode, cfg.SSLRootCert = "verify-full", srv.TLS().RootCert
	c := connectConfig(t, cfg)
	ssl, _, _ := sslInfo(t, c)
	assert.True(t, ssl)
	assert.Equal(t, "SCRAM-SHA-256-PLUS", pg.AuthMethodOf(c))
}

// TestSSLRefusalInjection: bytes sent along with 'N' are refused too; a
// server sends nothing before the StartupMessage.
func TestSSLRefusalInjection(t *testing.T) {
	t.Parallel()
	port := fakeServerRaw(t, func(c net.Conn) error {
		body, err := readPacket(c)
		if err != nil {
			return err
		}
		if len(body) != 4 {
			return errors.New("not an SSLRequest")
		}
		msg, _ := (&pgproto.AuthenticationOk{}).Encode([]byte{'N'})
		_, err = c.Write(msg)
		return err
	})
	_, err := pg.ConnectConfig(ctxT(t), fakeConfig(port))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unexpected bytes after the server refused TLS")
}
