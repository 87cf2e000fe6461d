// goheap replays a Go service whose RSS climbed after Go 1.12 made MADV_FREE the default: it
// fills a heap, drops it and hands it back with debug.FreeOSMemory(), then stays alive.
// GODEBUG=madvdontneed=0 returns it with MADV_FREE (LazyFree), =1 with MADV_DONTNEED.
package main

import (
	"flag"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"balloon/workloads/internal/wl"
)

const about = `Replays a Go service whose RSS climbed after Go 1.12 switched to MADV_FREE: allocates
-size of heap in 1 MiB slices, touches every page, drops them, runs runtime.GC() and
debug.FreeOSMemory(), prints "goheap: released N MiB" on stdout and stays alive until
SIGTERM/SIGINT (exit 0) or the end of -hold. Run it with GODEBUG=madvdontneed=0 (MADV_FREE:
the pages stay in Rss as LazyFree until memory pressure) or =1 (MADV_DONTNEED, Go 1.16's
default: Rss drops at once).`

func main() {
	size := wl.Size(256 * wl.MiB)
	flag.Var(&size, "size", "heap to allocate, touch and release, a `SIZE` (256M, 1G)")
	hold := flag.Duration("hold", 0, "stay alive this long after the release (0 = until SIGTERM)")
	wl.Parse("goheap", about)
	if size < wl.MiB {
		wl.Usagef("-size %s is below 1 MiB", size.String())
	}
	stop := wl.Stop()

	wl.Logf("allocating %d MiB in 1 MiB slices (GODEBUG=%q)", size/wl.MiB, os.Getenv("GODEBUG"))
	heap := fill(uint64(size))
	wl.Say("allocated %d MiB", size/wl.MiB)
	released := release(&heap)
	wl.Say("released %d MiB", released/wl.MiB)
	if rss, lazy, err := wl.Smaps(); err == nil {
		wl.Logf("after the release: Rss %d MiB, LazyFree %d MiB", rss/wl.MiB, lazy/wl.MiB)
	}
	wl.Logf("stopping: %s", wl.Hold(*hold, stop))
}

// fill allocates size bytes as 1 MiB slices (the last one shorter) and touches every page.
func fill(size uint64) [][]byte {
	heap := make([][]byte, 0, (size+wl.MiB-1)/wl.MiB)
	for left := size; left > 0; {
		n := uint64(wl.MiB)
		if left < n {
			n = left
		}
		b := make([]byte, n)
		wl.Touch(b)
		heap = append(heap, b)
		left -= n
	}
	return heap
}

// release drops the heap and returns it to the kernel; the result is how much the runtime
// says it handed back (MemStats.HeapReleased after minus before).
func release(heap *[][]byte) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	*heap = nil
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&after)
	wl.Logf("runtime.GC + debug.FreeOSMemory took %v; HeapReleased %d -> %d MiB",
		time.Since(start).Round(time.Millisecond), before.HeapReleased/wl.MiB,
		after.HeapReleased/wl.MiB)
	if after.HeapReleased < before.HeapReleased {
		return 0
	}
	return after.HeapReleased - before.HeapReleased
}
