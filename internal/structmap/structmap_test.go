package structmap

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type Inner struct {
	ID   int // loses to outer's ID: shallower wins
	Deep string
}

type outer struct {
	UserID  int
	Name    string `pg:"full_name"`
	Skipped string `pg:"-"`
	//lint:ignore U1000 an unexported field, which the mapping skips
	private int
	*Inner
	ID int
}

func TestOf(t *testing.T) {
	t.Parallel()
	sf := Of(reflect.TypeFor[outer]())
	assert.Same(t, sf, Of(reflect.TypeFor[outer]()), "cached")
	for _, tc := range []struct {
		col  string
		want []int
	}{
		{"user_id", []int{0}},
		{"USERID", []int{0}},
		{"full_name", []int{1}},
		{"id", []int{5}},
		{"deep", []int{4, 1}},
	} {
		got, ok := sf.Index(tc.col)
		require.True(t, ok, tc.col)
		assert.Equal(t, tc.want, got, tc.col)
	}
	for _, col := range []string{"name", "skipped", "private", "inner"} {
		_, ok := sf.Index(col)
		assert.False(t, ok, col)
	}
	var names []string
	for _, f := range sf.List {
		names = append(names, f.GoName+":"+f.Tag)
	}
	assert.Equal(t, []string{"UserID:", "Name:full_name", "ID:", "Deep:"}, names)
	assert.True(t, SameName("user_id", "UserID"))
	assert.False(t, SameName("user", "UserID"))
}

func TestPlanAndFieldByIndex(t *testing.T) {
	t.Parallel()
	sf := Of(reflect.TypeFor[outer]())
	plan, unmapped := sf.Plan([]string{"deep", "user_id"})
	require.Equal(t, -1, unmapped)
	var o outer
	v := reflect.ValueOf(&o).Elem()
	FieldByIndex(v, plan[0]).SetString("x") // allocates the nil *Inner
	FieldByIndex(v, plan[1]).SetInt(7)
	require.NotNil(t, o.Inner)
	assert.Equal(t, "x", o.Deep)
	assert.Equal(t, 7, o.UserID)

	plan, unmapped = sf.Plan([]string{"user_id", "nope"})
	assert.Nil(t, plan)
	assert.Equal(t, 1, unmapped)
}

type hiddenInner struct{ B int32 }

type withHiddenPointer struct {
	A int32
	*hiddenInner
}

// An embedded pointer to an unexported struct cannot be allocated through
// reflect: its fields are not mapped (FieldByIndex would panic on them).
func TestEmbeddedPointerToUnexportedIsSkipped(t *testing.T) {
	sf := Of(reflect.TypeFor[withHiddenPointer]())
	_, ok := sf.Index("b")
	assert.False(t, ok)
	idx, ok := sf.Index("a")
	require.True(t, ok)
	var v withHiddenPointer
	FieldByIndex(reflect.ValueOf(&v).Elem(), idx).SetInt(7)
	assert.Equal(t, int32(7), v.A)
}
