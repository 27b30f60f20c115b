package tlsconfig

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The keys were made and encrypted by OpenSSL, an independent
// implementation; see testdata/keys/README.
const (
	keyDir      = "../../testdata/keys"
	keyPassword = "pässwörd 1"
)

func readKeyFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(keyDir, name))
	require.NoError(t, err)
	return b
}

func publicKey(t *testing.T, name string) crypto.PublicKey {
	t.Helper()
	blk, _ := pem.Decode(readKeyFile(t, name))
	require.NotNil(t, blk, name)
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	require.NoError(t, err)
	return pub
}

// TestParsePrivateKey reads every key format libpq reads, plain and
// encrypted, and refuses wrong passwords without repeating them.
func TestParsePrivateKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key, pub  string
		encrypted bool
	}{
		{"ec.key", "ec.pub", false},         // PKCS#8
		{"ec-sec1.key", "ec.pub", false},    // SEC 1
		{"rsa-pkcs1.key", "rsa.pub", false}, // PKCS#1
		{"rsa.key", "rsa.pub", false},
		{"ec-pbes2-aes256-sha256.key", "ec.pub", true},
		{"ec-pbes2-aes128-sha1.key", "ec.pub", true},
		{"ec-pbes2-aes192-sha512.key", "ec.pub", true},
		{"ec-pbes2-scrypt.key", "ec.pub", true},
		{"rsa-pbes2-des3-sha256.key", "rsa.pub", true},
		{"ec-legacy-aes256.key", "ec.pub", true}, // Proc-Type: 4,ENCRYPTED
		{"rsa-legacy-des3.key", "rsa.pub", true},
	} {
		data := readKeyFile(t, tc.key)
		password := ""
		if tc.encrypted {
			password = keyPassword
		}
		key, err := parsePrivateKey(data, password)
		require.NoError(t, err, tc.key)
		assert.True(t, key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(publicKey(t, tc.pub)), tc.key)
		if !tc.encrypted {
			continue
		}
		_, err = parsePrivateKey(data, "")
		assert.ErrorContains(t, err, "set sslpassword", tc.key)
		for _, wrong := range []string{"wrong password", keyPassword + "x"} {
			_, err = parsePrivateKey(data, wrong)
			require.Error(t, err, tc.key)
			assert.Contains(t, err.Error(), "wrong sslpassword", tc.key)
			assert.NotContains(t, err.Error(), wrong, tc.key)
		}
	}

	_, err := parsePrivateKey(readKeyFile(t, "ec-pbes1-md5-des.key"), keyPassword)
	assert.ErrorContains(t, err, "PBES1")
	_, err = parsePrivateKey(readKeyFile(t, "ec.pub"), "")
	assert.ErrorContains(t, err, "no PEM private key found")
	// Certificates before the key in the same file are skipped.
	ca := newCA(t, "CA")
	_, err = parsePrivateKey(append(ca.pem, readKeyFile(t, "ec.key")...), "")
	assert.NoError(t, err)
}

// clientFiles copies a testdata key to a private file (git does not keep
// the 0600 mode) and issues a client certificate for pub.
func clientFiles(t *testing.T, ca *testCA, keyName, pubName string) (certFile, keyFile string) {
	t.Helper()
	cert := ca.issue(t, x509.Certificate{
		Subject:     pkix.Name{CommonName: "cert_user"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, publicKey(t, pubName))
	return writeFile(t, "client.crt", certPEM(cert)), writeFile(t, "client.key", readKeyFile(t, keyName))
}

func TestClientCertificate(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	certFile, keyFile := clientFiles(t, ca, "ec-pbes2-aes256-sha256.key", "ec.pub")
	cfg, err := New(Options{Mode: "require", Cert: certFile, Key: keyFile, Password: keyPassword, Env: emptyHome(t)})
	require.NoError(t, err)
	require.NotNil(t, cfg.GetClientCertificate)
	// Whatever CAs the server names, the certificate is sent.
	got, err := cfg.GetClientCertificate(&tls.CertificateRequestInfo{AcceptableCAs: [][]byte{[]byte("someone else")}})
	require.NoError(t, err)
	require.NotNil(t, got.Leaf)
	assert.Equal(t, "cert_user", got.Leaf.Subject.CommonName)
	assert.Len(t, got.Certificate, 1)

	// No certificate file: no client certificate, as in libpq.
	cfg, err = New(Options{Mode: "require", Cert: filepath.Join(t.TempDir(), "none.crt"), Env: emptyHome(t)})
	require.NoError(t, err)
	assert.Nil(t, cfg.GetClientCertificate)

	ecCert, ecKey := clientFiles(t, ca, "ec.key", "ec.pub")
	_, rsaKey := clientFiles(t, ca, "rsa.key", "rsa.pub")
	for _, tc := range []struct {
		name, cert, key, password, msg string
	}{
		{"key of another certificate", ecCert, rsaKey, "", "is not the private key of sslcert"},
		{"missing key", ecCert, filepath.Join(t.TempDir(), "none.key"), "", "its private key cannot be read"},
		{"not a certificate", writeFile(t, "junk.crt", []byte("junk")), ecKey, "", "holds no PEM certificate"},
		{"wrong password", certFile, keyFile, "secret guess", "wrong sslpassword"},
		{"no password", certFile, keyFile, "", "set sslpassword"},
	} {
		_, err := New(Options{Mode: "require", Cert: tc.cert, Key: tc.key, Password: tc.password, Env: emptyHome(t)})
		var e *Error
		require.ErrorAs(t, err, &e, tc.name)
		assert.Contains(t, e.Msg, tc.msg, tc.name)
		if tc.password != "" {
			assert.NotContains(t, err.Error(), tc.password, tc.name)
		}
	}
}

// TestClientCertificateUserFiles: ~/.postgresql/postgresql.crt and .key
// are the default client certificate.
func TestClientCertificateUserFiles(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	certFile, keyFile := clientFiles(t, ca, "ec.key", "ec.pub")
	home := t.TempDir()
	dir := filepath.Join(home, ".postgresql")
	require.NoError(t, os.Mkdir(dir, 0o700))
	for src, dst := range map[string]string{certFile: "postgresql.crt", keyFile: "postgresql.key"} {
		b, err := os.ReadFile(src)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, dst), b, 0o600))
	}
	cfg, err := New(Options{Mode: "require", Env: homeEnv(home)})
	require.NoError(t, err)
	assert.NotNil(t, cfg.GetClientCertificate)
}
