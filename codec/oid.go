package codec

// OIDs of built-in types, from PostgreSQL's pg_type.dat. They are fixed
// across server versions (package pg's TestBuiltinOIDs checks them, and the
// array OIDs below, against the server's pg_type).
const (
	BoolOID           uint32 = 16
	ByteaOID          uint32 = 17
	CharOID           uint32 = 18
	NameOID           uint32 = 19
	Int8OID           uint32 = 20
	Int2OID           uint32 = 21
	Int2VectorOID     uint32 = 22
	Int4OID           uint32 = 23
	RegprocOID        uint32 = 24
	TextOID           uint32 = 25
	OIDOID            uint32 = 26
	TIDOID            uint32 = 27
	XIDOID            uint32 = 28
	CIDOID            uint32 = 29
	OIDVectorOID      uint32 = 30
	JSONOID           uint32 = 114
	XMLOID            uint32 = 142
	PgNodeTreeOID     uint32 = 194
	PointOID          uint32 = 600
	LSegOID           uint32 = 601
	PathOID           uint32 = 602
	BoxOID            uint32 = 603
	PolygonOID        uint32 = 604
	LineOID           uint32 = 628
	CIDROID           uint32 = 650
	Float4OID         uint32 = 700
	Float8OID         uint32 = 701
	UnknownOID        uint32 = 705
	CircleOID         uint32 = 718
	Macaddr8OID       uint32 = 774
	MoneyOID          uint32 = 790
	MacaddrOID        uint32 = 829
	InetOID           uint32 = 869
	AclitemOID        uint32 = 1033
	BPCharOID         uint32 = 1042
	VarcharOID        uint32 = 1043
	DateOID           uint32 = 1082
	TimeOID           uint32 = 1083
	TimestampOID      uint32 = 1114
	TimestamptzOID    uint32 = 1184
	IntervalOID       uint32 = 1186
	TimetzOID         uint32 = 1266
	BitOID            uint32 = 1560
	VarbitOID         uint32 = 1562
	NumericOID        uint32 = 1700
	RefcursorOID      uint32 = 1790
	RegprocedureOID   uint32 = 2202
	RegoperOID        uint32 = 2203
	RegoperatorOID    uint32 = 2204
	RegclassOID       uint32 = 2205
	RegtypeOID        uint32 = 2206
	RecordOID         uint32 = 2249
	CstringOID        uint32 = 2275
	VoidOID           uint32 = 2278
	RecordArrayOID    uint32 = 2287
	UUIDOID           uint32 = 2950
	TxidSnapshotOID   uint32 = 2970
	PgLSNOID          uint32 = 3220
	TSVectorOID       uint32 = 3614
	TSQueryOID        uint32 = 3615
	RegconfigOID      uint32 = 3734
	RegdictionaryOID  uint32 = 3769
	JSONBOID          uint32 = 3802
	Int4RangeOID      uint32 = 3904
	NumRangeOID       uint32 = 3906
	TSRangeOID        uint32 = 3908
	TSTZRangeOID      uint32 = 3910
	DateRangeOID      uint32 = 3912
	Int8RangeOID      uint32 = 3926
	JSONPathOID       uint32 = 4072
	RegnamespaceOID   uint32 = 4089
	RegroleOID        uint32 = 4096
	RegcollationOID   uint32 = 4191
	Int4MultirangeOID uint32 = 4451
	NumMultirangeOID  uint32 = 4532
	TSMultirangeOID   uint32 = 4533
	TSTZMultirangeOID uint32 = 4534
	DateMultirangeOID uint32 = 4535
	Int8MultirangeOID uint32 = 4536
	PgSnapshotOID     uint32 = 5038
	XID8OID           uint32 = 5069
)

// builtinArrays maps each built-in element type to its array type: OID and
// name of the array (pg_type.typarray).
var builtinArrays = []struct {
	elem, array uint32
	name        string
}{
	{BoolOID, 1000, "_bool"}, {ByteaOID, 1001, "_bytea"}, {CharOID, 1002, "_char"},
	{NameOID, 1003, "_name"}, {Int2OID, 1005, "_int2"}, {Int2VectorOID, 1006, "_int2vector"},
	{Int4OID, 1007, "_int4"}, {RegprocOID, 1008, "_regproc"}, {TextOID, 1009, "_text"},
	{TIDOID, 1010, "_tid"}, {XIDOID, 1011, "_xid"}, {CIDOID, 1012, "_cid"},
	{OIDVectorOID, 1013, "_oidvector"}, {BPCharOID, 1014, "_bpchar"}, {VarcharOID, 1015, "_varchar"},
	{Int8OID, 1016, "_int8"}, {PointOID, 1017, "_point"}, {LSegOID, 1018, "_lseg"},
	{PathOID, 1019, "_path"}, {BoxOID, 1020, "_box"}, {Float4OID, 1021, "_float4"},
	{Float8OID, 1022, "_float8"}, {PolygonOID, 1027, "_polygon"}, {OIDOID, 1028, "_oid"},
	{AclitemOID, 1034, "_aclitem"}, {MacaddrOID, 1040, "_macaddr"}, {InetOID, 1041, "_inet"},
	{TimestampOID, 1115, "_timestamp"}, {DateOID, 1182, "_date"}, {TimeOID, 1183, "_time"},
	{TimestamptzOID, 1185, "_timestamptz"}, {IntervalOID, 1187, "_interval"},
	{NumericOID, 1231, "_numeric"}, {CstringOID, 1263, "_cstring"}, {TimetzOID, 1270, "_timetz"},
	{BitOID, 1561, "_bit"}, {VarbitOID, 1563, "_varbit"}, {JSONOID, 199, "_json"},
	{XMLOID, 143, "_xml"}, {LineOID, 629, "_line"}, {CIDROID, 651, "_cidr"},
	{CircleOID, 719, "_circle"}, {Macaddr8OID, 775, "_macaddr8"}, {MoneyOID, 791, "_money"},
	{RefcursorOID, 2201, "_refcursor"}, {RegprocedureOID, 2207, "_regprocedure"},
	{RegoperOID, 2208, "_regoper"}, {RegoperatorOID, 2209, "_regoperator"},
	{RegclassOID, 2210, "_regclass"}, {RegtypeOID, 2211, "_regtype"},
	{RecordOID, RecordArrayOID, "_record"},
	{UUIDOID, 2951, "_uuid"}, {TxidSnapshotOID, 2949, "_txid_snapshot"},
	{PgLSNOID, 3221, "_pg_lsn"}, {TSVectorOID, 3643, "_tsvector"}, {TSQueryOID, 3645, "_tsquery"},
	{RegconfigOID, 3735, "_regconfig"}, {RegdictionaryOID, 3770, "_regdictionary"},
	{JSONBOID, 3807, "_jsonb"}, {Int4RangeOID, 3905, "_int4range"}, {NumRangeOID, 3907, "_numrange"},
	{TSRangeOID, 3909, "_tsrange"}, {TSTZRangeOID, 3911, "_tstzrange"}, {DateRangeOID, 3913, "_daterange"},
	{Int8RangeOID, 3927, "_int8range"}, {JSONPathOID, 4073, "_jsonpath"},
	{RegnamespaceOID, 4090, "_regnamespace"}, {RegroleOID, 4097, "_regrole"},
	{RegcollationOID, 4192, "_regcollation"},
	{Int4MultirangeOID, 6150, "_int4multirange"}, {NumMultirangeOID, 6151, "_nummultirange"},
	{TSMultirangeOID, 6152, "_tsmultirange"}, {TSTZMultirangeOID, 6153, "_tstzmultirange"},
	{DateMultirangeOID, 6155, "_datemultirange"}, {Int8MultirangeOID, 6157, "_int8multirange"},
	{PgSnapshotOID, 5039, "_pg_snapshot"}, {XID8OID, 271, "_xid8"},
}

// builtinRanges lists the built-in range types with their subtype and
// multirange (pg_range).
var builtinRanges = []struct {
	rng, sub, multi    uint32
	rngName, multiName string
}{
	{Int4RangeOID, Int4OID, Int4MultirangeOID, "int4range", "int4multirange"},
	{NumRangeOID, NumericOID, NumMultirangeOID, "numrange", "nummultirange"},
	{TSRangeOID, TimestampOID, TSMultirangeOID, "tsrange", "tsmultirange"},
	{TSTZRangeOID, TimestamptzOID, TSTZMultirangeOID, "tstzrange", "tstzmultirange"},
	{DateRangeOID, DateOID, DateMultirangeOID, "daterange", "datemultirange"},
	{Int8RangeOID, Int8OID, Int8MultirangeOID, "int8range", "int8multirange"},
}
