package pg_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgproto"
)

// fakeServer accepts one connection at a time, refuses SSLRequest, reads
// the StartupMessage and runs script, for the server behaviour a real
// PostgreSQL never shows: methods pg does not implement, and servers that
// try to skip parts of authentication. (Everything a real server does is
// tested against one.)
func fakeServer(t *testing.T, script func(c net.Conn) error) uint16 {
	t.Helper()
	return fakeServerRaw(t, func(c net.Conn) error {
		for {
			body, err := readPacket(c)
			if err != nil {
				return err
			}
			if binary.BigEndian.Uint32(body) == pgproto.SSLRequestCode {
				if _, err := c.Write([]byte{'N'}); err != nil {
					return err
				}
				continue
			}
			return script(c)
		}
	})
}

// fakeServerRaw accepts one connection at a time and hands it to script
// from its first byte.
func fakeServerRaw(t *testing.T, script func(c net.Conn) error) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
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
			func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				if err := script(c); err != nil && !errors.Is(err, io.EOF) {
					t.Log("fake server:", err)
				}
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

// readPacket reads a length-prefixed startup packet and returns its body.
func readPacket(c net.Conn) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return nil, err
	}
	l := binary.BigEndian.Uint32(n[:])
	if l < 8 || l > 10000 {
		return nil, errors.New("bad packet length")
	}
	body := make([]byte, l-4)
	_, err := io.ReadFull(c, body)
	return body, err
}

// readMessage reads one typed frontend message.
func readMessage(c net.Conn) (byte, []byte, error) {
	var h [5]byte
	if _, err := io.ReadFull(c, h[:]); err != nil {
		return 0, nil, err
	}
	body := make([]byte, binary.BigEndian.Uint32(h[1:])-4)
	_, err := io.ReadFull(c, body)
	return h[0], body, err
}

func send(c net.Conn, msgs ...interface{ Encode([]byte) ([]byte, error) }) error {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			return err
		}
	}
	_, err := c.Write(b)
	return err
}

func fakeConfig(port uint16) *pg.Config {
	return &pg.Config{
		Hosts: []pg.Host{{Host: "127.0.0.1", Port: port}}, User: "u", Password: "secret",
		Database: "postgres", SSLMode: "prefer", Passfile: noPassfile,
	}
}

// rawMessage is a backend message given as its type and body bytes, for
// requests pgproto has no type for.
type rawMessage struct {
	typ  byte
	body []byte
}

func (m rawMessage) Encode(dst []byte) ([]byte, error) {
	dst = append(dst, m.typ, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(dst[len(dst)-4:], uint32(4+len(m.body)))
	return append(dst, m.body...), nil
}

// TestUnsupportedAuthMethods: GSSAPI, SSPI, Kerberos, SCM credentials,
// unknown request codes and SASL mechanisms other than SCRAM get an error
// that names the method and wraps ErrAuthUnsupported, and the client
// sends nothing in reply: it hangs up.
func TestUnsupportedAuthMethods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		msg  interface{ Encode([]byte) ([]byte, error) }
		want string
	}{
		{"GSSAPI", &pgproto.AuthenticationGSS{}, "asks for GSSAPI authentication, which pg does not implement"},
		{"SSPI", &pgproto.AuthenticationSSPI{}, "asks for SSPI authentication, which pg does not implement"},
		{"Kerberos V5", &pgproto.AuthenticationKerberosV5{}, "asks for Kerberos V5 authentication, which pg does not implement"},
		{"Kerberos V4", rawMessage{'R', []byte{0, 0, 0, 1}}, "Kerberos V4 authentication (request code 1)"},
		{"crypt", rawMessage{'R', []byte{0, 0, 0, 4, 'a', 'b'}}, "crypt() password authentication (request code 4)"},
		{"SCM credentials", rawMessage{'R', []byte{0, 0, 0, 6}}, "SCM credential authentication (request code 6)"},
		{"unknown code", rawMessage{'R', []byte{0, 0, 0, 99}}, "unknown authentication method (request code 99)"},
		{"OAUTHBEARER", &pgproto.AuthenticationSASL{Mechanisms: []string{"OAUTHBEARER"}}, `SASL mechanisms ["OAUTHBEARER"], none of which pg implements`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			replies := make(chan error, 1)
			port := fakeServer(t, func(c net.Conn) error {
				if err := send(c, tc.msg); err != nil {
					return err
				}
				var b [1]byte
				_, err := c.Read(b[:])
				replies <- err
				return nil
			})
			cfg := fakeConfig(port)
			var asked atomic.Int32
			cfg.PasswordFunc = func(context.Context, pg.Host) (string, error) { asked.Add(1); return "secret", nil }
			_, err := pg.ConnectConfig(ctxT(t), cfg)
			require.Error(t, err)
			assert.ErrorIs(t, err, pg.ErrAuthUnsupported)
			assert.Contains(t, err.Error(), tc.want)
			assert.ErrorIs(t, <-replies, io.EOF, "the client sent something in reply")
			assert.Zero(t, asked.Load(), "no password was fetched")
		})
	}
}

// TestServerSkippingSCRAMProof: a server that answers the client's proof
// with AuthenticationOk instead of its own signature (SASLFinal) has not
// shown it knows the password — it may be an impostor — and is refused.
// So is a server that skips authentication when the client demanded it.
func TestServerSkippingSCRAMProof(t *testing.T) {
	t.Parallel()
	port := fakeServer(t, func(c net.Conn) error {
		if err := send(c, &pgproto.AuthenticationSASL{Mechanisms: []string{"SCRAM-SHA-256"}}); err != nil {
			return err
		}
		_, body, err := readMessage(c) // SASLInitialResponse
		if err != nil {
			return err
		}
		i := strings.Index(string(body), "r=")
		if i < 0 {
			return errors.New("no nonce in client-first-message")
		}
		nonce := string(body[i+2:])
		serverFirst := "r=" + nonce + "srv,s=c2FsdHNhbHQ=,i=4096"
		if err := send(c, &pgproto.AuthenticationSASLContinue{Data: []byte(serverFirst)}); err != nil {
			return err
		}
		if _, _, err := readMessage(c); err != nil { // SASLResponse with the proof
			return err
		}
		return send(c, &pgproto.AuthenticationOk{}, &pgproto.ReadyForQuery{TxStatus: 'I'})
	})
	_, err := pg.ConnectConfig(ctxT(t), fakeConfig(port))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AuthenticationOk during SASL exchange")

	trusting := fakeServer(t, func(c net.Conn) error {
		return send(c, &pgproto.AuthenticationOk{}, &pgproto.ReadyForQuery{TxStatus: 'I'})
	})
	cfg := fakeConfig(trusting)
	cfg.RequireAuth = "scram-sha-256"
	_, err = pg.ConnectConfig(ctxT(t), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "require_auth=scram-sha-256, but the server did not ask for authentication")
}
