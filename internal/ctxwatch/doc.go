// Package ctxwatch ties the calls made on one connection to their
// contexts. When a call's context ends while the call runs, the Watcher
// asks the server to stop it (in PostgreSQL, a CancelRequest on a separate
// connection) and bounds the wait for the answer: the connection's
// deadline is set to the end of a grace period, so a call returns within
// that grace even when the network has gone silent. It knows nothing of
// the connection: the owner hands it a cancel action and a deadline
// setter.
//
// The flow for one call is Start, the call's reads and writes, then Stop.
// Between Start and Stop the context's end runs the cancel action in its
// own goroutine (context.AfterFunc); Err then reports the context's error,
// which the owner returns instead of the I/O error the deadline caused.
// Stop waits for a cancel action still running, so a CancelRequest that
// arrives late can never stop the next call.
//
// Costs: a context that cannot be cancelled (context.Background) costs two
// atomic operations per call. For one that can, the AfterFunc registration
// stays armed after Stop, so calls that reuse a context (a request running
// several queries) register once and allocate nothing; the registration is
// replaced when a call brings another context, and dropped by Disarm or
// Deregister. A registration made for an earlier context carries its own
// generation number and can never cancel a later call.
//
// The model is pgx's pgconn/ctxwatch, which starts a goroutine per call
// instead of keeping a registration.
package ctxwatch
