package pgtest

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTLS(t *testing.T) {
	t.Parallel()
	s := start(t, Options{
		TLS:   true,
		Users: []User{{Name: "cert_user", Method: "cert"}},
	})
	tl := s.TLS()
	require.NotNil(t, tl)
	assert.Equal(t, "on", must(s.SQL("SHOW ssl")))

	srvCert, err := ParseCertFile(tl.ServerCert)
	require.NoError(t, err)
	require.NoError(t, srvCert.CheckSignatureFrom(tl.CA))
	for _, name := range ServerNames {
		assert.NoError(t, srvCert.VerifyHostname(name), name)
	}
	assert.Error(t, srvCert.VerifyHostname("example.com"))

	// psql (libpq) verifies the server against RootCert and the host name.
	dsn := fmt.Sprintf("host=localhost port=%d user=postgres dbname=postgres sslmode=verify-full sslrootcert=%s", s.Port(), tl.RootCert)
	out, err := psqlAs(s, dsn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	require.NoError(t, err)
	assert.Equal(t, "t", out)

	// A client certificate authenticates cert_user.
	certFile, keyFile, err := tl.ClientCert("cert_user")
	require.NoError(t, err)
	fi, err := os.Stat(keyFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	dsn = fmt.Sprintf("host=127.0.0.1 port=%d user=cert_user dbname=postgres sslmode=verify-full sslrootcert=%s sslcert=%s sslkey=%s",
		s.Port(), tl.RootCert, certFile, keyFile)
	out, err = psqlAs(s, dsn, "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	require.NoError(t, err)
	assert.Equal(t, "/CN=cert_user", out)

	// Without one, cert_user is refused.
	_, err = psqlAs(s, fmt.Sprintf("host=127.0.0.1 port=%d user=cert_user dbname=postgres sslmode=require", s.Port()), "SELECT 1")
	assert.Error(t, err)

	// libpq accepts the server with a CRL that does not revoke its
	// certificate and refuses it with one that does.
	for _, revoked := range []bool{false, true} {
		var list []*x509.Certificate
		if revoked {
			list = append(list, srvCert)
		}
		crl, err := tl.CRL(time.Time{}, list...)
		require.NoError(t, err)
		parsed, err := x509.ParseRevocationList(pemBody(t, crl))
		require.NoError(t, err)
		require.NoError(t, parsed.CheckSignatureFrom(tl.CA))
		assert.Len(t, parsed.RevokedCertificateEntries, len(list))
		crlFile, err := tl.WriteFile("root.crl", crl)
		require.NoError(t, err)
		_, err = psqlAs(s, fmt.Sprintf("host=localhost port=%d user=postgres dbname=postgres sslmode=verify-full sslrootcert=%s sslcrl=%s",
			s.Port(), tl.RootCert, crlFile), "SELECT 1")
		if revoked {
			assert.ErrorContains(t, err, "certificate verify failed")
		} else {
			assert.NoError(t, err)
		}
	}
}

func TestNoTLS(t *testing.T) {
	t.Parallel()
	s := start(t, Options{})
	assert.Nil(t, s.TLS())
	assert.Equal(t, "off", must(s.SQL("SHOW ssl")))
}

func TestStandby(t *testing.T) {
	t.Parallel()
	p := start(t, Options{Users: []User{{Name: "app", Password: "pw"}}})
	_, err := p.SQL("CREATE TABLE before_copy AS SELECT 1 AS x")
	require.NoError(t, err)
	s := start(t, Options{StandbyOf: p, Users: []User{{Name: "app", Password: "pw"}}})
	assert.NotEqual(t, p.Port(), s.Port())

	assert.Equal(t, "t|on|on", must(s.SQL("SELECT pg_is_in_recovery(), current_setting('transaction_read_only'), current_setting('in_hot_standby')")))
	assert.Equal(t, "1", must(s.SQL("SELECT x FROM before_copy")))
	_, err = s.SQL("CREATE TABLE t (x int)")
	assert.ErrorContains(t, err, "read-only")

	// It streams: a row written on the primary shows up.
	_, err = p.SQL("CREATE TABLE after_copy AS SELECT 2 AS x")
	require.NoError(t, err)
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, err := s.SQL("SELECT x FROM after_copy")
		if err == nil {
			assert.Equal(t, "2", out)
			break
		}
		require.True(t, time.Now().Before(deadline), "not replicated: %v", err)
		time.Sleep(50 * time.Millisecond)
	}
	// The role came from the primary, and its pg_hba.conf line admits it.
	out, err := psqlAs(s, s.UserDSN("app", "pw"), "SELECT current_user")
	require.NoError(t, err)
	assert.Equal(t, "app", out)

	_, err = Start(Options{StandbyOf: &Server{stopped: true}})
	assert.ErrorContains(t, err, "not running")
}

func must(s string, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return s
}

func pemBody(t *testing.T, b []byte) []byte {
	t.Helper()
	blk, _ := pem.Decode(b)
	require.NotNil(t, blk)
	return blk.Bytes
}
