package pg

// MuxDepth is the multiplexed pool's pipeline depth per connection, for
// tests in package pg_test.
const MuxDepth = muxDepth
