package pgproto

// Object types for Describe and Close.
const (
	ObjectStatement byte = 'S' // a prepared statement
	ObjectPortal    byte = 'P' // a portal
)

func validObjectType(t byte) bool { return t == ObjectStatement || t == ObjectPortal }

// encodeObjectMessage encodes Describe and Close, which share their layout.
func encodeObjectMessage(dst []byte, typ byte, msg string, objectType byte, name string) ([]byte, error) {
	if !validObjectType(objectType) {
		return dst, encodeErrorf("%s: ObjectType %q, want 'S' (statement) or 'P' (portal)", msg, rune(objectType))
	}
	if err := checkCString(msg, "Name", name); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, typ)
	dst = append(dst, objectType)
	dst = AppendCString(dst, name)
	return finishTyped(dst, start)
}

func decodeObjectMessage(body []byte, msg string) (byte, string, error) {
	d := newDecoder(msg, body)
	objectType := d.byte1("object type")
	if d.err == nil && !validObjectType(objectType) {
		return 0, "", protocolErrorf("%s: object type %q, want 'S' or 'P'", msg, rune(objectType))
	}
	name := d.cstring("name")
	return objectType, name, d.done()
}
