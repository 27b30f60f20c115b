package pg_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
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
	setupExtensionSchema(t, c, "types_hstore", "hstore", "CREATE TYPE kv AS (id int4, h hstore)")
	const ext = "types_hstore"

	// Without a codec: text.
	var s string
	require.NoError(t, c.QueryRow(ctx, `SELECT 'a=>1'::hstore`).Scan(&s))
	assert.Equal(t, `"a"=>"1"`, s)

	require.NoError(t, c.SetBuiltinTypeCodec(ctx, "hstore", ext, "hstore"))
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

	err := c.SetBuiltinTypeCodec(ctx, "hstore", ext, "nosuchcodec")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nosuchcodec"`)
}

// A domain-like extension type declared wire-compatible with text.
func TestSetBuiltinTypeCodecText(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupExtensionSchema(t, c, "types_citext2", "citext", "")
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
	require.NoError(t, c.SetTypeCodec(ctx, "money", "", centsCodec()), "found through the search_path")
	var v any
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::money, $1::money::text", cents(-1234)).Scan(&v, &s))
	assert.Equal(t, cents(-1234), v)
	assert.True(t, strings.HasPrefix(s, "-$12.34"), s)
	require.NoError(t, c.ResetTypeCodec(ctx, "money", "pg_catalog"))
	require.NoError(t, c.QueryRow(ctx, "SELECT '1.00'::money").Scan(&v))
	assert.Equal(t, pg.Money(100), v)
}

// cents is a caller's money type with its own binary codec (money's wire
// form is an int8 of cents).
type cents int64

func centsCodec() codec.Codec {
	return codec.Codec{
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
}

// A binary codec on a built-in type serves it inside composites (also
// nested in arrays), domains and arrays of domains, both ways.
func TestSetTypeCodecBinaryInCompositeAndDomain(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_codec_money", `
CREATE DOMAIN price AS money CHECK (VALUE >= '0'::money);
CREATE TYPE line_item AS (label text, amount money, prices price[]);
CREATE TYPE order_t AS (id int4, items line_item[]);`)
	require.NoError(t, c.SetTypeCodec(ctx, "money", "pg_catalog", centsCodec()))

	type lineItem struct {
		Label  string
		Amount cents
		Prices []*cents
	}
	const lit = `SELECT ROW('x', '12.34'::money, ARRAY['1.00'::price, NULL])::line_item`
	var rec pg.Record
	require.NoError(t, c.QueryRow(ctx, lit).Scan(&rec))
	assert.Equal(t, cents(1234), rec.Get("amount"))
	assert.Equal(t, []any{cents(100), nil}, rec.Get("prices"))
	var li lineItem
	require.NoError(t, c.QueryRow(ctx, lit).Scan(&li))
	assert.Equal(t, lineItem{Label: "x", Amount: 1234, Prices: []*cents{ptr(cents(100)), nil}}, li)

	// The domain decodes and encodes through its base type's codec.
	var v any
	require.NoError(t, c.QueryRow(ctx, "SELECT '5.00'::price").Scan(&v))
	assert.Equal(t, cents(500), v)
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::price::text", cents(700)).Scan(&s))
	assert.Equal(t, "$7.00", s)
	_, err := c.Exec(ctx, "SELECT $1::price", cents(-1))
	var pe *pg.PgError
	require.ErrorAs(t, err, &pe, "the domain's CHECK still applies")
	assert.Equal(t, "23514", pe.Code)

	// Composites encode their attributes with it too, nested in arrays.
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::line_item::text", lineItem{Label: "y", Amount: 250, Prices: []*cents{ptr(cents(1))}}).Scan(&s))
	assert.Equal(t, `(y,$2.50,{$0.01})`, s)
	type order struct {
		ID    int32
		Items []lineItem
	}
	want := order{ID: 9, Items: []lineItem{{Label: "a", Amount: -5, Prices: []*cents{}}, {Label: "b", Amount: 1, Prices: []*cents{nil}}}}
	var got order
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::order_t", want).Scan(&got))
	assert.Equal(t, want, got)
	require.NoError(t, c.QueryRow(ctx, "SELECT (($1::order_t).items[1]).amount::text", want).Scan(&s))
	assert.Equal(t, "-$0.05", s)
}

// Custom codecs are the caller's, not schema state: they survive
// ReloadSchemaState, also for the types re-introspected after it.
func TestSetTypeCodecSurvivesReload(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_codec_reload", complexDDL)
	require.NoError(t, c.SetTypeCodec(ctx, "cplx", "types_codec_reload", tupleComplexCodec()))
	require.NoError(t, c.SetTypeCodec(ctx, "money", "pg_catalog", centsCodec()))

	check := func(what string) {
		t.Helper()
		var z, m any
		var h pg.Record
		var arr []any
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::cplx, '1.25'::money, ROW('x', '(7,8)'::cplx)::holder, ARRAY['(1,2)'::cplx_d]", complex(3, 4)).Scan(&z, &m, &h, &arr), what)
		assert.Equal(t, complex(3, 4), z, what)
		assert.Equal(t, cents(125), m, what)
		assert.Equal(t, complex(7, 8), h.Get("z"), what)
		assert.Equal(t, []any{complex(1, 2)}, arr, what)
	}
	check("before the reload")
	require.NoError(t, c.ReloadSchemaState(ctx))
	check("after the reload")
	// A composite changed under the connection: after the reload it is
	// introspected again, its cplx attribute still through the codec.
	other := connect(t)
	_, err := other.Exec(ctx, "ALTER TYPE types_codec_reload.holder ADD ATTRIBUTE n int4")
	require.NoError(t, err)
	require.NoError(t, c.ReloadSchemaState(ctx))
	var h pg.Record
	require.NoError(t, c.QueryRow(ctx, "SELECT ROW('x', '(7,8)'::cplx, 5)::holder").Scan(&h))
	assert.Equal(t, []string{"label", "z", "n"}, h.Columns())
	assert.Equal(t, complex(7, 8), h.Get("z"))
	var m any
	require.NoError(t, c.QueryRow(ctx, "SELECT '2.00'::money").Scan(&m))
	assert.Equal(t, cents(200), m)
}

// PoolConfig.Init is where a pool's connections get their codecs: every
// connection, through the Pool's and PoolConn's query methods, and across
// the reset at Release.
func TestPoolSetBuiltinTypeCodecInit(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	const ext = "types_pool_hstore"
	setupExtensionSchema(t, connect(t), ext, "hstore", "")
	var inits atomic.Int32
	pool, err := pg.CreatePoolConfig(ctx, testConfig(t), pg.PoolConfig{
		MinSize: 2, MaxSize: 2,
		Init: func(ctx context.Context, c *pg.Conn) error {
			inits.Add(1)
			return c.SetBuiltinTypeCodec(ctx, "hstore", ext, "hstore")
		},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = pool.Close(context.Background()) })
	one := "1"
	want := map[string]*string{"a": &one, "b": nil}
	q := "SELECT $1::" + ext + ".hstore, ARRAY[$1::" + ext + ".hstore]"

	// Both connections at once, then again after their Release.
	for round := 0; round < 2; round++ {
		a, err := pool.Acquire(ctx)
		require.NoError(t, err)
		b, err := pool.Acquire(ctx)
		require.NoError(t, err)
		require.NotEqual(t, a.Conn().ServerPID(), b.Conn().ServerPID())
		for _, pc := range []*pg.PoolConn{a, b} {
			var got map[string]*string
			var arr []map[string]*string
			require.NoError(t, pc.QueryRow(ctx, q, want).Scan(&got, &arr))
			assert.Equal(t, want, got)
			assert.Equal(t, []map[string]*string{want}, arr)
		}
		require.NoError(t, a.Release())
		require.NoError(t, b.Release())
	}
	// Through the Pool's own methods, concurrently.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got map[string]*string
			var arr []map[string]*string
			if assert.NoError(t, pool.QueryRow(ctx, q, want).Scan(&got, &arr)) {
				assert.Equal(t, want, got)
			}
			v, err := pg.FetchVal[any](ctx, pool, "SELECT 'k=>v'::"+ext+".hstore")
			if assert.NoError(t, err) {
				v2 := "v"
				assert.Equal(t, map[string]*string{"k": &v2}, v)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(2), inits.Load(), "Init once per connection")
}

// setupExtensionSchema is setupSchema with the extension ext created in the
// new schema first; it skips the test when the server lacks ext. The tests
// creating one extension take turns (pg.LockExtension) until the schema,
// and the extension with it, is dropped.
func setupExtensionSchema(t *testing.T, c *pg.Conn, schema, ext, ddl string) {
	t.Helper()
	pg.LockExtension(t, c, ext) // its cleanup runs after setupSchema's DROP SCHEMA
	var available bool
	require.NoError(t, c.QueryRow(ctxT(t), "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1)", ext).Scan(&available))
	if !available {
		t.Skipf("the test server has no %s extension", ext)
	}
	setupSchema(t, c, schema, "CREATE EXTENSION "+ext+" SCHEMA "+schema+"; "+ddl)
}
