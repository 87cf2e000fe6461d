/* A target in a container, run by podman (see container.h). What podman needs on each kind of
 * host was measured (podman 4.3.1, runc 1.1.5, crun 1.8.1, Debian 12):
 * - cgroupfs, not systemd, as podman's cgroup manager: only cgroupfs puts the container
 *   where --cgroup-parent says, below a group of ours ("libpod-<id>" in every v1 hierarchy).
 * - --cgroups=no-conmon: conmon, which outlives podman run, stays in podman's group (outside
 *   the limit) instead of a group beside the container that nobody removes.
 * - v1 and hybrid hosts: crun refuses them ("cgroups in hybrid mode not supported, drop all
 *   controllers from cgroupv2"), runc runs there.
 * - Without CAP_SYS_RESOURCE (an unprivileged container as host): podman's default ulimits
 *   (nofile 1048576, nproc 4194304) are above the hard limits and the runtime's setrlimit
 *   fails ("error setting rlimit type 6: operation not permitted", exit 126). The container
 *   gets the runner's own instead, as a process target would; nproc at most 32768: podman
 *   itself lowers its own RLIMIT_NPROC to that, and the runtime cannot raise it again.
 * - podman run exits 128+N when the container's main process dies of signal N (137 for an
 *   OOM kill), 125 when podman fails, 126/127 when the command cannot run. */
#include "container.h"
#include "msg.h"
#include "spawn.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAP_SYS_RESOURCE_BIT 24
#define PODMAN_NPROC_MAX 32768

static bool has_sys_resource(void)
{
	char buf[4096], *p;
	unsigned long long eff;

	if (read_small_file("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "\nCapEff:")) || sscanf(p + 8, "%llx", &eff) != 1)
		return geteuid() == 0;
	return (eff >> CAP_SYS_RESOURCE_BIT) & 1;
}

void container_host_probe(const struct cg_env *env, struct container_host *h)
{
	memset(h, 0, sizeof(*h));
	h->podman = "podman";
	h->v1 = env->layout != CG_LAYOUT_UNIFIED;
	h->sys_resource = has_sys_resource();
	getrlimit(RLIMIT_NOFILE, &h->nofile);
	getrlimit(RLIMIT_NPROC, &h->nproc);
}

void container_parent_path(const struct cg_group *g, char *buf, size_t len)
{
	snprintf(buf, len, "/%s", g->name);
}

int container_rootfs_path(const struct scenario *sc, char *buf, size_t len)
{
	const char *slash = sc->file ? strrchr(sc->file, '/') : NULL;
	int n;

	if (!sc->rootfs)
		return -EINVAL;
	if (sc->rootfs[0] == '/' || !slash)
		n = snprintf(buf, len, "%s", sc->rootfs);
	else
		n = snprintf(buf, len, "%.*s/%s", (int)(slash - sc->file), sc->file, sc->rootfs);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void pushf(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pushf(struct strlist *l, const char *fmt, ...)
{
	char buf[PATH_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	strlist_push(l, buf);
}

static unsigned long long capped(rlim_t v, rlim_t max)
{
	return v == RLIM_INFINITY || v > max ? (unsigned long long)max : (unsigned long long)v;
}

int container_argv(const struct scenario *sc, const struct container_host *h, const char *name,
		   const char *parent, struct strlist *out, char *err, size_t errlen)
{
	char rootfs[PATH_MAX], abs[PATH_MAX];

	strlist_push(out, h->podman);
	strlist_push(out, "--cgroup-manager=cgroupfs");
	if (h->v1) {
		strlist_push(out, "--runtime");
		strlist_push(out, "runc");
	}
	strlist_push(out, "run");
	strlist_push(out, "--rm");
	pushf(out, "--name=%s", name);
	pushf(out, "--cgroup-parent=%s", parent);
	strlist_push(out, "--cgroups=no-conmon");
	/* The host's network: a ready probe on 127.0.0.1 reaches the service, as without one. */
	strlist_push(out, "--network=host");
	strlist_push(out, "--pull=never");
	if (!h->sys_resource) {
		pushf(out, "--ulimit=nofile=%llu:%llu", capped(h->nofile.rlim_cur, h->nofile.rlim_max),
		      capped(h->nofile.rlim_max, h->nofile.rlim_max));
		pushf(out, "--ulimit=nproc=%llu:%llu", capped(h->nproc.rlim_cur, PODMAN_NPROC_MAX),
		      capped(h->nproc.rlim_max, PODMAN_NPROC_MAX));
	}
	if (sc->oom_score_adj)
		pushf(out, "--oom-score-adj=%d", sc->oom_score_adj);
	/* names are the container's (its /etc/passwd), not the host's */
	if (sc->user)
		pushf(out, "--user=%s%s%s", sc->user, sc->group ? ":" : "",
		      sc->group ? sc->group : "");
	if (sc->cwd && *sc->cwd)
		pushf(out, "--workdir=%s", sc->cwd);
	for (size_t i = 0; i < sc->env.n; i++)
		pushf(out, "--env=%s", sc->env.v[i]);
	for (size_t i = 0; i < sc->container_options.n; i++)
		strlist_push(out, sc->container_options.v[i]);
	if (sc->rootfs) {
		if (container_rootfs_path(sc, rootfs, sizeof(rootfs)) < 0) {
			errf(err, errlen, "[target] rootfs: path too long");
			return -ENAMETOOLONG;
		}
		/* podman resolves it from its own working directory, which may be cwd */
		if (!realpath(rootfs, abs)) {
			errf(err, errlen, "[target] rootfs %s: %s", rootfs, strerror(errno));
			return -errno;
		}
		strlist_push(out, "--rootfs");
		strlist_push(out, abs);
	} else {
		strlist_push(out, sc->image);
	}
	if (sc->shell) {
		strlist_push(out, "/bin/sh");
		strlist_push(out, "-c");
		strlist_push(out, sc->command_text);
	} else {
		for (size_t i = 0; i < sc->command.n; i++)
			strlist_push(out, sc->command.v[i]);
	}
	return 0;
}

/* Runs argv in g (NULL: the runner's group) until it exits or deadline passes (then it is
 * killed). Its stdout and stderr, up to outlen, go to out. Returns the wait status, or -errno
 * with err filled. */
static int run_sync(const struct cg_env *env, struct cg_group *g, char *const *argv,
		    uint64_t deadline, char *out, size_t outlen, char *err, size_t errlen)
{
	struct spawn_req req = { argv, NULL, NULL, deadline - now_ns(), 0, NULL };
	struct spawned sp;
	size_t used = 0;
	int status = 0, r;

	if (out && outlen)
		out[0] = '\0';
	if ((r = spawn_child(env, g, &req, &sp, err, errlen)) < 0)
		return r;
	for (;;) {
		struct pollfd p[2] = { { sp.out_fd, POLLIN, 0 }, { sp.err_fd, POLLIN, 0 } };
		uint64_t now = now_ns();

		if (p[0].fd < 0 && p[1].fd < 0)
			break;
		if (now >= deadline) {
			kill(sp.pid, SIGKILL);
			errf(err, errlen, "%s %s did not finish within the recovery timeout", argv[0],
			     argv[1] ? argv[1] : "");
			r = -ETIMEDOUT;
			break;
		}
		if (poll(p, 2, (int)((deadline - now) / 1000000u) + 1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			char buf[1024], *dst = out && used + 1 < outlen ? out + used : buf;
			size_t room = out && used + 1 < outlen ? outlen - used - 1 : sizeof(buf);
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, dst, room);
			if (n > 0 && dst != buf) {
				used += (size_t)n;
				out[used] = '\0';
			} else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(p[i].fd);
				if (i == 0)
					sp.out_fd = -1;
				else
					sp.err_fd = -1;
			}
		}
	}
	while (waitpid(sp.pid, &status, 0) < 0 && errno == EINTR)
		;
	spawn_close(&sp);
	return r < 0 ? r : status;
}

/* The last non-empty line of text, for a one-line reason. */
static const char *last_line(char *text)
{
	char *end = text + strlen(text), *p;

	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	p = strrchr(text, '\n');
	return p ? p + 1 : text;
}

/* podman info, once: whether podman starts at all here (its store, its configuration). */
static const char *podman_info(const struct cg_env *env, char *buf, size_t len)
{
	static int known = 0; /* 0 not asked, 1 fine, -1 failed */
	static char why[512];
	char *argv[] = { "podman", "info", "--format", "{{.Host.CgroupsVersion}}", NULL };
	char out[4096], err[256];
	int st;

	if (!known) {
		st = run_sync(env, NULL, argv, now_ns() + 30 * NSEC_PER_SEC, out, sizeof(out), err,
			      sizeof(err));
		known = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 1 : -1;
		if (known < 0)
			snprintf(why, sizeof(why), "podman info fails here: %s",
				 st < 0 ? err : last_line(out));
	}
	if (known > 0)
		return NULL;
	snprintf(buf, len, "%s", why);
	return buf;
}

/* On PATH, or where Debian installs it (runc is in /usr/sbin, off a user's PATH; podman
 * finds its runtime by its own list, not by PATH). */
static bool installed(const char *prog)
{
	const char *lists[] = { getenv("PATH"), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin" };
	char full[PATH_MAX];

	for (size_t i = 0; i < 2; i++)
		for (const char *d = lists[i]; d && *d; d += strcspn(d, ":"), d += *d == ':') {
			snprintf(full, sizeof(full), "%.*s/%s", (int)strcspn(d, ":"), d, prog);
			if (access(full, X_OK) == 0)
				return true;
		}
	return false;
}

const char *container_unusable(const struct scenario *sc, const struct cg_env *env, char *buf,
			       size_t len)
{
	char rootfs[PATH_MAX];

	if (sc->container != CONTAINER_PODMAN)
		return NULL;
	if (geteuid() != 0) {
		snprintf(buf, len, "[target] container = podman needs root: rootless podman "
			 "cannot place a container in a given cgroup (--cgroup-parent)");
		return buf;
	}
	if (!installed("podman")) {
		snprintf(buf, len, "[target] container = podman: podman not found on PATH "
			 "(apt-get install podman runc)");
		return buf;
	}
	if (env->layout != CG_LAYOUT_UNIFIED && !installed("runc")) {
		snprintf(buf, len, "[target] container = podman on cgroup %s needs runc (crun "
			 "refuses: \"cgroups in hybrid mode not supported\"; apt-get install runc)",
			 cg_layout_name(env->layout));
		return buf;
	}
	if (sc->rootfs) {
		if (container_rootfs_path(sc, rootfs, sizeof(rootfs)) < 0 ||
		    access(rootfs, F_OK) != 0) {
			snprintf(buf, len, "[target] rootfs %s: %s (the shipped scenarios' root file "
				 "system is made by `make container-rootfs`)", rootfs, strerror(errno));
			return buf;
		}
	}
	return podman_info(env, buf, len);
}

int container_remove(const struct cg_env *env, struct cg_group *g, const char *name,
		     uint64_t deadline, char *err, size_t errlen)
{
	char *argv[] = { "podman", "rm", "--force", "--ignore", "--time=0", (char *)name, NULL };
	char out[1024];
	int st;

	/* A container whose conmon was killed before it: podman's record says running, the
	 * runtime says stopped, and the first rm fails ("could not be stopped ... container
	 * state improper: stopped") after it has set the record right; the next one removes it
	 * (measured: always the second). */
	for (int attempt = 0; attempt < 3; attempt++) {
		st = run_sync(env, g, argv, deadline, out, sizeof(out), err, errlen);
		if (st < 0)
			return st;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return 0;
	}
	errf(err, errlen, "podman rm %s: %s", name, last_line(out));
	return -EIO;
}

int container_stale(const struct cg_env *env, const char *name, char *err, size_t errlen)
{
	if (geteuid() != 0 || !installed("podman"))
		return 0;
	return container_remove(env, NULL, name, now_ns() + 60 * NSEC_PER_SEC, err, errlen);
}
