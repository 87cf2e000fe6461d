/* Readiness probes of a target: ready = tcp (an address accepts a connection), http (a URL
 * answers 2xx), file (a path exists), exec (a command exits 0). Each try runs inside the
 * monitor's epoll loop without blocking it: a non-blocking socket, or a probe process whose
 * exit the loop reaps; a failed try is repeated every ready_interval until ready_timeout.
 * (ready = line, rss, delay and start are judged where the output, the samples and the
 * deadlines are: run/observe.c, run/monitor.c.) */
#ifndef READY_H
#define READY_H

#include "config/scenario.h"
#include "netaddr.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ready_probe {
	int kind;             /* enum ready_kind; only tcp, http, file, exec probe */
	struct netaddr addr;  /* tcp, http */
	const char *file;     /* file */
	const char *command;  /* exec: /bin/sh -c text */
	const char *path;     /* exec: its PATH (the target's), NULL = the runner's */
	uint64_t interval;    /* ns between tries */
	uint64_t next_at;     /* when the next try is due (absolute ns) */
	int fd;               /* socket of the try in flight, or -1 */
	uint32_t events;      /* what to wait for on fd: EPOLLOUT (connecting), EPOLLIN */
	bool sent;            /* http: the request is out, reading the status line */
	char resp[160];
	size_t resp_len;
	pid_t pid;            /* exec: the probe process in flight, or 0 */
	unsigned tries;
	char last[192];       /* what the last failed try saw, for the timeout's reason */
};

/* Sets up p for sc's ready kind (addresses parsed: the loader checked them). Returns true
 * when this kind is probed here. */
bool ready_probe_init(struct ready_probe *p, const struct scenario *sc, const char *path,
		      uint64_t now);

/* When the next try is due, or UINT64_MAX when a try is in flight (or nothing is probed). */
uint64_t ready_probe_due(const struct ready_probe *p);

/* Starts a try. Returns 1 when the target is ready at once, 0 when the try goes on (watch
 * p->fd for p->events, or reap p->pid) or failed (next_at is set), -errno when the harness
 * cannot probe at all (with why). */
int ready_probe_start(struct ready_probe *p, uint64_t now, char *why, size_t whylen);

/* p->fd reported the events it waited for. Returns 1 ready, 0 not (yet). */
int ready_probe_io(struct ready_probe *p, uint64_t now);

/* The exec probe exited with status (from waitpid). Returns 1 ready, 0 not. */
int ready_probe_exited(struct ready_probe *p, int status, uint64_t now);

/* Ends the try in flight: closes the socket, kills the probe process (the caller reaps it).
 * Idempotent. */
void ready_probe_stop(struct ready_probe *p);

/* "ready_url http://127.0.0.1:8080/healthz" etc.: what is probed, for messages. */
const char *ready_probe_what(const struct ready_probe *p, char *buf, size_t len);

/* Pure: is this the status line of a 2xx response? code gets the status (0 when the text is
 * no status line). */
bool ready_http_ok(const char *status_line, int *code);

#endif
