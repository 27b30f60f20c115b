// Package faultproxy is a real TCP proxy for fault tests: it sits between
// the driver and a PostgreSQL server on loopback and breaks the traffic on
// purpose — dropping every connection, cutting the server's stream after a
// number of bytes, or stalling it — so tests exercise the driver's real
// network error paths without a mocked server.
package faultproxy
