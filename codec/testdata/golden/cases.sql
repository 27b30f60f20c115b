-- Values whose binary (typsend) and text (typoutput) forms the golden test
-- checks the codec against. One SQL expression per line, typed by its own
-- casts (the generator records pg_typeof, never casts); "--" starts a
-- comment line; a SET line changes the session for the lines after it.
-- After editing, regenerate values.json: go generate ./codec
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 1
SET bytea_output = 'hex'
SET lc_monetary = 'C'

-- bool
true
false
NULL::bool

-- integers
0::int2
1::int2
-1::int2
32767::int2
(-32768)::int2
0::int4
42::int4
-42::int4
2147483647::int4
(-2147483648)::int4
NULL::int4
0::int8
1::int8
-1::int8
9223372036854775807::int8
(-9223372036854775808)::int8
0::oid
16::oid
4294967295::oid
'0'::xid
'42'::xid
'4294967295'::xid
'0'::cid
'4294967295'::cid
'0'::xid8
'42'::xid8
'18446744073709551615'::xid8

-- floats
0::float4
'-0'::float4
1.5::float4
'0.1'::float4
'-123.456'::float4
'3.4028235e38'::float4
'-3.4028235e38'::float4
'1.17549435e-38'::float4
'1e-45'::float4
'1e20'::float4
'Infinity'::float4
'-Infinity'::float4
'NaN'::float4
0::float8
'-0'::float8
1.5::float8
'0.1'::float8
'-123.456'::float8
'1e100'::float8
'1.7976931348623157e308'::float8
'-1.7976931348623157e308'::float8
'2.2250738585072014e-308'::float8
'5e-324'::float8
'123456789012345678'::float8
'1e15'::float8
'1e16'::float8
'1e-4'::float8
'1e-5'::float8
'Infinity'::float8
'-Infinity'::float8
'NaN'::float8
NULL::float8

-- numeric
0::numeric
'0.00'::numeric
'-0.001'::numeric
'1'::numeric
'-1'::numeric
'1.10000'::numeric
'9999.9999'::numeric
'10000'::numeric
'12345678.9'::numeric
'0.0001'::numeric
'0.00001'::numeric
'1e-20'::numeric
'1e20'::numeric
'123456789012345678901234567890.123456789'::numeric
'-9223372036854775808'::numeric
'18446744073709551616'::numeric
'3.14159265358979323846264338327950288419716939937510'::numeric
'1e-1000'::numeric
'1e1000'::numeric
'-0.000000000000000000000000000001'::numeric
'99999999999999999999999999999999999999.99999999'::numeric
'NaN'::numeric
'Infinity'::numeric
'-Infinity'::numeric
NULL::numeric

-- character types
''::text
'hello'::text
'héllo wörld ✓ 𝄞'::text
E'tab\there\nnewline'::text
'a"b\c{}, ()'::text
'NULL'::text
NULL::text
'abc'::varchar
''::varchar
'x'::varchar(10)
'pg_catalog'::name
''::name
'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk'::name
'ab'::char(5)
''::bpchar
'x'::char
'<a b="1">x &amp; y</a>'::xml
'text only'::xml
'a'::"char"
''::"char"
E'\\377'::"char"
'abc'::cstring

-- bytea
'\x'::bytea
'\xdeadbeef'::bytea
'\x00ff5c27'::bytea
NULL::bytea
SET bytea_output = 'escape'
'\x'::bytea
'\xdeadbeef5c0027'::bytea
'abc def'::bytea
'{"\\x00ff5c"}'::bytea[]
SET bytea_output = 'hex'

-- uuid
'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid
'00000000-0000-0000-0000-000000000000'::uuid
'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid

-- json, jsonb, jsonpath
'{"a": [1, 2.50, null, true], "b": "x\u00e9"}'::json
'  { "k" : 1 ,"k":2}  '::json
'[]'::json
'null'::json
'"str"'::json
'{"a": [1, 2.50, null, true], "b": "x\u00e9"}'::jsonb
'  { "k" : 1 ,"k":2}  '::jsonb
'[]'::jsonb
'null'::jsonb
'123.4500'::jsonb
'$.a[*] ? (@ > 1)'::jsonpath
'strict $."key"[last]'::jsonpath
'$'::jsonpath

-- date and time
'2000-01-01'::date
'1999-12-31'::date
'1970-01-01'::date
'2024-02-29'::date
'0001-01-01'::date
'0001-12-31 BC'::date
'4713-01-01 BC'::date
'5874897-12-31'::date
'infinity'::date
'-infinity'::date
NULL::date
'2000-01-01 00:00:00'::timestamp
'1999-12-31 23:59:59.999999'::timestamp
'1970-01-01 00:00:00'::timestamp
'2021-06-15 12:34:56.789'::timestamp
'0001-01-01 00:00:00 BC'::timestamp
'4713-01-01 00:00:00 BC'::timestamp
'294276-12-31 23:59:59.999999'::timestamp
'infinity'::timestamp
'-infinity'::timestamp
'2000-01-01 00:00:00+00'::timestamptz
'2021-06-15 12:34:56.789+05:30'::timestamptz
'1969-12-31 23:59:59.999999+00'::timestamptz
'0001-01-01 00:00:00+00 BC'::timestamptz
'4713-01-01 00:00:00+00 BC'::timestamptz
'294276-12-31 23:59:59.999999+00'::timestamptz
'infinity'::timestamptz
'-infinity'::timestamptz
NULL::timestamptz
SET TimeZone = 'Asia/Kolkata'
ROW('2021-06-15 12:34:56.789+00'::timestamptz, '12:00:00+05:30'::timetz)
'2021-06-15 12:34:56.789+00'::timestamptz
'1900-01-01 00:00:00+00'::timestamptz
tstzrange(NULL, '2000-01-01 00:00:00+00'::timestamptz)
'{"2000-01-01 00:00:00+00",infinity}'::timestamptz[]
SET TimeZone = 'America/New_York'
'2021-07-04 12:00:00+00'::timestamptz
'2021-12-25 12:00:00+00'::timestamptz
'1883-11-18 12:00:00+00'::timestamptz
SET TimeZone = 'UTC'
'00:00:00'::time
'23:59:59.999999'::time
'24:00:00'::time
'12:34:56.789'::time
'00:00:00+00'::timetz
'12:34:56.789+05:30'::timetz
'23:59:59.999999-15:59'::timetz
'24:00:00+15:59'::timetz
'12:00:00+01:02:03'::timetz
'12:00:00-00:00:01'::timetz
'0'::interval
'1 year 2 mons 3 days 04:05:06.789'::interval
'-1 year -2 mons +3 days -04:05:06'::interval
'1 mon'::interval
'-1 day'::interval
'1 day -00:00:00.000001'::interval
'00:00:00.000001'::interval
'178956970 years 7 mons'::interval
'-178956970 years -8 mons'::interval
'2147483647 days'::interval
'-2147483648 days'::interval
'2562047788:00:54.775807'::interval
'-2562047788:00:54.775807'::interval
'1 mon -1 day'::interval
'-1 mon +1 day -00:00:01'::interval
'3 days 25:00:00'::interval
'-00:00:00.5'::interval
'00:00:00.000001'::interval * -1
'1 year -1 mons'::interval
'-1 days +02:03:04'::interval
'100 years 11 mons 30 days 23:59:59.999999'::interval
NULL::interval

-- network
'192.168.0.1'::inet
'192.168.0.1/24'::inet
'0.0.0.0/0'::inet
'255.255.255.255'::inet
'::1'::inet
'2001:db8::1/64'::inet
'::ffff:1.2.3.4'::inet
'::/0'::inet
'10.0.0.0/8'::cidr
'192.168.1.0/24'::cidr
'1.2.3.4/32'::cidr
'0.0.0.0/0'::cidr
'2001:db8::/32'::cidr
'::/0'::cidr
'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'::cidr
'08:00:2b:01:02:03'::macaddr
'00:00:00:00:00:00'::macaddr
'ff:ff:ff:ff:ff:ff'::macaddr
'08:00:2b:01:02:03:04:05'::macaddr8
'08:00:2b:01:02:03'::macaddr8
'ff:ff:ff:ff:ff:ff:ff:ff'::macaddr8

-- bit strings
B'101'
B'10101010'
B'101010101'
B''
B'0'::varbit
''::varbit
'1111000011110000111100001111000011110000111100001111000011110000101'::varbit

-- money
'12.34'::money
'0'::money
'-0.01'::money
'-92233720368547758.08'::money
'92233720368547758.07'::money

-- geometry
'(1,2)'::point
'(-1.5,1e+300)'::point
'(0.1,-0)'::point
'{1,2,3}'::line
'{1,-1,0}'::line
'[(0,0),(1,1)]'::lseg
'(1,1),(0,0)'::box
'(-1,2.5),(3,-4)'::box
'[(0,0),(1,1),(2,0)]'::path
'((0,0),(1,1))'::path
'((0,0),(1,0),(1,1))'::polygon
'<(0,0),1.5>'::circle
'<(1,-2),0>'::circle

-- system types
'(0,0)'::tid
'(42,7)'::tid
'(4294967295,65535)'::tid
'0/0'::pg_lsn
'16/B374D848'::pg_lsn
'FFFFFFFF/FFFFFFFF'::pg_lsn
'10:20:10,14,15'::txid_snapshot
'1:1:'::txid_snapshot
'10:20:10,14,15'::pg_snapshot
'100:100:'::pg_snapshot
''::void

-- types the codec exchanges as text only
'a fat cat sat on a mat'::tsvector
'fat & (rat | cat)'::tsquery
'now'::regproc
'sum(int4)'::regprocedure
'||/'::regoper
'+(int4,int4)'::regoperator
'pg_class'::regclass
'int4'::regtype
'english'::regconfig
'simple'::regdictionary
'pg_catalog'::regnamespace
'postgres'::regrole
'"C"'::regcollation
'my cursor'::refcursor
'postgres=arwdDxt/postgres'::aclitem

-- int2vector and oidvector (array_send with lower bound 0)
'1 2 3'::int2vector
''::int2vector
'16 23 25'::oidvector

-- arrays: shapes and edge values
'{}'::int4[]
'{1,2,3}'::int4[]
'{1,NULL,3}'::int4[]
'{NULL}'::int4[]
'{{1,2},{3,4}}'::int4[]
'{{{1,2}},{{3,4}},{{5,6}}}'::int4[]
'[0:2]={1,2,3}'::int4[]
'[-2:-1][3:4]={{1,2},{3,4}}'::int4[]
'[5:5]={NULL}'::int4[]
NULL::int4[]
'{}'::text[]
'{a,"b c","",NULL,"NULL","x\"y","back\\slash","{}",",",héllo}'::text[]
'{{a,b},{c,NULL}}'::text[]
'[2:3]={"x y",z}'::text[]
ARRAY[E'tab\there', E'new\nline', ' lead', 'trail ', 'a\b', '"q"', 'comma,', 'semi;colon', 'null', 'NULLS']::text[]
'{{{1,2},{3,4}},{{5,6},{7,8}}}'::int8[]
'[1:1][1:1][1:1][1:1][1:1][1:1]={{{{{{42}}}}}}'::int4[]
'{"{\"a\": \"x,y\"}","[1, {\"b\": null}]"}'::jsonb[]
-- arrays: one per element type
'{t,f,NULL}'::bool[]
'{"\\x","\\xdead"}'::bytea[]
'{a,b}'::"char"[]
'{pg_class,a}'::name[]
'{-32768,32767}'::int2[]
'{"1 2","3"}'::int2vector[]
'{now,-}'::regproc[]
'{"(0,1)","(2,3)"}'::tid[]
'{1,2}'::xid[]
'{1,2}'::cid[]
'{"16 23"}'::oidvector[]
'{"a  ",b}'::char(3)[]
'{a,b}'::varchar[]
'{-9223372036854775808,9223372036854775807}'::int8[]
'{"(1,2)","(3,4)"}'::point[]
'{"[(0,0),(1,1)]"}'::lseg[]
'{"[(0,0),(1,1)]"}'::path[]
'{(1,1),(0,0);(3,3),(2,2)}'::box[]
'{1.5,NaN,-Infinity}'::float4[]
'{0.1,NULL,Infinity}'::float8[]
'{"((0,0),(1,0),(1,1))"}'::polygon[]
'{16,4294967295}'::oid[]
'{postgres=arwdDxt/postgres}'::aclitem[]
'{08:00:2b:01:02:03}'::macaddr[]
'{192.168.0.1/24,::1}'::inet[]
'{"2000-01-01 00:00:00",infinity}'::timestamp[]
'{2000-01-01,-infinity}'::date[]
'{00:00:00,24:00:00}'::time[]
'{"2000-01-01 00:00:00+00",-infinity}'::timestamptz[]
'{"1 year 2 mons",-00:00:01}'::interval[]
'{1.5,NaN,-Infinity,0.000}'::numeric[]
'{a,b}'::cstring[]
'{12:00:00+01,00:00:00-15:59}'::timetz[]
'{101,0}'::bit[]
'{101,""}'::varbit[]
'{"{\"a\": 1}",null}'::json[]
'{<x/>,"y z"}'::xml[]
'{"{1,2,3}"}'::line[]
'{10.0.0.0/8,2001:db8::/32}'::cidr[]
'{"<(0,0),1>"}'::circle[]
'{08:00:2b:01:02:03:04:05}'::macaddr8[]
'{1.50,-0.01}'::money[]
'{c1,"c 2"}'::refcursor[]
'{"sum(int4)"}'::regprocedure[]
'{||/}'::regoper[]
'{"+(int4,int4)"}'::regoperator[]
'{pg_class,pg_type}'::regclass[]
'{int4,text}'::regtype[]
'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'::uuid[]
'{"10:20:10,14,15"}'::txid_snapshot[]
'{0/0,16/B374D848}'::pg_lsn[]
'{"a b"}'::tsvector[]
'{"a & b"}'::tsquery[]
'{english}'::regconfig[]
'{simple}'::regdictionary[]
'{"{\"a\": 1}","[]"}'::jsonb[]
'{"[1,5)",empty}'::int4range[]
'{"[1.5,2.5]"}'::numrange[]
'{"[\"2000-01-01 00:00:00\",infinity)"}'::tsrange[]
'{"[\"2000-01-01 00:00:00+00\",)"}'::tstzrange[]
'{"[2000-01-01,2000-02-01)"}'::daterange[]
'{"(,1)"}'::int8range[]
'{$.a,strict $}'::jsonpath[]
'{pg_catalog}'::regnamespace[]
'{postgres}'::regrole[]
'{"\"C\""}'::regcollation[]
'{"{[1,3), [5,7)}","{}"}'::int4multirange[]
'{"{[1.5,2)}"}'::nummultirange[]
'{"{[\"2000-01-01 00:00:00\",\"2000-01-02 00:00:00\")}"}'::tsmultirange[]
'{"{[\"2000-01-01 00:00:00+00\",)}"}'::tstzmultirange[]
'{"{[2000-01-01,2000-02-01)}"}'::datemultirange[]
'{"{(,1)}"}'::int8multirange[]
'{"10:20:10,14,15"}'::pg_snapshot[]
'{0,18446744073709551615}'::xid8[]
ARRAY[ROW(1, 'a'::text), ROW(2, NULL::text)]

-- ranges
'[1,10)'::int4range
'[1,10]'::int4range
'empty'::int4range
'(,5)'::int4range
'[3,)'::int4range
'(,)'::int4range
NULL::int4range
'[-9223372036854775808,0)'::int8range
'[1.5,2.5]'::numrange
'(,0.001)'::numrange
'empty'::numrange
'["2000-01-01 00:00:00","2000-01-02 00:00:00")'::tsrange
'[-infinity,infinity]'::tsrange
'["2000-01-01 00:00:00+00",)'::tstzrange
'(-infinity,"2021-06-15 12:34:56.789+00"]'::tstzrange
'[2000-01-01,2000-02-01)'::daterange
'[2000-01-01,2000-01-31]'::daterange
'(,infinity)'::daterange

-- multiranges
'{}'::int4multirange
'{[1,3),[5,7)}'::int4multirange
'{(,5),[10,)}'::int4multirange
'{[1,3),[2,7)}'::int4multirange
'{[1.5,2),[3,4.25]}'::nummultirange
'{[-9223372036854775808,0)}'::int8multirange
'{["2000-01-01 00:00:00","2000-01-02 00:00:00")}'::tsmultirange
'{["2000-01-01 00:00:00+00",)}'::tstzmultirange
'{[2000-01-01,2000-02-01),[2000-03-01,)}'::datemultirange
NULL::int4multirange

-- anonymous records
ROW(1, 'a'::text)
ROW(NULL::int4, ''::text)
ROW()
ROW('a"b,c'::text, 'x y'::text, E'back\\slash'::text, '('::text)
ROW(ROW(1, 2), ARRAY[1, 2], '[1,2)'::int4range)
ROW(1.5::numeric, '2000-01-01 00:00:00+00'::timestamptz, true, '\xdead'::bytea, '{"a": 1}'::jsonb)
ROW(NULL::int4)
ROW(' lead'::text, 'trail '::text, ''::text, NULL::text, E'new\nline'::text, E'tab\t'::text)
ROW('a,b'::text, '(x)'::text, '"'::text, '\'::text)
ROW(ARRAY['a b', NULL, '']::text[], '{{1,2},{3,4}}'::int4[], '[0:1]={7,8}'::int4[])
ROW('{"(1,2)","(3,4)"}'::point[], '(1,1),(0,0)'::box, '{[1,3),[5,7)}'::int4multirange)
ROW(ROW(ROW('deep'::text)), ROW(NULL::int4, 1.5::float8))
ROW('2021-06-15 12:34:56.789+00'::timestamptz, '1 day'::interval, '12:00:00+05:30'::timetz, '2000-01-01'::date, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid)
ROW('192.168.0.1/24'::inet, '08:00:2b:01:02:03'::macaddr, B'101', '16/B374D848'::pg_lsn, '(42,7)'::tid)
ARRAY[ROW(ARRAY[1, 2], '[1,2)'::int4range), ROW(ARRAY[3], 'empty'::int4range)]
ARRAY[[ROW(1, 'a'::text), ROW(2, 'b'::text)], [ROW(3, 'c'::text), ROW(4, NULL::text)]]
NULL::record
