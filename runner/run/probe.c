/* The readiness probe inside a run's loop (run/ready.c does the probing): a try when one is
 * due, the socket in the epoll set while a try is in flight, the probe process reaped with
 * the other children, and readiness when a try succeeds. */
#include "runstate.h"
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/wait.h>

/* The epoll set holds the probe's socket with the events it waits for, or nothing. */
static void sync_watch(struct run *r)
{
	struct ready_probe *p = &r->probe;
	struct epoll_event ev = { .events = p->events, .data.u64 = T_PROBE };

	if (r->probe_watched >= 0 && (r->probe_watched != p->fd || p->fd < 0)) {
		epoll_ctl(r->epfd, EPOLL_CTL_DEL, r->probe_watched, NULL);
		r->probe_watched = -1;
	}
	if (p->fd < 0)
		return;
	if (r->probe_watched < 0) {
		if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, p->fd, &ev) < 0) {
			run_broke(r, "epoll: %s", strerror(errno));
			return;
		}
		r->probe_watched = p->fd;
	} else if (r->probe_events != p->events) {
		epoll_ctl(r->epfd, EPOLL_CTL_MOD, p->fd, &ev);
	}
	r->probe_events = p->events;
}

static void became_ready(struct run *r)
{
	char what[256];

	ready_probe_what(&r->probe, what, sizeof(what));
	probe_end(r);
	run_set_ready(r, what);
}

void probe_begin(struct run *r)
{
	r->probe_watched = -1;
	r->probing = ready_probe_init(&r->probe, r->sc, r->mo->target_path, now_ns());
}

uint64_t probe_due(const struct run *r)
{
	return r->probing && !r->ready ? ready_probe_due(&r->probe) : UINT64_MAX;
}

void probe_try(struct run *r)
{
	char why[256];
	int k;

	if (!r->probing || r->ready || now_ns() < ready_probe_due(&r->probe))
		return;
	k = ready_probe_start(&r->probe, now_ns(), why, sizeof(why));
	if (k < 0)
		run_broke(r, "readiness probe: %s", why);
	else if (k > 0)
		became_ready(r);
	else
		sync_watch(r);
}

void probe_event(struct run *r)
{
	if (!r->probing)
		return;
	if (ready_probe_io(&r->probe, now_ns()) > 0)
		became_ready(r);
	else
		sync_watch(r);
}

bool probe_reaped(struct run *r, pid_t pid, int status)
{
	if (!r->probing || r->probe.pid != pid)
		return false;
	if (ready_probe_exited(&r->probe, status, now_ns()) > 0 && !r->ready)
		became_ready(r);
	return true;
}

void probe_end(struct run *r)
{
	pid_t pid = r->probe.pid;
	int status;

	if (!r->probing)
		return;
	ready_probe_stop(&r->probe);
	sync_watch(r);
	/* stop SIGKILLed it: reap it here, so no probe outlives the run */
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		r->probe.pid = 0;
	r->probing = false;
}

const char *probe_last(const struct run *r)
{
	return r->probe.last;
}
