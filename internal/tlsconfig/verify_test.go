package tlsconfig

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func farFuture() time.Time { return time.Now().Add(time.Hour) }

// verifyWith builds a configuration for mode and host trusting ca, and
// returns its verification of the server's chain.
func verifyWith(t *testing.T, ca *testCA, mode, host string, chain ...*x509.Certificate) error {
	t.Helper()
	cfg, err := New(Options{Mode: mode, Host: host, RootCert: writeFile(t, "root.crt", ca.pem), Env: emptyHome(t)})
	require.NoError(t, err)
	require.NotNil(t, cfg.VerifyConnection)
	return cfg.VerifyConnection(state(chain...))
}

// TestVerifyModes: verify-ca checks the chain only, verify-full the name
// too; require with a root certificate checks the chain, as libpq does.
func TestVerifyModes(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	srv := ca.serverCert(t, "db.example.com", "db.example.com", "10.0.0.1")
	untrusted := newCA(t, "other CA").serverCert(t, "db.example.com", "db.example.com")
	for _, tc := range []struct {
		mode, host string
		cert       *x509.Certificate
		wantErr    string
	}{
		{"verify-ca", "db.example.com", srv, ""},
		{"verify-ca", "elsewhere.example.com", srv, ""},
		{"verify-ca", "db.example.com", untrusted, "not trusted"},
		{"verify-full", "db.example.com", srv, ""},
		{"verify-full", "DB.Example.COM.", srv, ""},
		{"verify-full", "10.0.0.1", srv, ""},
		{"verify-full", "elsewhere.example.com", srv, `does not match host name "elsewhere.example.com"`},
		{"verify-full", "10.0.0.2", srv, "does not match"},
		{"verify-full", "db.example.com", untrusted, "not trusted"},
		{"require", "elsewhere.example.com", srv, ""},
		{"require", "db.example.com", untrusted, "not trusted"},
	} {
		err := verifyWith(t, ca, tc.mode, tc.host, tc.cert)
		if tc.wantErr == "" {
			assert.NoError(t, err, "%s %s", tc.mode, tc.host)
		} else {
			assert.ErrorContains(t, err, tc.wantErr, "%s %s", tc.mode, tc.host)
		}
	}
	assert.ErrorContains(t, verifyWith(t, ca, "verify-ca", "h"), "sent no certificate")
}

// TestVerifyIntermediate: the server's chain may carry intermediates, and
// any extended key usage is accepted (OpenSSL does not check it).
func TestVerifyIntermediate(t *testing.T) {
	t.Parallel()
	root := newCA(t, "root")
	inter := intermediate(t, root)
	leaf := inter.issue(t, x509.Certificate{
		Subject: pkix.Name{CommonName: "db"}, DNSNames: []string{"db"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, nil)
	assert.NoError(t, verifyWith(t, root, "verify-full", "db", leaf, inter.cert))
	assert.ErrorContains(t, verifyWith(t, root, "verify-full", "db", leaf), "not trusted", "without the intermediate")
}

func intermediate(t *testing.T, parent *testCA) *testCA {
	t.Helper()
	sub := newCA(t, "intermediate")
	sub.cert = parent.issue(t, x509.Certificate{
		Subject: pkix.Name{CommonName: "intermediate"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, sub.key.Public())
	sub.pem = certPEM(sub.cert)
	return sub
}

// TestVerifyHostName covers libpq's matching (fe-secure-common.c): names
// of the host's kind first, the common name only when there are none.
func TestVerifyHostName(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	for _, tc := range []struct {
		cn    string
		names []string
		host  string
		ok    bool
	}{
		{"db", nil, "db", true},                                 // common name when no SAN
		{"db", []string{"other"}, "db", false},                  // SANs hide the common name
		{"10.0.0.1", []string{"other"}, "10.0.0.1", true},       // an IP host ignores DNS SANs
		{"10.0.0.1", []string{"10.0.0.9"}, "10.0.0.1", false},   // but not IP SANs
		{"", []string{"*.example.com"}, "db.example.com", true}, // one label
		{"", []string{"*.example.com"}, "a.db.example.com", false},
		{"", []string{"*.example.com"}, "example.com", false},
		{"", []string{"db*.example.com"}, "db1.example.com", false}, // only a whole leading label
		{"", []string{"::1"}, "0:0:0:0:0:0:0:1", true},
	} {
		cert := ca.serverCert(t, tc.cn, tc.names...)
		err := verifyHostName(cert, tc.host)
		if tc.ok {
			assert.NoError(t, err, "%q %v against %q", tc.cn, tc.names, tc.host)
		} else {
			assert.Error(t, err, "%q %v against %q", tc.cn, tc.names, tc.host)
		}
	}
}

// TestVerifyRevocation: with sslcrl set every certificate of the chain
// needs a current list from its issuer and must not be on it.
func TestVerifyRevocation(t *testing.T) {
	t.Parallel()
	ca := newCA(t, "CA")
	srv := ca.serverCert(t, "db", "db")
	verify := func(crl []byte, chain ...*x509.Certificate) error {
		cfg, err := New(Options{Mode: "verify-full", Host: "db", RootCert: writeFile(t, "root.crt", ca.pem), CRL: writeFile(t, "root.crl", crl)})
		require.NoError(t, err)
		return cfg.VerifyConnection(state(chain...))
	}
	assert.NoError(t, verify(ca.crl(t, farFuture()), srv))
	assert.ErrorContains(t, verify(ca.crl(t, farFuture(), srv), srv), "is revoked by sslcrl")
	assert.ErrorContains(t, verify(ca.crl(t, time.Now().Add(-time.Hour)), srv), "expired")
	other := newCA(t, "other CA")
	assert.ErrorContains(t, verify(other.crl(t, farFuture()), srv), "has no revocation list")

	// An intermediate not covered by a list of its own issuer fails.
	inter := intermediate(t, ca)
	leaf := inter.serverCert(t, "db", "db")
	assert.ErrorContains(t, verify(ca.crl(t, farFuture()), leaf, inter.cert), "has no revocation list")
	both := append(ca.crl(t, farFuture()), inter.crl(t, farFuture())...)
	assert.NoError(t, verify(both, leaf, inter.cert))
	both = append(ca.crl(t, farFuture(), inter.cert), inter.crl(t, farFuture())...)
	assert.ErrorContains(t, verify(both, leaf, inter.cert), "revoked")
}
