package pkcs8

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"

	"golang.org/x/crypto/scrypt"
)

// ErrIncorrectPassword means the decrypted data is not a valid key: the
// password is wrong (or the file is corrupt, which cannot be told apart).
var ErrIncorrectPassword = errors.New("pkcs8: incorrect password, or a corrupt key")

// Work bounds: far above what OpenSSL writes (PBKDF2 2048 iterations,
// scrypt N=16384 r=8 p=1), far below what would hang a connection attempt.
// Variables only so that the fuzz test can lower them.
var (
	maxIterations  = 10_000_000
	maxScryptBytes = 1 << 30 // memory scrypt needs: 128 * N * r (* p for the parallel pass)
)

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}

	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}

	oidAES128CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}

	// pkcs5PBES1 is the arc of PBES1 schemes (pbeWithMD5AndDES-CBC ...) and
	// pkcs12PBE that of PKCS#12's (pbeWithSHAAnd3-KeyTripleDES-CBC ...).
	pkcs5PBES1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5}
	pkcs12PBE  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1}
)

type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

type scryptParams struct {
	Salt                     []byte
	CostParameter            int
	BlockSize                int
	ParallelizationParameter int
	KeyLength                int `asn1:"optional"`
}

// Decrypt decrypts the DER of an EncryptedPrivateKeyInfo (the bytes of an
// "ENCRYPTED PRIVATE KEY" PEM block) with password and returns the DER of
// the PrivateKeyInfo inside, for x509.ParsePKCS8PrivateKey. A wrong password
// gives ErrIncorrectPassword, except in the rare case (about 1 in 256) that
// the padding happens to look valid: then parsing the result fails.
func Decrypt(der, password []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) != 0 {
		return nil, errors.New("pkcs8: not an EncryptedPrivateKeyInfo structure")
	}
	alg := info.Algorithm.Algorithm
	if !alg.Equal(oidPBES2) {
		if isUnder(alg, pkcs5PBES1) || isUnder(alg, pkcs12PBE) {
			return nil, fmt.Errorf("pkcs8: key encrypted with the obsolete scheme %v (PBES1); re-encrypt it: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out new.key", alg)
		}
		return nil, fmt.Errorf("pkcs8: unsupported encryption scheme %v; only PBES2 is supported", alg)
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) != 0 {
		return nil, errors.New("pkcs8: malformed PBES2 parameters")
	}
	newCipher, keyLen, iv, err := cipherFor(params.EncryptionScheme)
	if err != nil {
		return nil, err
	}
	key, err := deriveKey(params.KeyDerivationFunc, password, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, fmt.Errorf("pkcs8: %w", err)
	}
	bs := block.BlockSize()
	data := info.EncryptedData
	if len(data) == 0 || len(data)%bs != 0 || len(iv) != bs {
		return nil, errors.New("pkcs8: encrypted data or IV does not fit the cipher's block size")
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	return unpad(out, bs)
}

// cipherFor returns the block cipher, key length and IV of a PBES2
// encryption scheme.
func cipherFor(alg pkix.AlgorithmIdentifier) (func([]byte) (cipher.Block, error), int, []byte, error) {
	var iv []byte
	if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &iv); err != nil || len(rest) != 0 {
		return nil, 0, nil, fmt.Errorf("pkcs8: malformed IV for cipher %v", alg.Algorithm)
	}
	switch {
	case alg.Algorithm.Equal(oidAES128CBC):
		return aes.NewCipher, 16, iv, nil
	case alg.Algorithm.Equal(oidAES192CBC):
		return aes.NewCipher, 24, iv, nil
	case alg.Algorithm.Equal(oidAES256CBC):
		return aes.NewCipher, 32, iv, nil
	case alg.Algorithm.Equal(oidDESEDE3CBC):
		return des.NewTripleDESCipher, 24, iv, nil
	}
	return nil, 0, nil, fmt.Errorf("pkcs8: unsupported cipher %v; use AES-CBC (openssl pkcs8 -topk8 -v2 aes-256-cbc)", alg.Algorithm)
}

// deriveKey runs the PBES2 key derivation function.
func deriveKey(alg pkix.AlgorithmIdentifier, password []byte, keyLen int) ([]byte, error) {
	switch {
	case alg.Algorithm.Equal(oidPBKDF2):
		var p pbkdf2Params
		if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(rest) != 0 {
			return nil, errors.New("pkcs8: malformed PBKDF2 parameters")
		}
		if p.KeyLength != 0 && p.KeyLength != keyLen {
			return nil, fmt.Errorf("pkcs8: PBKDF2 key length %d does not match the cipher's %d", p.KeyLength, keyLen)
		}
		if p.IterationCount < 1 || p.IterationCount > maxIterations {
			return nil, fmt.Errorf("pkcs8: PBKDF2 iteration count %d out of range 1-%d", p.IterationCount, maxIterations)
		}
		h, err := prf(p.PRF)
		if err != nil {
			return nil, err
		}
		// pbkdf2.Key takes the password as a string; it is bytes here,
		// used as given.
		key, err := pbkdf2.Key(h, string(password), p.Salt, p.IterationCount, keyLen)
		if err != nil {
			return nil, fmt.Errorf("pkcs8: %w", err)
		}
		return key, nil
	case alg.Algorithm.Equal(oidScrypt):
		var p scryptParams
		if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(rest) != 0 {
			return nil, errors.New("pkcs8: malformed scrypt parameters")
		}
		if p.KeyLength != 0 && p.KeyLength != keyLen {
			return nil, fmt.Errorf("pkcs8: scrypt key length %d does not match the cipher's %d", p.KeyLength, keyLen)
		}
		n, r, par := p.CostParameter, p.BlockSize, p.ParallelizationParameter
		if n < 2 || n&(n-1) != 0 || r < 1 || par < 1 || r > maxScryptBytes/128/n || par > maxScryptBytes/128/r {
			return nil, fmt.Errorf("pkcs8: scrypt parameters N=%d r=%d p=%d out of range", n, r, par)
		}
		key, err := scrypt.Key(password, p.Salt, n, r, par, keyLen)
		if err != nil {
			return nil, fmt.Errorf("pkcs8: %w", err)
		}
		return key, nil
	}
	return nil, fmt.Errorf("pkcs8: unsupported key derivation function %v; only PBKDF2 and scrypt are supported", alg.Algorithm)
}

// prf returns the PBKDF2 pseudo-random function; absent means HMAC-SHA-1.
func prf(alg pkix.AlgorithmIdentifier) (func() hash.Hash, error) {
	switch {
	case len(alg.Algorithm) == 0, alg.Algorithm.Equal(oidHMACSHA1):
		return sha1.New, nil
	case alg.Algorithm.Equal(oidHMACSHA224):
		return sha256.New224, nil
	case alg.Algorithm.Equal(oidHMACSHA256):
		return sha256.New, nil
	case alg.Algorithm.Equal(oidHMACSHA384):
		return sha512.New384, nil
	case alg.Algorithm.Equal(oidHMACSHA512):
		return sha512.New, nil
	}
	return nil, fmt.Errorf("pkcs8: unsupported PBKDF2 pseudo-random function %v", alg.Algorithm)
}

// unpad removes PKCS#7 padding; bad padding almost always means a wrong
// password.
func unpad(b []byte, bs int) ([]byte, error) {
	n := int(b[len(b)-1])
	if n == 0 || n > bs || n > len(b) {
		return nil, ErrIncorrectPassword
	}
	pad := b[len(b)-n:]
	if !hmac.Equal(pad, bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, ErrIncorrectPassword
	}
	return b[:len(b)-n], nil
}

func isUnder(oid, arc asn1.ObjectIdentifier) bool {
	return len(oid) > len(arc) && oid[:len(arc)].Equal(arc)
}
