package pgproto

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stream concatenates encoded messages.
func stream(msgs ...Message) []byte {
	var b []byte
	for _, m := range msgs {
		b = append(b, mustEncode(m)...)
	}
	return b
}

// readAll reads messages until an error and returns their parsed forms.
func readAll(t *testing.T, rd *Reader) ([]BackendMessage, error) {
	t.Helper()
	var out []BackendMessage
	for {
		typ, body, err := rd.ReadMessage()
		if err != nil {
			return out, err
		}
		m, perr := ParseBackend(typ, body)
		require.NoError(t, perr)
		// Re-encode now: the body is only valid until the next read.
		wire := mustEncode(m)
		m, perr = ParseBackend(wire[0], wire[5:])
		require.NoError(t, perr)
		out = append(out, m)
	}
}

func TestReaderStreams(t *testing.T) {
	t.Parallel()
	msgs := []Message{
		&RowDescription{Fields: []FieldDescription{{Name: "a", DataTypeOID: 25, DataTypeSize: -1, TypeModifier: -1}}},
		&DataRow{Values: [][]byte{bytes.Repeat([]byte("x"), 300)}},
		&DataRow{Values: [][]byte{nil}},
		&CommandComplete{CommandTag: []byte("SELECT 2")},
		&ReadyForQuery{TxStatus: 'I'},
	}
	wire := stream(msgs...)
	readers := map[string]func(io.Reader) io.Reader{
		"plain":        func(r io.Reader) io.Reader { return r },
		"one byte":     iotest.OneByteReader,
		"half":         iotest.HalfReader,
		"data+EOF":     iotest.DataErrReader,
		"one byte+EOF": func(r io.Reader) io.Reader { return iotest.DataErrReader(iotest.OneByteReader(r)) },
	}
	for name, wrap := range readers {
		for _, bufSize := range []int{0, 1, 7, 64, 1024} {
			rd := NewReader(wrap(bytes.NewReader(wire)), bufSize)
			got, err := readAll(t, rd)
			assert.ErrorIs(t, err, io.EOF, "%s/%d", name, bufSize)
			assert.False(t, errors.Is(err, io.ErrUnexpectedEOF))
			require.Len(t, got, len(msgs), "%s/%d", name, bufSize)
			for i := range msgs {
				assert.Equal(t, msgs[i], got[i], "%s/%d message %d", name, bufSize, i)
			}
		}
	}
}

func TestReaderTruncated(t *testing.T) {
	t.Parallel()
	wire := stream(&CommandComplete{CommandTag: []byte("SELECT 1")}, &ReadyForQuery{TxStatus: 'I'})
	for n := 1; n < len(wire); n++ {
		if n == 14 { // exactly the first message
			continue
		}
		rd := NewReader(bytes.NewReader(wire[:n]), 0)
		var err error
		for err == nil {
			_, _, err = rd.ReadMessage()
		}
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", n)
	}
	rd := NewReader(bytes.NewReader(wire[:14]), 0)
	_, _, err := rd.ReadMessage()
	require.NoError(t, err)
	_, _, err = rd.ReadMessage()
	assert.Equal(t, io.EOF, err, "clean end between messages")

	_, _, err = NewReader(bytes.NewReader(nil), 0).ReadMessage()
	assert.Equal(t, io.EOF, err, "empty stream")
}

func TestReaderBadLength(t *testing.T) {
	t.Parallel()
	for _, header := range []string{"D\x00\x00\x00\x03", "D\x00\x00\x00\x00", "D\xff\xff\xff\xff", "D\x80\x00\x00\x00"} {
		rd := NewReader(bytes.NewReader([]byte(header+"rest")), 0)
		typ, body, err := rd.ReadMessage()
		requireProtocolError(t, err, "%q", header)
		assert.Equal(t, byte('D'), typ)
		assert.Nil(t, body)
	}
	for _, header := range []string{"\x00\x00\x00\x07\x00\x03\x00", "\x00\x00\x00\x00", "\xff\xff\xff\xf0"} {
		_, err := NewReader(bytes.NewReader([]byte(header+"rest")), 0).ReadStartupMessage()
		requireProtocolError(t, err, "%q", header)
	}
}

// TestReaderOversize checks that a declared length over the bound fails
// before anything is allocated for it, and that a huge length within the
// bound does not allocate ahead of the data either.
func TestReaderOversize(t *testing.T) {
	t.Parallel()
	rd := NewReader(bytes.NewReader([]byte("D\x3f\xff\xff\xffabc")), 128)
	rd.SetMaxMessageSize(1 << 20)
	typ, _, err := rd.ReadMessage()
	var tooLarge *MessageTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, &MessageTooLargeError{Type: 'D', Size: 0x3fffffff, Max: 1 << 20}, tooLarge)
	assert.Equal(t, byte('D'), typ)
	assert.Contains(t, err.Error(), "'D'")
	assert.Len(t, rd.buf, 128, "buffer must not grow for a rejected message")

	// Over the default bound of 1 GiB.
	rd = NewReader(bytes.NewReader([]byte("D\x40\x00\x00\x01")), 0)
	_, _, err = rd.ReadMessage()
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, DefaultMaxMessageSize, tooLarge.Max)

	// Within the default bound but the data never comes: the buffer grows
	// only with the bytes that arrive.
	rd = NewReader(bytes.NewReader(append([]byte("D\x3f\xff\xff\xff"), make([]byte, 1000)...)), 64)
	_, _, err = rd.ReadMessage()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.LessOrEqual(t, len(rd.buf), 2048)

	// Startup packets: Type 0.
	rd = NewReader(bytes.NewReader([]byte("\x00\x01\x00\x00\x00\x03\x00\x00")), 0)
	rd.SetMaxMessageSize(10000)
	_, err = rd.ReadStartupMessage()
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, &MessageTooLargeError{Size: 0x10000, Max: 10000}, tooLarge)
	assert.Contains(t, err.Error(), "startup packet")

	// SetMaxMessageSize(0) restores the default.
	rd.SetMaxMessageSize(0)
	assert.Equal(t, DefaultMaxMessageSize, rd.maxSize)
}

// TestReaderGrowAndShrink reads a message larger than the buffer, then enough
// small ones for the grown buffer to be released.
func TestReaderGrowAndShrink(t *testing.T) {
	t.Parallel()
	big := &CopyData{Data: bytes.Repeat([]byte("0123456789"), 1000)}
	small := &CopyData{Data: []byte("row\n")}
	msgs := []Message{small, big, big}
	for range shrinkAfter + 3 {
		msgs = append(msgs, small)
	}
	rd := NewReader(iotest.HalfReader(bytes.NewReader(stream(msgs...))), 256)
	for i, want := range msgs {
		typ, body, err := rd.ReadMessage()
		require.NoError(t, err, "message %d", i)
		assert.Equal(t, MsgCopyData, typ)
		assert.Equal(t, want.(*CopyData).Data, body, "message %d", i)
		switch {
		case i == 1:
			assert.GreaterOrEqual(t, len(rd.buf), 10005)
		case i == 1+shrinkAfter+2:
			// The shrink happens at the read after the 64th fitting message.
			assert.Len(t, rd.buf, 256, "grown buffer released")
		}
	}
	_, _, err := rd.ReadMessage()
	assert.Equal(t, io.EOF, err)
}

// TestReaderResumesAfterError interrupts a message with a transient error,
// as a read deadline would, and expects the retry to continue the message.
func TestReaderResumesAfterError(t *testing.T) {
	t.Parallel()
	wire := stream(&DataRow{Values: [][]byte{[]byte("hello"), []byte("world")}}, &ReadyForQuery{TxStatus: 'T'})
	errTimeout := errors.New("i/o timeout")
	rd := NewReader(&scriptedReader{steps: []step{
		{data: wire[:3]},
		{err: errTimeout},
		{data: wire[3:9], err: errTimeout},
		{data: wire[9:]},
	}}, 0)
	_, _, err := rd.ReadMessage()
	assert.Equal(t, errTimeout, err)
	_, _, err = rd.ReadMessage()
	assert.Equal(t, errTimeout, err)
	typ, body, err := rd.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, MsgDataRow, typ)
	var row DataRow
	require.NoError(t, row.Decode(body))
	assert.Equal(t, [][]byte{[]byte("hello"), []byte("world")}, row.Values)
	typ, _, err = rd.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, MsgReadyForQuery, typ)
	_, _, err = rd.ReadMessage()
	assert.Equal(t, io.EOF, err)
}

// TestReaderHeldBackError: an error returned together with enough data is
// reported on the next read that needs more.
func TestReaderHeldBackError(t *testing.T) {
	t.Parallel()
	wire := stream(&Sync{})
	boom := errors.New("boom")
	rd := NewReader(&scriptedReader{steps: []step{{data: append(bytes.Clone(wire), 'Z'), err: boom}}}, 0)
	typ, _, err := rd.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, MsgSync, typ)
	_, _, err = rd.ReadMessage()
	assert.Equal(t, boom, err)
	assert.Equal(t, 1, rd.Buffered())
}

func TestReaderNoProgress(t *testing.T) {
	t.Parallel()
	_, _, err := NewReader(zeroReader{}, 0).ReadMessage()
	assert.Equal(t, io.ErrNoProgress, err)
}

func TestReaderInvalidCount(t *testing.T) {
	t.Parallel()
	_, _, err := NewReader(badCountReader{}, 0).ReadMessage()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid count")
}

// TestReaderSSLNegotiation plays the client side of an SSLRequest: ReadByte
// must take exactly the answer and leave the rest unread.
func TestReaderSSLNegotiation(t *testing.T) {
	t.Parallel()
	src := bytes.NewReader([]byte("Sinjected"))
	rd := NewReader(src, 0)
	b, err := rd.ReadByte()
	require.NoError(t, err)
	assert.Equal(t, byte('S'), b)
	assert.Equal(t, 0, rd.Buffered(), "ReadByte must not read ahead")
	assert.Equal(t, 8, src.Len())

	// Bytes already buffered (here: by a ReadMessage that read ahead) are
	// visible through Buffered, which is how the connection detects them.
	rd = NewReader(bytes.NewReader(append(stream(&NoData{}), "Nextra"...)), 0)
	_, _, err = rd.ReadMessage()
	require.NoError(t, err)
	b, err = rd.ReadByte()
	require.NoError(t, err)
	assert.Equal(t, byte('N'), b)
	assert.Equal(t, 5, rd.Buffered())

	_, err = NewReader(bytes.NewReader(nil), 0).ReadByte()
	assert.Equal(t, io.EOF, err)
}

// TestReaderServerSide reads a startup packet then typed messages, as a
// server or proxy does.
func TestReaderServerSide(t *testing.T) {
	t.Parallel()
	startup := &StartupMessage{ProtocolVersion: ProtocolVersion30, Parameters: map[string]string{"user": "u"}}
	wire := stream(&SSLRequest{}, startup, &Query{String: "SELECT 1"}, &Terminate{})
	rd := NewReader(iotest.OneByteReader(bytes.NewReader(wire)), 16)

	body, err := rd.ReadStartupMessage()
	require.NoError(t, err)
	m, err := ParseStartup(body)
	require.NoError(t, err)
	assert.Equal(t, &SSLRequest{}, m)

	body, err = rd.ReadStartupMessage()
	require.NoError(t, err)
	m, err = ParseStartup(body)
	require.NoError(t, err)
	assert.Equal(t, startup, m)

	for _, want := range []FrontendMessage{&Query{String: "SELECT 1"}, &Terminate{}} {
		typ, body, err := rd.ReadMessage()
		require.NoError(t, err)
		m, err := ParseFrontend(typ, body)
		require.NoError(t, err)
		assert.Equal(t, want, m)
	}
	_, err = rd.ReadStartupMessage()
	assert.Equal(t, io.EOF, err)
	_, err = NewReader(bytes.NewReader([]byte{0, 0, 0, 8, 0, 3}), 0).ReadStartupMessage()
	assert.Equal(t, io.ErrUnexpectedEOF, err)
}

func TestReaderReset(t *testing.T) {
	t.Parallel()
	big := stream(&CopyData{Data: make([]byte, 1000)})
	rd := NewReader(bytes.NewReader(append(big, stream(&Sync{})...)), 32)
	_, _, err := rd.ReadMessage()
	require.NoError(t, err)
	require.Greater(t, len(rd.buf), 32)
	rd.SetMaxMessageSize(5000)

	rd.Reset(bytes.NewReader(stream(&Flush{})))
	assert.Equal(t, 0, rd.Buffered(), "buffered data discarded")
	assert.Len(t, rd.buf, 32, "grown buffer released")
	assert.Equal(t, 5000, rd.maxSize, "bound kept")
	typ, _, err := rd.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, MsgFlush, typ)
}

type step struct {
	data []byte
	err  error
}

// scriptedReader returns one step per Read call, then io.EOF.
type scriptedReader struct{ steps []step }

func (s *scriptedReader) Read(p []byte) (int, error) {
	if len(s.steps) == 0 {
		return 0, io.EOF
	}
	st := &s.steps[0]
	n := copy(p, st.data)
	st.data = st.data[n:]
	if len(st.data) > 0 {
		return n, nil
	}
	err := st.err
	s.steps = s.steps[1:]
	return n, err
}

// zeroReader returns (0, nil) forever.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

type badCountReader struct{}

func (badCountReader) Read(p []byte) (int, error) { return len(p) + 1, nil }
