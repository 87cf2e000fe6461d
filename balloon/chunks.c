/* Mapping and unmapping the balloon's chunks. The record array is sized for the whole balloon
 * up front (24 bytes per chunk: 0.6% of the size even at the smallest chunk), so inflating
 * never reallocates it halfway. */
#include "chunks.h"
#include "balloon_conf.h"
#include "kind.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int chunks_init(struct chunks *cs, uint64_t size, uint64_t chunk, size_t page, char *why,
		size_t whylen)
{
	uint64_t n;

	memset(cs, 0, sizeof(*cs));
	cs->page = page;
	cs->total_pages = size / page;
	cs->chunk_pages = chunk / page;
	if (cs->total_pages == 0 || cs->chunk_pages == 0) {
		errf(why, whylen, "size and chunk must be at least one page (%zu bytes)", page);
		return -EINVAL;
	}
	n = (cs->total_pages + cs->chunk_pages - 1) / cs->chunk_pages;
	cs->v = calloc(n, sizeof(*cs->v));
	if (!cs->v) {
		errf(why, whylen, "cannot allocate %llu chunk records: %s", (unsigned long long)n,
		     strerror(ENOMEM));
		return -ENOMEM;
	}
	cs->cap = n;
	return 0;
}

/* THP advice per enum thp_mode: 0 = leave the system policy alone. */
static const struct {
	int advice;
	const char *name;
} thp_advice[] = {
	[THP_DEFAULT] = { 0, NULL },
	[THP_OFF] = { MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE" },
	[THP_ON] = { MADV_HUGEPAGE, "MADV_HUGEPAGE" },
};

static int advise_thp(void *addr, size_t len, int thp, char *why, size_t whylen)
{
	int err;

	if (thp < 0 || thp > THP_ON || thp_advice[thp].advice == 0)
		return 0;
	if (madvise(addr, len, thp_advice[thp].advice) == 0)
		return 0;
	err = errno;
	if (err == EINVAL) {
		/* The only EINVAL an aligned anonymous mapping can get: THP not built in. */
		errf(why, whylen, "madvise(%s): %s: this kernel does not support it (needs "
		     "CONFIG_TRANSPARENT_HUGEPAGE)", thp_advice[thp].name, strerror(err));
		return -EOPNOTSUPP;
	}
	errf(why, whylen, "madvise(%s): %s", thp_advice[thp].name, strerror(err));
	return -err;
}

int chunks_map_next(struct chunks *cs, int thp, char *why, size_t whylen)
{
	uint64_t pages = cs->total_pages - cs->mapped;
	char a[32], b[32];
	size_t len;
	void *addr;
	int err;

	if (cs->n >= cs->cap || pages == 0) {
		errf(why, whylen, "internal error: balloon already fully mapped");
		return -EINVAL;
	}
	if (pages > cs->chunk_pages)
		pages = cs->chunk_pages;
	len = (size_t)(pages * cs->page);
	if (cs->backing) {
		err = kind_map(cs->backing, cs->mapped * cs->page, len, &addr, why, whylen);
		if (err < 0)
			return err;
	} else if ((addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0)) == MAP_FAILED) {
		err = errno;
		errf(why, whylen, "mmap %s at %s touched: %s", fmt_size(len, a, sizeof(a)),
		     fmt_size(chunks_touched_bytes(cs), b, sizeof(b)), strerror(err));
		return -err;
	}
	err = advise_thp(addr, len, thp, why, whylen);
	if (err < 0) {
		munmap(addr, len);
		return err;
	}
	cs->v[cs->n++] = (struct chunk){ .addr = addr, .pages = pages, .touched = 0 };
	cs->mapped += pages;
	return 0;
}

struct chunk *chunks_open(struct chunks *cs)
{
	struct chunk *c;

	if (cs->n == 0)
		return NULL;
	c = &cs->v[cs->n - 1];
	return c->addr && c->touched < c->pages ? c : NULL;
}

void chunks_unmap_all(struct chunks *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct chunk *c = &cs->v[i];

		if (c->addr) {
			munmap(c->addr, (size_t)(c->pages * cs->page));
			c->addr = NULL;
		}
	}
}

void chunks_free(struct chunks *cs)
{
	if (cs->v)
		chunks_unmap_all(cs);
	free(cs->v);
	cs->v = NULL;
	cs->n = cs->cap = 0;
}
