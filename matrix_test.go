package pg_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wirepg/pg"
)

// The query-method matrix: which querier has which of Conn's query
// methods. Each listed method must exist with Conn's signature (a Stmt's
// without the SQL argument: the statement is its SQL); a method removed,
// or one added to Conn and not placed here, fails the test, so a gap
// cannot come back unnoticed. "-" marks a method that does not make sense
// there (why is in the comment after the row), "~" one present with
// another signature on purpose.
func TestQueryMethodMatrix(t *testing.T) {
	//               Conn Tx PoolConn Pool Stmt
	matrix := map[string]string{
		"Exec":                "x x x x x",
		"Query":               "x x x x x",
		"QueryRow":            "x x x x x",
		"Fetch":               "x x x x x",
		"FetchRow":            "x x x x x",
		"Iter":                "x x x x x",
		"IterFetchSize":       "x x x x x",
		"ExecMany":            "x x x x x",
		"ExecManyTag":         "x x x x x",
		"FetchMany":           "x x x x x",
		"SendBatch":           "x x x x -", // a batch holds its own statements
		"Begin":               "x ~ x x -", // Tx.Begin is a savepoint (no TxOptions)
		"Prepare":             "x x x - -", // a Stmt needs one connection
		"PrepareNamed":        "x x x - -",
		"Cursor":              "x x x - x", // a cursor needs one transaction
		"CopyRecordsToTable":  "x x x x -",
		"CopyToTable":         "x x x x -",
		"CopyFromTable":       "x x x x -",
		"CopyFromQuery":       "x x x x -",
		"Listen":              "x - x ~ -", // Pool.Listen holds a connection of its own and returns its stop func
		"AddListener":         "x - x - -", // Pool.Listen's stop func is the Pool's remove
		"Unlisten":            "x - x - -",
		"WaitForNotification": "x - x - -",
		"OnNotice":            "x - x - -", // callbacks belong to a session
		"AddQueryLogger":      "x - x - -",
		"SetTypeCodec":        "x - x - -",
	}
	types := []reflect.Type{
		reflect.TypeFor[*pg.Conn](), reflect.TypeFor[*pg.Tx](), reflect.TypeFor[*pg.PoolConn](),
		reflect.TypeFor[*pg.Pool](), reflect.TypeFor[*pg.Stmt](),
	}
	conn := types[0]
	for name, row := range matrix {
		cells := strings.Fields(row)
		want, ok := conn.MethodByName(name)
		if !assert.True(t, ok, "Conn.%s is in the matrix but not on Conn", name) {
			continue
		}
		for i, typ := range types {
			m, has := typ.MethodByName(name)
			if cells[i] == "-" {
				continue
			}
			if !assert.True(t, has, "%s.%s is missing", typ.Elem().Name(), name) || cells[i] == "~" {
				continue
			}
			// Compare without the receiver.
			wantSig := sig(want.Type)
			if typ == types[4] {
				wantSig = strings.Replace(wantSig, "string,", "", 1) // the SQL
			}
			assert.Equal(t, wantSig, sig(m.Type), "%s.%s differs from Conn.%s", typ.Elem().Name(), name, name)
		}
	}
	// Every query method of Conn that takes a context is placed.
	var unplaced []string
	for i := range conn.NumMethod() {
		m := conn.Method(i)
		if m.Type.NumIn() > 1 && m.Type.In(1).String() == "context.Context" {
			if _, ok := matrix[m.Name]; !ok && !connOnly[m.Name] {
				unplaced = append(unplaced, m.Name)
			}
		}
	}
	sort.Strings(unplaced)
	assert.Empty(t, unplaced, "Conn methods missing from the matrix")
}

// connOnly are Conn methods with a context that are about the connection
// itself, not queries.
var connOnly = map[string]bool{
	"Close": true, "CancelRequest": true, "ReloadSchemaState": true, "SetBuiltinTypeCodec": true, "ResetTypeCodec": true,
	"CheckConn": true, "Ping": true, "SetTimestamptzLocation": true, "SetJSONCodec": true,
}

func sig(f reflect.Type) string {
	var b strings.Builder
	for i := 1; i < f.NumIn(); i++ {
		b.WriteString(f.In(i).String() + ",")
	}
	b.WriteString("->")
	for i := range f.NumOut() {
		b.WriteString(f.Out(i).String() + ",")
	}
	return b.String()
}
