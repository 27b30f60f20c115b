package pkcs8

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures were encrypted by OpenSSL, an independent implementation;
// see testdata/keys/README.
const (
	keyDir   = "../../testdata/keys"
	password = "pässwörd 1"
)

func readPEM(t *testing.T, name string) *pem.Block {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(keyDir, name))
	require.NoError(t, err)
	blk, _ := pem.Decode(b)
	require.NotNil(t, blk, name)
	return blk
}

func publicKey(t *testing.T, name string) any {
	t.Helper()
	pub, err := x509.ParsePKIXPublicKey(readPEM(t, name).Bytes)
	require.NoError(t, err)
	return pub
}

func TestDecrypt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, pub string }{
		{"ec-pbes2-aes256-sha256.key", "ec.pub"},
		{"ec-pbes2-aes128-sha1.key", "ec.pub"},
		{"ec-pbes2-aes192-sha512.key", "ec.pub"},
		{"ec-pbes2-scrypt.key", "ec.pub"},
		{"rsa-pbes2-des3-sha256.key", "rsa.pub"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			blk := readPEM(t, tc.file)
			require.Equal(t, "ENCRYPTED PRIVATE KEY", blk.Type)
			der, err := Decrypt(blk.Bytes, []byte(password))
			require.NoError(t, err)
			key, err := x509.ParsePKCS8PrivateKey(der)
			require.NoError(t, err)
			pub := key.(crypto.Signer).Public()
			assert.True(t, publicKey(t, tc.pub).(interface{ Equal(crypto.PublicKey) bool }).Equal(pub), "decrypted key does not match %s", tc.pub)

			// A wrong password never yields a key.
			for _, wrong := range []string{"", "pässwörd", "passwörd 1", password + " "} {
				der, err := Decrypt(blk.Bytes, []byte(wrong))
				if err == nil {
					_, err = x509.ParsePKCS8PrivateKey(der)
				}
				assert.Error(t, err, "password %q", wrong)
			}
		})
	}
}

func TestDecryptRefusesPBES1(t *testing.T) {
	t.Parallel()
	_, err := Decrypt(readPEM(t, "ec-pbes1-md5-des.key").Bytes, []byte(password))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PBES1")
	assert.Contains(t, err.Error(), "openssl pkcs8 -topk8 -v2 aes-256-cbc")
}

func TestDecryptMalformed(t *testing.T) {
	t.Parallel()
	good := readPEM(t, "ec-pbes2-aes256-sha256.key").Bytes
	for i := 0; i < len(good); i++ {
		// Every truncation and every single-byte change fails cleanly or
		// (for bytes of the ciphertext) yields garbage; none panics.
		_, _ = Decrypt(good[:i], []byte(password))
		mutated := append([]byte(nil), good...)
		mutated[i] ^= 0x41
		_, _ = Decrypt(mutated, []byte(password))
	}
	_, err := Decrypt([]byte("not der"), []byte(password))
	assert.ErrorContains(t, err, "not an EncryptedPrivateKeyInfo")
	unencrypted := readPEM(t, "ec.key").Bytes
	_, err = Decrypt(unencrypted, []byte(password))
	assert.Error(t, err)
}
