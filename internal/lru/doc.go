// Package lru is a small least-recently-used map used by the connection's
// prepared-statement cache. It is not safe for concurrent use: a connection
// is used by one goroutine at a time, so the cache needs no lock.
package lru
