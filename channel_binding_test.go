package pg_test

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// TestChannelBinding checks that SCRAM over TLS binds to the channel
// (SCRAM-SHA-256-PLUS with tls-server-end-point) and what
// channel_binding=disable and require do.
func TestChannelBinding(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	for _, tc := range []struct {
		user, pass, mode, binding string
		want                      string // the method used, or an error
	}{
		{scramUser, scramPass, "require", "", "SCRAM-SHA-256-PLUS"},
		{scramUser, scramPass, "verify-full", "require", "SCRAM-SHA-256-PLUS"},
		{scramUser, scramPass, "require", "disable", "SCRAM-SHA-256"},
		{scramUser, scramPass, "disable", "", "SCRAM-SHA-256"},
		{scramUser, scramPass, "disable", "require", "error: the connection is not encrypted"},
		{md5User, md5Pass, "require", "require", "error: asked for md5 authentication, which cannot use channel binding"},
		{pwUser, pwPass, "require", "require", "error: asked for password authentication, which cannot use channel binding"},
		{"postgres", "", "require", "require", "error: without channel binding (no authentication)"},
		{md5User, md5Pass, "require", "", "md5"},
		{pwUser, pwPass, "require", "", "password"},
		{"postgres", "", "require", "", ""},
	} {
		t.Run(tc.user+"/"+tc.mode+"/"+tc.binding, func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(srv, tc.user, tc.pass)
			cfg.SSLMode, cfg.ChannelBinding = tc.mode, tc.binding
			if tc.mode == "verify-full" {
				cfg.Hosts[0].Host, cfg.SSLRootCert = "localhost", srv.TLS().RootCert
			}
			c, err := pg.ConnectConfig(ctxT(t), cfg)
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				require.Error(t, err)
				assert.Contains(t, err.Error(), want)
				assert.Contains(t, err.Error(), "channel_binding=require")
				return
			}
			require.NoError(t, err)
			defer c.Close(ctxT(t))
			assert.Equal(t, tc.want, pg.AuthMethodOf(c))
		})
	}
}

// TestChannelBindingDetectsInterception puts a TLS-terminating man in the
// middle between client and server, the attack channel binding exists
// for. The client, with sslmode=require and no root certificate, accepts
// the interceptor's certificate; SCRAM-SHA-256-PLUS then binds the
// exchange to that certificate, and the real server, seeing its own
// certificate's hash differ, refuses. Without channel binding the
// interception goes unnoticed.
func TestChannelBindingDetectsInterception(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	mitmCert := newTestCA(t).serverCert(t)
	backend := net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Port()))
	p := startProxy(t, backend, func(client, backend net.Conn) error {
		_ = client.SetDeadline(time.Now().Add(10 * time.Second))
		req := make([]byte, 8)
		if _, err := io.ReadFull(client, req); err != nil {
			return err
		}
		if string(req) != string(sslRequest) {
			return errors.New("client did not start with SSLRequest")
		}
		if _, err := client.Write([]byte{'S'}); err != nil {
			return err
		}
		tc := tls.Server(client, &tls.Config{Certificates: []tls.Certificate{mitmCert}})
		if err := tc.Handshake(); err != nil {
			return err
		}
		_ = client.SetDeadline(time.Time{})
		if _, err := backend.Write(sslRequest); err != nil {
			return err
		}
		answer := make([]byte, 1)
		if _, err := io.ReadFull(backend, answer); err != nil || answer[0] != 'S' {
			return errors.New("server refused TLS")
		}
		bc := tls.Client(backend, &tls.Config{InsecureSkipVerify: true})
		if err := bc.Handshake(); err != nil {
			return err
		}
		return pipe(tc, bc)
	})

	cfg := tcpConfig(srv, scramUser, scramPass)
	cfg.Hosts[0].Port = p.port()
	cfg.SSLMode = "require"

	_, err := tryConnect(t, cfg)
	require.Error(t, err, "channel binding must expose the interceptor")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Contains(t, pgErr.Message, "channel binding")

	cfg.ChannelBinding = "disable"
	c := connectConfig(t, cfg)
	assert.Equal(t, "SCRAM-SHA-256", pg.AuthMethodOf(c))

	// Directly, the same client binds and succeeds.
	cfg = tcpConfig(srv, scramUser, scramPass)
	cfg.SSLMode = "require"
	c = connectConfig(t, cfg)
	assert.Equal(t, "SCRAM-SHA-256-PLUS", pg.AuthMethodOf(c))
}
