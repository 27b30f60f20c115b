package integration

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

type bunStory struct {
	bun.BaseModel `bun:"table:stories"`

	ID       int64           `bun:"id,pk,autoincrement"`
	Title    string          `bun:"title,notnull"`
	Tags     []string        `bun:"tags,array"`
	Scores   []int64         `bun:"scores,array"`
	Meta     map[string]any  `bun:"meta,type:jsonb"`
	Raw      json.RawMessage `bun:"raw,type:jsonb"`
	AuthorID int64           `bun:"author_id"`
	Author   *bunAuthor      `bun:"rel:belongs-to,join:author_id=id"`
}

type bunAuthor struct {
	bun.BaseModel `bun:"table:authors"`

	ID      int64       `bun:"id,pk,autoincrement"`
	Name    string      `bun:"name,notnull"`
	Stories []*bunStory `bun:"rel:has-many,join:id=author_id"`
}

// TestBun runs bun with its PostgreSQL dialect over pg's driver: array
// and jsonb columns, belongs-to and has-many relations.
func TestBun(t *testing.T) {
	sqldb, _ := openDB(t, "it_bun")
	db := bun.NewDB(sqldb, pgdialect.New())
	ctx := ctxT(t)
	for _, m := range []any{(*bunAuthor)(nil), (*bunStory)(nil)} {
		_, err := db.NewCreateTable().Model(m).Exec(ctx)
		require.NoError(t, err)
	}
	a := &bunAuthor{Name: "ann"}
	_, err := db.NewInsert().Model(a).Exec(ctx)
	require.NoError(t, err)
	require.NotZero(t, a.ID, "RETURNING id was read")
	stories := []bunStory{
		{Title: "one", Tags: []string{"a", "b c", `q"uote`}, Scores: []int64{1, 2, 3}, Meta: map[string]any{"k": "v"}, Raw: json.RawMessage(`{"n": 1}`), AuthorID: a.ID},
		{Title: "two", Tags: []string{}, Scores: nil, AuthorID: a.ID},
	}
	_, err = db.NewInsert().Model(&stories).Exec(ctx)
	require.NoError(t, err)

	var got []bunStory
	require.NoError(t, db.NewSelect().Model(&got).Relation("Author").Order("bun_story.id").Scan(ctx))
	require.Len(t, got, 2)
	assert.Equal(t, []string{"a", "b c", `q"uote`}, got[0].Tags)
	assert.Equal(t, []int64{1, 2, 3}, got[0].Scores)
	assert.Equal(t, map[string]any{"k": "v"}, got[0].Meta)
	assert.JSONEq(t, `{"n": 1}`, string(got[0].Raw))
	require.NotNil(t, got[0].Author)
	assert.Equal(t, "ann", got[0].Author.Name)
	assert.Equal(t, []string{}, got[1].Tags)
	assert.Nil(t, got[1].Scores)

	var authors []bunAuthor
	require.NoError(t, db.NewSelect().Model(&authors).Relation("Stories").Scan(ctx))
	require.Len(t, authors, 1)
	assert.Len(t, authors[0].Stories, 2)

	// Arrays as query arguments, through pgdialect.Array.
	var titles []string
	require.NoError(t, db.NewSelect().Model((*bunStory)(nil)).Column("title").
		Where("? && tags", pgdialect.Array([]string{"b c", "x"})).Scan(ctx, &titles))
	assert.Equal(t, []string{"one"}, titles)

	require.NoError(t, db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*bunStory)(nil)).Set("tags = array_append(tags, ?)", "new").Where("title = ?", "two").Exec(ctx)
		return err
	}))
	var tags []string
	require.NoError(t, db.NewSelect().Model((*bunStory)(nil)).Column("tags").Where("title = 'two'").Scan(ctx, pgdialect.Array(&tags)))
	assert.Equal(t, []string{"new"}, tags)
}
