package integration

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	_ "github.com/wirepg/pg/stdlib"
)

func TestMain(m *testing.M) { pgtest.Main(m, pgtest.Options{}) }

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// freshDB creates a database of the test's own, so tools that keep
// version tables (goose, migrate) or create tables (GORM, bun) do not see
// each other, and returns its DSN.
func freshDB(t *testing.T, name string) string {
	t.Helper()
	ctx := ctxT(t)
	admin, err := pg.Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	require.NoError(t, err)
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	return dsnFor(pgtest.Shared().DSN(), name)
}

// dsnFor is dsn with its database replaced by name.
func dsnFor(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return dsn + " dbname=" + name
}

// openDB opens database name (made by freshDB) with sql.Open("pg", dsn),
// as tools' users do.
func openDB(t *testing.T, name string) (*sql.DB, string) {
	t.Helper()
	dsn := freshDB(t, name)
	db, err := sql.Open("pg", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, dsn
}
