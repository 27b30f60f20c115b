// Command readwrite splits writes and reads between a primary and its hot
// standbys with two pools built from one host list:
//
//	writes: target_session_attrs=read-write                        (the primary, wherever it is)
//	reads:  target_session_attrs=prefer-standby&load_balance_hosts=random (any standby, else the primary)
//
// A standby replays the primary's WAL a little behind it, so a read there
// may not see a write the caller just made. For reads that must
// (read-your-writes), Write returns the primary's WAL position after the
// commit and ReadAfter waits until the standby has replayed that far
// (pg_last_wal_replay_lsn), reading from the primary when the standby is
// too far behind. The program shows that case by pausing replay on the
// standby (which needs a superuser, and shows the lag as meant only with a
// single standby).
//
// It uses DATABASE_URL (a multi-host URL such as
// postgres://app@db1,db2,db3/app) when set; otherwise it starts a primary
// and a standby with pgtest (PostgreSQL's binaries must be installed) and
// removes them at the end.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgtest"
)

func main() {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		primary, standby, err := startPair()
		if err != nil {
			log.Fatalf("no DATABASE_URL and no throwaway servers: %v", err)
		}
		defer primary.Stop()
		defer standby.Stop()
		dsn = pairDSN(primary, standby)
		fmt.Println("started a primary and a standby:", dsn)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, dsn, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// startPair starts a throwaway primary and a hot standby streaming from it.
func startPair() (primary, standby *pgtest.Server, err error) {
	if primary, err = pgtest.Start(pgtest.Options{}); err != nil {
		return nil, nil, err
	}
	if standby, err = pgtest.Start(pgtest.Options{StandbyOf: primary}); err != nil {
		primary.Stop()
		return nil, nil, err
	}
	return primary, standby, nil
}

// pairDSN is one URL naming both servers; each pool picks by its own
// target_session_attrs.
func pairDSN(primary, standby *pgtest.Server) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d,127.0.0.1:%d/postgres?sslmode=disable",
		primary.Port(), standby.Port())
}

// DB is the read/write split: Primary takes writes, Replica reads.
type DB struct {
	Primary *pg.Pool
	Replica *pg.Pool
}

// Open creates both pools from one DSN listing every server.
func Open(ctx context.Context, dsn string) (*DB, error) {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	primary, err := pg.CreatePool(ctx, dsn+sep+"target_session_attrs=read-write", pg.PoolConfig{MaxSize: 4})
	if err != nil {
		return nil, err
	}
	replica, err := pg.CreatePool(ctx, dsn+sep+"target_session_attrs=prefer-standby&load_balance_hosts=random", pg.PoolConfig{MaxSize: 8})
	if err != nil {
		primary.Terminate()
		return nil, err
	}
	return &DB{Primary: primary, Replica: replica}, nil
}

// Close closes both pools.
func (db *DB) Close(ctx context.Context) error {
	return errors.Join(db.Primary.Close(ctx), db.Replica.Close(ctx))
}

// Write runs sql on the primary and returns the primary's WAL position
// after it, read on the same connection once the statement (committed on
// its own) has returned: a standby that has replayed that far sees the
// write.
func (db *DB) Write(ctx context.Context, sql string, args ...any) (codec.LSN, error) {
	pc, err := db.Primary.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer pc.Release()
	if _, err := pc.Exec(ctx, sql, args...); err != nil {
		return 0, err
	}
	// The insert position, not pg_current_wal_lsn (what has been written
	// out): with synchronous_commit off the commit record may not have
	// been written yet when the statement returns.
	var lsn codec.LSN
	err = pc.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()").Scan(&lsn)
	return lsn, err
}

// ReadAfter runs a one-row query on a replica once it has replayed lsn,
// polling its replay position for up to maxWait; a replica still behind
// then is passed over for the primary. It returns the record and which
// server kind answered.
func (db *DB) ReadAfter(ctx context.Context, lsn codec.LSN, maxWait time.Duration, sql string, args ...any) (pg.Record, string, error) {
	pc, err := db.Replica.Acquire(ctx)
	if err != nil {
		return pg.Record{}, "", err
	}
	defer pc.Release()
	deadline := time.Now().Add(maxWait)
	for {
		// NULL on a primary (prefer-standby found no standby): it has
		// everything.
		var replayed *codec.LSN
		if err := pc.QueryRow(ctx, "SELECT pg_last_wal_replay_lsn()").Scan(&replayed); err != nil {
			return pg.Record{}, "", err
		}
		if replayed == nil || *replayed >= lsn {
			rec, err := pc.FetchRow(ctx, sql, args...)
			return rec, "replica", err
		}
		if time.Now().After(deadline) {
			rec, err := db.Primary.FetchRow(ctx, sql, args...)
			return rec, "primary", err
		}
		select {
		case <-ctx.Done():
			return pg.Record{}, "", ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// run writes and reads through the split, then pauses replay on the
// standby (it needs a superuser) to show a read that the lag would make
// stale and how ReadAfter handles it.
func run(ctx context.Context, dsn string, out io.Writer) error {
	db, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close(ctx)

	if _, err := db.Write(ctx, "CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)"); err != nil {
		return err
	}
	lsn, err := db.Write(ctx, "INSERT INTO notes (body) VALUES ($1)", "first")
	if err != nil {
		return err
	}
	rec, from, err := db.ReadAfter(ctx, lsn, time.Second, "SELECT count(*) AS n FROM notes")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "read-your-writes: %d notes, read from the %s\n", rec.Value(0), from)

	// Replay paused: the standby receives WAL but does not apply it.
	if _, err := db.Replica.Exec(ctx, "SELECT pg_wal_replay_pause()"); err != nil {
		fmt.Fprintf(out, "cannot pause replay to show the lag (%v); done\n", err)
		return nil
	}
	defer db.Replica.Exec(context.WithoutCancel(ctx), "SELECT pg_wal_replay_resume()")
	if lsn, err = db.Write(ctx, "INSERT INTO notes (body) VALUES ($1)", "second"); err != nil {
		return err
	}
	var replayed codec.LSN
	var stale int64
	if err := db.Replica.QueryRow(ctx, "SELECT pg_last_wal_replay_lsn(), (SELECT count(*) FROM notes)").Scan(&replayed, &stale); err != nil {
		return err
	}
	fmt.Fprintf(out, "replay paused: primary at %s, standby replayed to %s; a plain read there sees %d notes\n", lsn, replayed, stale)
	rec, from, err = db.ReadAfter(ctx, lsn, 200*time.Millisecond, "SELECT count(*) AS n FROM notes")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "read-your-writes while behind: %d notes, read from the %s\n", rec.Value(0), from)

	if _, err := db.Replica.Exec(ctx, "SELECT pg_wal_replay_resume()"); err != nil {
		return err
	}
	rec, from, err = db.ReadAfter(ctx, lsn, 5*time.Second, "SELECT count(*) AS n FROM notes")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "replay resumed: %d notes, read from the %s\n", rec.Value(0), from)
	return nil
}
