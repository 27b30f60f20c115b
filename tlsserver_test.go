package pg_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// startServer starts a server of the test's own, stopped when it ends.
func startServer(t *testing.T, opts pgtest.Options) *pgtest.Server {
	t.Helper()
	srv, err := pgtest.Start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Stop()) })
	return srv
}

// tcpConfig is a Config for user on srv over TCP.
func tcpConfig(srv *pgtest.Server, user, password string) *pg.Config {
	return &pg.Config{
		Hosts:    []pg.Host{{Host: "127.0.0.1", Port: uint16(srv.Port())}},
		User:     user,
		Password: password,
		Database: "postgres",
		// Keep the tests independent of the machine's ~/.postgresql and
		// ~/.pgpass.
		Passfile:    noPassfile,
		SSLRootCert: filepath.Join(os.TempDir(), "pg-test-no-root.crt"),
		SSLCert:     filepath.Join(os.TempDir(), "pg-test-no-client.crt"),
	}
}

// noPassfile is a passfile path that does not exist: libpq (and pg) skip
// a missing passfile silently, whereas /dev/null, not being a plain file,
// draws a warning on every password lookup.
var noPassfile = filepath.Join(os.TempDir(), "pg-test-no-pgpass")

// sslInfo is the server's view of the session's encryption: whether TLS
// is in use, its version and the client certificate's DN.
func sslInfo(t *testing.T, c *pg.Conn) (bool, string, string) {
	t.Helper()
	rec, err := c.FetchRow(ctxT(t), "SELECT ssl, coalesce(version, ''), coalesce(client_dn, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
	require.NoError(t, err)
	var ssl bool
	var version, dn string
	require.NoError(t, rec.Scan(&ssl, &version, &dn))
	return ssl, version, dn
}

// tryConnect connects and closes again, returning the error and whether
// the session used TLS.
func tryConnect(t *testing.T, cfg *pg.Config) (bool, error) {
	t.Helper()
	c, err := pg.ConnectConfig(ctxT(t), cfg)
	if err != nil {
		return false, err
	}
	defer c.Close(ctxT(t))
	ssl, _, _ := sslInfo(t, c)
	return ssl, nil
}

// writeTemp writes data to a new file with mode 0600 and returns its path.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// testCA is a certificate authority that has nothing to do with the
// servers'.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "other CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// serverCert issues a certificate for localhost and 127.0.0.1.
func (ca *testCA) serverCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}, ca.cert, key.Public(), ca.key)
	require.NoError(t, err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// crl is an empty revocation list of the CA, as PEM.
func (ca *testCA) crl(t *testing.T) []byte {
	t.Helper()
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(1), ThisUpdate: time.Now().Add(-time.Hour), NextUpdate: time.Now().Add(time.Hour),
	}, ca.cert, ca.key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}

// proxy is a TCP listener that hands each accepted connection to serve,
// together with a fresh connection to the backend address.
type proxy struct {
	ln      net.Listener
	backend string
	serve   func(client, backend net.Conn) error
	mu      sync.Mutex
	errs    []error
	first   [][]byte // the first bytes each client sent
}

func startProxy(t *testing.T, backend string, serve func(client, backend net.Conn) error) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &proxy{ln: ln, backend: backend, serve: serve}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				b, err := net.DialTimeout("tcp", backend, 10*time.Second)
				if err != nil {
					p.fail(err)
					return
				}
				defer b.Close()
				if err := serve(&peekConn{Conn: c, p: p}, b); err != nil {
					p.fail(err)
				}
			}()
		}
	}()
	return p
}

func (p *proxy) port() uint16 { return uint16(p.ln.Addr().(*net.TCPAddr).Port) }

func (p *proxy) fail(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

func (p *proxy) firstBytes() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]byte(nil), p.first...)
}

func (p *proxy) errors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

// peekConn records the first read from the client.
type peekConn struct {
	net.Conn
	p    *proxy
	seen bool
}

func (c *peekConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if !c.seen && n > 0 {
		c.seen = true
		c.p.mu.Lock()
		c.p.first = append(c.p.first, append([]byte(nil), b[:n]...))
		c.p.mu.Unlock()
	}
	return n, err
}

// pipe copies both ways until either side ends.
func pipe(a, b net.Conn) error {
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(a, b); done <- struct{}{} }()
	go func() { _, _ = io.Copy(b, a); done <- struct{}{} }()
	<-done
	a.Close()
	b.Close()
	<-done
	return nil
}

// sslRequest is the 8-byte SSLRequest packet.
var sslRequest = []byte{0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f}

// recordingDialer dials normally and keeps the first bytes written on each
// connection.
type recordingDialer struct {
	mu     sync.Mutex
	writes [][]byte
}

func (d *recordingDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.writes = append(d.writes, nil)
	i := len(d.writes) - 1
	d.mu.Unlock()
	return &recordingConn{Conn: c, d: d, i: i}, nil
}

func (d *recordingDialer) first() [][]byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([][]byte(nil), d.writes...)
}

type recordingConn struct {
	net.Conn
	d *recordingDialer
	i int
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.d.mu.Lock()
	if c.d.writes[c.i] == nil {
		c.d.writes[c.i] = append([]byte(nil), b...)
	}
	c.d.mu.Unlock()
	return c.Conn.Write(b)
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
