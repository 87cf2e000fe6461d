/* Readiness probes (see ready.h): one try at a time, never blocking the monitor's loop. */
#include "ready.h"
#include "clock.h"
#include "msg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

bool ready_probe_init(struct ready_probe *p, const struct scenario *sc, const char *path,
		      uint64_t now)
{
	char why[256];

	memset(p, 0, sizeof(*p));
	p->path = path;
	p->fd = -1;
	p->kind = sc->ready;
	p->interval = sc->ready_interval;
	p->next_at = now;
	switch (sc->ready) {
	case READY_TCP:
		return parse_hostport(sc->ready_tcp, &p->addr, why, sizeof(why)) == 0;
	case READY_HTTP:
		return parse_http_url(sc->ready_url, &p->addr, why, sizeof(why)) == 0;
	case READY_FILE:
		p->file = sc->ready_file;
		return true;
	case READY_EXEC:
		p->command = sc->ready_exec;
		return true;
	default:
		return false;
	}
}

uint64_t ready_probe_due(const struct ready_probe *p)
{
	return p->fd >= 0 || p->pid > 0 ? UINT64_MAX : p->next_at;
}

/* The try failed: say why, and when the next one comes. */
static int try_failed(struct ready_probe *p, uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int try_failed(struct ready_probe *p, uint64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->last, sizeof(p->last), fmt, ap);
	va_end(ap);
	ready_probe_stop(p);
	p->next_at = now + p->interval;
	return 0;
}

static int start_connect(struct ready_probe *p, uint64_t now, char *why, size_t whylen)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int family;

	if (inet_pton(AF_INET, p->addr.host, &in4->sin_addr) == 1) {
		family = in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)p->addr.port);
		len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, p->addr.host, &in6->sin6_addr) == 1) {
		family = in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p->addr.port);
		len = sizeof(*in6);
	} else {
		errf(why, whylen, "%s: not a numeric address", p->addr.host);
		return -EINVAL;
	}
	p->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		errf(why, whylen, "socket: %s", strerror(errno));
		return -errno;
	}
	p->sent = false;
	p->resp_len = 0;
	if (connect(p->fd, (struct sockaddr *)&ss, len) == 0)
		return ready_probe_io(p, now);
	if (errno == EINPROGRESS) {
		p->events = EPOLLOUT;
		return 0;
	}
	return try_failed(p, now, "connect to %s port %d: %s", p->addr.host, p->addr.port,
			  strerror(errno));
}

/* The probe process: stdin, stdout and stderr on /dev/null, its own process group, dies with
 * the runner, outside the memory limit (it stays in the runner's cgroup). */
static int start_exec(struct ready_probe *p, uint64_t now, char *why, size_t whylen)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0) {
		errf(why, whylen, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		sigset_t none;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
		if (p->path)
			setenv("PATH", p->path, 1);
		execl("/bin/sh", "sh", "-c", p->command, (char *)NULL);
		_exit(127);
	}
	(void)now;
	p->pid = pid;
	return 0;
}

int ready_probe_start(struct ready_probe *p, uint64_t now, char *why, size_t whylen)
{
	p->tries++;
	switch (p->kind) {
	case READY_TCP:
	case READY_HTTP:
		return start_connect(p, now, why, whylen);
	case READY_FILE:
		if (access(p->file, F_OK) == 0)
			return 1;
		return try_failed(p, now, "%s: %s", p->file, strerror(errno));
	case READY_EXEC:
		return start_exec(p, now, why, whylen);
	default:
		errf(why, whylen, "internal error: ready kind %d has no probe", p->kind);
		return -EINVAL;
	}
}

bool ready_http_ok(const char *line, int *code)
{
	int c = 0;

	*code = 0;
	if (sscanf(line, "HTTP/%*d.%*d %3d", &c) != 1 && sscanf(line, "HTTP/%*d %3d", &c) != 1)
		return false;
	*code = c;
	return c >= 200 && c <= 299;
}

/* http: send the GET once connected, then read until the status line is complete. */
static int http_io(struct ready_probe *p, uint64_t now)
{
	char req[1400];
	ssize_t n;
	int code, len;

	if (!p->sent) {
		len = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s:%d\r\nUser-Agent: "
			       "balloon-run\r\nConnection: close\r\n\r\n", p->addr.path,
			       p->addr.host, p->addr.port);
		if (send(p->fd, req, (size_t)len, MSG_NOSIGNAL) != len)
			return try_failed(p, now, "sending the request to %s port %d: %s",
					  p->addr.host, p->addr.port, strerror(errno));
		p->sent = true;
		p->events = EPOLLIN;
		return 0;
	}
	n = recv(p->fd, p->resp + p->resp_len, sizeof(p->resp) - 1 - p->resp_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n > 0)
		p->resp_len += (size_t)n;
	p->resp[p->resp_len] = '\0';
	if (!strchr(p->resp, '\n') && n > 0 && p->resp_len < sizeof(p->resp) - 1)
		return 0; /* the status line is not complete yet */
	p->resp[strcspn(p->resp, "\r\n")] = '\0';
	if (ready_http_ok(p->resp, &code)) {
		ready_probe_stop(p);
		return 1;
	}
	if (code)
		return try_failed(p, now, "%s answered %d", p->addr.path, code);
	return try_failed(p, now, "%s: %s", p->addr.path, n < 0 ? strerror(errno) :
			  p->resp_len ? "no HTTP status line" : "the connection closed without an "
			  "answer");
}

int ready_probe_io(struct ready_probe *p, uint64_t now)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (p->fd < 0)
		return 0;
	if (p->events == EPOLLOUT || (p->kind == READY_TCP)) {
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err)
			return try_failed(p, now, "connect to %s port %d: %s", p->addr.host,
					  p->addr.port, strerror(err));
		if (p->kind == READY_TCP) {
			ready_probe_stop(p);
			return 1;
		}
	}
	return http_io(p, now);
}

int ready_probe_exited(struct ready_probe *p, int status, uint64_t now)
{
	p->pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFEXITED(status))
		return try_failed(p, now, "the command exited with status %d", WEXITSTATUS(status));
	return try_failed(p, now, "the command was killed by signal %d", WTERMSIG(status));
}

void ready_probe_stop(struct ready_probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->events = 0;
	if (p->pid > 0)
		kill(-p->pid, SIGKILL); /* its process group: the shell and what it started */
}

const char *ready_probe_what(const struct ready_probe *p, char *buf, size_t len)
{
	switch (p->kind) {
	case READY_TCP:
		snprintf(buf, len, "tcp %s%s%s:%d", strchr(p->addr.host, ':') ? "[" : "",
			 p->addr.host, strchr(p->addr.host, ':') ? "]" : "", p->addr.port);
		break;
	case READY_HTTP:
		snprintf(buf, len, "http %s port %d %s", p->addr.host, p->addr.port, p->addr.path);
		break;
	case READY_FILE:
		snprintf(buf, len, "file %s", p->file);
		break;
	case READY_EXEC:
		snprintf(buf, len, "exec %s", p->command);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}
