package codec

import "encoding/json"

// Null is a T that may be SQL NULL: scan into a *Null[T] to tell NULL
// (Valid false) from a value, and pass a Null[T] as an argument to send
// NULL when Valid is false. It works wherever a T does, also as an array
// element ([]Null[int32]) or a struct field.
type Null[T any] struct {
	V     T
	Valid bool // false: SQL NULL
}

// NullOf returns a valid Null holding v.
func NullOf[T any](v T) Null[T] { return Null[T]{V: v, Valid: true} }

// nullable is how the codecs fill a Null[T] without knowing T.
type nullable interface {
	nullTarget() any // &V: where a non-NULL value is decoded to
	setValid(bool)   // false also zeroes V
}

// nullValuer is how the encoders read a Null[T].
type nullValuer interface {
	nullValue() (any, bool)
}

func (n *Null[T]) nullTarget() any { return &n.V }

func (n *Null[T]) setValid(ok bool) {
	n.Valid = ok
	if !ok {
		var zero T
		n.V = zero
	}
}

func (n Null[T]) nullValue() (any, bool) { return n.V, n.Valid }

// MarshalJSON renders NULL as null and a value as T renders.
func (n Null[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}

// UnmarshalJSON reads null as NULL.
func (n *Null[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		n.setValid(false)
		return nil
	}
	if err := json.Unmarshal(b, &n.V); err != nil {
		return err
	}
	n.Valid = true
	return nil
}
