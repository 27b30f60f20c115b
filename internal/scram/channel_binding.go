package scram

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
)

// EndPointHash returns the tls-server-end-point channel-binding data of RFC
// 5929 section 4.1 for the server's leaf certificate: the hash of its DER
// encoding, using the hash function of the certificate's signature
// algorithm, except that MD5 and SHA-1 are replaced by SHA-256.
//
// Signature algorithms with no single hash (Ed25519) or an unknown one are
// an error: RFC 5929 leaves the binding undefined for them, and PostgreSQL's
// server fails to compute it too ("could not find digest for NID"). The
// caller should then use SHA256 with clientSupportsCB false, or fail if
// channel binding is required; "y,," would make a server that offered
// SHA256Plus reject the exchange as a downgrade.
func EndPointHash(cert *x509.Certificate) ([]byte, error) {
	if cert == nil || len(cert.Raw) == 0 {
		return nil, errors.New("scram: no server certificate for tls-server-end-point channel binding")
	}
	var newHash func() hash.Hash
	switch cert.SignatureAlgorithm {
	case x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1,
		x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.DSAWithSHA256, x509.ECDSAWithSHA256:
		newHash = sha256.New
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		newHash = sha512.New384
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		newHash = sha512.New
	default:
		return nil, fmt.Errorf("scram: cannot compute tls-server-end-point channel binding for a certificate signed with %v; RFC 5929 defines it only for signatures with one hash function", cert.SignatureAlgorithm)
	}
	d := newHash()
	d.Write(cert.Raw)
	return d.Sum(nil), nil
}
