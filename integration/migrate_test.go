package integration

import (
	"embed"
	"testing"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database/postgres"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

//go:embed migrate/*.sql
var migrateFiles embed.FS

// TestGolangMigrate runs golang-migrate's postgres driver over a *sql.DB
// of pg's driver (postgres.WithInstance): it takes the DB as it is, with
// its advisory lock and schema_migrations table.
func TestGolangMigrate(t *testing.T) {
	db, _ := openDB(t, "it_migrate")
	drv, err := postgres.WithInstance(db, &postgres.Config{})
	require.NoError(t, err)
	src, err := iofs.New(migrateFiles, "migrate")
	require.NoError(t, err)
	m, err := migrate.NewWithInstance("iofs", src, "it_migrate", drv)
	require.NoError(t, err)
	require.NoError(t, m.Up())
	v, dirty, err := m.Version()
	require.NoError(t, err)
	assert.Equal(t, uint(2), v)
	assert.False(t, dirty)
	assert.True(t, tableExists(t, db, "notes"))
	require.NoError(t, m.Steps(-1))
	var hasColumn bool
	require.NoError(t, db.QueryRow("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'pinned')").Scan(&hasColumn))
	assert.False(t, hasColumn)
	require.NoError(t, m.Down())
	assert.False(t, tableExists(t, db, "notes"))
}
