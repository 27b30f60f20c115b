package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
)

// TID is a tuple identifier (a row's ctid): block and offset within it.
type TID struct {
	BlockNumber  uint32
	OffsetNumber uint16
}

// String renders "(block,offset)".
func (t TID) String() string {
	return "(" + strconv.FormatUint(uint64(t.BlockNumber), 10) + "," + strconv.FormatUint(uint64(t.OffsetNumber), 10) + ")"
}

// Value implements driver.Valuer with the text form.
func (t TID) Value() (driver.Value, error) { return t.String(), nil }

func (TID) pgValue() {}

var tidType = &Type{
	OID:  TIDOID,
	Name: "tid",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			t, ok := v.(TID)
			if !ok {
				return dst, unsupportedEncode(v, "tid", "use pg.TID")
			}
			dst = binary.BigEndian.AppendUint32(dst, t.BlockNumber)
			return binary.BigEndian.AppendUint16(dst, t.OffsetNumber), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 6 {
				return nil, badLength("tid", 6, len(src))
			}
			return TID{binary.BigEndian.Uint32(src), binary.BigEndian.Uint16(src[4:])}, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Decode: func(src []byte) (any, error) {
			var t TID
			if _, err := fmt.Sscanf(string(src), "(%d,%d)", &t.BlockNumber, &t.OffsetNumber); err != nil {
				return nil, &DecodeError{PGType: "tid", Msg: err.Error()}
			}
			return t, nil
		},
	},
}
