/* What every part of a running scenario shares: the events of its timeline (and the -v
 * lines), diagnostics, the epoll set, readiness and the first reason the harness broke.
 * monitor.c (setup, loop, cleanup) and observe.c (what each event tells) both build on it. */
#include "runstate.h"
#include "status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

void run_event(struct run *r, const char *what, const char *fmt, ...)
{
	char detail[256];
	uint64_t t = run_rel(r, now_ns());
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	timeline_add_event(&r->res->tl, t, what, "%s", detail);
	snprintf(r->phase, sizeof(r->phase), "%s", what);
	status_clear();
	if (r->mo->verbose > 0)
		printf("# %7.3f s  %-18s %s\n", (double)t / 1e9, what, detail);
}

void run_diag(struct run *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strlist_push(&r->res->diag, line);
}

int run_watch(struct run *r, int fd, enum tag tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

void run_unwatch(struct run *r, int *fd)
{
	if (*fd < 0)
		return;
	epoll_ctl(r->epfd, EPOLL_CTL_DEL, *fd, NULL);
	close(*fd);
	*fd = -1;
}

void run_broke(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->res->broken)
		return; /* keep the first cause */
	r->res->broken = true;
	va_start(ap, fmt);
	vsnprintf(r->res->broken_why, sizeof(r->res->broken_why), fmt, ap);
	va_end(ap);
	r->stop = true;
}

void run_set_ready(struct run *r, const char *how)
{
	if (r->ready)
		return;
	r->ready = true;
	r->t_ready = now_ns();
	r->t_balloon_due = r->t_ready + r->sc->balloon_start_delay;
	r->t_load_due = r->t_ready + r->sc->load.start_delay;
	run_event(r, "target_ready", "by %s after %.2f s", how,
		  (double)(r->t_ready - r->t_target_start) / 1e9);
}
