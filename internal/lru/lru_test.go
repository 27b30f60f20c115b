package lru

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	v, ok := c.Get("a") // a is now most recent
	require.True(t, ok)
	assert.Equal(t, 1, v)
	k, ev, did := c.Put("c", 3)
	require.True(t, did)
	assert.Equal(t, "b", k)
	assert.Equal(t, 2, ev)
	_, ok = c.Get("b")
	assert.False(t, ok)
	assert.Equal(t, []int{3, 1}, c.Values())
}

func TestPutExistingUpdatesWithoutEviction(t *testing.T) {
	c := New[string, int](1)
	c.Put("a", 1)
	_, _, did := c.Put("a", 2)
	assert.False(t, did)
	v, _ := c.Get("a")
	assert.Equal(t, 2, v)
}

func TestRemoveAndClear(t *testing.T) {
	c := New[int, int](3)
	for i := range 3 {
		c.Put(i, i*10)
	}
	v, ok := c.Remove(1)
	assert.True(t, ok)
	assert.Equal(t, 10, v)
	_, ok = c.Remove(1)
	assert.False(t, ok)
	assert.Equal(t, 2, c.Len())
	c.Clear()
	assert.Equal(t, 0, c.Len())
	assert.Empty(t, c.Values())
	c.Put(5, 50)
	assert.Equal(t, []int{50}, c.Values())
}

func TestCapacityAtLeastOne(t *testing.T) {
	c := New[int, int](0)
	assert.Equal(t, 1, c.Cap())
}
