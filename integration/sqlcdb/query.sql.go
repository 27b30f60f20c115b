package sqlcdb

import (
	"context"
	"database/sql"

	"github.com/wirepg/pg/stdlib"
)

const createAuthor = `-- name: CreateAuthor :one
INSERT INTO authors (name, bio, tags, scores, mood) VALUES ($1, $2, $3, $4, $5)
RETURNING id, name, bio, tags, scores, mood, created_at
`

type CreateAuthorParams struct {
	Name   string
	Bio    sql.NullString
	Tags   []string
	Scores []int32
	Mood   Mood
}

func (q *Queries) CreateAuthor(ctx context.Context, arg CreateAuthorParams) (Author, error) {
	row := q.queryRow(ctx, q.createAuthorStmt, createAuthor,
		arg.Name,
		arg.Bio,
		stdlib.Array(arg.Tags),
		stdlib.Array(arg.Scores),
		arg.Mood,
	)
	var i Author
	err := row.Scan(
		&i.ID,
		&i.Name,
		&i.Bio,
		stdlib.Array(&i.Tags),
		stdlib.Array(&i.Scores),
		&i.Mood,
		&i.CreatedAt,
	)
	return i, err
}

const listAuthorsByIDs = `-- name: ListAuthorsByIDs :many
SELECT id, name, bio, tags, scores, mood, created_at FROM authors
WHERE id = ANY($1::bigint[])
ORDER BY id
`

func (q *Queries) ListAuthorsByIDs(ctx context.Context, dollar_1 []int64) ([]Author, error) {
	rows, err := q.query(ctx, q.listAuthorsByIDsStmt, listAuthorsByIDs, stdlib.Array(dollar_1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []Author
	for rows.Next() {
		var i Author
		if err := rows.Scan(
			&i.ID,
			&i.Name,
			&i.Bio,
			stdlib.Array(&i.Tags),
			stdlib.Array(&i.Scores),
			&i.Mood,
			&i.CreatedAt,
		); err != nil {
			return nil, err
		}
		items = append(items, i)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, nil
}

const countByMood = `-- name: CountByMood :many
SELECT mood, count(*) FROM authors GROUP BY mood ORDER BY mood
`

type CountByMoodRow struct {
	Mood  Mood
	Count int64
}

func (q *Queries) CountByMood(ctx context.Context) ([]CountByMoodRow, error) {
	rows, err := q.query(ctx, nil, countByMood)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []CountByMoodRow
	for rows.Next() {
		var i CountByMoodRow
		if err := rows.Scan(&i.Mood, &i.Count); err != nil {
			return nil, err
		}
		items = append(items, i)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, nil
}
