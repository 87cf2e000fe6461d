/* Faulting the balloon's pages in from the kernel: one madvise(MADV_POPULATE_WRITE) (Linux
 * 5.14) per slice allocates and zero-fills every page of it without a page fault per page,
 * the fastest way the kernel offers. The user-space touch stays the fallback and the path
 * that shows the kernel's real behaviour at the limit (the memcg OOM wait). */
#ifndef PREFAULT_H
#define PREFAULT_H

#include <stddef.h>
#include <stdint.h>

/* What the caller does after prefault_range() answered err (0 or -errno). */
enum prefault_next {
	PREFAULT_DONE,        /* every page is there: only the markers are left to write */
	PREFAULT_TOUCH,       /* this slice failed: touch it from user space, try the kernel
				 again next time (ENOMEM at the limit, EINTR, EFAULT, ...) */
	PREFAULT_TOUCH_ALWAYS /* this kernel lacks the advice (EINVAL): user space from now on */
};

/* The slices are this big, and end on a multiple of it in the address space: a 2 MiB slice
 * is one transparent huge page, so the marker writes that follow find it still in cache. */
#define PREFAULT_SLICE_BYTES (UINT64_C(2) << 20)

/* How many pages the next step covers: at most want, at most left (what the chunk still
 * holds), and not past the next multiple of slice_bytes from address addr. Never 0 when
 * want and left are not. Pure, for the tests. */
uint64_t prefault_step_pages(uintptr_t addr, uint64_t want, uint64_t left, size_t page,
			     uint64_t slice_bytes);

/* Maps an answer of prefault_range() to the next step. Pure, for the tests. */
enum prefault_next prefault_next(int err);

/* madvise(addr, len, MADV_POPULATE_WRITE). Returns 0 or -errno. Memory cgroup v1 with
 * oom_kill_disable answers ENOMEM at the limit here instead of making the task wait: the
 * caller touches the slice from user space, where the kernel does make it wait. */
int prefault_range(void *addr, size_t len);

#endif
