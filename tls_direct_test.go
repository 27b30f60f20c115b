package pg_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// directTLSProxy stands in for a PostgreSQL 17 server accepting direct TLS,
// which the PostgreSQL 15 test server cannot: it requires the TLS
// handshake first (no SSLRequest) with ALPN "postgresql" when alpn is set,
// then relays the session, unencrypted, to the real server.
func directTLSProxy(t *testing.T, srv *pgtest.Server, alpn bool) *proxy {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	certPEM, err := srv.TLS().Issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}, key.Public())
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	cert, err := tls.X509KeyPair(certPEM, pemBlock("PRIVATE KEY", keyDER))
	require.NoError(t, err)
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	if alpn {
		cfg.NextProtos = []string{"postgresql"}
	}
	backend := net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Port()))
	return startProxy(t, backend, func(client, backend net.Conn) error {
		tc := tls.Server(client, cfg)
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		if err := tc.Handshake(); err != nil {
			return err
		}
		_ = tc.SetDeadline(time.Time{})
		if alpn && tc.ConnectionState().NegotiatedProtocol != "postgresql" {
			return fmt.Errorf("client negotiated ALPN %q", tc.ConnectionState().NegotiatedProtocol)
		}
		return pipe(tc, backend)
	})
}

// TestDirectTLS covers sslnegotiation=direct: the client starts with a TLS
// ClientHello offering ALPN "postgresql", insists on the server choosing
// it, and cancels over direct TLS too.
func TestDirectTLS(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	directCfg := func(port uint16) *pg.Config {
		cfg := tcpConfig(srv, "postgres", "")
		cfg.Hosts = []pg.Host{{Host: "localhost", Port: port}}
		cfg.SSLMode, cfg.SSLRootCert, cfg.SSLNegotiation = "verify-full", srv.TLS().RootCert, "direct"
		return cfg
	}

	t.Run("through an ALPN server", func(t *testing.T) {
		t.Parallel()
		p := directTLSProxy(t, srv, true)
		c := connectConfig(t, directCfg(p.port()))

		// Cancel goes over direct TLS as well.
		ctx, cancel := context.WithTimeout(ctxT(t), 300*time.Millisecond)
		defer cancel()
		_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		n, err := pg.FetchVal[int32](ctxT(t), c, "SELECT 1")
		require.NoError(t, err)
		assert.Equal(t, int32(1), n)

		first := p.firstBytes()
		require.Len(t, first, 2, "the session and the cancel connection")
		for _, b := range first {
			// 0x16 is a TLS handshake record: a ClientHello, not SSLRequest.
			assert.Equal(t, byte(0x16), b[0])
		}
		assert.Empty(t, p.errors())
	})

	t.Run("server without ALPN", func(t *testing.T) {
		t.Parallel()
		p := directTLSProxy(t, srv, false)
		_, err := tryConnect(t, directCfg(p.port()))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `did not negotiate ALPN protocol "postgresql"`)
	})

	t.Run("PostgreSQL before 17", func(t *testing.T) {
		t.Parallel()
		// The test server speaks TLS only after SSLRequest: it takes the
		// ClientHello for a malformed startup packet and hangs up.
		_, err := tryConnect(t, directCfg(uint16(srv.Port())))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "PostgreSQL 17 or later")
	})

	t.Run("needs a mode without fallback", func(t *testing.T) {
		t.Parallel()
		cfg := directCfg(uint16(srv.Port()))
		cfg.SSLMode = "prefer"
		_, err := pg.ConnectConfig(ctxT(t), cfg)
		var ce *pg.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "sslnegotiation", ce.Option)
	})
}
