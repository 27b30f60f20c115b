package tlsconfig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/wirepg/pg/internal/dsn"
	"github.com/wirepg/pg/internal/pkcs8"
)

// clientCertificate loads sslcert and sslkey (default
// ~/.postgresql/postgresql.crt and postgresql.key). As in libpq, a
// certificate file that does not exist means no client certificate; once
// it exists, the key must be there, private and, if encrypted, opened by
// sslpassword.
func (o *Options) clientCertificate() (*tls.Certificate, error) {
	certFile := o.Cert
	if certFile == "" {
		if certFile = dsn.UserFile("postgresql.crt", o.Env); certFile == "" {
			return nil, nil
		}
	}
	certPEM, err := os.ReadFile(certFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{Option: "sslcert", Msg: fmt.Sprintf("cannot read sslcert: %v", err), Err: err}
	}
	var chain [][]byte
	for rest := certPEM; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		if blk.Type == "CERTIFICATE" {
			chain = append(chain, blk.Bytes)
		}
	}
	if len(chain) == 0 {
		return nil, &Error{Option: "sslcert", Msg: fmt.Sprintf("sslcert %q holds no PEM certificate", certFile)}
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return nil, &Error{Option: "sslcert", Msg: fmt.Sprintf("sslcert %q: %v", certFile, err), Err: err}
	}

	keyFile := o.Key
	if keyFile == "" {
		keyFile = dsn.UserFile("postgresql.key", o.Env)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, &Error{Option: "sslkey", Msg: fmt.Sprintf("sslcert %q is set, but its private key cannot be read: %v (set sslkey)", certFile, err), Err: err}
	}
	if err := checkKeyFileMode(keyFile); err != nil {
		return nil, err
	}
	key, err := parsePrivateKey(keyPEM, o.Password)
	if err != nil {
		return nil, &Error{Option: "sslkey", Msg: fmt.Sprintf("sslkey %q: %v", keyFile, err), Err: err}
	}
	pub, ok := leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(key.Public()) {
		return nil, &Error{Option: "sslkey", Msg: fmt.Sprintf("sslkey %q is not the private key of sslcert %q", keyFile, certFile)}
	}
	return &tls.Certificate{Certificate: chain, PrivateKey: key, Leaf: leaf}, nil
}

// parsePrivateKey reads the first private key of a PEM file: PKCS#8
// ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY"),
// encrypted as PKCS#8 ("ENCRYPTED PRIVATE KEY", PBES2) or with OpenSSL's
// legacy PEM encryption (Proc-Type: 4,ENCRYPTED), both opened by password.
// Errors never contain the password.
func parsePrivateKey(data []byte, password string) (crypto.Signer, error) {
	for rest := data; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		if !strings.HasSuffix(blk.Type, "PRIVATE KEY") {
			continue // certificates or EC PARAMETERS in the same file
		}
		der := blk.Bytes
		encrypted := blk.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(blk.Headers["Proc-Type"], "ENCRYPTED")
		if encrypted && password == "" {
			return nil, errors.New("the key is encrypted: set sslpassword to its pass phrase")
		}
		var err error
		switch {
		case blk.Type == "ENCRYPTED PRIVATE KEY":
			if der, err = pkcs8.Decrypt(der, []byte(password)); err != nil {
				if errors.Is(err, pkcs8.ErrIncorrectPassword) {
					return nil, errors.New("cannot decrypt the key: wrong sslpassword")
				}
				return nil, err
			}
		case encrypted:
			//lint:ignore SA1019 legacy PEM encryption is insecure, but libpq reads such keys and users have them.
			if der, err = x509.DecryptPEMBlock(blk, []byte(password)); err != nil {
				return nil, errors.New("cannot decrypt the key: wrong sslpassword")
			}
		}
		key, err := parseKeyDER(blk.Type, der)
		if err != nil {
			if encrypted {
				return nil, errors.New("cannot decrypt the key: wrong sslpassword")
			}
			return nil, err
		}
		return key, nil
	}
	return nil, errors.New("no PEM private key found")
}

func parseKeyDER(typ string, der []byte) (crypto.Signer, error) {
	var key any
	var err error
	switch typ {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		return nil, err
	}
	switch k := key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return k.(crypto.Signer), nil
	}
	return nil, fmt.Errorf("unsupported private key type %T", key)
}
