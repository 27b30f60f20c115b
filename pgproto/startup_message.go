package pgproto

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// StartupMessage opens a session: the protocol version and the session
// parameters ("user" is required; "database", "application_name", "options",
// "replication", any GUC, and "_pq_." protocol options). It is an untyped
// startup packet: no type byte, just a length word and the body.
type StartupMessage struct {
	// ProtocolVersion is major<<16 | minor. Zero encodes as ProtocolVersion30.
	ProtocolVersion uint32
	Parameters      map[string]string
}

// Frontend identifies StartupMessage as a client message.
func (*StartupMessage) Frontend() {}

// Encode appends the packet to dst with the parameters in sorted key order,
// so equal messages encode to equal bytes. An empty parameter name is an
// error (on the wire it ends the list), as is a major version other than 3.
func (m *StartupMessage) Encode(dst []byte) ([]byte, error) {
	version := m.ProtocolVersion
	if version == 0 {
		version = ProtocolVersion30
	}
	if version>>16 != 3 {
		return dst, encodeErrorf("StartupMessage: protocol version %d.%d, want 3.x", version>>16, version&0xffff)
	}
	keys := slices.Sorted(maps.Keys(m.Parameters))
	for _, k := range keys {
		if k == "" {
			return dst, encodeErrorf("StartupMessage: empty parameter name")
		}
		if strings.IndexByte(k, 0) >= 0 {
			return dst, checkCString("StartupMessage", fmt.Sprintf("parameter name %q", k), k)
		}
		if v := m.Parameters[k]; strings.IndexByte(v, 0) >= 0 {
			return dst, checkCString("StartupMessage", fmt.Sprintf("value of parameter %q", k), v)
		}
	}
	dst, start := beginUntyped(dst)
	dst = AppendUint32(dst, version)
	for _, k := range keys {
		dst = AppendCString(dst, k)
		dst = AppendCString(dst, m.Parameters[k])
	}
	dst = append(dst, 0)
	return finishUntyped(dst, start)
}

// Decode parses the packet body (from the protocol version on). Parameters is
// a new map (nil when empty); a name given twice keeps its last value.
func (m *StartupMessage) Decode(body []byte) error {
	d := newDecoder("StartupMessage", body)
	m.ProtocolVersion = d.uint32("protocol version")
	if d.err == nil && m.ProtocolVersion>>16 != 3 {
		return protocolErrorf("StartupMessage: unsupported protocol version %d.%d", m.ProtocolVersion>>16, m.ProtocolVersion&0xffff)
	}
	m.Parameters = nil
	for {
		name := d.cstringBytes("parameter name")
		if d.err != nil || len(name) == 0 {
			break
		}
		value := d.cstring("parameter value")
		if m.Parameters == nil {
			m.Parameters = make(map[string]string)
		}
		m.Parameters[string(name)] = value
	}
	return d.done()
}
