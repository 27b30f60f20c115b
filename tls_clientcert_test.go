package pg_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
)

// keyPassword encrypts every encrypted key in testdata/keys (made by
// OpenSSL; see testdata/keys/README).
const keyPassword = "pässwörd 1"

// fixtureKey copies a key from testdata/keys to a private temporary file
// (git does not keep the 0600 mode libpq and pg demand) and issues a
// certificate for certUser for its public half, which pub names.
func fixtureKey(t *testing.T, ca *pgtest.TLS, keyName, pubName string) (certFile, keyFile string) {
	t.Helper()
	key, err := os.ReadFile(filepath.Join("testdata", "keys", keyName))
	require.NoError(t, err)
	pubPEM, err := os.ReadFile(filepath.Join("testdata", "keys", pubName))
	require.NoError(t, err)
	blk, _ := pem.Decode(pubPEM)
	require.NotNil(t, blk)
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	require.NoError(t, err)
	cert, err := ca.IssueClientCert(certUser, pub)
	require.NoError(t, err)
	return writeTemp(t, "client.crt", cert), writeTemp(t, "client.key", key)
}

// TestClientCertificates authenticates with the cert method, with keys in
// every format libpq reads, plain and encrypted (sslpassword).
func TestClientCertificates(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	ca := srv.TLS()
	certCfg := func(certFile, keyFile, password string) *pg.Config {
		cfg := tcpConfig(srv, certUser, "")
		cfg.Hosts[0].Host = "localhost"
		cfg.SSLMode, cfg.SSLRootCert = "verify-full", ca.RootCert
		cfg.SSLCert, cfg.SSLKey, cfg.SSLPassword = certFile, keyFile, password
		return cfg
	}

	t.Run("pgtest key", func(t *testing.T) {
		t.Parallel()
		certFile, keyFile, err := ca.ClientCert(certUser)
		require.NoError(t, err)
		c := connectConfig(t, certCfg(certFile, keyFile, ""))
		ssl, _, dn := sslInfo(t, c)
		assert.True(t, ssl)
		assert.Equal(t, "/CN="+certUser, dn)
	})

	t.Run("no certificate", func(t *testing.T) {
		t.Parallel()
		_, err := tryConnect(t, certCfg(filepath.Join(t.TempDir(), "none.crt"), "", ""))
		requirePgError(t, err, sqlstate.InvalidAuthorizationSpecification)
	})

	for _, tc := range []struct {
		key, pub  string
		encrypted bool
	}{
		{"ec.key", "ec.pub", false},         // PKCS#8
		{"ec-sec1.key", "ec.pub", false},    // SEC 1
		{"rsa-pkcs1.key", "rsa.pub", false}, // PKCS#1
		{"ec-pbes2-aes256-sha256.key", "ec.pub", true},
		{"ec-pbes2-aes128-sha1.key", "ec.pub", true},
		{"ec-pbes2-aes192-sha512.key", "ec.pub", true},
		{"ec-pbes2-scrypt.key", "ec.pub", true},
		{"rsa-pbes2-des3-sha256.key", "rsa.pub", true},
		{"ec-legacy-aes256.key", "ec.pub", true}, // Proc-Type: 4,ENCRYPTED
		{"rsa-legacy-des3.key", "rsa.pub", true},
	} {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			certFile, keyFile := fixtureKey(t, ca, tc.key, tc.pub)
			password := ""
			if tc.encrypted {
				password = keyPassword
			}
			c := connectConfig(t, certCfg(certFile, keyFile, password))
			_, _, dn := sslInfo(t, c)
			assert.Equal(t, "/CN="+certUser, dn)
			if !tc.encrypted {
				return
			}
			for _, wrong := range []string{"", "wrong password", keyPassword + "x"} {
				_, err := tryConnect(t, certCfg(certFile, keyFile, wrong))
				var ce *pg.ConfigError
				require.ErrorAs(t, err, &ce, "sslpassword %q", wrong)
				assert.Equal(t, "sslkey", ce.Option)
				if wrong == "" {
					assert.Contains(t, err.Error(), "set sslpassword")
				} else {
					assert.Contains(t, err.Error(), "wrong sslpassword")
					assert.NotContains(t, err.Error(), wrong)
				}
			}
		})
	}

	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T) (certFile, keyFile, password string)
		wantErr string
	}{
		{"obsolete PBES1 encryption", func(t *testing.T) (string, string, string) {
			c, k := fixtureKey(t, ca, "ec-pbes1-md5-des.key", "ec.pub")
			return c, k, keyPassword
		}, "PBES1"},
		{"key readable by others", func(t *testing.T) (string, string, string) {
			c, k := fixtureKey(t, ca, "ec.key", "ec.pub")
			require.NoError(t, os.Chmod(k, 0o644))
			return c, k, ""
		}, "group or world access"},
		{"key of another certificate", func(t *testing.T) (string, string, string) {
			c, _ := fixtureKey(t, ca, "ec.key", "ec.pub")
			_, k := fixtureKey(t, ca, "rsa.key", "rsa.pub")
			return c, k, ""
		}, "is not the private key of sslcert"},
		{"missing key", func(t *testing.T) (string, string, string) {
			c, _ := fixtureKey(t, ca, "ec.key", "ec.pub")
			return c, filepath.Join(t.TempDir(), "none.key"), ""
		}, "its private key cannot be read"},
		{"not a certificate", func(t *testing.T) (string, string, string) {
			_, k := fixtureKey(t, ca, "ec.key", "ec.pub")
			return writeTemp(t, "junk.crt", []byte("junk")), k, ""
		}, "holds no PEM certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			certFile, keyFile, password := tc.setup(t)
			_, err := tryConnect(t, certCfg(certFile, keyFile, password))
			var ce *pg.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, err.Error(), tc.wantErr)
			if password != "" {
				assert.NotContains(t, err.Error(), password)
			}
		})
	}
}

// TestTLSUserFiles covers libpq's defaults in ~/.postgresql: root.crt
// makes every TLS mode verify the chain, postgresql.crt and .key are the
// client certificate, root.crl is checked. It sets HOME, so it cannot run
// in parallel.
func TestTLSUserFiles(t *testing.T) {
	srv := startTLSServer(t)
	ca := srv.TLS()
	home := t.TempDir()
	dir := filepath.Join(home, ".postgresql")
	require.NoError(t, os.Mkdir(dir, 0o700))
	t.Setenv("HOME", home)
	put := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o600))
	}
	rootPEM, err := os.ReadFile(ca.RootCert)
	require.NoError(t, err)
	cfg := func(user, mode string) *pg.Config {
		return &pg.Config{
			Hosts:    []pg.Host{{Host: "localhost", Port: uint16(srv.Port())}},
			User:     user,
			Database: "postgres",
			SSLMode:  mode,
		}
	}

	// No root.crt: verify-full names the default file it looked for.
	_, err = tryConnect(t, cfg("postgres", "verify-full"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "root.crt"))

	// A root.crt of another CA: require and verify-ca verify against it
	// and fail; prefer falls back to no TLS.
	put("root.crt", newTestCA(t).pem)
	for _, mode := range []string{"require", "verify-ca"} {
		_, err = tryConnect(t, cfg("postgres", mode))
		require.Error(t, err, mode)
		assert.Contains(t, err.Error(), "not trusted", mode)
	}
	ssl, err := tryConnect(t, cfg("postgres", "prefer"))
	require.NoError(t, err)
	assert.False(t, ssl)

	// The right root.crt.
	put("root.crt", rootPEM)
	for _, mode := range []string{"require", "verify-full"} {
		ssl, err := tryConnect(t, cfg("postgres", mode))
		require.NoError(t, err, mode)
		assert.True(t, ssl, mode)
	}

	// postgresql.crt and postgresql.key authenticate certUser.
	certFile, keyFile, err := ca.ClientCert(certUser)
	require.NoError(t, err)
	for name, src := range map[string]string{"postgresql.crt": certFile, "postgresql.key": keyFile} {
		b, err := os.ReadFile(src)
		require.NoError(t, err)
		put(name, b)
	}
	c := connectConfig(t, cfg(certUser, "verify-full"))
	_, _, dn := sslInfo(t, c)
	assert.Equal(t, "/CN="+certUser, dn)

	// root.crl revoking the server's certificate.
	srvCert, err := pgtest.ParseCertFile(ca.ServerCert)
	require.NoError(t, err)
	crl, err := ca.CRL(time.Time{}, srvCert)
	require.NoError(t, err)
	put("root.crl", crl)
	_, err = tryConnect(t, cfg("postgres", "require"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "revoked")
}
