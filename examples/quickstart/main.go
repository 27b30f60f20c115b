// Command quickstart connects to PostgreSQL, creates a table, inserts rows
// with parameters and reads them back.
//
// It uses DATABASE_URL when set; otherwise it starts a throwaway server
// with pgtest (PostgreSQL's binaries must be installed) and removes it at
// the end.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

func main() {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		srv, err := pgtest.Start(pgtest.Options{})
		if err != nil {
			log.Fatalf("no DATABASE_URL and no throwaway server: %v", err)
		}
		defer srv.Stop()
		dsn = srv.DSN()
		fmt.Println("started a throwaway server at", dsn)
	}
	if err := run(dsn); err != nil {
		log.Fatal(err)
	}
}

func run(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	conn, err := pg.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	fmt.Printf("connected: server %d, backend pid %d\n", conn.ServerVersion(), conn.ServerPID())

	// No arguments: the simple protocol, so a script of statements runs at once.
	if _, err := conn.Exec(ctx, `
		CREATE TEMP TABLE fruit (id int4 PRIMARY KEY, name text NOT NULL, price float8);
		INSERT INTO fruit VALUES (1, 'apple', 0.5)`); err != nil {
		return err
	}
	// Arguments: the extended protocol, binary parameters, statement cache.
	for i, name := range []string{"banana", "cherry"} {
		tag, err := conn.Exec(ctx, "INSERT INTO fruit VALUES ($1, $2, $3)", i+2, name, 1.25*float64(i+1))
		if err != nil {
			return err
		}
		fmt.Println(tag)
	}

	rows, err := conn.Query(ctx, "SELECT id, name, price FROM fruit WHERE price < $1 ORDER BY id", 5.0)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int32
		var name string
		var price float64
		if err := rows.Scan(&id, &name, &price); err != nil {
			return err
		}
		fmt.Printf("%d %-7s %.2f\n", id, name, price)
	}
	if err := rows.Err(); err != nil {
		return err
	}

	rec, err := conn.FetchRow(ctx, "SELECT count(*) AS n, max(name) AS last FROM fruit")
	if err != nil {
		return err
	}
	fmt.Println(rec)

	n, err := pg.FetchVal[int64](ctx, conn, "SELECT sum(id) FROM fruit")
	if err != nil {
		return err
	}
	fmt.Println("sum of ids:", n)
	return nil
}
