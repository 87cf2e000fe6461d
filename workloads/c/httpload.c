/* httpload: the load of a scenario's [load] section, as in the thread-pool incident, where a
 * server had to answer traffic inside its container limit: N HTTP/1.0 GETs over C concurrent
 * connections to an http://127.0.0.1 URL, one summary line, exit 0 only if every answer was 2xx. */
#include "units.h"
#include "wl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONC 1024

/* Exit codes beyond wl.h's: nothing ever connected. */
enum { EXIT_REFUSED = 3, EXIT_UNREACHABLE = 4 };

struct target {
	struct sockaddr_in addr;
	char host[64], path[1024];
};

struct load {
	struct target t;
	uint64_t requests, conc, timeout_ms;
	atomic_uint_fast64_t next, ok, other, errors, connected, refused;
	pthread_mutex_t lock;
	char first_error[512];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: httpload URL [-n N] [-c C] [--timeout DURATION]\n"
		"\n"
		"Sends N HTTP/1.0 GET requests to URL (http://127.0.0.1:PORT/path or\n"
		"http://localhost:PORT/path; an IPv4 address) over C concurrent connections, one\n"
		"connection per request, and prints one line on stdout:\n"
		"  httpload: requests=N 2xx=A non2xx=B errors=E elapsed=S.SSSs\n"
		"(errors: no HTTP answer: refused, reset, timed out). The first error goes to stderr.\n"
		"Exit 0: every request got a 2xx answer; 1: some did not; 2: bad usage;\n"
		"3: no request could connect, every connect was refused (nothing listens);\n"
		"4: no request could connect for another reason (unreachable, timed out).\n"
		"\n"
		"  -n, --requests N       requests in all, 1.. (default 100)\n"
		"  -c, --concurrency C    connections at a time, 1..%d (default 4)\n"
		"  -t, --timeout DURATION per connect, send and receive (default 5s)\n"
		"  -h, --help             this text\n",
		MAX_CONC);
}

/* Fills t from "http://HOST[:PORT][/path]"; returns 0 or -1 with the reason in why. */
static int parse_url(const char *url, struct target *t, char *why, size_t whylen)
{
	const char *p = url, *slash;
	char hostport[300], *colon;
	unsigned long port = 80;

	if (strncmp(p, "http://", 7) != 0)
		return snprintf(why, whylen, "\"%s\": only http:// URLs", url), -1;
	p += 7;
	slash = strchr(p, '/');
	snprintf(hostport, sizeof(hostport), "%.*s", slash ? (int)(slash - p) : (int)strlen(p), p);
	snprintf(t->path, sizeof(t->path), "%s", slash ? slash : "/");
	colon = strchr(hostport, ':');
	if (colon) {
		char *end;

		*colon = '\0';
		port = strtoul(colon + 1, &end, 10);
		if (*end || end == colon + 1 || port == 0 || port > 65535)
			return snprintf(why, whylen, "\"%s\": bad port", url), -1;
	}
	if (strlen(hostport) >= sizeof(t->host))
		return snprintf(why, whylen, "\"%s\": the host name is too long", url), -1;
	memcpy(t->host, hostport, strlen(hostport) + 1);
	t->addr.sin_family = AF_INET;
	t->addr.sin_port = htons((uint16_t)port);
	if (strcmp(hostport, "localhost") == 0)
		t->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, hostport, &t->addr.sin_addr) != 1)
		return snprintf(why, whylen, "\"%s\": the host must be an IPv4 address or localhost",
				url), -1;
	return 0;
}

static void parse(int argc, char **argv, struct load *l)
{
	static const struct option longopts[] = {
		{ "requests", required_argument, NULL, 'n' }, { "concurrency", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },  { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char why[512];
	int c;

	l->requests = 100;
	l->conc = 4;
	l->timeout_ms = 5000;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:c:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': l->requests = wl_uint_opt("requests", optarg, 1, UINT32_MAX); break;
		case 'c': l->conc = wl_uint_opt("concurrency", optarg, 1, MAX_CONC); break;
		case 't': l->timeout_ms = wl_duration_opt("timeout", optarg, 0) / NSEC_PER_MSEC; break;
		case 'h': usage(stdout); exit(WL_EXIT_OK);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind != argc - 1)
		wl_usage_error(optind == argc ? "no URL given" : "one URL only");
	if (parse_url(argv[optind], &l->t, why, sizeof(why)) < 0)
		wl_usage_error("%s", why);
	if (l->timeout_ms == 0)
		wl_usage_error("--timeout must be at least 1ms");
	if (l->conc > l->requests)
		l->conc = l->requests;
}

/* Connects within timeout_ms; returns the socket or -errno. */
static int dial(const struct load *l)
{
	struct pollfd pfd;
	struct timeval tv = { .tv_sec = (time_t)(l->timeout_ms / 1000),
			      .tv_usec = (suseconds_t)(l->timeout_ms % 1000) * 1000 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), err = 0;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&l->t.addr, sizeof(l->t.addr)) < 0) {
		err = errno;
		if (err == EINPROGRESS) {
			pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
			int n = poll(&pfd, 1, (int)l->timeout_ms);

			err = n == 0 ? ETIMEDOUT : n < 0 ? errno : 0;
			if (n > 0)
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		}
	}
	if (err != 0) {
		close(fd);
		return -err;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Sends the GET and reads the whole answer; returns the HTTP status or -errno
 * (-EPROTO: the answer was not HTTP). */
static int exchange(const struct load *l, int fd)
{
	char buf[4096], head[64] = "";
	size_t got = 0;
	int n = snprintf(buf, sizeof(buf), "GET %s HTTP/1.0\r\nHost: %s:%u\r\nUser-Agent: httpload\r\n\r\n",
			 l->t.path, l->t.host, ntohs(l->t.addr.sin_port));
	ssize_t r;
	int status;

	if (write(fd, buf, (size_t)n) != n)
		return errno ? -errno : -EIO;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (got < sizeof(head) - 1) {
			size_t k = (size_t)r < sizeof(head) - 1 - got ? (size_t)r : sizeof(head) - 1 - got;

			memcpy(head + got, buf, k);
			got += k;
			head[got] = '\0';
		}
	}
	if (r < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	if (sscanf(head, "HTTP/1.%*d %d", &status) != 1 || status < 100 || status > 599)
		return -EPROTO;
	return status;
}

static void note_error(struct load *l, const char *what, int err)
{
	atomic_fetch_add(&l->errors, 1);
	if (err == ECONNREFUSED)
		atomic_fetch_add(&l->refused, 1);
	pthread_mutex_lock(&l->lock);
	if (!l->first_error[0])
		snprintf(l->first_error, sizeof(l->first_error), "%s %s:%u: %s", what, l->t.host,
			 ntohs(l->t.addr.sin_port), strerror(err));
	pthread_mutex_unlock(&l->lock);
}

static void *client(void *arg)
{
	struct load *l = arg;

	while (!wl_stop && atomic_fetch_add(&l->next, 1) < l->requests) {
		int fd = dial(l), status;

		if (fd < 0) {
			note_error(l, "connect", -fd);
			continue;
		}
		atomic_fetch_add(&l->connected, 1);
		status = exchange(l, fd);
		close(fd);
		if (status < 0)
			note_error(l, "GET", -status);
		else if (status >= 200 && status < 300)
			atomic_fetch_add(&l->ok, 1);
		else
			atomic_fetch_add(&l->other, 1);
	}
	return NULL;
}

/* Runs the clients; returns how many threads ran (the load still completes with fewer). */
static uint64_t run_clients(struct load *l, pthread_t *tids)
{
	uint64_t i;

	for (i = 0; i < l->conc; i++) {
		int err = pthread_create(&tids[i], NULL, client, l);

		if (err != 0) {
			wl_log("pthread_create (client %ju of %ju): %s", (uintmax_t)i + 1,
			       (uintmax_t)l->conc, strerror(err));
			break;
		}
	}
	if (i == 0)
		client(l);
	for (uint64_t j = 0; j < i; j++)
		pthread_join(tids[j], NULL);
	return i;
}

static int exit_code(struct load *l)
{
	if (atomic_load(&l->ok) == l->requests)
		return WL_EXIT_OK;
	if (atomic_load(&l->connected) == 0 && atomic_load(&l->errors) > 0)
		return atomic_load(&l->refused) == atomic_load(&l->errors) ? EXIT_REFUSED
									   : EXIT_UNREACHABLE;
	return WL_EXIT_FAIL;
}

int main(int argc, char **argv)
{
	static struct load l = { .lock = PTHREAD_MUTEX_INITIALIZER };
	static pthread_t tids[MAX_CONC];
	double start;
	uint64_t sent;

	wl_init("httpload");
	signal(SIGPIPE, SIG_IGN);
	parse(argc, argv, &l);
	start = wl_now();
	run_clients(&l, tids);
	sent = atomic_load(&l.ok) + atomic_load(&l.other) + atomic_load(&l.errors);
	wl_say("requests=%ju 2xx=%ju non2xx=%ju errors=%ju elapsed=%.3fs", (uintmax_t)sent,
	       (uintmax_t)atomic_load(&l.ok), (uintmax_t)atomic_load(&l.other),
	       (uintmax_t)atomic_load(&l.errors), wl_now() - start);
	if (l.first_error[0])
		wl_log("first error: %s", l.first_error);
	if (wl_stop)
		wl_log("stopped by signal %d after %ju of %ju requests", (int)wl_stop, (uintmax_t)sent,
		       (uintmax_t)l.requests);
	return exit_code(&l);
}
