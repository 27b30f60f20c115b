package scram

import (
	"bytes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// The example exchange of RFC 7677 section 3.
const (
	rfcNonce       = "rOprNGfwEbeRWgbNEkqO"
	rfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
	rfcClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
	rfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
)

// newRFCClient returns a client set up for the RFC 7677 example: user
// "user", password "pencil", the RFC's client nonce.
func newRFCClient(t testing.TB) *Client {
	t.Helper()
	c, err := newClient(SHA256, "pencil", "", nil, false, rfcNonce)
	if err != nil {
		t.Fatalf("newClient: %v", err)
	}
	c.user = "user"
	return c
}

func TestRFC7677Vector(t *testing.T) {
	t.Parallel()
	c := newRFCClient(t)
	if got, want := string(c.ClientFirstMessage()), "n,,n=user,r="+rfcNonce; got != want {
		t.Fatalf("ClientFirstMessage = %q, want %q", got, want)
	}
	final, err := c.ServerFirst([]byte(rfcServerFirst))
	if err != nil {
		t.Fatalf("ServerFirst: %v", err)
	}
	if string(final) != rfcClientFinal {
		t.Fatalf("client-final-message = %q, want %q", final, rfcClientFinal)
	}
	if c.Done() {
		t.Fatal("Done before ServerFinal")
	}
	if err := c.ServerFinal([]byte(rfcServerFinal)); err != nil {
		t.Fatalf("ServerFinal: %v", err)
	}
	if !c.Done() {
		t.Fatal("Done = false after a verified ServerFinal")
	}
}

func TestClientFirstMessage(t *testing.T) {
	t.Parallel()
	cb := []byte{1, 2, 3}
	tests := []struct {
		mechanism string
		cbData    []byte
		supportCB bool
		prefix    string
	}{
		{SHA256, nil, false, "n,,n=,r="},
		{SHA256, nil, true, "y,,n=,r="},
		{SHA256Plus, cb, false, "p=tls-server-end-point,,n=,r="},
		{SHA256Plus, cb, true, "p=tls-server-end-point,,n=,r="},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.mechanism, "pencil", TLSServerEndPoint, tt.cbData, tt.supportCB)
		if err != nil {
			t.Fatalf("NewClient(%s, supportCB=%v): %v", tt.mechanism, tt.supportCB, err)
		}
		msg := string(c.ClientFirstMessage())
		nonce, ok := strings.CutPrefix(msg, tt.prefix)
		if !ok {
			t.Errorf("ClientFirstMessage = %q, want prefix %q", msg, tt.prefix)
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(nonce)
		if err != nil || len(raw) < 18 {
			t.Errorf("nonce %q: want base64 of at least 18 bytes (err %v)", nonce, err)
		}
		if again := string(c.ClientFirstMessage()); again != msg {
			t.Errorf("second ClientFirstMessage = %q, want %q", again, msg)
		}
	}

	a, _ := NewClient(SHA256, "pencil", "", nil, false)
	b, _ := NewClient(SHA256, "pencil", "", nil, false)
	if bytes.Equal(a.ClientFirstMessage(), b.ClientFirstMessage()) {
		t.Error("two clients chose the same nonce")
	}
}

func TestNewClientErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		mechanism string
		password  string
		cbType    string
		cbData    []byte
	}{
		{"unknown mechanism", "SCRAM-SHA-1", "pencil", "", nil},
		{"empty mechanism", "", "pencil", "", nil},
		{"empty password", SHA256, "", "", nil},
		{"plus without data", SHA256Plus, "pencil", TLSServerEndPoint, nil},
		{"plus with tls-unique", SHA256Plus, "pencil", "tls-unique", []byte{1}},
		{"plus without type", SHA256Plus, "pencil", "", []byte{1}},
		{"data without plus", SHA256, "pencil", TLSServerEndPoint, []byte{1}},
	}
	for _, tt := range tests {
		if c, err := NewClient(tt.mechanism, tt.password, tt.cbType, tt.cbData, false); err == nil {
			t.Errorf("%s: NewClient = %+v, want error", tt.name, c)
		}
	}
}

// testServer is an independent server side of RFC 5802 for round trips.
type testServer struct {
	password   string // already prepared
	salt       []byte
	iterations int
	cbInput    string // expected gs2 header + channel-binding data

	authMessage string
	serverKey   []byte
}

func (s *testServer) first(t *testing.T, clientFirst []byte) []byte {
	t.Helper()
	gs2, bare, ok := cutN(string(clientFirst), ",", 2)
	if !ok {
		t.Fatalf("client-first-message %q has no gs2 header", clientFirst)
	}
	if gs2+"," != s.cbInput[:len(gs2)+1] {
		t.Fatalf("gs2 header %q, want prefix of %q", gs2, s.cbInput)
	}
	nonce := bare[strings.Index(bare, ",r=")+3:]
	serverFirst := "r=" + nonce + "srv-nonce,s=" + base64.StdEncoding.EncodeToString(s.salt) + ",i=" + strconv.Itoa(s.iterations)
	s.authMessage = bare + "," + serverFirst
	return []byte(serverFirst)
}

func (s *testServer) final(t *testing.T, clientFinal []byte) []byte {
	t.Helper()
	msg := string(clientFinal)
	i := strings.LastIndex(msg, ",p=")
	withoutProof, proofB64 := msg[:i], msg[i+3:]
	if want := "c=" + base64.StdEncoding.EncodeToString([]byte(s.cbInput)) + ","; !strings.HasPrefix(withoutProof, want) {
		t.Fatalf("client-final-message %q, want channel binding %q", msg, want)
	}
	s.authMessage += "," + withoutProof

	salted, err := pbkdf2.Key(sha256.New, s.password, s.salt, s.iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	mac := func(key []byte, m string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(m))
		return h.Sum(nil)
	}
	clientKey := mac(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	proof, _ := base64.StdEncoding.DecodeString(proofB64)
	sig := mac(storedKey[:], s.authMessage)
	for i := range proof {
		proof[i] ^= sig[i]
	}
	if got := sha256.Sum256(proof); got != storedKey {
		t.Fatal("server: client proof does not verify")
	}
	s.serverKey = mac(salted, "Server Key")
	return []byte("v=" + base64.StdEncoding.EncodeToString(mac(s.serverKey, s.authMessage)))
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	cbData := bytes.Repeat([]byte{0xAB}, 32)
	tests := []struct {
		name      string
		mechanism string
		password  string
		prepared  string
		cbData    []byte
		supportCB bool
		cbInput   string
	}{
		{"plain", SHA256, "pencil", "pencil", nil, false, "n,,"},
		{"client supports binding", SHA256, "pencil", "pencil", nil, true, "y,,"},
		{"plus", SHA256Plus, "pencil", "pencil", cbData, false, "p=tls-server-end-point,," + string(cbData)},
		{"saslprep", SHA256, "pass\u00A0w\u00ADord", "pass word", nil, false, "n,,"},
		{"raw bytes", SHA256, "\xff\xfe", "\xff\xfe", nil, false, "n,,"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tt.mechanism, tt.password, TLSServerEndPoint, tt.cbData, tt.supportCB)
			if err != nil {
				t.Fatal(err)
			}
			s := &testServer{password: tt.prepared, salt: []byte("0123456789abcdef"), iterations: 4096, cbInput: tt.cbInput}
			final, err := c.ServerFirst(s.first(t, c.ClientFirstMessage()))
			if err != nil {
				t.Fatalf("ServerFirst: %v", err)
			}
			if err := c.ServerFinal(s.final(t, final)); err != nil {
				t.Fatalf("ServerFinal: %v", err)
			}
			if !c.Done() {
				t.Fatal("Done = false")
			}
		})
	}
}

func TestServerFirstMalformed(t *testing.T) {
	t.Parallel()
	const r = "r=" + rfcNonce + "srv"
	const s = ",s=W22ZaJ0SNY7soEsUEjb6gQ=="
	tests := []struct {
		name string
		msg  string
		want error // checked with errors.Is when set
	}{
		{"empty", "", nil},
		{"missing salt and count", r, nil},
		{"missing count", r + s, nil},
		{"missing nonce", "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", nil},
		{"fields out of order", "s=W22ZaJ0SNY7soEsUEjb6gQ==," + r + ",i=4096", nil},
		{"extension after count", r + s + ",i=4096,x=1", nil},
		{"trailing comma", r + s + ",i=4096,", nil},
		{"mandatory extension", "m=ext," + r + s + ",i=4096", nil},
		{"server error", "e=other-error", nil},
		{"wrong nonce", "r=somethingelse" + s + ",i=4096", errNonceMismatch},
		{"nonce not extended", "r=" + rfcNonce + s + ",i=4096", errNonceMismatch},
		{"nonce prefix only", "r=" + rfcNonce[:10] + s + ",i=4096", errNonceMismatch},
		{"nonce with space", "r=" + rfcNonce + "a b" + s + ",i=4096", nil},
		{"nonce with DEL", "r=" + rfcNonce + "\x7f" + s + ",i=4096", nil},
		{"empty salt", r + ",s=,i=4096", nil},
		{"bad base64 salt", r + ",s=W22ZaJ0SNY7soEsUEjb6gQ,i=4096", nil},
		{"salt with newline", r + ",s=W22ZaJ0SNY7s\noEsUEjb6gQ==,i=4096", nil},
		{"salt not base64", r + ",s=!!!!,i=4096", nil},
		{"empty count", r + s + ",i=", nil},
		{"zero count", r + s + ",i=0", nil},
		{"negative count", r + s + ",i=-1", nil},
		{"signed count", r + s + ",i=+4096", nil},
		{"count with junk", r + s + ",i=4096x", nil},
		{"hex count", r + s + ",i=0x1000", nil},
		{"count over limit", r + s + ",i=10000001", nil},
		{"huge count", r + s + ",i=99999999999999999999999", nil},
		{"lower-case key", "R=" + rfcNonce + "srv" + s + ",i=4096", nil},
		{"missing equals", "r" + rfcNonce + s + ",i=4096", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newRFCClient(t)
			out, err := c.ServerFirst([]byte(tt.msg))
			if err == nil {
				t.Fatalf("ServerFirst(%q) = %q, want error", tt.msg, out)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("ServerFirst(%q) = %v, want %v", tt.msg, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "scram: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if _, err := c.ServerFirst([]byte(rfcServerFirst)); !errors.Is(err, errEnded) {
				t.Errorf("ServerFirst after failure = %v, want %v", err, errEnded)
			}
			if err := c.ServerFinal([]byte(rfcServerFinal)); !errors.Is(err, errEnded) || c.Done() {
				t.Errorf("ServerFinal after failure = %v, Done %v; want %v, false", err, c.Done(), errEnded)
			}
		})
	}
}

func TestIterationCountBounds(t *testing.T) {
	t.Parallel()
	// PostgreSQL allows scram_iterations = 1, so the client must too.
	c := newRFCClient(t)
	if _, err := c.ServerFirst([]byte("r=" + rfcNonce + "srv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1")); err != nil {
		t.Errorf("i=1: %v", err)
	}
	// The upper limit itself is accepted; lower maxIterations to test that
	// without ten million PBKDF2 rounds.
	c = newRFCClient(t)
	c.maxIterations = 5000
	if _, err := c.ServerFirst([]byte("r=" + rfcNonce + "srv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=5000")); err != nil {
		t.Errorf("i=max: %v", err)
	}
	c = newRFCClient(t)
	c.maxIterations = 5000
	if _, err := c.ServerFirst([]byte("r=" + rfcNonce + "srv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=5001")); err == nil {
		t.Error("i=max+1 accepted")
	}
	if defaultMaxIterations != 10_000_000 {
		t.Errorf("defaultMaxIterations = %d", defaultMaxIterations)
	}
}

func TestServerFinalMalformed(t *testing.T) {
	t.Parallel()
	wrongSig := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0}, 32))
	tests := []struct {
		name string
		msg  string
		want error
	}{
		{"empty", "", nil},
		{"empty signature", "v=", errServerSignature},
		{"wrong signature", "v=" + wrongSig, errServerSignature},
		{"truncated signature", rfcServerFinal[:len(rfcServerFinal)-4], errServerSignature},
		{"bad base64", "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4", nil},
		{"not base64", "v=!!!!", nil},
		{"extension", rfcServerFinal + ",x=1", nil},
		{"wrong key", "w" + rfcServerFinal[1:], nil},
		{"server error", "e=invalid-proof", nil},
		{"empty server error", "e=", nil},
		{"client message echoed", rfcClientFinal, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newRFCClient(t)
			if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
				t.Fatal(err)
			}
			err := c.ServerFinal([]byte(tt.msg))
			if err == nil {
				t.Fatalf("ServerFinal(%q) succeeded, want error", tt.msg)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("ServerFinal(%q) = %v, want %v", tt.msg, err, tt.want)
			}
			if c.Done() {
				t.Error("Done after a failed ServerFinal")
			}
			if err := c.ServerFinal([]byte(rfcServerFinal)); !errors.Is(err, errEnded) {
				t.Errorf("ServerFinal after failure = %v, want %v", err, errEnded)
			}
		})
	}
}

func TestServerErrorMessage(t *testing.T) {
	t.Parallel()
	c := newRFCClient(t)
	if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
		t.Fatal(err)
	}
	err := c.ServerFinal([]byte("e=invalid-proof"))
	if err == nil || !strings.Contains(err.Error(), `"invalid-proof"`) || !strings.Contains(err.Error(), "password is wrong") {
		t.Errorf("ServerFinal(e=invalid-proof) = %v, want the error named with a hint", err)
	}
	long := "e=" + strings.Repeat("\x00x", 1000)
	c = newRFCClient(t)
	if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
		t.Fatal(err)
	}
	if err := c.ServerFinal([]byte(long)); err == nil || len(err.Error()) > 300 || strings.ContainsRune(err.Error(), 0) {
		t.Errorf("ServerFinal(long e=) = %q, want a short, quoted error", err)
	}
}

func TestOutOfOrder(t *testing.T) {
	t.Parallel()
	c := newRFCClient(t)
	if err := c.ServerFinal([]byte(rfcServerFinal)); !errors.Is(err, errOutOfOrder) {
		t.Errorf("ServerFinal before ServerFirst = %v, want %v", err, errOutOfOrder)
	}

	c = newRFCClient(t)
	if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ServerFirst([]byte(rfcServerFirst)); !errors.Is(err, errOutOfOrder) {
		t.Errorf("second ServerFirst = %v, want %v", err, errOutOfOrder)
	}

	c = newRFCClient(t)
	if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
		t.Fatal(err)
	}
	if err := c.ServerFinal([]byte(rfcServerFinal)); err != nil {
		t.Fatal(err)
	}
	if err := c.ServerFinal([]byte(rfcServerFinal)); !errors.Is(err, errOutOfOrder) {
		t.Errorf("second ServerFinal = %v, want %v", err, errOutOfOrder)
	}
}

func TestEncodeSASLName(t *testing.T) {
	t.Parallel()
	if got, want := encodeSASLName("a=b,c"), "a=3Db=2Cc"; got != want {
		t.Errorf("encodeSASLName = %q, want %q", got, want)
	}
}

func cutN(s, sep string, n int) (before, after string, ok bool) {
	i := 0
	for range n {
		j := strings.Index(s[i:], sep)
		if j < 0 {
			return "", "", false
		}
		i += j + len(sep)
	}
	return s[:i-len(sep)], s[i:], true
}
