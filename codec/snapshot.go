package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Snapshot is a transaction snapshot (pg_snapshot, txid_snapshot): every
// transaction below Xmin is visible, none from Xmax on, and Xip lists the
// ones in progress in between. Text "10:20:10,14,15".
type Snapshot struct {
	Xmin, Xmax uint64
	Xip        []uint64
}

// String renders the text form.
func (s Snapshot) String() string {
	b := strconv.AppendUint(nil, s.Xmin, 10)
	b = append(b, ':')
	b = strconv.AppendUint(b, s.Xmax, 10)
	b = append(b, ':')
	for i, x := range s.Xip {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, x, 10)
	}
	return string(b)
}

// Value implements driver.Valuer with the text form.
func (s Snapshot) Value() (driver.Value, error) { return s.String(), nil }

func (Snapshot) pgValue() {}

// snapshotType's binary form: nxip int32, xmin, xmax, then nxip xids, all
// as int64.
func snapshotType(oid uint32, name string) *Type {
	return &Type{
		OID:  oid,
		Name: name,
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				s, ok := v.(Snapshot)
				if !ok {
					return dst, unsupportedEncode(v, name, "use pg.Snapshot")
				}
				return append(dst, s.String()...), nil
			},
			Decode: func(src []byte) (any, error) { return parseSnapshot(string(src), name) },
		},
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				s, ok := v.(Snapshot)
				if !ok {
					return dst, unsupportedEncode(v, name, "use pg.Snapshot")
				}
				dst = binary.BigEndian.AppendUint32(dst, uint32(len(s.Xip)))
				dst = binary.BigEndian.AppendUint64(dst, s.Xmin)
				dst = binary.BigEndian.AppendUint64(dst, s.Xmax)
				for _, x := range s.Xip {
					dst = binary.BigEndian.AppendUint64(dst, x)
				}
				return dst, nil
			},
			Decode: func(src []byte) (any, error) {
				if len(src) < 20 {
					return nil, badLength(name, 20, len(src))
				}
				n := binary.BigEndian.Uint32(src)
				if uint64(len(src)-20) != 8*uint64(n) {
					return nil, &DecodeError{PGType: name, Msg: "xip count and length disagree"}
				}
				s := Snapshot{Xmin: binary.BigEndian.Uint64(src[4:]), Xmax: binary.BigEndian.Uint64(src[12:])}
				if n > 0 {
					s.Xip = make([]uint64, n)
					for i := range s.Xip {
						s.Xip[i] = binary.BigEndian.Uint64(src[20+8*i:])
					}
				}
				return s, nil
			},
		},
	}
}

// parseSnapshot reads the text form "xmin:xmax:xip,...".
func parseSnapshot(s, name string) (Snapshot, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return Snapshot{}, &DecodeError{PGType: name, Msg: fmt.Sprintf("%q is not xmin:xmax:xip-list", s)}
	}
	var out Snapshot
	var err error
	if out.Xmin, err = strconv.ParseUint(parts[0], 10, 64); err != nil {
		return Snapshot{}, &DecodeError{PGType: name, Msg: err.Error()}
	}
	if out.Xmax, err = strconv.ParseUint(parts[1], 10, 64); err != nil {
		return Snapshot{}, &DecodeError{PGType: name, Msg: err.Error()}
	}
	if parts[2] == "" {
		return out, nil
	}
	for _, x := range strings.Split(parts[2], ",") {
		u, err := strconv.ParseUint(x, 10, 64)
		if err != nil {
			return Snapshot{}, &DecodeError{PGType: name, Msg: err.Error()}
		}
		out.Xip = append(out.Xip, u)
	}
	return out, nil
}
