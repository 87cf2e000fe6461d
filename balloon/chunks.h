/* The balloon's memory: anonymous private mappings of --chunk bytes, mapped one after another
 * as inflation needs them, and the small array of records that remembers them. */
#ifndef CHUNKS_H
#define CHUNKS_H

#include <stddef.h>
#include <stdint.h>

struct chunk {
	char *addr;       /* NULL once unmapped */
	uint64_t pages;   /* mapped length in pages */
	uint64_t touched; /* pages written so far, from the start */
};

struct backing;

struct chunks {
	struct backing *backing; /* where pages come from (balloon/kind.h); NULL = anonymous */
	struct chunk *v;      /* one record per chunk, allocated once for the whole size */
	size_t n, cap;        /* chunks mapped so far / records allocated */
	size_t page;          /* page size in bytes */
	uint64_t chunk_pages; /* pages per chunk (the last one may be shorter) */
	uint64_t total_pages; /* the balloon's size in pages */
	uint64_t touched;     /* pages written, over all chunks */
	uint64_t mapped;      /* pages mapped, over all chunks */
};

/* Sets up an empty balloon of size bytes in chunks of chunk bytes (both rounded down to whole
 * pages, at least one). Returns 0 or -ENOMEM / -EINVAL with the reason in why. */
int chunks_init(struct chunks *cs, uint64_t size, uint64_t chunk, size_t page, char *why,
		size_t whylen);

/* Maps the next chunk (from cs->backing when set) and applies the THP advice (enum thp_mode) before anything touches it.
 * Returns 0; -ENOMEM etc. from mmap; -EOPNOTSUPP when the kernel rejects the advice as unknown;
 * the reason in why ("mmap 64 MiB at 192 MiB touched: Cannot allocate memory"). */
int chunks_map_next(struct chunks *cs, int thp, char *why, size_t whylen);

/* The chunk being filled, or NULL when none is mapped or the last one is full. */
struct chunk *chunks_open(struct chunks *cs);

/* Unmaps every chunk; safe to call again and after a partial setup. */
void chunks_unmap_all(struct chunks *cs);

/* Unmaps everything and frees the records. */
void chunks_free(struct chunks *cs);

static inline uint64_t chunks_touched_bytes(const struct chunks *cs)
{
	return cs->touched * cs->page;
}

#endif
