package main

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Data is the input shared by every driver: built once, outside any
// measured round, and boxed in []any already, so that building argument
// lists costs the drivers nothing (and their allocation counts show only
// their own work).
type Data struct {
	mu   sync.Mutex
	rows [][]any // (int4, text, float8, timestamptz) rows for insert and COPY
}

// Rows returns the first n rows of (int4, text, float8, timestamptz) data,
// built on first need (the COPY workload's million rows weigh ~150 MB, a
// heap the other workloads' garbage collections need not scan).
func (d *Data) Rows(n int) [][]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.rows) < n {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := len(d.rows); i < n; i++ {
			d.rows = append(d.rows, []any{int32(i), "row " + strconv.Itoa(i), float64(i) * 1.5, base.Add(time.Duration(i) * time.Second)})
		}
	}
	return d.rows[:n:n]
}

// Release drops the rows, so that the garbage collector's target (twice
// the live heap) goes back down and the next workloads' heap↑ shows their
// own buffers, not collector slack from the COPY input.
func (d *Data) Release() {
	d.mu.Lock()
	d.rows = nil
	d.mu.Unlock()
}

// wideReps is how many times the ten column types repeat in the wide query.
const wideReps = 5

// wideTypes are the wide query's column types, in order within one
// repetition.
var wideTypes = []string{"int8", "text", "numeric", "timestamptz", "uuid", "jsonb", "bytea", "bool", "float8", "int4[]"}

// sqlWide is one row of 50 columns: wideTypes repeated wideReps times, with
// different values in each repetition.
var sqlWide = func() string {
	var cols []string
	for k := 0; k < wideReps; k++ {
		cols = append(cols,
			fmt.Sprintf("%d::int8", 1234567890123+k),
			fmt.Sprintf("'text value %d, a little longer than one word'::text", k),
			fmt.Sprintf("%d.%04d::numeric", 12345+k, 6789),
			fmt.Sprintf("'2024-05-%02d 07:08:09.123456+00'::timestamptz", 6+k),
			fmt.Sprintf("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1%d'::uuid", k),
			fmt.Sprintf(`'{"id": %d, "tags": ["a", "b"], "ok": true}'::jsonb`, k),
			fmt.Sprintf(`'\x000102030405060708090a0b0c0d0e0f%02x'::bytea`, k),
			fmt.Sprintf("%t", k%2 == 0),
			fmt.Sprintf("%d.25::float8", k),
			fmt.Sprintf("'{1,2,3,4,5,6,7,8,9,%d}'::int4[]", 10+k),
		)
	}
	for i := range cols {
		cols[i] += fmt.Sprintf(" AS c%02d", i)
	}
	return "SELECT " + strings.Join(cols, ", ")
}()

// wideRow holds the wide query's columns in the Go types both native
// drivers scan into: numeric as its decimal text, uuid as 16 bytes, jsonb
// as raw bytes.
type wideRow struct {
	i8  [wideReps]int64
	txt [wideReps]string
	num [wideReps]string
	ts  [wideReps]time.Time
	id  [wideReps][16]byte
	js  [wideReps][]byte
	by  [wideReps][]byte
	b   [wideReps]bool
	f8  [wideReps]float64
	arr [wideReps][]int32
}

// dests returns pointers to every field in column order.
func (r *wideRow) dests() []any {
	d := make([]any, 0, wideReps*len(wideTypes))
	for k := 0; k < wideReps; k++ {
		d = append(d, &r.i8[k], &r.txt[k], &r.num[k], &r.ts[k], &r.id[k], &r.js[k], &r.by[k], &r.b[k], &r.f8[k], &r.arr[k])
	}
	return d
}

// decodeRow holds one row of decode-1000 in the Go types both native
// drivers scan into: numeric as its decimal text, uuid as 16 bytes.
type decodeRow struct {
	i4  int32
	i8  int64
	txt string
	f8  float64
	ts  time.Time
	num string
	id  [16]byte
	b   bool
}

// dests returns pointers to every field in column order.
func (r *decodeRow) dests() []any {
	return []any{&r.i4, &r.i8, &r.txt, &r.f8, &r.ts, &r.num, &r.id, &r.b}
}
