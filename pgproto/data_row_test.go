package pgproto

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loopReader serves the same bytes forever, so a benchmark reads without
// allocating a new source.
type loopReader struct {
	data []byte
	off  int
}

func (l *loopReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], l.data[l.off:])
		n += c
		l.off = (l.off + c) % len(l.data)
	}
	return n, nil
}

// threeColumnRow is a typical narrow row: int4, text, NULL.
var threeColumnRow = &DataRow{Values: [][]byte{{0, 0, 0, 42}, []byte("hello, world"), nil}}

func TestDataRowDecodeReusesValues(t *testing.T) {
	t.Parallel()
	var row DataRow
	require.NoError(t, row.Decode(mustEncode(threeColumnRow)[5:]))
	assert.Equal(t, threeColumnRow.Values, row.Values)
	first := &row.Values[0]

	require.NoError(t, row.Decode(mustEncode(&DataRow{Values: [][]byte{[]byte("x")}})[5:]))
	assert.Equal(t, [][]byte{[]byte("x")}, row.Values)
	assert.Same(t, first, &row.Values[0], "capacity reused")

	require.NoError(t, row.Decode([]byte{0, 0}))
	assert.Empty(t, row.Values)

	// Values alias the body with clipped capacity: appending to one value
	// must not overwrite the next.
	body := mustEncode(&DataRow{Values: [][]byte{[]byte("ab"), []byte("cd")}})[5:]
	require.NoError(t, row.Decode(body))
	assert.Equal(t, len(row.Values[0]), cap(row.Values[0]))
	_ = append(row.Values[0], 'X')
	assert.Equal(t, []byte("cd"), row.Values[1])
	body[6] = 'Z'
	assert.Equal(t, []byte("Zb"), row.Values[0], "values alias the body")
}

// TestDataRowZeroAllocs is the hot-path contract: reading and decoding a row
// allocates nothing once the DataRow has capacity. Not parallel: AllocsPerRun
// refuses to run in a parallel test.
func TestDataRowZeroAllocs(t *testing.T) {
	rd := NewReader(&loopReader{data: bytes.Repeat(mustEncode(threeColumnRow), 100)}, 0)
	var row DataRow
	allocs := testing.AllocsPerRun(1000, func() {
		typ, body, err := rd.ReadMessage()
		if err != nil || typ != MsgDataRow {
			panic("bad read")
		}
		if err := row.Decode(body); err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, threeColumnRow.Values, row.Values)

	var rfq ReadyForQuery
	rfqBody := mustEncode(&ReadyForQuery{TxStatus: 'I'})[5:]
	var cc CommandComplete
	ccBody := mustEncode(&CommandComplete{CommandTag: []byte("SELECT 1")})[5:]
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		_ = rfq.Decode(rfqBody)
		_ = cc.Decode(ccBody)
	}), "ReadyForQuery and CommandComplete decode without allocating")
}

func BenchmarkReadDataRow(b *testing.B) {
	wire := mustEncode(threeColumnRow)
	rd := NewReader(&loopReader{data: bytes.Repeat(wire, 1000)}, 0)
	var row DataRow
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		typ, body, err := rd.ReadMessage()
		if err != nil || typ != MsgDataRow {
			b.Fatal(typ, err)
		}
		if err := row.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeBind(b *testing.B) {
	bind := &Bind{
		PreparedStatement:    "stmt_1",
		ParameterFormatCodes: []int16{1},
		Parameters:           [][]byte{{0, 0, 0, 1}, []byte("some text parameter"), nil},
		ResultFormatCodes:    []int16{1},
	}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = bind.Encode(buf[:0])
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeBatch encodes the usual extended-query batch into one buffer.
func BenchmarkEncodeBatch(b *testing.B) {
	msgs := []Message{
		&Bind{PreparedStatement: "stmt_1", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 1}}, ResultFormatCodes: []int16{1}},
		&Describe{ObjectType: 'P'},
		&Execute{},
		&Sync{},
	}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for _, m := range msgs {
			var err error
			if buf, err = m.Encode(buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkReadLargeCopyData(b *testing.B) {
	wire := mustEncode(&CopyData{Data: bytes.Repeat([]byte("x"), 1<<20)})
	rd := NewReader(&loopReader{data: wire}, 0)
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := rd.ReadMessage(); err != nil && err != io.EOF {
			b.Fatal(err)
		}
	}
}
