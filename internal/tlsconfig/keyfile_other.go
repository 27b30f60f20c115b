//go:build !unix

package tlsconfig

// checkKeyFileMode does nothing where file modes do not say who can read a
// file (libpq does not check on Windows either).
func checkKeyFileMode(string) error { return nil }
