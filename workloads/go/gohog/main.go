// gohog replays a Go process in a container whose memory cgroup had the OOM killer disabled
// and that hung for ever at its limit: it allocates and keeps memory step by step while helper
// goroutines wake on timers (a service's background work), so the runtime runs several threads.
package main

import (
	"flag"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"balloon/workloads/internal/wl"
)

const about = `Replays a Go process in a container with the OOM killer disabled that hung for ever at
its memory limit: allocates -step every -every, touching each page and keeping everything,
until -size (0 = no end), with -helpers goroutines that wake on timers like a service's
background work (read /proc/self/statm, then a 2 ms blocking nanosleep, so the runtime hands
their P to other threads). Prints "gohog: allocating" on stdout at the start and
"gohog: reached N MiB" once -size is reached, then holds until SIGTERM/SIGINT (exit 0) or the
end of -hold; progress goes to stderr every 32 MiB. In a cgroup v1 group with
memory.oom_control = 1 it hangs in the kernel's memcg OOM wait at the limit.`

func main() {
	step := wl.Size(4 * wl.MiB)
	size := wl.Size(0)
	flag.Var(&step, "step", "allocate this much at a time, a `SIZE` (4M)")
	every := flag.Duration("every", time.Millisecond, "pause between steps")
	flag.Var(&size, "size", "stop allocating at this total, a `SIZE` (0 = never stop)")
	helpers := flag.Int("helpers", 4, "helper goroutines waking on timers")
	blocking := flag.Duration("blocking", 0, "each helper tick also sleeps this long in a blocking system call (0 = none)")
	hold := flag.Duration("hold", 0, "once -size is reached, hold this long (0 = until SIGTERM)")
	threads := flag.Int("threads", 16, "OS threads the runtime starts before allocating, as a service that has run a while has them (0 = none)")
	wl.Parse("gohog", about)
	switch {
	case step < wl.Page:
		wl.Usagef("-step %s is below one page (4K)", step.String())
	case *helpers < 0 || *helpers > 1024:
		wl.Usagef("-helpers %d is out of range (0..1024)", *helpers)
	case *threads < 0 || *threads > 1024:
		wl.Usagef("-threads %d is out of range (0..1024)", *threads)
	case *every < 0 || *blocking < 0:
		wl.Usagef("-every and -blocking cannot be negative")
	}
	stop := wl.Stop()

	prestart(*threads)
	var ticks uint64
	for i := 0; i < *helpers; i++ {
		go helper(time.Duration(10*(i+1))*time.Millisecond, *blocking, &ticks)
	}
	wl.Say("allocating %s every %v with %d helpers", step.String(), *every, *helpers)
	kept := grow(uint64(step), uint64(size), *every, stop)
	if kept == nil {
		return
	}
	wl.Say("reached %d MiB", size/wl.MiB)
	wl.Logf("stopping: %s (helpers woke %d times)", wl.Hold(*hold, stop), atomic.LoadUint64(&ticks))
}

// prestart makes the runtime start n OS threads now, which it keeps idle for later. A service
// that has run a while has its threads; a fresh process at the limit would instead need a new
// one there (for a GC worker or a goroutine that woke), and on cgroup v1 clone() fails at the
// limit (the kernel stack is charged outside a page fault, so it never waits for the OOM):
// the runtime dies with "failed to create new OS thread", exit 2, instead of hanging.
func prestart(n int) {
	var locked sync.WaitGroup
	release := make(chan struct{})
	var done sync.WaitGroup
	locked.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			runtime.LockOSThread() // the goroutine has its thread to itself until it unlocks
			locked.Done()
			<-release
			runtime.UnlockOSThread() // the thread goes back to the runtime's idle list
		}()
	}
	locked.Wait()
	close(release)
	done.Wait()
}

// grow allocates step after step until size (0: never); it returns nil when a signal stopped it.
func grow(step, size uint64, every time.Duration, stop <-chan os.Signal) [][]byte {
	var kept [][]byte
	var total, logged uint64
	for size == 0 || total < size {
		n := step
		if size != 0 && size-total < n {
			n = size - total
		}
		b := make([]byte, n)
		wl.Touch(b)
		kept = append(kept, b)
		total += n
		if total-logged >= 32*wl.MiB {
			wl.Logf("%d MiB allocated", total/wl.MiB)
			logged = total
		}
		select {
		case s := <-stop:
			wl.Logf("stopping at %d MiB: %s", total/wl.MiB, s)
			return nil
		case <-time.After(every):
		}
	}
	return kept
}

// helper is a service's background job: on each tick it reads its own memory figures and,
// with block > 0, sleeps in a blocking system call (a slow read, a cgo call): the runtime then
// hands its P to another thread, starting a new one when none is idle.
func helper(period, block time.Duration, ticks *uint64) {
	buf := make([]byte, 256)
	t := time.NewTicker(period)
	for range t.C {
		if f, err := os.Open("/proc/self/statm"); err == nil {
			f.Read(buf)
			f.Close()
		}
		if block > 0 {
			ts := syscall.NsecToTimespec(int64(block))
			syscall.Nanosleep(&ts, nil)
		}
		atomic.AddUint64(ticks, 1)
	}
}
