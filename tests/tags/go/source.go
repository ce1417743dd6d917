// Package cache keeps values for a while.
package cache

import (
	"sync"
	"time"
)

// DefaultTTL is how long a value lives.
const DefaultTTL = 5 * time.Minute

var hits int

// Store is what a cache keeps values in.
type Store interface {
	Get(key string) (Entry, bool)
	Put(key string, e Entry)
}

// Entry is one cached value.
type Entry struct {
	Value   string
	Expires time.Time
}

type (
	Key   string
	Clock func() time.Time
)

// Cache is a Store guarded by a mutex.
type Cache struct {
	mu      sync.Mutex
	entries map[string]Entry
	now     Clock
}

// New makes an empty cache.
func New(now Clock) *Cache {
	return &Cache{entries: make(map[string]Entry), now: now}
}

// Get returns a live entry.
func (c *Cache) Get(key string) (Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || expired(e, c.now()) {
		return Entry{}, false
	}
	hits++
	return e, true
}

func expired(e Entry, now time.Time) bool {
	return now.After(e.Expires)
}
