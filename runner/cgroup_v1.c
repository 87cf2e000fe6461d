/* cgroup v1 backend. Lifecycle (create with limits, attach, delete) goes through libcgroup;
 * counters and OOM notification go straight to cgroupfs, because libcgroup 2.0.2 cannot read
 * multi-line files (memory.oom_control) with its value getters and has no notification API. */
#include "cgroup.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <libcgroup.h>

/* cgroup_strerror() in 2.0.2 crashes on codes >= ECGNONEMPTY and says "Cgroup is not compiled
 * in" for 0: only trust it inside its table, and use errno for ECGOTHER. */
static const char *cgerr(int code)
{
	if (code == ECGOTHER)
		return strerror(cgroup_get_last_errno());
	if (code > ECGROUPNOTCOMPILED && code < ECGNONEMPTY)
		return cgroup_strerror(code);
	if (code == ECGNONEMPTY)
		return "cgroup is not empty";
	return "unknown libcgroup error";
}

static int cgerrno(int code)
{
	if (code == ECGOTHER && cgroup_get_last_errno() != 0)
		return -cgroup_get_last_errno();
	if (code == ECGROUPNOTOWNER || code == ECGROUPNOTALLOWED)
		return -EACCES;
	return -EIO;
}

static int v1_destroy(struct cg_group *g, char *err, size_t errlen);

static int v1_create(const struct cg_env *env, struct cg_group *g, const struct cg_limits *lim,
		     char *err, size_t errlen)
{
	struct cgroup *cg = NULL;
	struct cgroup_controller *mem;
	int r, ret = -EIO;

	(void)env;
	/* Creating an existing group returns 0 and rewrites its values: never adopt one. */
	if (access(g->dir, F_OK) == 0) {
		errf(err, errlen, "mkdir %s: File exists (another run with the same name?)", g->dir);
		return -EEXIST;
	}
	cg = cgroup_new_cgroup(g->name);
	if (!cg || !(mem = cgroup_add_controller(cg, "memory"))) {
		errf(err, errlen, "libcgroup: cannot describe cgroup %s", g->name);
		goto cleanup;
	}
	/* Values are written in the order added. A new group starts unlimited, so the memory
	 * limit goes first and memsw (which must stay >= it) second, or the kernel says EINVAL. */
	if (lim && lim->memory &&
	    cgroup_add_value_uint64(mem, "memory.limit_in_bytes", lim->memory) != 0)
		goto describe_failed;
	if (lim && lim->memsw &&
	    cgroup_add_value_uint64(mem, "memory.memsw.limit_in_bytes", lim->memsw) != 0)
		goto describe_failed;
	if (lim && lim->oom_kill_disable &&
	    cgroup_add_value_string(mem, "memory.oom_control", "1") != 0)
		goto describe_failed;
	r = cgroup_create_cgroup(cg, 0);
	if (r != 0) {
		ret = cgerrno(r);
		errf(err, errlen, "create cgroup %s: %s", g->dir, cgerr(r));
		/* A value that failed to write leaves the directory behind: remove it. */
		if (access(g->dir, F_OK) == 0) {
			g->created = true;
			v1_destroy(g, NULL, 0);
		}
		goto cleanup;
	}
	g->created = true;
	ret = 0;
	goto cleanup;
describe_failed:
	errf(err, errlen, "libcgroup: cannot set values for cgroup %s", g->name);
cleanup:
	if (cg)
		cgroup_free(&cg);
	return ret;
}

static int v1_attach(struct cg_group *g, pid_t pid, char *err, size_t errlen)
{
	struct cgroup *cg = cgroup_new_cgroup(g->name);
	int r;

	if (!cg || !cgroup_add_controller(cg, "memory")) {
		if (cg)
			cgroup_free(&cg);
		errf(err, errlen, "libcgroup: cannot describe cgroup %s", g->name);
		return -ENOMEM;
	}
	r = cgroup_attach_task_pid(cg, pid);
	cgroup_free(&cg);
	if (r != 0) {
		errf(err, errlen, "move pid %d into %s: %s", (int)pid, g->dir, cgerr(r));
		return cgerrno(r);
	}
	return 0;
}

static int v1_oom_notify(struct cg_group *g, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], line[64];
	int efd = -1, cfd = -1, ecfd = -1, ret = -EIO;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/memory.oom_control", g->dir);
	cfd = open(path, O_RDONLY | O_CLOEXEC);
	if (cfd < 0) {
		ret = -errno;
		errf(err, errlen, "open %s: %s", path, strerror(errno));
		goto cleanup;
	}
	/* Non-blocking: the loop polls it and never blocks in read() (LTP once hung there). */
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0) {
		ret = -errno;
		errf(err, errlen, "eventfd: %s", strerror(errno));
		goto cleanup;
	}
	snprintf(path, sizeof(path), "%s/cgroup.event_control", g->dir);
	ecfd = open(path, O_WRONLY | O_CLOEXEC);
	len = snprintf(line, sizeof(line), "%d %d", efd, cfd);
	if (ecfd < 0 || write(ecfd, line, (size_t)len) != len) {
		ret = -errno;
		errf(err, errlen, "register OOM notification in %s: %s", path, strerror(errno));
		goto cleanup;
	}
	g->oom_fd = efd;
	g->ctl_fd = cfd;
	efd = cfd = -1;
	ret = 0;
cleanup:
	if (ecfd >= 0)
		close(ecfd);
	if (efd >= 0)
		close(efd);
	if (cfd >= 0)
		close(cfd);
	return ret;
}

static int v1_oom_ack(struct cg_group *g)
{
	uint64_t n;

	if (g->oom_fd < 0 || read(g->oom_fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return 0;
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

static int read_u64_file(const char *dir, const char *file, uint64_t *v)
{
	char path[PATH_MAX + 64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	*v = strtoull(buf, NULL, 10);
	return 0;
}

static int v1_stat(const char *dir, struct cg_counters *c)
{
	char path[PATH_MAX + 32], buf[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (cg_kv_get(buf, "total_pgfault", &c->pgfault) < 0 ||
	    cg_kv_get(buf, "total_pgmajfault", &c->pgmajfault) < 0)
		return -ENOENT;
	return 0;
}

static int v1_read(const struct cg_group *g, struct cg_counters *c, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], buf[256], *line, *save = NULL;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	r = read_u64_file(g->dir, "memory.usage_in_bytes", &c->usage);
	if (r == 0)
		r = read_u64_file(g->dir, "memory.limit_in_bytes", &c->limit);
	if (r == 0)
		r = read_u64_file(g->dir, "memory.failcnt", &c->failcnt);
	if (r < 0) {
		errf(err, errlen, "read counters of %s: %s", g->dir, strerror(-r));
		return r;
	}
	/* memsw files exist only with swap accounting: their absence is not an error. */
	if (read_u64_file(g->dir, "memory.memsw.usage_in_bytes", &c->memsw_usage) < 0)
		c->memsw_usage = 0;
	if (read_u64_file(g->dir, "memory.memsw.limit_in_bytes", &c->memsw_limit) < 0)
		c->memsw_limit = 0;
	snprintf(path, sizeof(path), "%s/memory.oom_control", g->dir);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0) {
		errf(err, errlen, "read %s: %s", path, strerror((int)-n));
		return (int)n;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;
		char key[32];

		if (sscanf(line, "%31s %llu", key, &v) != 2)
			continue;
		if (strcmp(key, "oom_kill_disable") == 0)
			c->oom_kill_disable = v != 0;
		else if (strcmp(key, "under_oom") == 0)
			c->under_oom = v != 0;
		else if (strcmp(key, "oom_kill") == 0)
			c->oom_kill = v;
	}
	/* Faults of the group and its children; v1 has no pressure file per group, so PSI is
	 * the machine's (absent without CONFIG_PSI or with psi=0: not an error). */
	if (v1_stat(g->dir, c) < 0)
		c->pgfault = c->pgmajfault = 0;
	if (read_small_file("/proc/pressure/memory", buf, sizeof(buf)) > 0 &&
	    cg_psi_parse(buf, &c->psi) == 0)
		c->psi.system_wide = true;
	return 0;
}

static int v1_destroy(struct cg_group *g, char *err, size_t errlen)
{
	struct cgroup *cg;
	int r = 0;
	uint64_t deadline = now_ns() + 2 * 1000000000ull;

	cg_group_close(g);
	if (!g->created)
		return 0;
	/* EMPTY_ONLY: never let libcgroup move leftover tasks into our own cgroup; it returns
	 * 0 and deletes nothing when tasks remain, so the directory is checked afterwards. */
	while (access(g->dir, F_OK) == 0) {
		cg = cgroup_new_cgroup(g->name);
		if (cg && cgroup_add_controller(cg, "memory"))
			r = cgroup_delete_cgroup_ext(cg, CGFLAG_DELETE_EMPTY_ONLY);
		if (cg)
			cgroup_free(&cg);
		if (access(g->dir, F_OK) != 0)
			break;
		if (now_ns() >= deadline) {
			errf(err, errlen, "remove cgroup %s: still there (%s)", g->dir,
			     r ? cgerr(r) : "tasks remain");
			return -EBUSY;
		}
		/* rmdir can race with the last task's exit: try again shortly. */
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	g->created = false;
	return 0;
}

const struct cg_ops cg_v1_ops = {
	.name = "v1",
	.create = v1_create,
	.attach = v1_attach,
	.oom_notify = v1_oom_notify,
	.oom_ack = v1_oom_ack,
	.read = v1_read,
	.destroy = v1_destroy,
};
