package integration

import (
	"context"
	"database/sql"
	_ "embed"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/integration/sqlcdb"
)

//go:embed sqlcdb/schema.sql
var sqlcSchema string

// TestSqlc runs sqlc-style generated database/sql code, with array
// parameters and results through stdlib.Array, an enum with its own
// Scanner, prepared statements and a transaction.
func TestSqlc(t *testing.T) {
	db, _ := openDB(t, "it_sqlc")
	ctx := ctxT(t)
	_, err := db.ExecContext(ctx, sqlcSchema)
	require.NoError(t, err)

	run := func(q *sqlcdb.Queries) {
		a, err := q.CreateAuthor(ctx, sqlcdb.CreateAuthorParams{Name: "ann", Tags: []string{"x", "y,z", ""}, Scores: []int32{3, 1}, Mood: sqlcdb.MoodOk})
		require.NoError(t, err)
		assert.Equal(t, []string{"x", "y,z", ""}, a.Tags)
		assert.Equal(t, []int32{3, 1}, a.Scores)
		assert.False(t, a.Bio.Valid)
		b, err := q.CreateAuthor(ctx, sqlcdb.CreateAuthorParams{Name: "bob", Bio: sql.NullString{String: "hi", Valid: true}, Tags: []string{}, Mood: sqlcdb.MoodSad})
		require.NoError(t, err)
		assert.Nil(t, b.Scores, "NULL array")
		got, err := q.ListAuthorsByIDs(ctx, []int64{a.ID, b.ID, -1})
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "hi", got[1].Bio.String)
		assert.Equal(t, sqlcdb.MoodSad, got[1].Mood)
		assert.Equal(t, []string{}, got[1].Tags)
	}
	run(sqlcdb.New(db))

	prepared, err := sqlcdb.Prepare(ctx, db)
	require.NoError(t, err)
	defer prepared.Close()
	run(prepared)

	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	run(prepared.WithTx(tx))
	require.NoError(t, tx.Rollback())

	counts, err := sqlcdb.New(db).CountByMood(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []sqlcdb.CountByMoodRow{{Mood: sqlcdb.MoodSad, Count: 2}, {Mood: sqlcdb.MoodOk, Count: 2}}, counts)
}
