package pgtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// TLS is the certificate authority of a server started with Options.TLS and
// the files made from it. The CA is generated at Start and lives only as
// long as the server: nothing here is of value outside the test.
//
// Its methods are safe for concurrent use.
type TLS struct {
	// RootCert is the CA certificate file (PEM): what clients pass as
	// sslrootcert, and the server's ssl_ca_file, so the server accepts the
	// client certificates ClientCert issues (pg_hba.conf method cert, or
	// clientcert=verify-ca).
	RootCert string
	// ServerCert is the server's certificate file (PEM), valid for the
	// names localhost, 127.0.0.1 and ::1 and signed by CA.
	ServerCert string
	// CA is the authority's certificate and CAKey its private key, for
	// tests that issue other certificates or sign revocation lists.
	CA    *x509.Certificate
	CAKey crypto.Signer

	dir string // where client files go

	mu     sync.Mutex
	serial int64
}

// ServerNames are the host names and addresses the server certificate is
// valid for; any other name fails sslmode=verify-full.
var ServerNames = []string{"localhost", "127.0.0.1", "::1"}

// TLS returns the server's certificate authority and files, or nil when the
// server was not started with Options.TLS (or is PGTEST_DSN).
func (s *Server) TLS() *TLS { return s.tls }

// setupTLS creates the CA, the server's key and certificate in the data
// directory (owned by the server's user, mode 0600, as the server demands)
// and the client-side copy of the CA certificate.
func (s *Server) setupTLS() error {
	dir := filepath.Join(s.dir, "tls")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pgtest: generating CA key: %w", err)
	}
	t := &TLS{dir: dir, CAKey: caKey, serial: 1}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pgtest CA " + filepath.Base(s.dir)},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return fmt.Errorf("pgtest: creating CA certificate: %w", err)
	}
	if t.CA, err = x509.ParseCertificate(der); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})

	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pgtest: generating server key: %w", err)
	}
	srvTmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvPEM, err := t.Issue(srvTmpl, srvKey.Public())
	if err != nil {
		return err
	}
	keyPEM, err := marshalKeyPEM(srvKey)
	if err != nil {
		return err
	}

	data := s.DataDir()
	files := []struct {
		path string
		data []byte
	}{
		{filepath.Join(data, "server.crt"), srvPEM},
		{filepath.Join(data, "server.key"), keyPEM},
		{filepath.Join(data, "root.crt"), caPEM},
		{filepath.Join(dir, "root.crt"), caPEM},
		{filepath.Join(dir, "server.crt"), srvPEM},
	}
	for i, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o600); err != nil {
			return fmt.Errorf("pgtest: %w", err)
		}
		if i < 3 {
			if err := s.user.chown(f.path); err != nil {
				return err
			}
		}
	}
	t.RootCert = filepath.Join(dir, "root.crt")
	t.ServerCert = filepath.Join(dir, "server.crt")
	s.tls = t
	return nil
}

// tlsConf is the postgresql.conf lines that turn TLS on.
func tlsConf() []string {
	return []string{
		"ssl = on",
		"ssl_cert_file = 'server.crt'",
		"ssl_key_file = 'server.key'",
		"ssl_ca_file = 'root.crt'",
	}
}

// Issue signs a certificate for pub from tmpl with the CA and returns it
// as PEM. The serial number, validity (from an hour ago, for a year) and
// basic constraints are filled in; the rest of tmpl is used as given.
func (t *TLS) Issue(tmpl *x509.Certificate, pub crypto.PublicKey) ([]byte, error) {
	t.mu.Lock()
	t.serial++
	serial := t.serial
	t.mu.Unlock()
	c := *tmpl
	c.SerialNumber = big.NewInt(serial)
	if c.NotBefore.IsZero() {
		c.NotBefore = time.Now().Add(-time.Hour)
	}
	if c.NotAfter.IsZero() {
		c.NotAfter = time.Now().Add(365 * 24 * time.Hour)
	}
	c.BasicConstraintsValid = true
	if c.KeyUsage == 0 {
		c.KeyUsage = x509.KeyUsageDigitalSignature
	}
	der, err := x509.CreateCertificate(rand.Reader, &c, t.CA, pub, t.CAKey)
	if err != nil {
		return nil, fmt.Errorf("pgtest: issuing certificate: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// IssueClientCert signs a client certificate for user (its common name,
// which cert authentication compares with the role) and public key pub,
// and returns it as PEM.
func (t *TLS) IssueClientCert(user string, pub crypto.PublicKey) ([]byte, error) {
	return t.Issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: user},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, pub)
}

// ClientCert creates a new key and a client certificate for user and writes
// them to files: the certificate as PEM, the key as unencrypted PKCS#8 PEM
// with mode 0600 (libpq refuses keys others can read). Pass them as
// sslcert and sslkey.
func (t *TLS) ClientCert(user string) (certFile, keyFile string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("pgtest: generating client key: %w", err)
	}
	certPEM, err := t.IssueClientCert(user, key.Public())
	if err != nil {
		return "", "", err
	}
	keyPEM, err := marshalKeyPEM(key)
	if err != nil {
		return "", "", err
	}
	if certFile, err = t.WriteFile("client.crt", certPEM); err != nil {
		return "", "", err
	}
	if keyFile, err = t.WriteFile("client.key", keyPEM); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// WriteFile writes data to a new file with mode 0600 in the server's TLS
// directory, named after name with a unique number, and returns its path.
// The directory goes away with Stop.
func (t *TLS) WriteFile(name string, data []byte) (string, error) {
	t.mu.Lock()
	t.serial++
	n := t.serial
	t.mu.Unlock()
	ext := filepath.Ext(name)
	path := filepath.Join(t.dir, fmt.Sprintf("%s-%d%s", name[:len(name)-len(ext)], n, ext))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return path, nil
}

// CRL returns a certificate revocation list signed by the CA that revokes
// the given certificates, as PEM, valid from an hour ago until nextUpdate
// (a year from now when zero).
func (t *TLS) CRL(nextUpdate time.Time, revoked ...*x509.Certificate) ([]byte, error) {
	if nextUpdate.IsZero() {
		nextUpdate = time.Now().Add(365 * 24 * time.Hour)
	}
	t.mu.Lock()
	t.serial++
	n := t.serial
	t.mu.Unlock()
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(n),
		ThisUpdate: time.Now().Add(-time.Hour),
		NextUpdate: nextUpdate,
	}
	for _, c := range revoked {
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{
			SerialNumber:   c.SerialNumber,
			RevocationTime: time.Now().Add(-time.Minute),
		})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, t.CA, t.CAKey)
	if err != nil {
		return nil, fmt.Errorf("pgtest: creating CRL: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}), nil
}

// ParseCertFile reads the first certificate of a PEM file, such as
// ServerCert.
func ParseCertFile(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("pgtest: %s holds no PEM certificate", path)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %s: %w", path, err)
	}
	return c, nil
}

func marshalKeyPEM(key crypto.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}
