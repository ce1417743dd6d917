// Package cache keeps recently used values in memory.
// <- comment.documentation
package cache
// <- keyword.control.import
//      ^ namespace

import (
	"errors"
	// <- string.special.path
	"sync"
)

const DefaultSize = 128
// <- keyword.storage
//    ^ constant

var ErrMissing = errors.New("cache: missing key\n")
//                      ^ function.method
//                                             ^ constant.character.escape

type Cache[K comparable, V any] struct {
// <- keyword.storage.type
//   ^ type
//           ^ type.builtin
	mu    sync.Mutex
	//    ^ namespace
	items map[K]V
	//    ^ keyword.storage.type
}

func New[K comparable, V any](size int) *Cache[K, V] {
// <- keyword.function
//   ^ function
//                            ^ variable.parameter
	if size <= 0 {
	// <- keyword.control.conditional
		size = DefaultSize
	}
	return &Cache[K, V]{items: make(map[K]V, size)}
	// <- keyword.control.return
	//                         ^ function.builtin
}

func (c *Cache[K, V]) Get(key K) (V, error) {
//    ^ variable.parameter
//                    ^ function.method
	c.mu.Lock()
	defer c.mu.Unlock()
	// <- keyword.control
	for k, v := range c.items {
	// <- keyword.control.repeat
	//          ^ keyword.control.repeat
		if k == key {
			return v, nil
			//        ^ constant.builtin
		}
	}
	var zero V
	return zero, ErrMissing
}
