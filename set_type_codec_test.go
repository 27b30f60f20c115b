package pg_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
)

// complex128 as the composite (re float8, im float8), three ways.
const complexDDL = `
CREATE TYPE cplx AS (re float8, im float8);
CREATE DOMAIN cplx_d AS cplx;
CREATE TYPE holder AS (label text, z cplx);
`

func tupleComplexCodec() codec.Codec {
	return codec.Codec{
		Format: codec.TupleFormat,
		EncodeTuple: func(v any) ([]any, error) {
			z, ok := v.(complex128)
			if !ok {
				return nil, fmt.Errorf("want complex128, got %T", v)
			}
			return []any{real(z), imag(z)}, nil
		},
		DecodeTuple: func(f []any) (any, error) {
			re, _ := f[0].(float64)
			im, _ := f[1].(float64)
			return complex(re, im), nil
		},
	}
}

func textComplexCodec() codec.Codec {
	return codec.Codec{
		Format: codec.TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			z, ok := v.(complex128)
			if !ok {
				return dst, fmt.Errorf("want complex128, got %T", v)
			}
			return fmt.Appendf(dst, "(%g,%g)", real(z), imag(z)), nil
		},
		Decode: func(src []byte) (any, error) {
			var re, im float64
			_, err := fmt.Sscanf(string(src), "(%g,%g)", &re, &im)
			return complex(re, im), err
		},
	}
}

func TestSetTypeCodecComposite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		codec codec.Codec
	}{{"tuple", tupleComplexCodec()}, {"text", textComplexCodec()}} {
		t.Run(tc.name, func(t *testing.T) {
			c := connect(t)
			ctx := ctxT(t)
			schema := "types_codec_" + tc.name
			setupSchema(t, c, schema, complexDDL)

			// Before: a Record. Prime the caches so the codec must replace them.
			var before any
			require.NoError(t, c.QueryRow(ctx, "SELECT '(1,2)'::cplx").Scan(&before))
			assert.IsType(t, pg.Record{}, before)

			require.NoError(t, c.SetTypeCodec(ctx, "cplx", schema, tc.codec))

			var z any
			require.NoError(t, c.QueryRow(ctx, "SELECT '(1,2)'::cplx").Scan(&z))
			assert.Equal(t, complex(1, 2), z)
			var s string
			require.NoError(t, c.QueryRow(ctx, "SELECT $1::cplx::text", complex(3.5, -1)).Scan(&s))
			assert.Equal(t, "(3.5,-1)", s)

			// Inside arrays, domains and composites.
			var arr []any
			require.NoError(t, c.QueryRow(ctx, "SELECT ARRAY['(1,2)'::cplx, NULL]").Scan(&arr))
			assert.Equal(t, []any{complex(1, 2), nil}, arr)
			require.NoError(t, c.QueryRow(ctx, "SELECT $1::cplx[]::text", []any{complex(1, 1), complex(0, 2)}).Scan(&s))
			assert.Equal(t, `{"(1,1)","(0,2)"}`, s)
			require.NoError(t, c.QueryRow(ctx, "SELECT '(5,6)'::cplx_d").Scan(&z))
			assert.Equal(t, complex(5, 6), z)
			var h pg.Record
			require.NoError(t, c.QueryRow(ctx, "SELECT ROW('x', '(7,8)'::cplx)::holder").Scan(&h))
			assert.Equal(t, complex(7, 8), h.Get("z"))

			// Reset: Records again.
			require.NoError(t, c.ResetTypeCodec(ctx, "cplx", schema))
			require.NoError(t, c.QueryRow(ctx, "SELECT '(1,2)'::cplx").Scan(&z))
			assert.IsType(t, pg.Record{}, z)
		})
	}
}

// A binary codec for a built-in type replaces the built-in one, also in
// arrays; SetTypeCodec errors say what to fix.
func TestSetTypeCodecBinaryBuiltin(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	// numeric decoded as *big.Rat by a caller's binary codec (via the text
	// of the built-in value, to keep the test short).
	bin := codec.Codec{
		Format: codec.BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			// Pointers reach codecs dereferenced.
			r, ok := v.(big.Rat)
			if !ok {
				return dst, &codec.UnsupportedTypeError{GoType: fmt.Sprintf("%T", v), PGType: "numeric"}
			}
			n, err := pg.NumericFromBigRat(&r)
			if err != nil {
				return dst, err
			}
			out, _, _, err := codec.EncodeValue(codec.Default().Lookup(codec.NumericOID), dst, n)
			return out, err
		},
		Decode: func(src []byte) (any, error) {
			v, err := codec.DecodeValue(codec.Default().Lookup(codec.NumericOID), codec.BinaryFormat, src)
			if err != nil {
				return nil, err
			}
			return v.(pg.Numeric).Rat()
		},
	}
	require.NoError(t, c.SetTypeCodec(ctx, "numeric", "pg_catalog", bin))
	var v any
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::numeric", big.NewRat(3, 4)).Scan(&v))
	assert.Equal(t, big.NewRat(3, 4), v)
	var arr []any
	require.NoError(t, c.QueryRow(ctx, "SELECT '{0.5,NULL}'::numeric[]").Scan(&arr))
	assert.Equal(t, []any{big.NewRat(1, 2), nil}, arr)
	// Other connections keep the built-in codec.
	other := connect(t)
	require.NoError(t, other.QueryRow(ctx, "SELECT 0.5::numeric").Scan(&v))
	assert.IsType(t, pg.Numeric{}, v)

	err := c.SetTypeCodec(ctx, "nosuchtype", "public", bin)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nosuchtype"`)
	err = c.SetTypeCodec(ctx, "nosuchtype", "", bin)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "search_path")
	err = c.SetTypeCodec(ctx, "int4", "pg_catalog", codec.Codec{Format: codec.TupleFormat, EncodeTuple: func(any) ([]any, error) { return nil, nil }, DecodeTuple: func([]any) (any, error) { return nil, nil }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "composite")
	err = c.SetTypeCodec(ctx, "int4", "pg_catalog", codec.Codec{Format: codec.TextFormat})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Encode and Decode")
	require.NoError(t, c.QueryRow(ctx, "SELECT 1").Scan(&v))
}

// hstore, declared with SetBuiltinTypeCodec, as map[string]*string, in
// arrays and composites too.
func TestSetBuiltinTypeCodecHstore(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_hstore", "CREATE EXTENSION IF NOT EXISTS hstore SCHEMA types_hstore; CREATE TYPE kv AS (id int4, h hstore)")

	// Without a codec: text.
	var s string
	require.NoError(t, c.QueryRow(ctx, `SELECT 'a=>1'::hstore`).Scan(&s))
	assert.Equal(t, `"a"=>"1"`, s)

	require.NoError(t, c.SetBuiltinTypeCodec(ctx, "hstore", "types_hstore", "hstore"))
	one, quote := "1", `q"uo\te`
	want := map[string]*string{"a": &one, "b": nil, "k é": &quote, "": &one}
	var got map[string]*string
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::hstore`, want).Scan(&got))
	assert.Equal(t, want, got)
	require.NoError(t, c.QueryRow(ctx, `SELECT 'a=>1, b=>NULL, "k é"=>"q\"uo\\te", ""=>1'::hstore`).Scan(&got))
	assert.Equal(t, want, got)
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::hstore::text`, map[string]string{"x": "y"}).Scan(&s))
	assert.Equal(t, `"x"=>"y"`, s)
	require.NoError(t, c.QueryRow(ctx, `SELECT ''::hstore`).Scan(&got))
	assert.Empty(t, got)

	var arr []map[string]*string
	require.NoError(t, c.QueryRow(ctx, `SELECT ARRAY['a=>1'::hstore, ''::hstore]`).Scan(&arr))
	assert.Equal(t, []map[string]*string{{"a": &one}, {}}, arr)
	var kv struct {
		ID int32
		H  map[string]*string
	}
	require.NoError(t, c.QueryRow(ctx, `SELECT ROW(1, 'a=>1')::kv`).Scan(&kv))
	assert.Equal(t, map[string]*string{"a": &one}, kv.H)

	err := c.SetBuiltinTypeCodec(ctx, "hstore", "types_hstore", "nosuchcodec")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nosuchcodec"`)
}

// A domain-like extension type declared wire-compatible with text.
func TestSetBuiltinTypeCodecText(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_citext2", "CREATE EXTENSION IF NOT EXISTS citext SCHEMA types_citext2")
	require.NoError(t, c.SetBuiltinTypeCodec(ctx, "citext", "types_citext2", "text"))
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::citext", "ÄbC").Scan(&s))
	assert.Equal(t, "ÄbC", s)
	var arr []string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::citext[]", []string{"a", "B"}).Scan(&arr))
	assert.Equal(t, []string{"a", "B"}, arr)
}

// The binary codec's bytes are the caller's: a custom int8-compatible
// encoding round-trips through the server.
func TestSetTypeCodecBinaryCustom(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	type cents int64
	cd := codec.Codec{
		Format: codec.BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			x, ok := v.(cents)
			if !ok {
				return dst, &codec.UnsupportedTypeError{GoType: fmt.Sprintf("%T", v), PGType: "money"}
			}
			return binary.BigEndian.AppendUint64(dst, uint64(x)), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 8 {
				return nil, fmt.Errorf("money: %d bytes", len(src))
			}
			return cents(binary.BigEndian.Uint64(src)), nil
		},
	}
	require.NoError(t, c.SetTypeCodec(ctx, "money", "", cd), "found through the search_path")
	var v any
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::money, $1::money::text", cents(-1234)).Scan(&v, &s))
	assert.Equal(t, cents(-1234), v)
	assert.True(t, strings.HasPrefix(s, "-$12.34"), s)
	require.NoError(t, c.ResetTypeCodec(ctx, "money", "pg_catalog"))
	require.NoError(t, c.QueryRow(ctx, "SELECT '1.00'::money").Scan(&v))
	assert.Equal(t, pg.Money(100), v)
	_ = context.Background
}
