/* The kernel-side population of the balloon's pages (contract in prefault.h). */
#include "prefault.h"

#include <errno.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14, include/uapi/asm-generic/mman-common.h */
#endif

uint64_t prefault_step_pages(uintptr_t addr, uint64_t want, uint64_t left, size_t page,
			     uint64_t slice_bytes)
{
	uint64_t n = want < left ? want : left, to_edge;

	if (slice_bytes < page)
		slice_bytes = page;
	/* Pages from addr to the next slice edge: a whole slice when addr sits on one. */
	to_edge = (slice_bytes - addr % slice_bytes) / page;
	if (to_edge == 0)
		to_edge = 1;
	return n < to_edge ? n : to_edge;
}

enum prefault_next prefault_next(int err)
{
	switch (err) {
	case 0:
		return PREFAULT_DONE;
	case -EINVAL:
		/* Our mappings are private, anonymous, writable and page-aligned: the advice
		 * itself is what this kernel does not know. */
		return PREFAULT_TOUCH_ALWAYS;
	default:
		return PREFAULT_TOUCH;
	}
}

int prefault_range(void *addr, size_t len)
{
	return madvise(addr, len, MADV_POPULATE_WRITE) == 0 ? 0 : -errno;
}
