package pg

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/wirepg/pg/internal/dsn"
)

// tlsConfigFor builds the TLS configuration for connecting to h, reading
// the certificate files each time, as libpq does, so that rotated files are
// picked up by new connections.
//
// Verification is pg's own (VerifyConnection) rather than crypto/tls's,
// because libpq's rules differ: verify-ca checks the chain but no name,
// require checks the chain only when a root certificate exists, any
// extended key usage is accepted (OpenSSL does not check it by default),
// and a CRL covers the whole chain.
func (c *Config) tlsConfigFor(h Host) (*tls.Config, error) {
	if c.TLSConfig != nil {
		t := c.TLSConfig.Clone()
		if t.ServerName == "" {
			t.ServerName = h.Host
		}
		if !slices.Contains(t.NextProtos, alpnProtocol) {
			t.NextProtos = append(t.NextProtos, alpnProtocol)
		}
		return t, nil
	}
	mode := c.sslMode()
	minV, _ := tlsVersion("ssl_min_protocol_version", c.SSLMinProtocolVersion)
	maxV, _ := tlsVersion("ssl_max_protocol_version", c.SSLMaxProtocolVersion)
	if minV == 0 {
		minV = tls.VersionTLS12 // libpq's default since PostgreSQL 14
	}
	t := &tls.Config{
		// SNI for host names (crypto/tls leaves it out for IP addresses, as
		// libpq does).
		ServerName: h.Host,
		NextProtos: []string{alpnProtocol},
		MinVersion: minV,
		MaxVersion: maxV,
		// Checked by VerifyConnection below, when there is something to
		// check against.
		InsecureSkipVerify: true,
	}
	roots, rootName, err := c.rootCAs(mode)
	if err != nil {
		return nil, err
	}
	if roots != nil {
		v := &verifier{roots: roots, rootName: rootName}
		if mode == SSLModeVerifyFull {
			if h.Host == "" {
				return nil, &ConfigError{Option: "host", Msg: "sslmode=verify-full needs a host name to check the server certificate against: set host along with hostaddr"}
			}
			v.host = h.Host
		}
		if v.crls, err = c.revocationLists(); err != nil {
			return nil, err
		}
		t.VerifyConnection = v.verify
	}
	cert, err := c.clientCertificate()
	if err != nil {
		return nil, err
	}
	if cert != nil {
		// Sent whenever the server asks, whatever CAs it names, as libpq
		// (OpenSSL) does; crypto/tls would otherwise send nothing when the
		// server's list does not name the certificate's issuer.
		t.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	}
	return t, nil
}

// rootCAs loads sslrootcert (default ~/.postgresql/root.crt). It returns a
// nil pool when there is no root certificate, which verify-ca and
// verify-full do not allow.
func (c *Config) rootCAs(mode string) (*x509.CertPool, string, error) {
	file := c.SSLRootCert
	if file == "" {
		file = dsn.UserFile("root.crt", nil)
	}
	if file == "system" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return nil, "", &ConfigError{Option: "sslrootcert", Msg: fmt.Sprintf("sslrootcert=system: cannot load the system's trusted certificates: %v", err), Err: err}
		}
		return pool, "system", nil
	}
	if file != "" {
		data, err := os.ReadFile(file)
		switch {
		case err == nil:
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(data) {
				return nil, "", &ConfigError{Option: "sslrootcert", Msg: fmt.Sprintf("sslrootcert %q holds no PEM certificate", file)}
			}
			return pool, file, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, "", &ConfigError{Option: "sslrootcert", Msg: fmt.Sprintf("cannot read sslrootcert: %v", err), Err: err}
		}
	}
	if mode == SSLModeVerifyCA || mode == SSLModeVerifyFull {
		where := "no sslrootcert is set and there is no home directory"
		if file != "" {
			where = fmt.Sprintf("root certificate file %q does not exist", file)
		}
		return nil, "", &ConfigError{Option: "sslrootcert", Msg: fmt.Sprintf(
			"sslmode=%s needs a root certificate to verify the server, but %s: set sslrootcert to the CA certificate file, use sslrootcert=system for the system's trusted CAs, or use sslmode=require to skip verification",
			mode, where)}
	}
	return nil, "", nil
}

// revocationLists loads sslcrl (default ~/.postgresql/root.crl, when it
// exists). Unlike libpq, which silently ignores a missing file, a CRL file
// that was named explicitly and is missing is an error: silently checking
// no revocations is not what its author asked for.
func (c *Config) revocationLists() ([]*x509.RevocationList, error) {
	file := c.SSLCRL
	if file == "" {
		file = dsn.UserFile("root.crl", nil)
		if file == "" {
			return nil, nil
		}
		if _, err := os.Stat(file); err != nil {
			return nil, nil
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &ConfigError{Option: "sslcrl", Msg: fmt.Sprintf("cannot read sslcrl: %v", err), Err: err}
	}
	crls, err := parseCRLs(data)
	if err != nil {
		return nil, &ConfigError{Option: "sslcrl", Msg: fmt.Sprintf("sslcrl %q: %v", file, err), Err: err}
	}
	return crls, nil
}
