package pgproto

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkIndexMatchesDataRow is the fast path's contract: DataRowIndex
// accepts exactly the bodies DataRow accepts, with the same error text,
// and yields the same values (nil for NULL, empty for empty, capacity
// clipped, aliasing the body).
func checkIndexMatchesDataRow(t *testing.T, idx *DataRowIndex, body []byte) {
	t.Helper()
	var row DataRow
	errRow := row.Decode(body)
	errIdx := idx.Index(body)
	if errRow != nil || errIdx != nil {
		require.Error(t, errRow, "DataRowIndex refused what DataRow took: %x", body)
		require.Error(t, errIdx, "DataRowIndex took what DataRow refused: %x", body)
		require.Equal(t, errRow.Error(), errIdx.Error(), "%x", body)
		checkDecodeError(t, errIdx)
		return
	}
	require.Equal(t, len(row.Values), idx.Len())
	for i, want := range row.Values {
		got := idx.Value(i)
		require.Equal(t, want == nil, got == nil, "column %d: NULL-ness", i)
		require.Equal(t, want, got, "column %d", i)
		require.Equal(t, len(got), cap(got), "column %d: capacity clipped", i)
		if len(got) > 0 {
			require.Same(t, &want[0], &got[0], "column %d aliases the body", i)
		}
	}
	assert.Equal(t, row.Values, idx.AppendValues(nil))
}

func TestDataRowIndexMatchesDataRow(t *testing.T) {
	t.Parallel()
	var idx DataRowIndex // reused throughout, as the driver reuses it
	bodies := [][]byte{
		nil, {0}, {0, 0}, {0, 1}, {0, 1, 0, 0, 0}, {0, 1, 0xff, 0xff, 0xff, 0xff},
		{0, 1, 0xff, 0xff, 0xff, 0xfe}, {0, 1, 0x80, 0, 0, 0}, {0, 1, 0, 0, 0, 2, 'a'},
		{0, 1, 0, 0, 0, 0, 'x'}, {0, 1, 0x7f, 0xff, 0xff, 0xff},
		mustEncode(threeColumnRow)[5:],
		mustEncode(&DataRow{Values: [][]byte{{}, nil, []byte("abc"), {}}})[5:],
	}
	for _, body := range bodies {
		checkIndexMatchesDataRow(t, &idx, body)
	}

	// A property check over random rows and their corruptions: truncated,
	// extended and with a byte flipped.
	rng := rand.New(rand.NewPCG(17, 2))
	for range 20000 {
		n := rng.IntN(8)
		vals := make([][]byte, n)
		for i := range vals {
			switch rng.IntN(4) {
			case 0: // NULL
			case 1:
				vals[i] = []byte{}
			default:
				vals[i] = bytes.Repeat([]byte{byte(rng.IntN(256))}, rng.IntN(20))
			}
		}
		body := mustEncode(&DataRow{Values: vals})[5:]
		checkIndexMatchesDataRow(t, &idx, body)
		bad := append([]byte(nil), body...)
		switch rng.IntN(3) {
		case 0:
			bad = bad[:rng.IntN(len(bad)+1)]
		case 1:
			bad = append(bad, make([]byte, 1+rng.IntN(4))...)
		default:
			if len(bad) > 0 {
				bad[rng.IntN(len(bad))] ^= byte(1 + rng.IntN(255))
			}
		}
		checkIndexMatchesDataRow(t, &idx, bad)
	}
}

func FuzzDataRowIndex(f *testing.F) {
	f.Add(mustEncode(threeColumnRow)[5:])
	f.Add([]byte{0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	var idx DataRowIndex
	f.Fuzz(func(t *testing.T, body []byte) {
		checkIndexMatchesDataRow(t, &idx, body)
	})
}

// TestDataRowIndexZeroAllocs: once it has capacity, indexing a row
// allocates nothing. Not parallel: AllocsPerRun refuses to run in a
// parallel test.
func TestDataRowIndexZeroAllocs(t *testing.T) {
	body := mustEncode(threeColumnRow)[5:]
	var idx DataRowIndex
	require.NoError(t, idx.Index(body))
	assert.Zero(t, testing.AllocsPerRun(1000, func() {
		if err := idx.Index(body); err != nil {
			panic(err)
		}
	}))
}

// chunkReader serves data in chunks of the given sizes, cycling.
type chunkReader struct {
	data   []byte
	chunks []int
	n      int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), len(c.data), c.chunks[c.n%len(c.chunks)])
	c.n++
	copy(p, c.data[:k])
	c.data = c.data[k:]
	return k, nil
}

// TestReadBufferedMatchesReadMessage reads one stream twice, through
// ReadMessage alone and through ReadBuffered first: both see the same
// messages, ReadBuffered never reads, and it declines what ReadMessage
// must decide (an incomplete message, another type, a grown buffer, a
// length out of bounds).
func TestReadBufferedMatchesReadMessage(t *testing.T) {
	t.Parallel()
	var stream []byte
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 3000 {
		switch {
		case i%500 == 250: // larger than the base buffer: grows it
			stream = append(stream, mustEncode(&DataRow{Values: [][]byte{make([]byte, 3000)}})...)
		case rng.IntN(10) == 0:
			stream = append(stream, mustEncode(&CommandComplete{CommandTag: []byte("SELECT 1")})...)
		default:
			stream = append(stream, mustEncode(&DataRow{Values: [][]byte{bytes.Repeat([]byte{byte(i)}, rng.IntN(60))}})...)
		}
	}
	const base = 1024
	ref := NewReader(bytes.NewReader(stream), base)
	src := &chunkReader{data: stream, chunks: []int{1, 7, 100, 333, 1024, 5}}
	rd := NewReader(src, base)
	fast := 0
	for {
		wantTyp, wantBody, wantErr := ref.ReadMessage()
		reads := src.n
		body, ok := rd.ReadBuffered(MsgDataRow)
		require.Equal(t, reads, src.n, "ReadBuffered read from the underlying reader")
		if ok {
			fast++
			require.NoError(t, wantErr)
			require.Equal(t, MsgDataRow, wantTyp)
			require.Equal(t, wantBody, body)
			require.Equal(t, len(body), cap(body))
			continue
		}
		typ, body, err := rd.ReadMessage()
		if wantErr != nil {
			require.Equal(t, wantErr, err)
			break
		}
		require.NoError(t, err)
		require.Equal(t, wantTyp, typ)
		require.Equal(t, wantBody, body)
	}
	assert.Greater(t, fast, 1000, "the fast path served most rows")

	// A length past the bound is ReadMessage's to report, even when the
	// message is wholly buffered.
	big := mustEncode(&DataRow{Values: [][]byte{make([]byte, 20)}})
	rd = NewReader(bytes.NewReader(big), 0)
	rd.SetMaxMessageSize(8)
	_, _, err := rd.ReadMessage()
	var tooLarge *MessageTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	require.Equal(t, len(big), rd.Buffered())
	_, ok := rd.ReadBuffered(MsgDataRow)
	assert.False(t, ok)
}
