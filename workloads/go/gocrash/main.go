// gocrash replays a Go+Rust process that crashed with SIGSEGV during memory trouble: it holds a
// Go heap, then calls C code that dereferences a bad pointer, on a thread the C code started
// (the default: the process dies by SIGSEGV) or on the calling goroutine's own thread.
package main

/*
#cgo LDFLAGS: -pthread
#include "crash.h"
*/
import "C"

import (
	"flag"
	"runtime"
	"syscall"
	"time"

	"balloon/workloads/internal/wl"
)

const about = `Replays a Go+Rust process that crashed with SIGSEGV during memory trouble: allocates -size
of Go heap (touched), prints "gocrash: holding N MiB" on stdout, waits -delay, prints
"gocrash: calling C" on stdout, then calls C code that writes through a bad pointer.
-thread c (default): the fault is on a thread the C code started with pthread_create; the Go
  runtime finds no goroutine there and re-raises the signal with the default action: the
  process is killed by SIGSEGV ("signal: segmentation fault"), as in the incident.
-thread go: the fault is on the goroutine's own thread during the cgo call; the runtime prints
  "fatal error: unexpected signal during runtime execution" and exits with status 2
  (with GOTRACEBACK=crash it aborts instead: killed by SIGABRT).
Exits 1 if C returned (it should not).`

func main() {
	size := wl.Size(64 * wl.MiB)
	flag.Var(&size, "size", "Go heap to hold before the crash, a `SIZE` (64M)")
	delay := flag.Duration("delay", 0, "wait this long between the allocation and the call")
	thread := flag.String("thread", "c", "where the fault happens: c (a thread the C code starts) or go (the calling goroutine's thread)")
	wl.Parse("gocrash", about)
	if *thread != "c" && *thread != "go" {
		wl.Usagef("-thread %q: use c or go", *thread)
	}

	heap := make([]byte, size)
	wl.Touch(heap)
	wl.Say("holding %d MiB", size/wl.MiB)
	time.Sleep(*delay)
	wl.Logf("calling C: bad pointer on %s (pid %d)", map[string]string{
		"c": "a thread the C code creates", "go": "the goroutine's own thread"}[*thread],
		syscall.Getpid())
	wl.Say("calling C")
	if *thread == "c" {
		if err := C.gocrash_fault_in_thread(); err != 0 {
			wl.Fatalf("pthread_create: %v", syscall.Errno(err))
		}
	} else {
		C.gocrash_fault_here()
	}
	runtime.KeepAlive(heap)
	wl.Fatalf("the C call returned without a fault")
}
