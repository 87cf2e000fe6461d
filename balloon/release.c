/* Release methods as data: each --release value with its madvise advice and the kernel that
 * introduced it, so an EINVAL from an older kernel can be explained rather than just reported. */
#include "release.h"
#include "balloon_conf.h"
#include "kind.h"
#include "msg.h"
#include "touch.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

/* Older C libraries lack the newer advice values; these are the kernel's numbers. */
#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static const struct release_method {
	const char *name;
	int advice;         /* madvise advice; 0 for keep and munmap */
	const char *advice_name;
	const char *since;  /* first kernel that knows the advice */
	bool discards;      /* the pages are gone afterwards, by our own hand */
} methods[] = {
	[REL_KEEP] = { "keep", 0, NULL, NULL, false },
	[REL_MUNMAP] = { "munmap", 0, NULL, NULL, true },
	[REL_DONTNEED] = { "dontneed", MADV_DONTNEED, "MADV_DONTNEED", "2.0", true },
	[REL_FREE] = { "free", MADV_FREE, "MADV_FREE", "4.5", false },
	[REL_PAGEOUT] = { "pageout", MADV_PAGEOUT, "MADV_PAGEOUT", "5.4", false },
	[REL_COLD] = { "cold", MADV_COLD, "MADV_COLD", "5.4", false },
};

#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

static const struct release_method *method(int how)
{
	return how >= 0 && (size_t)how < NMETHODS ? &methods[how] : &methods[REL_KEEP];
}

const char *release_name(int how)
{
	return method(how)->name;
}

bool release_keeps_mapping(int how)
{
	return how != REL_MUNMAP;
}

uint64_t release_bytes_left(int how, uint64_t touched)
{
	return method(how)->discards ? 0 : touched;
}

static int advise_all(struct chunks *cs, const struct release_method *m, char *why,
		      size_t whylen)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct chunk *c = &cs->v[i];
		int err;

		/* Only the touched part: advice on never-touched pages would change nothing. */
		if (!c->addr || c->touched == 0)
			continue;
		if (madvise(c->addr, (size_t)(c->touched * cs->page), m->advice) == 0)
			continue;
		err = errno;
		if (err == EINVAL) {
			errf(why, whylen, "madvise(%s): %s: this kernel does not support it (needs "
			     "Linux %s)", m->advice_name, strerror(err), m->since);
			return -EOPNOTSUPP;
		}
		errf(why, whylen, "madvise(%s): %s", m->advice_name, strerror(err));
		return -err;
	}
	return 0;
}

/* The kernel refuses advice on locked pages (EINVAL): a release of mlocked memory unlocks it
 * first, which is what a program that lets go of locked memory does. */
static int unlock_all(struct chunks *cs, char *why, size_t whylen)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct chunk *c = &cs->v[i];
		int err;

		if (!c->addr || munlock(c->addr, (size_t)(c->pages * cs->page)) == 0)
			continue;
		err = errno;
		errf(why, whylen, "munlock: %s", strerror(err));
		return -err;
	}
	return 0;
}

int release_apply(struct chunks *cs, int how, char *why, size_t whylen)
{
	const struct release_method *m = method(how);
	int err;

	if (cs->backing && kind_is_written(cs->backing->kind))
		return kind_release_written(cs->backing, how, chunks_touched_bytes(cs), why, whylen);
	if (how == REL_MUNMAP) {
		chunks_unmap_all(cs);
		/* a memfd's pages live in the file, not the mapping: closing it frees them */
		if (cs->backing)
			kind_close(cs->backing);
		return 0;
	}
	if (m->advice == 0)
		return 0;
	if (cs->backing && cs->backing->kind == KIND_MLOCK && (err = unlock_all(cs, why, whylen)) < 0)
		return err;
	/* MADV_DONTNEED on a shared mapping only unmaps: the memfd keeps the pages (and the
	 * charge). MADV_REMOVE frees them from the file as well. */
	if (cs->backing && cs->backing->kind == KIND_MEMFD && how == REL_DONTNEED) {
		static const struct release_method remove = { "dontneed", MADV_REMOVE,
							       "MADV_REMOVE", "2.6.16", true };

		return advise_all(cs, &remove, why, whylen);
	}
	return advise_all(cs, m, why, whylen);
}

void release_verify(const struct chunks *cs, struct verify_counts *vc)
{
	uint64_t index = 0;

	if (cs->backing && kind_is_written(cs->backing->kind)) {
		kind_verify_written(cs->backing, cs->touched, cs->page, vc);
		return;
	}
	memset(vc, 0, sizeof(*vc));
	for (size_t i = 0; i < cs->n; i++) {
		const struct chunk *c = &cs->v[i];

		for (uint64_t p = 0; c->addr && p < c->touched; p++) {
			verify_count(vc, touch_classify(c->addr + p * cs->page, index + p));
		}
		/* Page indexes count mapped pages, as touch_pages() numbered them. */
		index += c->pages;
	}
}
