package tlsconfig

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// verifier checks the server's certificate with libpq's rules.
type verifier struct {
	roots    *x509.CertPool
	rootName string // sslrootcert, for messages
	host     string // checked against the certificate; "" below verify-full
	crls     []*x509.RevocationList
}

func (v *verifier) verify(cs tls.ConnectionState) error {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return errors.New("the server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	chains, err := certs[0].Verify(x509.VerifyOptions{
		Roots:         v.roots,
		Intermediates: inter,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return fmt.Errorf("the server certificate is not trusted by sslrootcert %s: %w", v.rootName, err)
	}
	if v.host != "" {
		if err := verifyHostName(certs[0], v.host); err != nil {
			return err
		}
	}
	if len(v.crls) == 0 {
		return nil
	}
	// Accept when some chain passes the revocation check.
	for _, chain := range chains {
		if err = v.checkRevocation(chain); err == nil {
			return nil
		}
	}
	return err
}

// verifyHostName matches host against the certificate as libpq does
// (fe-secure-common.c): against the subject alternative names of host's
// kind (DNS names, or IP addresses when host is one), and only when there
// are none of that kind, against the common name. A leading "*." matches
// exactly one label.
func verifyHostName(cert *x509.Certificate, host string) error {
	examined := 0
	if ip := net.ParseIP(host); ip != nil {
		for _, a := range cert.IPAddresses {
			examined++
			if a.Equal(ip) {
				return nil
			}
		}
	} else {
		for _, n := range cert.DNSNames {
			examined++
			if matchHostName(n, host) {
				return nil
			}
		}
	}
	if examined == 0 && cert.Subject.CommonName != "" && matchHostName(cert.Subject.CommonName, host) {
		return nil
	}
	var names []string
	names = append(names, cert.DNSNames...)
	for _, a := range cert.IPAddresses {
		names = append(names, a.String())
	}
	if len(names) == 0 {
		names = append(names, cert.Subject.CommonName)
	}
	return fmt.Errorf("sslmode=verify-full: the server certificate is for %q, which does not match host name %q", names, host)
}

func matchHostName(pattern, host string) bool {
	pattern = strings.TrimSuffix(pattern, ".")
	host = strings.TrimSuffix(host, ".")
	if strings.EqualFold(pattern, host) {
		return true
	}
	suffix, ok := strings.CutPrefix(pattern, "*")
	if !ok || !strings.HasPrefix(suffix, ".") {
		return false
	}
	dot := strings.IndexByte(host, '.')
	return dot > 0 && strings.EqualFold(host[dot:], suffix)
}

// checkRevocation checks every certificate of a verified chain, the
// self-signed root included, against the CRLs, as OpenSSL does for libpq
// with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL: each needs a
// current CRL from its issuer, and must not be listed in it.
func (v *verifier) checkRevocation(chain []*x509.Certificate) error {
	now := time.Now()
	for i, cert := range chain {
		issuer := cert
		if i+1 < len(chain) {
			issuer = chain[i+1]
		}
		var crl *x509.RevocationList
		for _, l := range v.crls {
			if bytes.Equal(l.RawIssuer, cert.RawIssuer) && l.CheckSignatureFrom(issuer) == nil {
				crl = l
				break
			}
		}
		if crl == nil {
			return fmt.Errorf("sslcrl has no revocation list from %q, the issuer of %q; with sslcrl set, every certificate in the server's chain must be covered", issuer.Subject, cert.Subject)
		}
		if now.Before(crl.ThisUpdate) {
			return fmt.Errorf("the revocation list from %q in sslcrl is not valid until %v", issuer.Subject, crl.ThisUpdate)
		}
		if !crl.NextUpdate.IsZero() && now.After(crl.NextUpdate) {
			return fmt.Errorf("the revocation list from %q in sslcrl expired at %v; fetch a current one", issuer.Subject, crl.NextUpdate)
		}
		for _, e := range crl.RevokedCertificateEntries {
			if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
				return fmt.Errorf("the server's certificate %q (serial %s) is revoked by sslcrl", cert.Subject, cert.SerialNumber)
			}
		}
	}
	return nil
}

// parseCRLs reads the revocation lists of a PEM file ("X509 CRL" blocks),
// or of a single DER list.
func parseCRLs(data []byte) ([]*x509.RevocationList, error) {
	var crls []*x509.RevocationList
	rest := data
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "X509 CRL" {
			continue
		}
		l, err := x509.ParseRevocationList(blk.Bytes)
		if err != nil {
			return nil, err
		}
		crls = append(crls, l)
	}
	if len(crls) > 0 {
		return crls, nil
	}
	l, err := x509.ParseRevocationList(data)
	if err != nil {
		return nil, errors.New("holds no PEM (X509 CRL) or DER certificate revocation list")
	}
	return []*x509.RevocationList{l}, nil
}
