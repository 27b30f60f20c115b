package tlsconfig

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewWithoutFiles(t *testing.T) {
	t.Parallel()
	cfg, err := New(Options{Mode: "require", Host: "db.example.com", Env: emptyHome(t)})
	require.NoError(t, err)
	assert.Equal(t, "db.example.com", cfg.ServerName)
	assert.Equal(t, []string{ALPN}, cfg.NextProtos)
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MinVersion, "libpq's default minimum")
	assert.Zero(t, cfg.MaxVersion)
	assert.True(t, cfg.InsecureSkipVerify, "verification is VerifyConnection's")
	assert.Nil(t, cfg.VerifyConnection, "require without a root certificate checks nothing")
	assert.Nil(t, cfg.GetClientCertificate)

	cfg, err = New(Options{Mode: "require", MinVersion: tls.VersionTLS13, MaxVersion: tls.VersionTLS13, Env: emptyHome(t)})
	require.NoError(t, err)
	assert.Equal(t, uint16(tls.VersionTLS13), cfg.MinVersion)
	assert.Equal(t, uint16(tls.VersionTLS13), cfg.MaxVersion)
}

// TestNewRootCertRequired: verify-ca and verify-full refuse to run without
// a root certificate and say which file they looked for; require and
// prefer go on unverified.
func TestNewRootCertRequired(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	missing := filepath.Join(t.TempDir(), "none.crt")
	for _, mode := range []string{"verify-ca", "verify-full"} {
		_, err := New(Options{Mode: mode, Host: "h", Env: homeEnv(home)})
		var e *Error
		require.ErrorAs(t, err, &e, mode)
		assert.Equal(t, "sslrootcert", e.Option)
		assert.Contains(t, e.Msg, filepath.Join(home, ".postgresql", "root.crt"), mode)

		_, err = New(Options{Mode: mode, Host: "h", RootCert: missing})
		require.ErrorAs(t, err, &e, mode)
		assert.Contains(t, e.Msg, missing, mode)
	}
	for _, mode := range []string{"require", "prefer", "allow"} {
		cfg, err := New(Options{Mode: mode, RootCert: missing})
		require.NoError(t, err, mode)
		assert.Nil(t, cfg.VerifyConnection, mode)
	}
}

func TestNewBadFiles(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	root := writeFile(t, "root.crt", ca.pem)
	junk := writeFile(t, "junk", []byte("junk"))
	for _, tc := range []struct {
		name   string
		o      Options
		option string
		msg    string
	}{
		{"root not PEM", Options{Mode: "verify-ca", RootCert: junk}, "sslrootcert", "holds no PEM certificate"},
		{"root a directory", Options{Mode: "verify-ca", RootCert: t.TempDir()}, "sslrootcert", "cannot read sslrootcert"},
		{"verify-full without host", Options{Mode: "verify-full", RootCert: root}, "host", "needs a host name"},
		{"named CRL missing", Options{Mode: "verify-ca", RootCert: root, CRL: filepath.Join(t.TempDir(), "none.crl")}, "sslcrl", "cannot read sslcrl"},
		{"CRL not a CRL", Options{Mode: "verify-ca", RootCert: root, CRL: junk}, "sslcrl", "holds no PEM (X509 CRL) or DER"},
	} {
		_, err := New(tc.o)
		var e *Error
		require.ErrorAs(t, err, &e, tc.name)
		assert.Equal(t, tc.option, e.Option, tc.name)
		assert.Contains(t, e.Error(), tc.msg, tc.name)
	}
}

// TestNewUserFiles: libpq's defaults in ~/.postgresql. A root.crt there
// makes even require verify the chain; a root.crl there is checked.
func TestNewUserFiles(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	srv := ca.serverCert(t, "db", "db")
	home := t.TempDir()
	dir := filepath.Join(home, ".postgresql")
	require.NoError(t, os.Mkdir(dir, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "root.crt"), ca.pem, 0o600))

	cfg, err := New(Options{Mode: "require", Host: "db", Env: homeEnv(home)})
	require.NoError(t, err)
	require.NotNil(t, cfg.VerifyConnection)
	assert.NoError(t, cfg.VerifyConnection(state(srv)))
	other := newCA(t, "other CA").serverCert(t, "db", "db")
	assert.ErrorContains(t, cfg.VerifyConnection(state(other)), "not trusted by sslrootcert "+filepath.Join(dir, "root.crt"))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "root.crl"), ca.crl(t, farFuture(), srv), 0o600))
	cfg, err = New(Options{Mode: "require", Host: "db", Env: homeEnv(home)})
	require.NoError(t, err)
	assert.ErrorContains(t, cfg.VerifyConnection(state(srv)), "revoked")
}

func TestClone(t *testing.T) {
	t.Parallel()
	base := &tls.Config{NextProtos: []string{"h2"}}
	got := Clone(base, "db.example.com")
	assert.Equal(t, "db.example.com", got.ServerName)
	assert.Equal(t, []string{"h2", ALPN}, got.NextProtos)
	assert.Empty(t, base.ServerName, "the caller's config is not changed")
	assert.Equal(t, []string{"h2"}, base.NextProtos)

	got = Clone(&tls.Config{ServerName: "name", NextProtos: []string{ALPN}}, "db.example.com")
	assert.Equal(t, "name", got.ServerName, "the caller's ServerName wins")
	assert.Equal(t, []string{ALPN}, got.NextProtos)
}
