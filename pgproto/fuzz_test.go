package pgproto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/iotest"
)

// Seed corpora: f.Add seeds come from allMessages and the recorded session;
// testdata/fuzz/<FuzzName>/ holds a few more in the `go test fuzz v1` format
// (regenerate with PGPROTO_WRITE_FUZZ_SEEDS=1 go test -run TestWriteFuzzSeeds)
// plus any crashers found, kept as regression tests.

const fuzzMaxMessageSize = 4096

// checkDecodeError fails unless err is one of the errors Decode may return.
func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("decode error of type %T, want *ProtocolError: %v", err, err)
	}
}

// checkReencode encodes a successfully decoded message, which must work, and
// parses it back with parse, which must give an equal message and the same
// bytes again.
func checkReencode(t *testing.T, m Message, parse func(wire []byte) (Message, error)) {
	t.Helper()
	wire, err := m.Encode(nil)
	if err != nil {
		t.Fatalf("%T decoded but does not re-encode: %v\n%#v", m, err, m)
	}
	m2, err := parse(wire)
	if err != nil {
		t.Fatalf("%T re-encoded as %q does not parse: %v", m, wire, err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("%T changed in a round trip:\n%#v\n%#v", m, m, m2)
	}
	wire2, err := m2.Encode(nil)
	if err != nil || !bytes.Equal(wire, wire2) {
		t.Fatalf("%T encoding is not stable: %q vs %q (%v)", m, wire, wire2, err)
	}
}

// checkReuse decodes body into reused, a value that already holds data, and
// expects the same wire form as the fresh decode fresh.
func checkReuse(t *testing.T, reused Message, body []byte, fresh Message) {
	t.Helper()
	if err := reused.Decode(body); err != nil {
		t.Fatalf("%T: reused value fails to decode what a fresh one decoded: %v", reused, err)
	}
	a, errA := reused.Encode(nil)
	b, errB := fresh.Encode(nil)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Fatalf("%T: reused value decodes differently: %q vs %q", reused, a, b)
	}
}

func reparseBackend(wire []byte) (Message, error) { return ParseBackend(wire[0], wire[5:]) }

func reparseFrontend(wire []byte) (Message, error) { return ParseFrontend(wire[0], wire[5:]) }

func reparseStartup(wire []byte) (Message, error) { return ParseStartup(wire[4:]) }

// reparseAs decodes wire's body into a fresh value of m's type.
func reparseAs(m Message) func([]byte) (Message, error) {
	return func(wire []byte) (Message, error) {
		m2 := reflect.New(reflect.TypeOf(m).Elem()).Interface().(Message)
		return m2, m2.Decode(wire[5:])
	}
}

// sessionMessages splits a recorded stream into (type, body) pairs.
func sessionMessages(tb testing.TB, file string, startup bool) (types []byte, bodies [][]byte) {
	wire, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	rd := NewReader(bytes.NewReader(wire), 0)
	if startup {
		body, err := rd.ReadStartupMessage()
		if err != nil {
			tb.Fatal(err)
		}
		types, bodies = append(types, 0), append(bodies, bytes.Clone(body))
	}
	for {
		typ, body, err := rd.ReadMessage()
		if err == io.EOF {
			return types, bodies
		}
		if err != nil {
			tb.Fatal(err)
		}
		types, bodies = append(types, typ), append(bodies, bytes.Clone(body))
	}
}

func FuzzParseBackend(f *testing.F) {
	for _, tm := range allMessages() {
		if tm.dir == toClient {
			wire := mustEncode(tm.msg)
			f.Add(wire[0], wire[5:])
		}
	}
	types, bodies := sessionMessages(f, "testdata/session.bin", false)
	for i := range types {
		f.Add(types[i], bodies[i])
	}
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		body = append([]byte{}, body...) // never nil, as from a Reader
		m, err := ParseBackend(typ, body)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		checkReencode(t, m, reparseBackend)

		if typ == MsgDataRow {
			checkReuse(t, &DataRow{Values: make([][]byte, 3, 8)}, body, m)
		}
	})
}

func FuzzParseFrontend(f *testing.F) {
	for _, tm := range allMessages() {
		wire := mustEncode(tm.msg)
		switch tm.dir {
		case toServer:
			f.Add(wire[0], wire[5:])
		case toStartup:
			f.Add(byte(0), wire[4:])
		}
	}
	types, bodies := sessionMessages(f, "testdata/frontend_session.bin", true)
	for i := range types {
		f.Add(types[i], bodies[i])
	}
	f.Fuzz(func(t *testing.T, typ byte, body []byte) {
		body = append([]byte{}, body...)
		// Every input is also tried as a startup packet body.
		if m, err := ParseStartup(body); err != nil {
			checkDecodeError(t, err)
		} else {
			checkReencode(t, m, reparseStartup)
		}
		m, err := ParseFrontend(typ, body)
		if err != nil {
			checkDecodeError(t, err)
		} else {
			checkReencode(t, m, reparseFrontend)
		}
		if typ == MsgPassword {
			// The other readings of 'p' that only context can choose.
			for _, m := range []Message{&SASLInitialResponse{}, &SASLResponse{}, &GSSResponse{}} {
				if err := m.Decode(body); err != nil {
					checkDecodeError(t, err)
					continue
				}
				checkReencode(t, m, reparseAs(m))
			}
		}
		if typ == MsgBind && err == nil {
			checkReuse(t, &Bind{Parameters: make([][]byte, 2, 4), ParameterFormatCodes: []int16{9}}, body, m)
		}
	})
}

// FuzzReader runs an arbitrary byte stream through a Reader with a small
// buffer and a small size bound, decoding every message it frames. mode
// picks the direction, whether a startup packet comes first, how the
// underlying reader splits its data, and the buffer size.
func FuzzReader(f *testing.F) {
	var backend, frontend []byte
	for _, tm := range allMessages() {
		switch tm.dir {
		case toClient:
			backend = append(backend, mustEncode(tm.msg)...)
		case toServer:
			frontend = append(frontend, mustEncode(tm.msg)...)
		}
	}
	startup := mustEncode(&StartupMessage{Parameters: map[string]string{"user": "u"}})
	session, _ := os.ReadFile("testdata/session.bin")
	frontendSession, _ := os.ReadFile("testdata/frontend_session.bin")
	f.Add(byte(0x00), backend)
	f.Add(byte(0x31), backend)
	f.Add(byte(0xf2), session)
	f.Add(byte(0x0c), append(bytes.Clone(startup), frontend...))
	f.Add(byte(0x2d), frontendSession)
	f.Add(byte(0x00), []byte("D\x00\x00\x10\x00"))
	f.Add(byte(0x00), []byte("Z\x00\x00\x00\x03"))
	f.Fuzz(func(t *testing.T, mode byte, data []byte) {
		var src io.Reader = bytes.NewReader(data)
		if mode&1 != 0 {
			src = iotest.OneByteReader(src)
		}
		if mode&2 != 0 {
			src = iotest.DataErrReader(src)
		}
		isFrontend := mode&4 != 0
		rd := NewReader(src, int(mode>>4)*3+1)
		rd.SetMaxMessageSize(fuzzMaxMessageSize)

		off := 0
		checkErr := func(err error) {
			t.Helper()
			var pe *ProtocolError
			var tl *MessageTooLargeError
			switch {
			case err == io.EOF:
				if off != len(data) {
					t.Fatalf("io.EOF at offset %d of %d", off, len(data))
				}
			case err == io.ErrUnexpectedEOF:
				if off >= len(data) {
					t.Fatalf("io.ErrUnexpectedEOF at the end of the data")
				}
			case errors.As(err, &pe):
			case errors.As(err, &tl):
				if tl.Size <= fuzzMaxMessageSize || tl.Max != fuzzMaxMessageSize {
					t.Fatalf("bad MessageTooLargeError %+v", tl)
				}
			default:
				t.Fatalf("unexpected error %T: %v", err, err)
			}
		}
		checkFrame := func(headerLen int, body []byte) {
			t.Helper()
			off += headerLen + len(body)
			if off > len(data) || !bytes.Equal(data[off-len(body):off], body) {
				t.Fatalf("framed body does not match the stream at offset %d", off)
			}
			if len(body) > fuzzMaxMessageSize || cap(body) != len(body) {
				t.Fatalf("body of len %d cap %d", len(body), cap(body))
			}
		}

		if mode&8 != 0 {
			body, err := rd.ReadStartupMessage()
			if err != nil {
				checkErr(err)
				return
			}
			checkFrame(4, body)
			if m, err := ParseStartup(body); err != nil {
				checkDecodeError(t, err)
			} else {
				checkReencode(t, m, reparseStartup)
			}
		}
		var row DataRow
		for {
			typ, body, err := rd.ReadMessage()
			if err != nil {
				checkErr(err)
				return
			}
			checkFrame(5, body)
			var m Message
			if isFrontend {
				m, err = ParseFrontend(typ, body)
			} else {
				m, err = ParseBackend(typ, body)
			}
			if err != nil {
				checkDecodeError(t, err)
				continue
			}
			if isFrontend {
				checkReencode(t, m, reparseFrontend)
			} else {
				checkReencode(t, m, reparseBackend)
			}
			if typ == MsgDataRow && !isFrontend {
				if err := row.Decode(body); err != nil {
					t.Fatalf("reused DataRow: %v", err)
				}
			}
		}
	})
}

// TestWriteFuzzSeeds writes the checked-in seed files. It is skipped unless
// PGPROTO_WRITE_FUZZ_SEEDS is set.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("PGPROTO_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set PGPROTO_WRITE_FUZZ_SEEDS=1 to regenerate testdata/fuzz seeds")
	}
	write := func(target, name string, args ...any) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.WriteString("go test fuzz v1\n")
		for _, a := range args {
			switch v := a.(type) {
			case byte:
				fmt.Fprintf(&b, "byte(%q)\n", v)
			case []byte:
				fmt.Fprintf(&b, "[]byte(%q)\n", v)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "seed_"+name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	body := func(m Message) (byte, []byte) { w := mustEncode(m); return w[0], w[5:] }

	typ, b := body(threeColumnRow)
	write("FuzzParseBackend", "data_row", typ, b)
	types, bodies := sessionMessages(t, "testdata/session.bin", false)
	for i := range types {
		if types[i] == MsgErrorResponse {
			write("FuzzParseBackend", "error_response_real", types[i], bodies[i])
			break
		}
	}
	typ, b = body(&AuthenticationSASL{Mechanisms: []string{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"}})
	write("FuzzParseBackend", "authentication_sasl", typ, b)
	typ, b = body(&RowDescription{Fields: []FieldDescription{{Name: "id", DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1}}})
	write("FuzzParseBackend", "row_description", typ, b)
	write("FuzzParseBackend", "data_row_count_too_big", MsgDataRow, []byte("\xff\xff\x00\x00\x00\x00"))

	typ, b = body(&Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 1}, nil}, ResultFormatCodes: []int16{1}})
	write("FuzzParseFrontend", "bind", typ, b)
	typ, b = body(&SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=abc")})
	write("FuzzParseFrontend", "sasl_initial_response", typ, b)
	w := mustEncode(&StartupMessage{Parameters: map[string]string{"user": "u", "database": "d"}})
	write("FuzzParseFrontend", "startup_message", byte(0), w[4:])
	w = mustEncode(&CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4, 5, 6, 7, 8}})
	write("FuzzParseFrontend", "cancel_request_3_2", byte(0), w[4:])

	session, err := os.ReadFile("testdata/session.bin")
	if err != nil {
		t.Fatal(err)
	}
	write("FuzzReader", "session_head", byte(0x31), session[:min(len(session), 600)])
	write("FuzzReader", "startup_then_query", byte(0x0c), stream(&StartupMessage{Parameters: map[string]string{"user": "u"}}, &Query{String: "SELECT 1"}, &Terminate{}))
	write("FuzzReader", "too_large", byte(0x00), []byte("D\x00\x10\x00\x00"))
	write("FuzzReader", "negative_length", byte(0x00), []byte("D\xff\xff\xff\xffxx"))
}
