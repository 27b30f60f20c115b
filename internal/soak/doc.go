// Package soak holds the driver's soak test: 64 goroutines share a pool
// of 8 connections for PG_SOAK_SECONDS (5 by default, 60 in CI) while
// their contexts are cancelled at random, a separate connection
// terminates the pool's backends at random and the server is restarted
// once half-way. Every call checks its own result, so a
// wrong answer is counted rather than assumed away, and every error a
// caller sees is put down to a cause it could have expected (its own
// context, its backend terminated while it held the connection, the
// restart) or listed as unexpected.
//
// TestDeadConnectionNotHandedOut pins down, in three small cases, the
// unexpected error the soak sees most: a connection whose backend died
// while no call ran on it, handed to a caller.
//
// It is a package of its own because it restarts its server: the other
// packages' tests share theirs and must not see it go away.
//
// Environment:
//
//	PG_SOAK_SECONDS  how long the workers run (default 5)
//	PG_SOAK_SEED     the seed of the workers' choices (default: the clock;
//	                 printed); the timing, and so the faults, differ per run
//	PG_SOAK_STRICT=1 fail when any caller saw an unexpected error
package soak
