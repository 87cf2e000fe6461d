/* The phase sequence of a balloon run, each phase announced by a progress line:
 * started -> tick... -> inflated -> [holding] -> released -> [verified] -> exiting.
 * A stop request (SIGTERM/SIGINT) at any point skips ahead to an munmap release, verifying
 * first if a free release already happened, and still ends with "exiting" and status 0. */
#include "run.h"
#include "clock.h"
#include "chunks.h"
#include "emit.h"
#include "inflate.h"
#include "kind.h"
#include "limit.h"
#include "release.h"
#include "stop.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct run {
	const struct balloon_conf *c;
	struct emit e;
	struct chunks cs;
	struct limit_info li;
	struct backing bk;
	uint64_t size;  /* --size resolved against the limit, whole pages */
	int released;  /* enum release_how that was applied, -1 before the release step */
};

/* Joins the cgroup, checks the limit and sets up the chunk records: everything that must be
 * right before the first page is mapped. */
static enum balloon_status prepare(struct run *r, char *why, size_t whylen)
{
	const struct balloon_conf *c = r->c;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int err;

	if (stop_install(why, whylen) < 0)
		return BALLOON_FAILED;
	if (c->cgroup && limit_join(c->cgroup, why, whylen) < 0)
		return BALLOON_REFUSED;
	/* a share of the limit needs the limit, --unbounded or not */
	if ((!c->unbounded || c->size_spec.kind != SIZE_ABSOLUTE) &&
	    limit_find(&r->li, why, whylen) < 0)
		return BALLOON_REFUSED;
	if (balloon_resolve_size(c, r->li.limited, r->li.limit, page, &r->size, why, whylen) < 0)
		return BALLOON_REFUSED;
	if (!c->unbounded && !r->li.limited) {
		errf(why, whylen, "no memory limit applies to cgroup %s or its ancestors: "
		     "refusing to inflate %llu MiB (it could take down the host); run inside a "
		     "limited cgroup (--cgroup) or pass --unbounded", r->li.cgroup,
		     (unsigned long long)to_mib(r->size));
		return BALLOON_REFUSED;
	}
	err = kind_open(&r->bk, c, r->size, why, whylen);
	if (err < 0)
		return err == -EPERM || err == -ENOSPC || err == -EINVAL || err == -ENOTDIR ||
		       err == -ENOENT ? BALLOON_REFUSED : BALLOON_FAILED;
	if (chunks_init(&r->cs, r->size, c->chunk, page, why, whylen) < 0)
		return BALLOON_FAILED;
	if (c->kind != KIND_ANON)
		r->cs.backing = &r->bk;
	return BALLOON_DONE;
}

static void announce_start(struct run *r)
{
	const struct balloon_conf *c = r->c;
	char a[32], b[32], l[32];
	struct progress_field f[] = {
		{ "pid", (uint64_t)getpid() },
		{ "size", r->cs.total_pages * r->cs.page },
		{ "rate", c->rate },
		{ "bytes", 0 },
	};

	emit_event(&r->e, PROGRESS_STARTED, f, 4, "kind", kind_name(c->kind));
	if (c->rate)
		snprintf(b, sizeof(b), "at %s/s", fmt_size(c->rate, a, sizeof(a)));
	else
		snprintf(b, sizeof(b), "as fast as the kernel allows");
	if (!r->li.limited)
		emit_say(&r->e, "pid %d: inflating %s to %s %s, no limit check (--unbounded)",
			 (int)getpid(), r->bk.where, fmt_size(f[1].value, a, sizeof(a)), b);
	else
		emit_say(&r->e, "pid %d: inflating %s to %s %s in cgroup %s (limit %s set at %s)",
			 (int)getpid(), r->bk.where, fmt_size(f[1].value, a, sizeof(a)), b,
			 r->li.cgroup, fmt_size(r->li.limit, l, sizeof(l)), r->li.limited_at);
}

static void announce_inflated(struct run *r, const struct inflate_result *res)
{
	char a[32], d[32], s[32];
	double secs = (double)res->elapsed_ns / (double)NSEC_PER_SEC;
	struct progress_field f[] = {
		{ "bytes", res->bytes },
		{ "shortfall", res->shortfall },
	};

	emit_event(&r->e, PROGRESS_INFLATED, f, 2, NULL, NULL);
	emit_say(&r->e, "inflated %s in %s (%.1f MiB/s), shortfall %s",
		 fmt_size(res->bytes, a, sizeof(a)), fmt_duration(res->elapsed_ns, d, sizeof(d)),
		 secs > 0 ? (double)res->bytes / (double)MiB / secs : 0.0,
		 fmt_size(res->shortfall, s, sizeof(s)));
}

/* Stays inflated for --release-after, then applies the release (munmap instead when a stop
 * was requested before it). Returns a status; the reason in why. */
static enum balloon_status release_phase(struct run *r, char *why, size_t whylen)
{
	const struct balloon_conf *c = r->c;
	uint64_t touched = chunks_touched_bytes(&r->cs);
	struct progress_field f[] = { { "bytes", touched } };
	char a[32], d[32];
	int how, err;

	if (!stop_requested() && c->release_after > 0) {
		emit_event(&r->e, PROGRESS_HOLDING, f, 1, NULL, NULL);
		emit_say(&r->e, "holding %s for %s before release %s", fmt_size(touched, a, sizeof(a)),
			 fmt_duration(c->release_after, d, sizeof(d)), release_name(c->release));
		if (stop_wait_until(now_ns() + c->release_after) < 0)
			emit_say(&r->e, "stopped by %s while holding: releasing", stop_signame());
	}
	how = stop_requested() ? REL_MUNMAP : c->release;
	err = release_apply(&r->cs, how, why, whylen);
	if (err < 0)
		return err == -EOPNOTSUPP ? BALLOON_REFUSED : BALLOON_FAILED;
	r->released = how;
	f[0].value = release_bytes_left(how, touched);
	emit_event(&r->e, PROGRESS_RELEASED, f, 1, "how", release_name(how));
	emit_say(&r->e, "released (%s): %s still mapped", release_name(how),
		 fmt_size(f[0].value, a, sizeof(a)));
	return BALLOON_DONE;
}

static void hold_phase(struct run *r)
{
	char d[32];

	if (stop_requested() || r->c->hold == 0)
		return;
	if (r->c->hold == DURATION_FOREVER)
		emit_say(&r->e, "holding until SIGTERM/SIGINT (pid %d)", (int)getpid());
	else
		emit_say(&r->e, "holding for %s", fmt_duration(r->c->hold, d, sizeof(d)));
	if (stop_wait_until(r->c->hold == DURATION_FOREVER ? DURATION_FOREVER
							   : now_ns() + r->c->hold) < 0)
		emit_say(&r->e, "stopped by %s", stop_signame());
}

static void verify_phase(struct run *r)
{
	struct verify_counts vc;
	struct progress_field f[3];

	if (!r->c->verify || r->released < 0 || !release_keeps_mapping(r->released))
		return;
	release_verify(&r->cs, &vc);
	f[0] = (struct progress_field){ "zero_pages", vc.zero };
	f[1] = (struct progress_field){ "pattern_pages", vc.pattern };
	f[2] = (struct progress_field){ "other_pages", vc.other };
	emit_event(&r->e, PROGRESS_VERIFIED, f, 3, NULL, NULL);
	emit_say(&r->e, "verified %llu pages after release %s: %llu discarded by the kernel "
		 "(read back zero), %llu still hold their data, %llu hold something else",
		 (unsigned long long)(vc.zero + vc.pattern + vc.other), release_name(r->released),
		 (unsigned long long)vc.zero, (unsigned long long)vc.pattern,
		 (unsigned long long)vc.other);
}

/* The phases after setup. Returns a status; the reason in why. */
static enum balloon_status phases(struct run *r, char *why, size_t whylen)
{
	struct inflate_result res;
	enum balloon_status st;
	uint64_t seed = (uint64_t)getpid() << 32 ^ now_ns();
	int err;

	announce_start(r);
	err = inflate_run(r->c, &r->cs, &r->e, seed, &res, why, whylen);
	if (err < 0)
		return err == -EOPNOTSUPP ? BALLOON_REFUSED : BALLOON_FAILED;
	if (res.stopped) {
		char a[32];

		emit_say(&r->e, "stopped by %s at %s: releasing", stop_signame(),
			 fmt_size(res.bytes, a, sizeof(a)));
	} else {
		announce_inflated(r, &res);
	}
	st = release_phase(r, why, whylen);
	if (st != BALLOON_DONE)
		return st;
	hold_phase(r);
	verify_phase(r);
	return BALLOON_DONE;
}

enum balloon_status balloon_run(const struct balloon_conf *c, char *why, size_t whylen)
{
	struct run r = { .c = c, .released = -1, .bk = { .fd = -1 } };
	struct progress_field f[] = { { "bytes", 0 }, { "status", 0 } };
	enum balloon_status st;
	int fd = (int)c->progress_fd;

	if (fcntl(fd, F_GETFD) < 0) {
		errf(why, whylen, "--progress-fd %d: %s", fd, strerror(errno));
		return BALLOON_USAGE;
	}
	emit_init(&r.e, fd, now_ns(), c->quiet);
	st = prepare(&r, why, whylen);
	if (st == BALLOON_DONE)
		st = phases(&r, why, whylen);
	if (st != BALLOON_DONE)
		emit_event(&r.e, PROGRESS_ERROR, NULL, 0, "message", why);
	chunks_free(&r.cs);
	kind_close(&r.bk);
	f[1].value = (uint64_t)st;
	emit_event(&r.e, PROGRESS_EXITING, f, 2, NULL, NULL);
	return st;
}
