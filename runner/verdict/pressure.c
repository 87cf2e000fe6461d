/* Pressure and protection as expectations: how much of the run the scenario's group stalled
 * on memory, how often it hit memory.high and memory.max, how much of the target's memory was
 * evicted and faulted back. Pure, like the verdict: each maximum of [expect] against what the
 * run recorded, with a reason that says the figure and the limit. */
#include "verdict.h"
#include "units.h"

#include <stdarg.h>
#include <stdio.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

uint64_t pressure_share(uint64_t stall_us, uint64_t window_us)
{
	if (!window_us)
		return 0;
	if (stall_us > window_us) /* PSI is sampled a little after the clock: cap at 100 % */
		stall_us = window_us;
	return (uint64_t)((unsigned __int128)stall_us * 100000 / window_us);
}

static void add(char *why, size_t whylen, size_t *used, int *fails, const char *fmt, ...)
	PRINTF_LIKE(5, 6);
static void add(char *why, size_t whylen, size_t *used, int *fails, const char *fmt, ...)
{
	va_list ap;
	int n;

	(*fails)++;
	if (!why || *used + 1 >= whylen)
		return;
	if (*used) {
		n = snprintf(why + *used, whylen - *used, "; ");
		*used = n > 0 && *used + (size_t)n < whylen ? *used + (size_t)n : whylen - 1;
	}
	va_start(ap, fmt);
	n = vsnprintf(why + *used, whylen - *used, fmt, ap);
	va_end(ap);
	*used = n > 0 && *used + (size_t)n < whylen ? *used + (size_t)n : whylen - 1;
}

/* "43%", "0.5%": whole percents unless the limit needs the decimals. */
static const char *pct(uint64_t milli, char *buf, size_t len)
{
	if (milli % 1000 == 0)
		snprintf(buf, len, "%llu %%", (unsigned long long)(milli / 1000));
	else
		snprintf(buf, len, "%.1f %%", (double)milli / 1000);
	return buf;
}

static void stall(const struct observation *o, bool given, uint64_t max, uint64_t us,
		  const char *kind, char *why, size_t whylen, size_t *used, int *fails)
{
	char a[32], b[32], t[32], w[32];
	uint64_t share;

	if (!given)
		return;
	if (!o->psi_known || !o->psi_window_us) {
		add(why, whylen, used, fails, "max_stall_%s: the group's memory.pressure was never "
		    "read, nothing to judge", kind);
		return;
	}
	share = pressure_share(us, o->psi_window_us);
	/* compared in whole thousandths, as the figure is shown: 40.0004 % is not above 40 % */
	if (share > max)
		add(why, whylen, used, fails, "stalled %s of the run (%s: %s of %s), expected at "
		    "most %s", pct(share, a, sizeof(a)), kind,
		    fmt_duration(us * 1000, t, sizeof(t)),
		    fmt_duration(o->psi_window_us * 1000, w, sizeof(w)), pct(max, b, sizeof(b)));
}

/* The group's charge of one kind must have reached min: the proof that the run's memory was
 * of the kind its story says (page cache, shmem, mlocked), from the kernel's own account. */
static void kind_peak(uint64_t min, uint64_t peak, const char *what, const char *counter,
		      char *why, size_t whylen, size_t *used, int *fails)
{
	char a[32], b[32];

	if (min && peak < min)
		add(why, whylen, used, fails, "the group's %s peaked at %s (%s), expected at least "
		    "%s", what, fmt_size(peak, a, sizeof(a)), counter, fmt_size(min, b, sizeof(b)));
}

int pressure_expect(const struct expectation *e, const struct observation *o, char *why,
		    size_t whylen, size_t *used)
{
	uint64_t page = e->page_size ? e->page_size : 4096;
	char a[32], b[32];
	int fails = 0;

	stall(o, e->stall_some_given, e->max_stall_some, o->stall_some_us, "some", why, whylen,
	      used, &fails);
	stall(o, e->stall_full_given, e->max_stall_full, o->stall_full_us, "full", why, whylen,
	      used, &fails);
	if (e->high_events_given && o->high_events > e->max_high_events)
		add(why, whylen, used, &fails, "memory.events high rose %llu times (throttled over "
		    "memory.high), expected at most %llu", (unsigned long long)o->high_events,
		    (unsigned long long)e->max_high_events);
	if (e->max_events_given && o->max_events > e->max_max_events)
		add(why, whylen, used, &fails, "the group hit its limit %llu times (memory.events "
		    "max, v1 failcnt), expected at most %llu", (unsigned long long)o->max_events,
		    (unsigned long long)e->max_max_events);
	kind_peak(e->min_peak_file, o->file_peak, "page cache", "v1 total_cache, v2 file", why,
		  whylen, used, &fails);
	kind_peak(e->min_peak_shmem, o->shmem_peak, "shmem", "memory.stat shmem", why, whylen,
		  used, &fails);
	kind_peak(e->min_peak_unevictable, o->unevictable_peak, "unevictable memory",
		  "memory.stat unevictable", why, whylen, used, &fails);
	if (e->refaults_given) {
		if (!o->refaults_known)
			add(why, whylen, used, &fails, "max_refaults: the target group's "
			    "workingset_refault counters were never read, nothing to judge");
		else if (o->target_refaults * page > e->max_refaults)
			add(why, whylen, used, &fails, "the target refaulted %s (%llu pages evicted "
			    "and faulted back in), expected at most %s",
			    fmt_size(o->target_refaults * page, a, sizeof(a)),
			    (unsigned long long)o->target_refaults,
			    fmt_size(e->max_refaults, b, sizeof(b)));
	}
	return fails;
}
