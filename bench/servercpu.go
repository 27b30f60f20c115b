package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// backendPIDs returns the server processes serving driver: every backend
// whose application_name is the driver's (see appName). It is asked before
// every round, so that connections a pool replaced between rounds count.
func (b *Bench) backendPIDs(ctx context.Context, driver string) []int {
	rows, err := b.admin.Query(ctx,
		"SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid", appName(driver))
	if err != nil {
		return nil
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int32
		if err := rows.Scan(&pid); err != nil {
			return nil
		}
		pids = append(pids, int(pid))
	}
	if rows.Err() != nil {
		return nil
	}
	if pids == nil {
		pids = []int{} // none found: measured as unreadable, not skipped
	}
	return pids
}

// backendCPU returns the on-CPU time of each of pids that is still a
// local postgres process. schedstat's first field is nanoseconds of run
// time, far finer than /proc/<pid>/stat's clock ticks (10 ms), which
// matters for rounds of a second spread over 16 backends. It returns nil
// when none can be read or one is not a postgres process (a remote
// server, or one in another PID namespace); a backend that has exited
// since the pids were listed is just left out.
func backendCPU(pids []int) map[int]time.Duration {
	cpu := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		p := "/proc/" + strconv.Itoa(pid)
		comm, err := os.ReadFile(p + "/comm")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			return nil
		}
		d, ok := schedstatCPU(p)
		if !ok {
			if d, ok = statCPU(p); !ok {
				continue
			}
		}
		cpu[pid] = d
	}
	if len(cpu) == 0 {
		return nil
	}
	return cpu
}

func schedstatCPU(proc string) (time.Duration, bool) {
	data, err := os.ReadFile(proc + "/schedstat")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0, false
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Duration(ns), true
}

// statCPU is utime+stime from /proc/<pid>/stat (fields 14 and 15, in
// clock ticks of 1/100 s on Linux), for kernels without schedstat.
func statCPU(proc string) (time.Duration, bool) {
	data, err := os.ReadFile(proc + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields resume after ')'.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on every Linux ABI Go supports
	return time.Duration(ut+st) * tick, true
}
