/* poolsrv: a small server that was OOM-killed because a library sized its thread pool for a big
 * box. An HTTP/1.0 server whose worker pool defaults to 64 threads (4 per core of a 16-core
 * machine), each with a per-thread arena and some stack; --threads caps the pool. */
#include "units.h"
#include "wl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_THREADS 64 /* the library's default: 4 per core of a 16-core box */
#define MAX_THREADS 4096
#define STACK_USE (512 * 1024)      /* touched by every worker at start */
#define STACK_SIZE (2 * 1024 * 1024) /* each worker's stack, set explicitly */
#define REQ_MAX 4096

struct opts {
	uint64_t port, threads, arena;
};

struct pool {
	int listen_fd;
	uint64_t arena, workers;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	uint64_t ready, failed;
	bool open;  /* the whole pool is up: workers may accept */
	atomic_uint_fast64_t served;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: poolsrv [--port PORT] [--threads N] [--arena SIZE]\n"
		"\n"
		"Replays a small server OOM-killed because a library's default thread counts were\n"
		"sized for a big box: an HTTP/1.0 server on 127.0.0.1:PORT answering GET / and\n"
		"GET /healthz with 200 (other paths 404, other methods 405). Its worker pool has %d\n"
		"threads by default -- the library's default, 4 per core of a 16-core box -- and each\n"
		"worker mallocs and touches a per-thread arena (--arena) and %d KiB of its stack at\n"
		"start: ~300 MiB for the default pool, ~40 MiB with --threads 8.\n"
		"No request is served before every worker is up (connections wait in the backlog);\n"
		"then it prints\n"
		"  poolsrv: listening on 127.0.0.1:PORT with N workers\n"
		"on stdout and (with a log time stamp) on stderr, then serves until SIGTERM/SIGINT\n"
		"(exit 0). Exit 1: the socket or a worker could not be set up; 2: bad usage.\n"
		"\n"
		"  --port PORT     TCP port on 127.0.0.1, 0 = any free one (default 18080)\n"
		"  --threads N     worker threads, 1..%d (default %d)\n"
		"  --arena SIZE    per-worker arena (default 4M)\n"
		"  -h, --help      this text\n",
		DEFAULT_THREADS, STACK_USE / 1024, MAX_THREADS, DEFAULT_THREADS);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },  { "threads", required_argument, NULL, 'n' },
		{ "arena", required_argument, NULL, 'a' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ 18080, DEFAULT_THREADS, 4 * MiB };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->port = wl_uint_opt("port", optarg, 0, 65535); break;
		case 'n': o->threads = wl_uint_opt("threads", optarg, 1, MAX_THREADS); break;
		case 'a': o->arena = wl_size_opt("arena", optarg); break;
		case 'h': usage(stdout); exit(WL_EXIT_OK);
		default: wl_bad_option(c, argv);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->arena == 0)
		wl_usage_error("--arena must be above 0");
}

/* Binds 127.0.0.1:port and listens; returns the socket, or -errno with the step in *what. */
static int open_listener(uint16_t port, const char **what)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd, err;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*what = "socket";
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	*what = "bind";
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		*what = "listen";
		if (listen(fd, SOMAXCONN) == 0)
			return fd;
	}
	err = errno;
	close(fd);
	return -err;
}

/* The request's status: 200 for GET / and /healthz, 404 other paths, 405 other methods,
 * 400 when the request line cannot be read. */
static int route(const char *req, const char **path_out)
{
	char method[16], path[256];

	*path_out = "";
	if (sscanf(req, "%15s %255s HTTP/", method, path) != 2)
		return 400;
	path[strcspn(path, "?")] = '\0';
	if (strcmp(method, "GET") != 0)
		return 405;
	if (strcmp(path, "/") == 0) {
		*path_out = "/";
		return 200;
	}
	if (strcmp(path, "/healthz") == 0) {
		*path_out = "/healthz";
		return 200;
	}
	return 404;
}

/* Reads the request head (up to the blank line, EOF or REQ_MAX bytes) into buf. */
static ssize_t read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Answers one connection; the response is built in the worker's arena, as a real handler
 * would use its per-thread buffers. */
static void serve(int fd, char *arena, size_t arena_len, uint64_t workers)
{
	struct timeval tv = { .tv_sec = 5 };
	char req[REQ_MAX];
	const char *path, *reason, *body;
	int status, len;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (read_request(fd, req, sizeof(req)) <= 0)
		return;
	status = route(req, &path);
	reason = status == 200 ? "OK" : status == 404 ? "Not Found" :
		 status == 405 ? "Method Not Allowed" : "Bad Request";
	body = strcmp(path, "/healthz") == 0 ? "ok\n" : status == 200 ? "poolsrv\n" : "error\n";
	len = snprintf(arena, arena_len,
		       "HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
		       "X-Workers: %ju\r\nConnection: close\r\n\r\n%s",
		       status, reason, strlen(body), (uintmax_t)workers, body);
	if (len > 0 && (size_t)len < arena_len && write(fd, arena, (size_t)len) < 0)
		return;
}

static void mark(struct pool *p, uint64_t *counter)
{
	pthread_mutex_lock(&p->lock);
	(*counter)++;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

/* Uses STACK_USE bytes of this thread's stack, as a handler with big local buffers would. */
static __attribute__((noinline)) char touch_stack(void)
{
	volatile char buf[STACK_USE];

	for (size_t i = 0; i < sizeof(buf); i += 4096)
		buf[i] = (char)i;
	return buf[0];
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	char *arena = malloc(p->arena);

	if (!arena) {
		wl_log("worker: malloc of a %ju-byte arena: %s", (uintmax_t)p->arena, strerror(errno));
		mark(p, &p->failed);
		return NULL;
	}
	wl_touch(arena, p->arena);
	touch_stack();
	mark(p, &p->ready);
	/* No request before the whole pool is up, as a server that sizes its pool at start
	 * serves: one that does not fit never answers, whatever a probe's timing. */
	pthread_mutex_lock(&p->lock);
	while (!p->open)
		pthread_cond_wait(&p->changed, &p->lock);
	pthread_mutex_unlock(&p->lock);
	for (;;) {
		int fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINVAL || errno == EBADF) /* the socket was shut down: stop */
				break;
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM)
				usleep(10000);
			continue;
		}
		serve(fd, arena, p->arena, p->workers);
		close(fd);
		atomic_fetch_add(&p->served, 1);
	}
	free(arena);
	return NULL;
}

/* Starts n workers (SIGTERM/SIGINT blocked in them, so the main thread gets those) and waits
 * until each has its arena or failed. Returns how many threads were started. */
static uint64_t start_pool(struct pool *p, pthread_t *tids, uint64_t n)
{
	pthread_attr_t attr;
	sigset_t block, old;
	uint64_t i;
	int err = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < n; i++) {
		err = pthread_create(&tids[i], &attr, worker, p);
		if (err != 0) {
			wl_log("pthread_create (worker %ju of %ju): %s", (uintmax_t)i + 1, (uintmax_t)n,
			       strerror(err));
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	pthread_mutex_lock(&p->lock);
	while (p->ready + p->failed < i)
		pthread_cond_wait(&p->changed, &p->lock);
	pthread_mutex_unlock(&p->lock);
	return i;
}

static void stop_pool(struct pool *p, pthread_t *tids, uint64_t started)
{
	/* shutdown() wakes every accept() with EINVAL; close() alone would not. */
	shutdown(p->listen_fd, SHUT_RDWR);
	for (uint64_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

int main(int argc, char **argv)
{
	struct pool p = { .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER };
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	pthread_t *tids = NULL;
	struct opts o;
	const char *what;
	uint64_t started = 0;
	int ret = WL_EXIT_FAIL;

	wl_init("poolsrv");
	parse(argc, argv, &o);
	p.arena = o.arena;
	p.workers = o.threads;
	p.listen_fd = open_listener((uint16_t)o.port, &what);
	if (p.listen_fd < 0) {
		wl_log("%s 127.0.0.1:%ju: %s", what, (uintmax_t)o.port, strerror(-p.listen_fd));
		return WL_EXIT_FAIL;
	}
	getsockname(p.listen_fd, (struct sockaddr *)&sa, &salen);
	tids = calloc(o.threads, sizeof(*tids));
	if (!tids) {
		wl_log("calloc for %ju thread ids: %s", (uintmax_t)o.threads, strerror(errno));
		goto cleanup;
	}
	started = start_pool(&p, tids, o.threads);
	pthread_mutex_lock(&p.lock);
	p.open = true; /* on failure too: the workers see the shut-down socket and stop */
	pthread_cond_broadcast(&p.changed);
	pthread_mutex_unlock(&p.lock);
	if (started < o.threads || p.failed > 0)
		goto cleanup;
	wl_log("listening on 127.0.0.1:%u with %ju workers", ntohs(sa.sin_port), (uintmax_t)p.ready);
	wl_say("listening on 127.0.0.1:%u with %ju workers", ntohs(sa.sin_port), (uintmax_t)p.ready);
	wl_sleep(DURATION_FOREVER);
	wl_log("stopping on signal %d after %ju requests", (int)wl_stop,
	       (uintmax_t)atomic_load(&p.served));
	ret = WL_EXIT_OK;
cleanup:
	stop_pool(&p, tids, started);
	free(tids);
	close(p.listen_fd);
	return ret;
}
