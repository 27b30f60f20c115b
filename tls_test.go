package pg_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
)

// Roles of the TLS test servers, besides the shared server's pwUser,
// md5User and scramUser: certUser logs in with a client certificate only,
// nosslUser only without TLS (a hostnossl rule), sslOnlyUser only with TLS.
const (
	certUser    = "cert_user"
	nosslUser   = "nossl_user"
	sslOnlyUser = "sslonly_user"
	// saslprepUser's password needs SASLprep (RFC 4013): the soft hyphen
	// maps to nothing, the no-break space to a space, and NFKC folds the
	// ligature, the full-width X and ROMAN NUMERAL NINE and composes the
	// decomposed é, so the server stores the SCRAM verifier of
	// saslprepNormal.
	saslprepUser   = "saslprep_user"
	saslprepPass   = "pass\u00adword\u00a0\ufb01\uff38 \u2168 cafe\u0301"
	saslprepNormal = "password fiX IX caf\u00e9"
	// saslprepBidiUser's password is an R/AL ligature whose NFKC form ends
	// with a combining mark: pg_saslprep checks bidi before normalizing,
	// so it accepts the password and stores the verifier of the
	// normalized form, which a second pass would refuse.
	saslprepBidiUser = "saslprep_bidi_user"
	saslprepBidiPass = "\ufc90"
)

// startTLSServer starts a server with TLS and a role per auth method.
func startTLSServer(t *testing.T) *pgtest.Server {
	t.Helper()
	return startServer(t, pgtest.Options{
		TLS: true,
		Users: []pgtest.User{
			{Name: pwUser, Password: pwPass, Method: "password"},
			{Name: md5User, Password: md5Pass, Method: "md5"},
			{Name: scramUser, Password: scramPass, Method: "scram-sha-256"},
			{Name: certUser, Method: "cert"},
			{Name: nosslUser, Method: "trust"},
			{Name: sslOnlyUser, Method: "trust"},
			{Name: saslprepUser, Password: saslprepPass, Method: "scram-sha-256"},
			{Name: saslprepBidiUser, Password: saslprepBidiPass, Method: "scram-sha-256"},
		},
		HBA: []string{
			"hostnossl all " + nosslUser + " 127.0.0.1/32 trust",
			"hostssl all " + nosslUser + " 127.0.0.1/32 reject",
			"hostssl all " + sslOnlyUser + " 127.0.0.1/32 trust",
			"hostnossl all " + sslOnlyUser + " 127.0.0.1/32 reject",
			"hostnossl all " + certUser + " 127.0.0.1/32 reject",
		},
	})
}

// requirePgError asserts err carries a server error with code.
func requirePgError(t *testing.T, err error, code string) {
	t.Helper()
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr, "%v", err)
	assert.Equal(t, code, pgErr.Code, "%v", err)
}

// TestSSLModes runs each sslmode against a TLS server, a server without
// TLS, a hostnossl rule and a hostssl-only rule, with libpq's outcomes.
func TestSSLModes(t *testing.T) {
	t.Parallel()
	tlsSrv := startTLSServer(t)
	plainSrv := pgtest.Shared()
	if plainSrv.External() {
		plainSrv = startServer(t, pgtest.Options{})
	}
	root := tlsSrv.TLS().RootCert

	const (
		noTLS    = "no TLS"
		withTLS  = "TLS"
		rejected = "28000"
		refused  = "does not accept TLS connections"
	)
	modes := []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
	for _, tc := range []struct {
		name string
		srv  *pgtest.Server
		user string
		want []string // per mode
	}{
		{"tls server", tlsSrv, "postgres", []string{noTLS, noTLS, withTLS, withTLS, withTLS, withTLS}},
		{"plain server", plainSrv, "postgres", []string{noTLS, noTLS, noTLS, refused, refused, refused}},
		// prefer: TLS is rejected by the rule, the retry without TLS works.
		{"hostnossl rule", tlsSrv, nosslUser, []string{noTLS, noTLS, noTLS, rejected, rejected, rejected}},
		// allow: the session without TLS is rejected, the retry with TLS works.
		{"hostssl rule", tlsSrv, sslOnlyUser, []string{rejected, withTLS, withTLS, withTLS, withTLS, withTLS}},
	} {
		for i, mode := range modes {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				cfg := tcpConfig(tc.srv, tc.user, "")
				cfg.SSLMode = mode
				if strings.HasPrefix(mode, "verify") {
					cfg.SSLRootCert = root
				}
				ssl, err := tryConnect(t, cfg)
				switch want := tc.want[i]; want {
				case noTLS, withTLS:
					require.NoError(t, err)
					assert.Equal(t, want == withTLS, ssl, "TLS in use")
				case rejected:
					requirePgError(t, err, sqlstate.InvalidAuthorizationSpecification)
				default:
					require.Error(t, err)
					assert.Contains(t, err.Error(), want)
					assert.Contains(t, err.Error(), "sslmode="+mode)
				}
			})
		}
	}
}

// TestTLSVerification covers what sslmode verify-ca and verify-full check,
// and require's check of the chain when a root certificate is given.
func TestTLSVerification(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	root := srv.TLS().RootCert
	other := writeTemp(t, "other.crt", newTestCA(t).pem)
	missing := filepath.Join(t.TempDir(), "missing.crt")

	for _, tc := range []struct {
		name           string
		mode, rootCert string
		host, hostaddr string
		wantErr        string // "" for success
		wantTLS        bool
	}{
		{name: "verify-full by name", mode: "verify-full", rootCert: root, host: "localhost", wantTLS: true},
		{name: "verify-full by IP SAN", mode: "verify-full", rootCert: root, host: "127.0.0.1", wantTLS: true},
		{name: "verify-full hostaddr", mode: "verify-full", rootCert: root, host: "localhost", hostaddr: "127.0.0.1", wantTLS: true},
		{name: "verify-full wrong name", mode: "verify-full", rootCert: root, host: "wrong.example", hostaddr: "127.0.0.1",
			wantErr: `does not match host name "wrong.example"`},
		{name: "verify-full hostaddr without host", mode: "verify-full", rootCert: root, hostaddr: "127.0.0.1",
			wantErr: "needs a host name"},
		{name: "verify-ca ignores the name", mode: "verify-ca", rootCert: root, host: "wrong.example", hostaddr: "127.0.0.1", wantTLS: true},
		{name: "verify-full other CA", mode: "verify-full", rootCert: other, host: "localhost", wantErr: "not trusted"},
		{name: "verify-ca other CA", mode: "verify-ca", rootCert: other, host: "localhost", wantErr: "not trusted"},
		{name: "verify-full no root", mode: "verify-full", rootCert: missing, host: "localhost", wantErr: "needs a root certificate"},
		{name: "verify-ca no root", mode: "verify-ca", rootCert: missing, host: "localhost", wantErr: "needs a root certificate"},
		// require verifies the chain when it has a root certificate ...
		{name: "require checks a given root", mode: "require", rootCert: other, host: "localhost", wantErr: "not trusted"},
		{name: "require with the right root", mode: "require", rootCert: root, host: "wrong.example", hostaddr: "127.0.0.1", wantTLS: true},
		// ... and encrypts without verifying when it has none.
		{name: "require without root", mode: "require", rootCert: missing, host: "localhost", wantTLS: true},
		// prefer falls back to no TLS when verification fails, as libpq.
		{name: "prefer falls back", mode: "prefer", rootCert: other, host: "localhost", wantTLS: false},
		// The system store does not know the test CA.
		{name: "system roots", mode: "verify-full", rootCert: "system", host: "localhost", wantErr: "not trusted by sslrootcert system"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(srv, "postgres", "")
			cfg.Hosts = []pg.Host{{Host: tc.host, HostAddr: tc.hostaddr, Port: uint16(srv.Port())}}
			cfg.SSLMode, cfg.SSLRootCert = tc.mode, tc.rootCert
			ssl, err := tryConnect(t, cfg)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				t.Log(err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantTLS, ssl)
		})
	}

	t.Run("missing root is a ConfigError", func(t *testing.T) {
		t.Parallel()
		cfg := tcpConfig(srv, "postgres", "")
		cfg.SSLMode, cfg.SSLRootCert = "verify-full", missing
		_, err := pg.ConnectConfig(ctxT(t), cfg)
		var ce *pg.ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "sslrootcert", ce.Option)
		assert.Contains(t, ce.Error(), missing)
		assert.Contains(t, ce.Error(), "sslrootcert=system")
	})

	t.Run("custom TLSConfig", func(t *testing.T) {
		t.Parallel()
		pem, err := os.ReadFile(root)
		require.NoError(t, err)
		pool := x509.NewCertPool()
		require.True(t, pool.AppendCertsFromPEM(pem))
		cfg := tcpConfig(srv, "postgres", "")
		cfg.Hosts[0].Host = "localhost"
		cfg.SSLMode = "require"
		// ServerName defaults to the host name, so crypto/tls verifies it.
		cfg.TLSConfig = &tls.Config{RootCAs: pool}
		ssl, err := tryConnect(t, cfg)
		require.NoError(t, err)
		assert.True(t, ssl)

		cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "wrong.example"}
		_, err = tryConnect(t, cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "wrong.example")
	})
}

// TestTLSVersions covers ssl_min_protocol_version and
// ssl_max_protocol_version; the server accepts TLSv1.2 and TLSv1.3.
func TestTLSVersions(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	for _, tc := range []struct {
		mode, min, max string
		want           string // pg_stat_ssl.version, "" for no TLS, or an error
	}{
		{"require", "", "", "TLSv1.3"},
		{"require", "", "TLSv1.2", "TLSv1.2"},
		{"require", "tlsv1.3", "", "TLSv1.3"},
		{"require", "TLSv1", "TLSv1.2", "TLSv1.2"},
		{"require", "", "TLSv1.1", "error"},
		{"prefer", "", "TLSv1.1", ""}, // the handshake fails, the retry goes without TLS
	} {
		t.Run(tc.mode+"/"+tc.min+"-"+tc.max, func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(srv, "postgres", "")
			cfg.SSLMode, cfg.SSLMinProtocolVersion, cfg.SSLMaxProtocolVersion = tc.mode, tc.min, tc.max
			c, err := pg.ConnectConfig(ctxT(t), cfg)
			if tc.want == "error" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "TLS")
				return
			}
			require.NoError(t, err)
			defer c.Close(ctxT(t))
			ssl, version, _ := sslInfo(t, c)
			assert.Equal(t, tc.want != "", ssl)
			assert.Equal(t, tc.want, version)
		})
	}

	cfg := tcpConfig(srv, "postgres", "")
	cfg.SSLMinProtocolVersion, cfg.SSLMaxProtocolVersion = "TLSv1.3", "TLSv1.2"
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	var ce *pg.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "ssl_max_protocol_version", ce.Option)
	cfg.SSLMinProtocolVersion, cfg.SSLMaxProtocolVersion = "SSLv3", ""
	_, err = pg.ConnectConfig(ctxT(t), cfg)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "ssl_min_protocol_version", ce.Option)
}

// TestTLSRevocation covers sslcrl: as with libpq, the whole chain must be
// covered by current lists from its issuers, and a listed certificate is
// refused.
func TestTLSRevocation(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	ca := srv.TLS()
	srvCert, err := pgtest.ParseCertFile(ca.ServerCert)
	require.NoError(t, err)
	crl := func(next time.Time, revoked ...*x509.Certificate) string {
		b, err := ca.CRL(next, revoked...)
		require.NoError(t, err)
		return writeTemp(t, "root.crl", b)
	}

	for _, tc := range []struct {
		name, mode, crl string
		wantErr         string
	}{
		{"not revoked", "verify-full", crl(time.Time{}), ""},
		{"revoked", "verify-full", crl(time.Time{}, srvCert), "is revoked by sslcrl"},
		{"revoked under verify-ca", "verify-ca", crl(time.Time{}, srvCert), "is revoked by sslcrl"},
		{"expired list", "verify-full", crl(time.Now().Add(-time.Minute)), "expired"},
		{"list from another CA", "verify-full", writeTemp(t, "other.crl", newTestCA(t).crl(t)), "no revocation list"},
		{"missing file", "verify-full", filepath.Join(t.TempDir(), "none.crl"), "cannot read sslcrl"},
		{"not a CRL", "verify-full", writeTemp(t, "junk.crl", []byte("junk")), "holds no PEM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(srv, "postgres", "")
			cfg.Hosts[0].Host = "localhost"
			cfg.SSLMode, cfg.SSLRootCert, cfg.SSLCRL = tc.mode, ca.RootCert, tc.crl
			ssl, err := tryConnect(t, cfg)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				t.Log(err)
				return
			}
			require.NoError(t, err)
			assert.True(t, ssl)
		})
	}
}

// TestTLSCancel checks that the cancel connection uses the session's TLS:
// it starts with SSLRequest, and the server honours the request.
func TestTLSCancel(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	var d recordingDialer
	cfg := tcpConfig(srv, "postgres", "")
	cfg.SSLMode = "require"
	cfg.DialFunc = d.dial
	c := connectConfig(t, cfg)

	ctx, cancel := context.WithTimeout(ctxT(t), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	requirePgError(t, err, sqlstate.QueryCanceled)
	assert.Less(t, time.Since(start), 20*time.Second)

	// The session survived: the server cancelled the query.
	n, err := pg.FetchVal[int32](ctxT(t), c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), n)

	writes := d.first()
	require.Len(t, writes, 2, "the session and the cancel connection")
	for _, w := range writes {
		assert.Equal(t, sslRequest, w, "each connection starts with SSLRequest")
	}
}
