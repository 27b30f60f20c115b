package integration

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/stdlib"
)

type sqlxUser struct {
	ID      int64     `db:"id"`
	Name    string    `db:"name"`
	Email   *string   `db:"email"`
	Created time.Time `db:"created"`
}

func TestSqlx(t *testing.T) {
	// sqlx picks the bind variable style by driver name; "pg" is not one
	// it knows, so tell it ($1, $2 ...).
	sqlx.BindDriver("pg", sqlx.DOLLAR)
	_, dsn := openDB(t, "it_sqlx")
	db, err := sqlx.Connect("pg", dsn)
	require.NoError(t, err)
	defer db.Close()
	ctx := ctxT(t)
	db.MustExecContext(ctx, `CREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL, email text, created timestamptz NOT NULL DEFAULT now(), tags text[])`)

	email := "a@example.com"
	for _, u := range []sqlxUser{{Name: "ann", Email: &email}, {Name: "bob"}, {Name: "cy"}} {
		_, err := db.NamedExecContext(ctx, `INSERT INTO users (name, email) VALUES (:name, :email)`, u)
		require.NoError(t, err)
	}
	_, err = db.NamedExecContext(ctx, `INSERT INTO users (name, tags) VALUES (:name, :tags)`,
		map[string]any{"name": "dee", "tags": stdlib.Array([]string{"x", "y z"})})
	require.NoError(t, err)

	var u sqlxUser
	require.NoError(t, db.GetContext(ctx, &u, "SELECT id, name, email, created FROM users WHERE name = $1", "ann"))
	assert.Equal(t, "ann", u.Name)
	require.NotNil(t, u.Email)
	assert.Equal(t, email, *u.Email)
	assert.WithinDuration(t, time.Now(), u.Created, time.Minute)

	var all []sqlxUser
	require.NoError(t, db.SelectContext(ctx, &all, "SELECT id, name, email, created FROM users ORDER BY id"))
	require.Len(t, all, 4)
	assert.Nil(t, all[1].Email)

	q, args, err := sqlx.In("SELECT name FROM users WHERE name IN (?) ORDER BY name", []string{"bob", "cy", "nobody"})
	require.NoError(t, err)
	q = db.Rebind(q)
	assert.Contains(t, q, "$3")
	var names []string
	require.NoError(t, db.SelectContext(ctx, &names, q, args...))
	assert.Equal(t, []string{"bob", "cy"}, names)

	var tags []string
	require.NoError(t, db.QueryRowxContext(ctx, "SELECT tags FROM users WHERE name = 'dee'").Scan(stdlib.Array(&tags)))
	assert.Equal(t, []string{"x", "y z"}, tags)

	rows, err := db.NamedQueryContext(ctx, "SELECT name FROM users WHERE id = :id", map[string]any{"id": all[0].ID})
	require.NoError(t, err)
	require.True(t, rows.Next())
	var name string
	require.NoError(t, rows.Scan(&name))
	assert.Equal(t, "ann", name)
	require.NoError(t, rows.Close())
}
