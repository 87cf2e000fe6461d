// matrix replays a test that built a 10000x10000 matrix on a 2 GB VM and died with
// "signal: killed": it builds an n x n float64 matrix row by row (~763 MiB at n = 10000),
// fills it and prints its trace.
package main

import (
	"flag"
	"time"

	"balloon/workloads/internal/wl"
)

const about = `Replays a test that built a 10000x10000 matrix on a 2 GB VM and died with "signal: killed"
(an OOM kill): builds an -n x -n matrix of float64 row by row (n*n*8 bytes: ~763 MiB at
n = 10000), sets m[i][j] = i + j, and prints "matrix: n=N trace=T" on stdout (T = n*(n-1)),
then exits 0. Progress goes to stderr every 10 % of the rows.`

func main() {
	n := flag.Int("n", 10000, "rows and columns")
	wl.Parse("matrix", about)
	if *n < 1 || *n > 1<<20 {
		wl.Usagef("-n %d is out of range (1..1048576)", *n)
	}
	start := time.Now()
	wl.Logf("building a %dx%d float64 matrix (%d MiB)", *n, *n, uint64(*n)*uint64(*n)*8/wl.MiB)
	m := build(*n)
	wl.Say("n=%d trace=%.0f", *n, trace(m))
	wl.Logf("done in %v", time.Since(start).Round(time.Millisecond))
}

// build makes the matrix one row at a time, as the test did, filling each row at once.
func build(n int) [][]float64 {
	m := make([][]float64, n)
	tenth := n / 10
	for i := range m {
		row := make([]float64, n)
		for j := range row {
			row[j] = float64(i + j)
		}
		m[i] = row
		if tenth > 0 && (i+1)%tenth == 0 {
			wl.Logf("%d of %d rows (%d MiB)", i+1, n, uint64(i+1)*uint64(n)*8/wl.MiB)
		}
	}
	return m
}

func trace(m [][]float64) float64 {
	t := 0.0
	for i := range m {
		t += m[i][i]
	}
	return t
}
