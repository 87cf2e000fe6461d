/* Page writers for --touch page|fill|random and the marker check behind --verify. */
#include "touch.h"
#include "balloon_conf.h"

#include <string.h>

/* The byte "fill" pages are filled with after the marker: anything but zero, so a filled page
 * is never mistaken for a fresh one; deliberately compressible (fill tests the plain case). */
#define FILL_BYTE 0x5a

uint64_t touch_marker(uint64_t index)
{
	/* XOR keeps the index readable in the low bits; the result can only be zero for an index
	 * of 2^62 and more, which no balloon reaches (it would be 2^74 bytes). */
	uint64_t m = TOUCH_MAGIC ^ index;

	return m ? m : TOUCH_MAGIC;
}

/* splitmix64: fast, passes BigCrush, and every output differs, so neither zswap's
 * compressors nor same-page merging (KSM) can shrink a "random" page. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void fill_random(uint64_t *w, size_t words, uint64_t seed)
{
	uint64_t state = seed;

	for (size_t i = 1; i < words; i++)
		w[i] = splitmix64(&state);
}

void touch_pages(void *addr, uint64_t first_index, uint64_t npages, size_t page, int how,
		 uint64_t seed)
{
	char *p = addr;

	for (uint64_t i = 0; i < npages; i++, p += page) {
		uint64_t *w = (uint64_t *)(void *)p;
		uint64_t marker = touch_marker(first_index + i);

		/* The rest of the page first, the marker last: a page whose marker is present
		 * has been written completely. */
		if (how == TOUCH_FILL)
			memset(p + sizeof(uint64_t), FILL_BYTE, page - sizeof(uint64_t));
		else if (how == TOUCH_RANDOM)
			fill_random(w, page / sizeof(uint64_t), seed ^ marker);
		*(volatile uint64_t *)w = marker;
	}
}

enum touch_state touch_classify(const void *page_addr, uint64_t index)
{
	/* A volatile read: it must really happen, and a read fault on a discarded anonymous page
	 * maps the shared zero page, so checking dirties and charges nothing. */
	uint64_t v = *(const volatile uint64_t *)page_addr;

	if (v == 0)
		return TOUCH_ZERO;
	return v == touch_marker(index) ? TOUCH_PATTERN : TOUCH_OTHER;
}

void verify_count(struct verify_counts *vc, enum touch_state st)
{
	if (st == TOUCH_ZERO)
		vc->zero++;
	else if (st == TOUCH_PATTERN)
		vc->pattern++;
	else
		vc->other++;
}
