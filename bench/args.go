package main

// pointArgs are pre-boxed arguments for SELECT $1::int4. Boxing an int32
// above 255 into an interface allocates, and that allocation is the
// caller's, not the driver's: cycling through boxed values keeps it out of
// every driver's allocs/op while still sending a different value each time.
var pointArgs = func() []any {
	a := make([]any, 1024)
	for i := range a {
		a[i] = int32(i * 7919)
	}
	return a
}()

// pointArg returns the i-th point argument.
func pointArg(i int) any { return pointArgs[i&(len(pointArgs)-1)] }

// Pre-boxed row counts for sqlRows and sqlDecode.
var (
	argRowsSmall  any = int32(nRowsSmall)
	argRowsLarge  any = int32(nRowsLarge)
	argDecodeRows any = int32(nDecodeRows)
)

// rowsArg returns the row-count argument of a rows-* workload.
func rowsArg(workload string) any {
	if workload == "rows-large" {
		return argRowsLarge
	}
	return argRowsSmall
}

// perWorkerInt32 returns a scan destination for each worker of a shared
// pool, allocated apart so workers do not write the same cache line.
func perWorkerInt32(workers int) []*int32 {
	d := make([]*int32, workers)
	for i := range d {
		p := new(struct {
			v int32
			_ [60]byte
		})
		d[i] = &p.v
	}
	return d
}

// perWorkerCounter returns a function giving each worker its own
// increasing sequence, for pointArg.
func perWorkerCounter(workers int) func(w int) int {
	type padded struct {
		n int
		_ [56]byte
	}
	c := make([]padded, workers)
	return func(w int) int {
		c[w].n++
		return c[w].n + w*131
	}
}
