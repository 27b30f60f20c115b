package lru

type entry[K comparable, V any] struct {
	key        K
	value      V
	prev, next *entry[K, V]
}

// Cache maps keys to values and evicts the least recently used entry when
// it is full. The zero value is not usable; call New.
type Cache[K comparable, V any] struct {
	capacity int
	items    map[K]*entry[K, V]
	root     entry[K, V] // sentinel: root.next is most recent, root.prev least
}

// New returns a cache holding at most capacity entries (at least one).
func New[K comparable, V any](capacity int) *Cache[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	c := &Cache[K, V]{capacity: capacity, items: make(map[K]*entry[K, V], capacity)}
	c.root.next = &c.root
	c.root.prev = &c.root
	return c
}

// Get returns the value for key and marks it most recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.moveToFront(e)
	return e.value, true
}

// Put stores value under key as the most recently used entry. When that
// pushes out the least recently used entry, Put returns it.
func (c *Cache[K, V]) Put(key K, value V) (evictedKey K, evicted V, didEvict bool) {
	if e, ok := c.items[key]; ok {
		e.value = value
		c.moveToFront(e)
		return evictedKey, evicted, false
	}
	if len(c.items) >= c.capacity {
		last := c.root.prev
		c.unlink(last)
		delete(c.items, last.key)
		evictedKey, evicted, didEvict = last.key, last.value, true
	}
	e := &entry[K, V]{key: key, value: value}
	c.items[key] = e
	c.insertFront(e)
	return evictedKey, evicted, didEvict
}

// Remove deletes key and returns its value.
func (c *Cache[K, V]) Remove(key K) (V, bool) {
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.unlink(e)
	delete(c.items, key)
	return e.value, true
}

// Len is the number of entries.
func (c *Cache[K, V]) Len() int { return len(c.items) }

// Cap is the capacity.
func (c *Cache[K, V]) Cap() int { return c.capacity }

// Values returns the values from most to least recently used.
func (c *Cache[K, V]) Values() []V {
	out := make([]V, 0, len(c.items))
	for e := c.root.next; e != &c.root; e = e.next {
		out = append(out, e.value)
	}
	return out
}

// Clear removes every entry.
func (c *Cache[K, V]) Clear() {
	clear(c.items)
	c.root.next = &c.root
	c.root.prev = &c.root
}

func (c *Cache[K, V]) moveToFront(e *entry[K, V]) {
	if c.root.next == e {
		return
	}
	c.unlink(e)
	c.insertFront(e)
}

func (c *Cache[K, V]) unlink(e *entry[K, V]) {
	e.prev.next = e.next
	e.next.prev = e.prev
	e.prev, e.next = nil, nil
}

func (c *Cache[K, V]) insertFront(e *entry[K, V]) {
	e.prev = &c.root
	e.next = c.root.next
	c.root.next.prev = e
	c.root.next = e
}
