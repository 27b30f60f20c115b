package pg

import (
	"encoding/binary"
	"math"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// appendBind encodes a Bind of sd with args straight into the write buffer:
// parameter values are appended by their codecs with no intermediate
// slices. The parameter format codes precede the values on the wire, so
// their slots are reserved first and filled as each codec picks its format.
// On error the write buffer is left as it was.
func (c *Conn) appendBind(sd *stmtDesc, portal string, args []any) error {
	if len(args) != len(sd.paramOIDs) {
		return &ArgumentCountError{Want: len(sd.paramOIDs), Got: len(args)}
	}
	if len(args) > math.MaxUint16 {
		return &ArgumentCountError{Want: math.MaxUint16, Got: len(args)}
	}
	if c.track.on {
		c.noteBind(sd)
	}
	mark := len(c.wbuf)
	buf, start := pgproto.BeginMessage(c.wbuf, pgproto.MsgBind)
	buf = pgproto.AppendCString(buf, portal)
	buf = pgproto.AppendCString(buf, sd.name)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(args)))
	formatsAt := len(buf)
	for range args {
		buf = append(buf, 0, 0)
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(args)))
	for i, arg := range args {
		lenAt := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		out, format, null, err := codec.EncodeValue(sd.paramTypes[i], buf, arg)
		if err != nil {
			c.wbuf = buf[:mark]
			return &ArgumentError{Index: i + 1, Err: err}
		}
		buf = out
		binary.BigEndian.PutUint16(buf[formatsAt+2*i:], uint16(format))
		if null {
			binary.BigEndian.PutUint32(buf[lenAt:], math.MaxUint32) // -1: NULL
			continue
		}
		n := len(buf) - lenAt - 4
		if n > math.MaxInt32 {
			c.wbuf = buf[:mark]
			return &ArgumentError{Index: i + 1, Err: errValueTooLarge}
		}
		binary.BigEndian.PutUint32(buf[lenAt:], uint32(n))
	}
	buf = appendResultFormats(buf, sd.colFormats)
	buf, err := pgproto.FinishMessage(buf, start)
	if err != nil {
		c.wbuf = buf[:mark]
		return err
	}
	c.wbuf = buf
	return nil
}

// appendResultFormats writes one code for all columns when they agree (the
// common case), else one per column.
func appendResultFormats(buf []byte, formats []int16) []byte {
	if len(formats) == 0 {
		return binary.BigEndian.AppendUint16(buf, 0)
	}
	same := true
	for _, f := range formats[1:] {
		if f != formats[0] {
			same = false
			break
		}
	}
	if same {
		buf = binary.BigEndian.AppendUint16(buf, 1)
		return binary.BigEndian.AppendUint16(buf, uint16(formats[0]))
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(formats)))
	for _, f := range formats {
		buf = binary.BigEndian.AppendUint16(buf, uint16(f))
	}
	return buf
}

// appendExecuteSync adds Execute (all rows) and Sync.
func (c *Conn) appendExecuteSync(portal string, maxRows uint32) {
	c.wbuf, _ = (&pgproto.Execute{Portal: portal, MaxRows: maxRows}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
}
