// Command capture records both directions of a real PostgreSQL session into
// session.bin (server to client) and frontend_session.bin (client to
// server), the fixtures of session_test.go. It builds every message byte by
// byte, independently of pgproto, so that the recording is an oracle for it.
//
//	go run testdata/capture/main.go 127.0.0.1:5432 testdata
//
// It needs a server that trusts user postgres; the recorded session has
// PostgreSQL 15's bytes.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
)

var fe, be []byte

func msg(typ byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	out := []byte{typ, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(out[1:], uint32(len(body)+4))
	return append(out, body...)
}
func cs(s string) []byte { return append([]byte(s), 0) }
func i16(v int16) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func i32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
func val(b []byte) []byte {
	if b == nil {
		return i32(-1)
	}
	return append(i32(int32(len(b))), b...)
}

var conn net.Conn
var br *bufio.Reader

func send(b ...[]byte) {
	for _, x := range b {
		fe = append(fe, x...)
		if _, err := conn.Write(x); err != nil {
			panic(err)
		}
	}
}

// recvUntil reads messages until one of type stop.
func recvUntil(stop byte) {
	for {
		hdr := make([]byte, 5)
		if _, err := io.ReadFull(br, hdr); err != nil {
			panic(err)
		}
		n := binary.BigEndian.Uint32(hdr[1:])
		body := make([]byte, n-4)
		if _, err := io.ReadFull(br, body); err != nil {
			panic(err)
		}
		be = append(be, hdr...)
		be = append(be, body...)
		fmt.Printf("%c ", hdr[0])
		if hdr[0] == stop {
			fmt.Println()
			return
		}
	}
}

func q(s string) { send(msg('Q', cs(s))); recvUntil('Z') }

func main() {
	var err error
	conn, err = net.Dial("tcp", os.Args[1])
	if err != nil {
		panic(err)
	}
	br = bufio.NewReader(conn)
	var params []byte
	for _, kv := range [][2]string{{"user", "postgres"}, {"database", "postgres"}, {"application_name", "capture"}} {
		params = append(params, cs(kv[0])...)
		params = append(params, cs(kv[1])...)
	}
	params = append(params, 0)
	startup := append(i32(int32(8+len(params))), i32(196608)...)
	send(append(startup, params...))
	recvUntil('Z')

	q("CREATE TEMP TABLE t (id int PRIMARY KEY, name text, b bytea); INSERT INTO t VALUES (1, 'one', '\\x00ff'), (2, NULL, ''); SELECT * FROM t ORDER BY id")
	q("")
	q("DROP TABLE IF EXISTS nonexistent")
	q("DO $$BEGIN RAISE NOTICE 'hello %', 1; END$$")
	q("SELEC 1")
	q("INSERT INTO t VALUES (1, 'dup', NULL)")
	q("SELECT 1/0")
	q("SET application_name = 'capture2'")
	q("LISTEN c; NOTIFY c, 'payload'")
	q("BEGIN; SELECT 1")
	q("SELECT * FROM nonexistent")
	q("ROLLBACK")

	// Extended protocol.
	send(
		msg('P', cs("s1"), cs("SELECT $1::int4 + 1 AS x, $2::text AS y"), i16(2), i32(23), i32(25)),
		msg('D', []byte{'S'}, cs("s1")),
		msg('B', cs(""), cs("s1"), i16(2), i16(1), i16(0), i16(2), val([]byte{0, 0, 0, 1}), val([]byte("hi")), i16(1), i16(1)),
		msg('D', []byte{'P'}, cs("")),
		msg('E', cs(""), i32(0)),
		msg('C', []byte{'S'}, cs("s1")),
		msg('S'),
	)
	recvUntil('Z')
	send(
		msg('P', cs(""), cs("SELECT generate_series(1, 3)"), i16(0)),
		msg('B', cs("p1"), cs(""), i16(0), i16(0), i16(0)),
		msg('E', cs("p1"), i32(2)),
		msg('E', cs("p1"), i32(0)),
		msg('C', []byte{'P'}, cs("p1")),
		msg('S'),
	)
	recvUntil('Z')
	send(
		msg('P', cs(""), cs("SET search_path = public"), i16(0)),
		msg('B', cs(""), cs(""), i16(0), i16(0), i16(0)),
		msg('D', []byte{'P'}, cs("")),
		msg('E', cs(""), i32(0)),
		msg('H'),
	)
	recvUntil('C')
	send(msg('S'))
	recvUntil('Z')
	send(
		msg('P', cs(""), cs("SELECT nope"), i16(0)),
		msg('B', cs(""), cs(""), i16(0), i16(0), i16(0)),
		msg('E', cs(""), i32(0)),
		msg('S'),
	)
	recvUntil('Z')

	// COPY.
	q("COPY (SELECT 1, 'a' UNION ALL SELECT 2, NULL) TO STDOUT")
	q("COPY (SELECT 1) TO STDOUT (FORMAT binary)")
	send(msg('Q', cs("CREATE TEMP TABLE c (a int); COPY c FROM STDIN")))
	recvUntil('G')
	send(msg('d', []byte("1\n2\n")), msg('c'))
	recvUntil('Z')
	send(msg('Q', cs("COPY c FROM STDIN")))
	recvUntil('G')
	send(msg('f', cs("client gave up")))
	recvUntil('Z')

	// Fast-path function call: int4pl (OID 177).
	send(msg('F', i32(177), i16(1), i16(1), i16(2), val(i32(2)), val(i32(40)), i16(1)))
	recvUntil('Z')

	send(msg('X'))
	conn.Close()
	must(os.WriteFile(os.Args[2]+"/session.bin", be, 0o644))
	must(os.WriteFile(os.Args[2]+"/frontend_session.bin", fe, 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
