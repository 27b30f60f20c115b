package soak

import (
	"testing"

	"github.com/wirepg/pg/pgtest"
)

// TestMain gives the package a server of its own, which the soak restarts.
func TestMain(m *testing.M) {
	pgtest.Main(m, pgtest.Options{})
}
