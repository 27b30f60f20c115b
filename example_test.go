package pg_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgtest"
)

// exampleDSN is the test server's connection string; in a program it is
// yours ("postgres://user:pw@host/db" or "host=... dbname=...").
func exampleDSN() string { return pgtest.Shared().DSN() }

func ExampleConnect() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)

	var greeting string
	if err := conn.QueryRow(ctx, "SELECT 'hello, ' || $1", "world").Scan(&greeting); err != nil {
		log.Fatal(err)
	}
	fmt.Println(greeting)
	// Output: hello, world
}

func ExampleConn_Query() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)

	rows, err := conn.Query(ctx, "SELECT n, n * n FROM generate_series(1, $1::int) n", 3)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n, square int
		if err := rows.Scan(&n, &square); err != nil {
			log.Fatal(err)
		}
		fmt.Println(n, square)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 1 1
	// 2 4
	// 3 9
}

func ExampleCollectRows() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)

	type user struct {
		ID   int64
		Name string `pg:"login"`
	}
	users, err := pg.CollectRows[user](ctx, conn,
		"SELECT id, login FROM (VALUES (1, 'ann'), (2, 'bob')) u(id, login) ORDER BY id")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", users)
	// Output: [{ID:1 Name:ann} {ID:2 Name:bob}]
}

func ExampleConn_Begin() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TEMP TABLE account (id int PRIMARY KEY, balance int)"); err != nil {
		log.Fatal(err)
	}

	tx, err := conn.Begin(ctx, pg.TxOptions{Isolation: pg.Serializable})
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if _, err := tx.Exec(ctx, "INSERT INTO account VALUES (1, 100), (2, 0)"); err != nil {
		log.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "UPDATE account SET balance = balance + $1 WHERE id = $2", 30, 2); err != nil {
		log.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err)
	}

	total, err := pg.FetchVal[int64](ctx, conn, "SELECT sum(balance) FROM account")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(total)
	// Output: 130
}

func ExampleConn_CopyRecordsToTable() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TEMP TABLE reading (at timestamptz, value float8)"); err != nil {
		log.Fatal(err)
	}

	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	n, err := conn.CopyRecordsToTable(ctx, "reading", []string{"at", "value"}, pg.CopyFromRows([][]any{
		{t0, 1.5},
		{t0.Add(time.Minute), 2.5},
	}))
	if err != nil {
		log.Fatal(err)
	}
	avg, err := pg.FetchVal[float64](ctx, conn, "SELECT avg(value) FROM reading")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, avg)
	// Output: 2 2
}

func ExampleCreatePool() {
	ctx := context.Background()
	pc := pg.DefaultPoolConfig() // asyncpg's pool: 10 connections, recycled
	pc.MinSize, pc.MaxSize = 1, 4
	pool, err := pg.CreatePool(ctx, exampleDSN(), pc)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close(ctx)

	// One call: acquire, run, release.
	v, err := pg.FetchVal[int32](ctx, pool, "SELECT 40 + $1::int4", 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)

	// Several calls on one connection.
	pconn, err := pool.Acquire(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer pconn.Release()
	if _, err := pconn.Exec(ctx, "SET application_name = 'example'"); err != nil {
		log.Fatal(err)
	}
	rec, err := pconn.FetchRow(ctx, "SELECT current_setting('application_name') AS app")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Get("app"))
	// Output:
	// 42
	// example
}

func ExampleConn_Listen() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)

	got := make(chan pg.Notification, 1)
	if err := conn.Listen(ctx, "jobs", func(n pg.Notification) { got <- n }); err != nil {
		log.Fatal(err)
	}
	// Any session may notify; this one does it itself.
	if _, err := conn.Exec(ctx, "SELECT pg_notify('jobs', 'job 7 is ready')"); err != nil {
		log.Fatal(err)
	}
	n := <-got
	fmt.Println(n.Channel, n.Payload)
	// Output: jobs job 7 is ready
}

func ExampleConn_SetTypeCodec() {
	ctx := context.Background()
	conn, err := pg.Connect(ctx, exampleDSN())
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)

	// A codec in the text format, to show the shape: int4 read and
	// written as the words ZERO to THREE. Real uses: an extension's type,
	// or a Go type of your own for a domain.
	words := []string{"ZERO", "ONE", "TWO", "THREE"}
	err = conn.SetTypeCodec(ctx, "int4", "pg_catalog", codec.Codec{
		Format: codec.TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			for i, w := range words {
				if w == v {
					return fmt.Appendf(dst, "%d", i), nil
				}
			}
			return dst, fmt.Errorf("unknown number %v", v)
		},
		Decode: func(src []byte) (any, error) {
			var i int
			if _, err := fmt.Sscan(string(src), &i); err != nil || i < 0 || i >= len(words) {
				return strings.ToLower(string(src)), nil
			}
			return words[i], nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	v, err := pg.FetchVal[any](ctx, conn, "SELECT $1::int4 + 1", "TWO")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Output: THREE
}
