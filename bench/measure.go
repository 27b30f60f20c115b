package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Sample is what one round of one cell cost. CPU figures are for the whole
// process (every goroutine, the garbage collector included), which is fair
// because only one cell runs at a time.
type Sample struct {
	Ops     int64         `json:"ops"`  // operations completed
	Rows    int64         `json:"rows"` // rows read or written
	Elapsed time.Duration `json:"elapsed_ns"`
	User    time.Duration `json:"user_ns"` // client CPU, getrusage
	Sys     time.Duration `json:"sys_ns"`
	// Server is the CPU time of the backends serving the driver, from
	// /proc/<pid>/schedstat, summed over the backends alive at both ends
	// of the round; -1 when they could not be read (remote server).
	Server  time.Duration `json:"server_ns"`
	Mallocs uint64        `json:"mallocs"`     // runtime.MemStats.Mallocs delta
	Bytes   uint64        `json:"alloc_bytes"` // runtime.MemStats.TotalAlloc delta
	// Syscalls counts the process's read and write system calls
	// (/proc/self/io syscr+syscw); -1 when unavailable. Other calls
	// (epoll, futex, setsockopt) need strace -c.
	Syscalls int64 `json:"rw_syscalls"`
	// HeapGrowth is how far the Go heap rose above its size at the start
	// of the round (after a collection), sampled every 2 ms: buffers the
	// driver holds plus garbage the collector has not reached yet.
	HeapGrowth uint64 `json:"heap_growth_bytes"`
	// P50 and P99 are the operations' latency quantiles, for workloads
	// that time each operation (Workload.Latency); 0 otherwise.
	P50 time.Duration `json:"p50_ns,omitempty"`
	P99 time.Duration `json:"p99_ns,omitempty"`
}

// snapshot is the counters at one instant.
type snapshot struct {
	wall           time.Time
	user, sys      time.Duration
	mallocs, bytes uint64
	syscalls       int64
	server         map[int]time.Duration // backend pid → CPU so far; nil: unreadable
}

func takeSnapshot(pids []int) snapshot {
	var s snapshot
	var ms runtime.MemStats
	// ReadMemStats stops the world briefly; it runs outside the measured
	// interval's work but inside its wall time, which is negligible.
	runtime.ReadMemStats(&ms)
	s.mallocs, s.bytes = ms.Mallocs, ms.TotalAlloc
	s.syscalls = selfRWSyscalls()
	if pids != nil {
		s.server = backendCPU(pids)
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	s.user = time.Duration(ru.Utime.Nano())
	s.sys = time.Duration(ru.Stime.Nano())
	s.wall = time.Now()
	return s
}

func diff(a, b snapshot, ops, rows int64, server bool) Sample {
	s := Sample{
		Ops:      ops,
		Rows:     rows,
		Elapsed:  b.wall.Sub(a.wall),
		User:     b.user - a.user,
		Sys:      b.sys - a.sys,
		Mallocs:  b.mallocs - a.mallocs,
		Bytes:    b.bytes - a.bytes,
		Server:   -1,
		Syscalls: -1,
	}
	if server && a.server != nil && b.server != nil {
		s.Server = 0
		// A backend that ended during the round (a pool replacing a
		// connection) is left out, as is one that started during it.
		for pid, after := range b.server {
			if before, ok := a.server[pid]; ok {
				s.Server += after - before
			}
		}
	}
	if a.syscalls >= 0 && b.syscalls >= 0 {
		s.Syscalls = b.syscalls - a.syscalls
	}
	return s
}

// selfRWSyscalls reads syscr+syscw from /proc/self/io, or -1.
func selfRWSyscalls() int64 {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1
	}
	var n int64
	found := 0
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok || (k != "syscr" && k != "syscw") {
			continue
		}
		x, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return -1
		}
		n += x
		found++
	}
	if found != 2 {
		return -1
	}
	return n
}
