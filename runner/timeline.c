/* Growable arrays of samples and events (doubling, so appends are amortised O(1)). */
#include "timeline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(void **arr, size_t *cap, size_t used, size_t elem)
{
	size_t ncap;
	void *p;

	if (used < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int timeline_add_sample(struct timeline *tl, const struct sample *s)
{
	if (grow((void **)&tl->s, &tl->scap, tl->ns, sizeof(*tl->s)) < 0)
		return -ENOMEM;
	tl->s[tl->ns++] = *s;
	return 0;
}

int timeline_add_event(struct timeline *tl, uint64_t t, const char *what, const char *fmt, ...)
{
	struct tl_event *e;
	va_list ap;

	if (grow((void **)&tl->e, &tl->ecap, tl->ne, sizeof(*tl->e)) < 0)
		return -ENOMEM;
	e = &tl->e[tl->ne++];
	e->t = t;
	snprintf(e->what, sizeof(e->what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
	return 0;
}

void timeline_free(struct timeline *tl)
{
	free(tl->s);
	free(tl->e);
	memset(tl, 0, sizeof(*tl));
}
