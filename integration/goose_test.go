package integration

import (
	"database/sql"
	"embed"
	"io/fs"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

//go:embed migrations/*.sql
var gooseMigrations embed.FS

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	var ok bool
	require.NoError(t, db.QueryRow("SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok))
	return ok
}

// TestGoose runs goose's package-level API as its README shows it, with
// the dialect named: goose knows "postgres", not pg's driver name.
func TestGoose(t *testing.T) {
	db, _ := openDB(t, "it_goose")
	goose.SetBaseFS(gooseMigrations)
	t.Cleanup(func() { goose.SetBaseFS(nil) })
	require.NoError(t, goose.SetDialect("postgres"))

	require.NoError(t, goose.Up(db, "migrations"))
	v, err := goose.GetDBVersion(db)
	require.NoError(t, err)
	assert.Equal(t, int64(3), v)
	assert.True(t, tableExists(t, db, "accounts_email"), "the NO TRANSACTION migration ran")
	var n int64
	require.NoError(t, db.QueryRow("SELECT account_count()").Scan(&n))

	require.NoError(t, goose.Down(db, "migrations"))
	require.NoError(t, goose.Down(db, "migrations"))
	assert.False(t, tableExists(t, db, "accounts_email"))
	assert.True(t, tableExists(t, db, "accounts"))
	require.NoError(t, goose.DownTo(db, "migrations", 0))
	assert.False(t, tableExists(t, db, "accounts"))
}

// TestGooseProvider runs goose's Provider with its PostgreSQL session
// locker (pg_advisory_lock on a connection of its own).
func TestGooseProvider(t *testing.T) {
	db, _ := openDB(t, "it_goose_provider")
	ctx := ctxT(t)
	locker, err := lock.NewPostgresSessionLocker()
	require.NoError(t, err)
	fsys, err := fs.Sub(gooseMigrations, "migrations")
	require.NoError(t, err)
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	require.NoError(t, err)
	res, err := p.Up(ctx)
	require.NoError(t, err)
	assert.Len(t, res, 3)
	v, err := p.GetDBVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), v)
	_, err = p.Down(ctx)
	require.NoError(t, err)
	res, err = p.DownTo(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, res, 2)
	assert.False(t, tableExists(t, db, "accounts"))
}
