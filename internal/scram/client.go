package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// SASL mechanism names PostgreSQL offers in AuthenticationSASL.
const (
	SHA256     = "SCRAM-SHA-256"
	SHA256Plus = "SCRAM-SHA-256-PLUS"
)

// TLSServerEndPoint is the channel-binding type of RFC 5929 section 4, the
// only one PostgreSQL supports for SCRAM-SHA-256-PLUS.
const TLSServerEndPoint = "tls-server-end-point"

const (
	// nonceLen is the number of random bytes in the client nonce; PostgreSQL
	// uses 18 for both halves (SCRAM_RAW_NONCE_LEN).
	nonceLen = 18

	// defaultMaxIterations bounds the PBKDF2 work a server can demand. The
	// PostgreSQL default is 4096 (scram_iterations); ten million costs
	// seconds of CPU and anything above is treated as hostile.
	defaultMaxIterations = 10_000_000
)

// Errors for protocol violations the caller may want to tell apart in tests.
var (
	errNonceMismatch   = errors.New("scram: server nonce does not extend the client nonce")
	errServerSignature = errors.New("scram: server signature does not match; the server does not know the password, or the connection was tampered with")
	errOutOfOrder      = errors.New("scram: message out of order")
	errEnded           = errors.New("scram: exchange already ended by an earlier error")
)

type step uint8

const (
	stepServerFirst step = iota // waiting for server-first-message
	stepServerFinal             // waiting for server-final-message
	stepDone                    // server verified
	stepFailed                  // an error ended the exchange
)

// Client is the client side of one SCRAM-SHA-256 or SCRAM-SHA-256-PLUS
// exchange (RFC 5802, RFC 7677) as PostgreSQL runs it inside
// AuthenticationSASL messages. It does no I/O: the caller sends
// ClientFirstMessage in SASLInitialResponse, passes the
// AuthenticationSASLContinue data to ServerFirst and sends the result in
// SASLResponse, then passes the AuthenticationSASLFinal data to ServerFinal.
//
// A Client serves one exchange and is not safe for concurrent use. Any error
// ends the exchange; later calls return an error too.
type Client struct {
	step          step
	password      string // SASLprep'd; dropped after ServerFirst
	gs2Header     string // "n,,", "y,," or "p=tls-server-end-point,,"
	cbData        []byte
	nonce         string // client nonce
	user          string // always empty outside tests; see ClientFirstMessage
	maxIterations int

	authMessage     string
	serverSignature []byte
}

// NewClient starts an exchange. mechanism is SHA256 ("SCRAM-SHA-256") or
// SHA256Plus ("SCRAM-SHA-256-PLUS").
//
// For SHA256Plus, cbType must be TLSServerEndPoint and cbData the
// channel-binding data, EndPointHash of the server's certificate;
// clientSupportsCB is ignored. For SHA256, cbType is ignored and cbData must
// be empty. There clientSupportsCB true sends gs2 header "y,,", meaning the
// client is on TLS and could bind but the server did not offer SHA256Plus;
// a server that does support channel binding then rejects the exchange,
// exposing a man in the middle who removed SHA256Plus from the offer (RFC
// 5802 section 6). false sends "n,,".
//
// The password is normalised with SASLprep as PostgreSQL does (ASCII
// passwords are used exactly). An empty password is an error, as in libpq: no PostgreSQL
// verifier can match it. cbData is copied.
func NewClient(mechanism, password string, cbType string, cbData []byte, clientSupportsCB bool) (*Client, error) {
	var raw [nonceLen]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("scram: generating nonce: %w", err)
	}
	return newClient(mechanism, password, cbType, cbData, clientSupportsCB, base64.StdEncoding.EncodeToString(raw[:]))
}

// newClient is NewClient with a chosen nonce, for test vectors.
func newClient(mechanism, password string, cbType string, cbData []byte, clientSupportsCB bool, nonce string) (*Client, error) {
	if password == "" {
		return nil, errors.New("scram: the server requested password authentication but no password was supplied")
	}
	c := &Client{
		password:      preparePassword(password),
		nonce:         nonce,
		maxIterations: defaultMaxIterations,
	}
	switch mechanism {
	case SHA256:
		if len(cbData) != 0 {
			return nil, errors.New("scram: channel-binding data given for " + SHA256 + "; use " + SHA256Plus + " or pass nil")
		}
		if clientSupportsCB {
			c.gs2Header = "y,,"
		} else {
			c.gs2Header = "n,,"
		}
	case SHA256Plus:
		if cbType != TLSServerEndPoint {
			return nil, fmt.Errorf("scram: channel-binding type %q is not supported; PostgreSQL supports only %q", cbType, TLSServerEndPoint)
		}
		if len(cbData) == 0 {
			return nil, errors.New("scram: " + SHA256Plus + " needs channel-binding data; pass EndPointHash of the server certificate")
		}
		c.gs2Header = "p=" + cbType + ",,"
		c.cbData = append([]byte(nil), cbData...)
	default:
		return nil, fmt.Errorf("scram: unsupported SASL mechanism %q; want %q or %q", mechanism, SHA256, SHA256Plus)
	}
	return c, nil
}

// clientFirstBare is client-first-message-bare of RFC 5802 section 7.
func (c *Client) clientFirstBare() string {
	return "n=" + encodeSASLName(c.user) + ",r=" + c.nonce
}

// ClientFirstMessage returns the client-first-message, the initial response
// of SASLInitialResponse, e.g. "n,,n=,r=<nonce>". The user name is empty
// because PostgreSQL ignores it and uses the startup message's user
// (protocol documentation, "SCRAM-SHA-256 Authentication"). The caller owns
// the returned slice; every call returns the same message.
func (c *Client) ClientFirstMessage() []byte {
	return []byte(c.gs2Header + c.clientFirstBare())
}

// ServerFirst takes the server-first-message (the data of
// AuthenticationSASLContinue), checks it and returns the
// client-final-message to send in SASLResponse. It rejects a nonce that
// does not extend the client's, a missing or malformed salt, and an
// iteration count outside 1–10,000,000. The lower bound is PostgreSQL's own
// (scram_iterations may be set as low as 1), so a small count is accepted:
// channel binding or sslmode=verify-full is what stops an impostor server
// from choosing cheap parameters to brute-force the proof offline.
//
// msg is not retained. ServerFirst runs PBKDF2, which takes milliseconds at
// the default 4096 iterations.
func (c *Client) ServerFirst(msg []byte) ([]byte, error) {
	if err := c.expect(stepServerFirst); err != nil {
		return nil, err
	}
	serverFirst := string(msg)
	sf, err := parseServerFirst(serverFirst, c.maxIterations)
	if err != nil {
		return nil, c.fail(err)
	}
	if len(sf.nonce) <= len(c.nonce) || !strings.HasPrefix(sf.nonce, c.nonce) {
		return nil, c.fail(errNonceMismatch)
	}

	salted, err := pbkdf2.Key(sha256.New, c.password, sf.salt, sf.iterations, sha256.Size)
	if err != nil {
		return nil, c.fail(fmt.Errorf("scram: deriving salted password: %w", err))
	}
	c.password = ""
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	serverKey := hmacSHA256(salted, "Server Key")

	cbind := base64.StdEncoding.EncodeToString(append([]byte(c.gs2Header), c.cbData...))
	withoutProof := "c=" + cbind + ",r=" + sf.nonce
	c.authMessage = c.clientFirstBare() + "," + serverFirst + "," + withoutProof

	proof := hmacSHA256(storedKey[:], c.authMessage)
	for i := range proof {
		proof[i] ^= clientKey[i]
	}
	c.serverSignature = hmacSHA256(serverKey, c.authMessage)
	c.step = stepServerFinal
	return []byte(withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)), nil
}

// ServerFinal takes the server-final-message (the data of
// AuthenticationSASLFinal) and verifies the server signature in constant
// time, proving the server knows the password's verifier. A server error
// ("e=...") is returned as an error naming it. On success the exchange is
// done and Done reports true; the caller must still wait for
// AuthenticationOk.
func (c *Client) ServerFinal(msg []byte) error {
	if err := c.expect(stepServerFinal); err != nil {
		return err
	}
	sig, err := parseServerFinal(string(msg))
	if err != nil {
		return c.fail(err)
	}
	if !hmac.Equal(sig, c.serverSignature) {
		return c.fail(errServerSignature)
	}
	c.step = stepDone
	return nil
}

// Done reports whether ServerFinal verified the server. A connection must
// not treat AuthenticationOk as success for a SCRAM exchange that is not
// done: a server that skips AuthenticationSASLFinal has not proved it knows
// the password (and, for SHA256Plus, has not proved the channel binding).
func (c *Client) Done() bool {
	return c.step == stepDone
}

func (c *Client) expect(s step) error {
	switch c.step {
	case s:
		return nil
	case stepFailed:
		return errEnded
	}
	return c.fail(errOutOfOrder)
}

func (c *Client) fail(err error) error {
	c.step = stepFailed
	c.password = ""
	return err
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
