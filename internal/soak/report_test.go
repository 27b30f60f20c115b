package soak

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// unexpectedGroup is the unexpected errors that differ only in numbers.
type unexpectedGroup struct {
	key     string
	count   int
	example string         // the first one's full message and error chain
	ops     map[string]int // operation -> count
	hints   map[string][]time.Duration
}

// figures is what the run measured, for the log and the asserts.
type figures struct {
	byCause    [numCauses]int
	unexpected []*unexpectedGroup // most frequent first

	connsFirst, connsLeft int64
	connsTook             time.Duration
	goroutinesExtra       int
	goroutinesTook        time.Duration

	restartTook               time.Duration
	firstOK, allOK            time.Duration // after Restart returned; -1: not seen
	notRecovered              int           // workers with no success after the restart
	created, closedBroken     int64
	terms                     int
	killerErrs                []string
	killerErrsInRestartWin    int
	duration, ran             time.Duration
	workers, poolSize, seed   int64
	strict                    bool
	ops, okOps, calls         int64
	checks, wrong, armed      int64
	wrongs                    []string
	restarted, restartSkipped bool
}

// classifyAll puts every failure down to its cause.
func (s *soak) classifyAll(f *figures) {
	groups := map[string]*unexpectedGroup{}
	for _, fl := range s.failures {
		c, hint, by := s.tl.classify(fl)
		f.byCause[c]++
		if c != causeUnexpected {
			continue
		}
		k := errKey(fl.err)
		g := groups[k]
		if g == nil {
			g = &unexpectedGroup{key: k, example: fl.err.Error() + "\n        (" + describe(fl.err) + ")", ops: map[string]int{}, hints: map[string][]time.Duration{}}
			groups[k] = g
		}
		g.count++
		g.ops[fl.op]++
		g.hints[hint] = append(g.hints[hint], by)
	}
	f.unexpected = slices.SortedFunc(maps.Values(groups), func(a, b *unexpectedGroup) int {
		return cmp.Or(b.count-a.count, strings.Compare(a.key, b.key))
	})
}

// String renders the figures as a block to paste into a note.
func (f *figures) String() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("soak: %v asked (%v run), %d workers on a pool of %d, seed %d, strict=%v", f.duration, f.ran.Round(100*time.Millisecond), f.workers, f.poolSize, f.seed, f.strict)
	p("operations: %d (%d succeeded); queries sent: %d; values checked: %d; wrong results: %d", f.ops, f.okOps, f.calls, f.checks, f.wrong)
	for _, w := range f.wrongs {
		p("  WRONG %s", w)
	}
	p("faults: %d contexts set to end mid-call (short deadline or timer cancel), %d backends terminated, restart: %s",
		f.armed, f.terms, f.restartLine())
	total := 0
	for _, n := range f.byCause {
		total += n
	}
	p("errors seen by callers: %d", total)
	for c := range numCauses {
		p("  %-105s %d", causeNames[c]+":", f.byCause[c])
	}
	for _, g := range f.unexpected {
		p("    %d x %s", g.count, g.example)
		var ops []string
		for _, op := range slices.Sorted(maps.Keys(g.ops)) {
			ops = append(ops, fmt.Sprintf("%s %d", op, g.ops[op]))
		}
		p("        in: %s", strings.Join(ops, ", "))
		for _, h := range slices.Sorted(maps.Keys(g.hints)) {
			ds := g.hints[h]
			if h == "" {
				h = "(nothing known)"
			}
			p("        %d: %s%s", len(ds), h, durList(ds))
		}
	}
	p("killer's own errors: %d in the restart window; %d outside it", f.killerErrsInRestartWin, len(f.killerErrs))
	for _, e := range f.killerErrs {
		p("  %s", e)
	}
	p("pool: %d connections opened, %d closed as broken", f.created, f.closedBroken)
	p("after pool.Close: server connections left %d (%d right after Close, settled in %v); goroutines left %d (settled in %v)",
		f.connsLeft, f.connsFirst, f.connsTook.Round(time.Millisecond), f.goroutinesExtra, f.goroutinesTook.Round(time.Millisecond))
	if f.restarted {
		p("recovery after Restart returned: first success %s, all %d workers %s%s", durOrNone(f.firstOK), f.workers, durOrNone(f.allOK),
			map[bool]string{true: fmt.Sprintf(" (%d never succeeded again)", f.notRecovered), false: ""}[f.notRecovered > 0])
	}
	return b.String()
}

func (f *figures) restartLine() string {
	switch {
	case f.restartSkipped:
		return "none (PGTEST_DSN: not a server pgtest started)"
	case !f.restarted:
		return "did not happen"
	}
	return fmt.Sprintf("one, Restart() took %v", f.restartTook.Round(time.Millisecond))
}

// durList renders the durations a hint measured, sorted, or nothing when
// it measured none.
func durList(ds []time.Duration) string {
	ds = slices.DeleteFunc(slices.Clone(ds), func(d time.Duration) bool { return d < 0 })
	if len(ds) == 0 {
		return ""
	}
	slices.Sort(ds)
	var parts []string
	for i, d := range ds {
		if i == 12 && len(ds) > 13 {
			parts = append(parts, fmt.Sprintf("... %d more ..., %v", len(ds)-13, roundDur(ds[len(ds)-1])))
			break
		}
		parts = append(parts, roundDur(d).String())
	}
	return " " + strings.Join(parts, ", ")
}

func durOrNone(d time.Duration) string {
	if d < 0 {
		return "never"
	}
	return "+" + roundDur(d).String()
}
