package tlsconfig

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

// ALPN is the ALPN protocol name PostgreSQL registered; libpq 17 sends it
// on every TLS connection and the server requires it for direct TLS.
const ALPN = "postgresql"

// Options are libpq's TLS options for one connection attempt.
type Options struct {
	// Mode is the effective sslmode ("require", "verify-ca",
	// "verify-full"; "prefer" and "allow" behave as require once TLS is
	// tried).
	Mode string
	// Host is the server's host name: sent as SNI and, under verify-full,
	// checked against the certificate.
	Host string
	// RootCert, CRL, Cert and Key are the sslrootcert, sslcrl, sslcert
	// and sslkey files; "" means libpq's default in ~/.postgresql.
	RootCert, CRL, Cert, Key string
	// Password opens an encrypted Key (sslpassword).
	Password string
	// MinVersion and MaxVersion bound the protocol version; 0 means TLS
	// 1.2 (libpq's default since PostgreSQL 14) and no upper bound.
	MinVersion, MaxVersion uint16
	// Env looks up HOME (APPDATA on Windows) for the default files; nil
	// means the process environment.
	Env dsn.Env
}

// Error is a TLS option that cannot be used: a missing root certificate
// under verify-full, an unreadable or unprotected key, a wrong sslpassword.
type Error struct {
	// Option is the option at fault, in libpq's spelling ("sslrootcert",
	// "sslkey", "host").
	Option string
	// Msg says what is wrong and how to fix it.
	Msg string
	// Err is the underlying error (a file that cannot be read), or nil.
	Err error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Clone adapts a caller's own configuration: a copy with ServerName set
// to host when empty and ALPN added, base itself unchanged.
func Clone(base *tls.Config, host string) *tls.Config {
	t := base.Clone()
	if t.ServerName == "" {
		t.ServerName = host
	}
	if !slices.Contains(t.NextProtos, ALPN) {
		t.NextProtos = append(t.NextProtos, ALPN)
	}
	return t
}

// New builds the configuration for one connection from o.
func New(o Options) (*tls.Config, error) {
	minV := o.MinVersion
	if minV == 0 {
		minV = tls.VersionTLS12
	}
	t := &tls.Config{
		// SNI for host names (crypto/tls leaves it out for IP addresses, as
		// libpq does).
		ServerName: o.Host,
		NextProtos: []string{ALPN},
		MinVersion: minV,
		MaxVersion: o.MaxVersion,
		// Checked by VerifyConnection below, when there is something to
		// check against.
		InsecureSkipVerify: true,
	}
	roots, rootName, err := o.rootCAs()
	if err != nil {
		return nil, err
	}
	if roots != nil {
		v := &verifier{roots: roots, rootName: rootName}
		if o.Mode == "verify-full" {
			if o.Host == "" {
				return nil, &Error{Option: "host", Msg: "sslmode=verify-full needs a host name to check the server certificate against: set host along with hostaddr"}
			}
			v.host = o.Host
		}
		if v.crls, err = o.revocationLists(); err != nil {
			return nil, err
		}
		t.VerifyConnection = v.verify
	}
	cert, err := o.clientCertificate()
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
func (o *Options) rootCAs() (*x509.CertPool, string, error) {
	file := o.RootCert
	if file == "" {
		file = dsn.UserFile("root.crt", o.Env)
	}
	if file == "system" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			return nil, "", &Error{Option: "sslrootcert", Msg: fmt.Sprintf("sslrootcert=system: cannot load the system's trusted certificates: %v", err), Err: err}
		}
		return pool, "system", nil
	}
	if file != "" {
		data, err := os.ReadFile(file)
		switch {
		case err == nil:
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(data) {
				return nil, "", &Error{Option: "sslrootcert", Msg: fmt.Sprintf("sslrootcert %q holds no PEM certificate", file)}
			}
			return pool, file, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, "", &Error{Option: "sslrootcert", Msg: fmt.Sprintf("cannot read sslrootcert: %v", err), Err: err}
		}
	}
	if o.Mode == "verify-ca" || o.Mode == "verify-full" {
		where := "no sslrootcert is set and there is no home directory"
		if file != "" {
			where = fmt.Sprintf("root certificate file %q does not exist", file)
		}
		return nil, "", &Error{Option: "sslrootcert", Msg: fmt.Sprintf(
			"sslmode=%s needs a root certificate to verify the server, but %s: set sslrootcert to the CA certificate file, use sslrootcert=system for the system's trusted CAs, or use sslmode=require to skip verification",
			o.Mode, where)}
	}
	return nil, "", nil
}

// revocationLists loads sslcrl (default ~/.postgresql/root.crl, when it
// exists). Unlike libpq, which silently ignores a missing file, a CRL file
// that was named explicitly and is missing is an error: silently checking
// no revocations is not what its author asked for.
func (o *Options) revocationLists() ([]*x509.RevocationList, error) {
	file := o.CRL
	if file == "" {
		file = dsn.UserFile("root.crl", o.Env)
		if file == "" {
			return nil, nil
		}
		if _, err := os.Stat(file); err != nil {
			return nil, nil
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, &Error{Option: "sslcrl", Msg: fmt.Sprintf("cannot read sslcrl: %v", err), Err: err}
	}
	crls, err := parseCRLs(data)
	if err != nil {
		return nil, &Error{Option: "sslcrl", Msg: fmt.Sprintf("sslcrl %q: %v", file, err), Err: err}
	}
	return crls, nil
}
