package scram

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

func TestEndPointHashAlgorithms(t *testing.T) {
	t.Parallel()
	raw := []byte("DER bytes of a certificate")
	s256 := sha256.Sum256(raw)
	s384 := sha512.Sum384(raw)
	s512 := sha512.Sum512(raw)
	tests := []struct {
		alg  x509.SignatureAlgorithm
		want []byte // nil: error expected
	}{
		// RFC 5929 section 4.1: MD5 and SHA-1 are replaced by SHA-256.
		{x509.MD5WithRSA, s256[:]},
		{x509.SHA1WithRSA, s256[:]},
		{x509.ECDSAWithSHA1, s256[:]},
		{x509.DSAWithSHA1, s256[:]},
		{x509.SHA256WithRSA, s256[:]},
		{x509.SHA256WithRSAPSS, s256[:]},
		{x509.ECDSAWithSHA256, s256[:]},
		{x509.DSAWithSHA256, s256[:]},
		{x509.SHA384WithRSA, s384[:]},
		{x509.SHA384WithRSAPSS, s384[:]},
		{x509.ECDSAWithSHA384, s384[:]},
		{x509.SHA512WithRSA, s512[:]},
		{x509.SHA512WithRSAPSS, s512[:]},
		{x509.ECDSAWithSHA512, s512[:]},
		{x509.PureEd25519, nil},
		{x509.MD2WithRSA, nil},
		{x509.UnknownSignatureAlgorithm, nil},
	}
	for _, tt := range tests {
		got, err := EndPointHash(&x509.Certificate{Raw: raw, SignatureAlgorithm: tt.alg})
		switch {
		case tt.want == nil && err == nil:
			t.Errorf("%v: EndPointHash = %x, want error", tt.alg, got)
		case tt.want != nil && err != nil:
			t.Errorf("%v: EndPointHash: %v", tt.alg, err)
		case !bytes.Equal(got, tt.want):
			t.Errorf("%v: EndPointHash = %x, want %x", tt.alg, got, tt.want)
		}
	}
}

func TestEndPointHashRealCertificates(t *testing.T) {
	t.Parallel()
	ecKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert := selfSigned(t, x509.ECDSAWithSHA384, &ecKey.PublicKey, ecKey)
	got, err := EndPointHash(cert)
	if err != nil {
		t.Fatal(err)
	}
	if want := sha512.Sum384(cert.Raw); !bytes.Equal(got, want[:]) {
		t.Errorf("EndPointHash = %x, want SHA-384 of the DER %x", got, want)
	}

	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := EndPointHash(selfSigned(t, x509.PureEd25519, edPub, edKey)); err == nil {
		t.Errorf("Ed25519 certificate: EndPointHash = %x, want error", h)
	}
}

func TestEndPointHashNoCertificate(t *testing.T) {
	t.Parallel()
	if _, err := EndPointHash(nil); err == nil {
		t.Error("EndPointHash(nil) succeeded")
	}
	if _, err := EndPointHash(&x509.Certificate{SignatureAlgorithm: x509.SHA256WithRSA}); err == nil {
		t.Error("EndPointHash of a certificate without DER succeeded")
	}
}

func selfSigned(t *testing.T, alg x509.SignatureAlgorithm, pub, priv any) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:       big.NewInt(1),
		Subject:            pkix.Name{CommonName: "db.example"},
		NotBefore:          time.Now().Add(-time.Hour),
		NotAfter:           time.Now().Add(time.Hour),
		SignatureAlgorithm: alg,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
