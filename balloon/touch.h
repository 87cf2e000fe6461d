/* Writing the balloon's pages (--touch) and recognising them again (--verify). Each page's
 * first word is a marker derived from TOUCH_MAGIC and the page's index in the balloon, never
 * zero: a page the kernel discarded (MADV_FREE reclaimed) reads back as zero instead. */
#ifndef TOUCH_H
#define TOUCH_H

#include <stddef.h>
#include <stdint.h>

/* "BALL" in the high half: recognisable in a hex dump of the balloon's memory. */
#define TOUCH_MAGIC UINT64_C(0x42414c4c00000000)

enum touch_state { TOUCH_ZERO, TOUCH_PATTERN, TOUCH_OTHER };

/* The marker word of page `index` (counted from the balloon's first page). Never zero. */
uint64_t touch_marker(uint64_t index);

/* Writes npages pages starting at addr, whose first page is balloon page first_index, as
 * --touch `how` (enum touch_how) says. seed varies the random data between runs. */
void touch_pages(void *addr, uint64_t first_index, uint64_t npages, size_t page, int how,
		 uint64_t seed);

/* Reads (never writes) the first word of a page and says whose it is. */
enum touch_state touch_classify(const void *page_addr, uint64_t index);

struct verify_counts {
	uint64_t zero;    /* read back zero: the kernel discarded the page */
	uint64_t pattern; /* still hold our marker */
	uint64_t other;   /* anything else (should never happen: a corrupted page) */
};

/* Counts one page read back as touch_classify() found it. */
void verify_count(struct verify_counts *vc, enum touch_state st);

#endif
