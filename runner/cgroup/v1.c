/* cgroup v1 backend. Lifecycle (create with limits, attach, delete) goes through libcgroup
 * (runner/cgroup_lib.c); counters and OOM notification go straight to cgroupfs, because
 * libcgroup 2.0.2 cannot read multi-line files (memory.oom_control) with its value getters and has no notification API. */
#include "cgroup.h"
#include "lib.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <libcgroup.h>

/* Names given to libcgroup resolve from the mount root, not from our own cgroup, so the
 * runner's own path prefixes every group it creates (libcgroup finds it on v1 only). */
static int v1_find_own(struct cg_env *env, char *err, size_t errlen)
{
	char *own = NULL;
	int r = cgroup_get_current_controller_path(getpid(), "memory", &own);

	if (r != 0 || !own) {
		free(own);
		errf(err, errlen, "cannot find the runner's own memory cgroup in /proc/self/cgroup");
		return -ENOENT;
	}
	snprintf(env->own, sizeof(env->own), "%s", own);
	free(own);
	cg_strip_slashes(env->own);
	return 0;
}

/* v1 has no "no internal processes" rule: the runner stays where it is; only swap
 * accounting (memsw files, swapaccount=1) is looked for. */
static int v1_env_init(struct cg_env *env, char *err, size_t errlen)
{
	char probe[2 * PATH_MAX + 64];

	(void)err;
	(void)errlen;
	snprintf(probe, sizeof(probe), "%s/%s/memory.memsw.limit_in_bytes", env->mount,
		 env->parent);
	env->has_memsw = access(probe, F_OK) == 0;
	return 0;
}

static int v1_env_fini(struct cg_env *env, char *err, size_t errlen)
{
	(void)env;
	(void)err;
	(void)errlen;
	return 0;
}

static int v1_create(const struct cg_env *env, struct cg_group *g, const struct cg_limits *lim,
		     char *err, size_t errlen)
{
	struct cg_value vals[3];
	size_t n = 0;

	(void)env;
	/* A new group starts unlimited, so the memory limit goes first and memsw (which must
	 * stay >= it) second, or the kernel says EINVAL. */
	if (lim && lim->memory) {
		vals[n].file = "memory.limit_in_bytes";
		snprintf(vals[n++].value, sizeof(vals[0].value), "%llu",
			 (unsigned long long)lim->memory);
	}
	if (lim && lim->memsw) {
		vals[n].file = "memory.memsw.limit_in_bytes";
		snprintf(vals[n++].value, sizeof(vals[0].value), "%llu",
			 (unsigned long long)lim->memsw);
	}
	if (lim && lim->oom_kill_disable) {
		vals[n].file = "memory.oom_control";
		snprintf(vals[n++].value, sizeof(vals[0].value), "1");
	}
	/* v2-only limits reach here only by a mistake above: refuse rather than ignore them. */
	if (lim && (lim->high || lim->oom_group || lim->low || lim->min)) {
		errf(err, errlen, "cgroup %s: %s is cgroup v2 only (this machine has v1)", g->dir,
		     lim->high ? "memory.high" : lim->oom_group ? "memory.oom.group" :
		     lim->low ? "memory.low" : "memory.min");
		return -ENOTSUP;
	}
	return cg_lib_create(g, vals, n, err, errlen);
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

static int v1_oom_kills(struct cg_group *g, uint64_t *n)
{
	char buf[256];
	ssize_t len = cg_gread(g, "memory.oom_control", buf, sizeof(buf));

	if (len < 0)
		return (int)len;
	return cg_kv_get(buf, "oom_kill", n);
}

static int v1_read(struct cg_group *g, struct cg_counters *c, char *err, size_t errlen)
{
	char buf[4096];
	uint64_t v;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	r = cg_gread_u64(g, "memory.usage_in_bytes", &c->usage);
	if (r == 0)
		r = cg_gread_u64(g, "memory.limit_in_bytes", &c->limit);
	if (r == 0)
		r = cg_gread_u64(g, "memory.failcnt", &c->failcnt);
	if (r == 0 && (n = cg_gread(g, "memory.oom_control", buf, sizeof(buf))) < 0)
		r = (int)n;
	if (r < 0) {
		errf(err, errlen, "read counters of %s: %s", g->dir, strerror(-r));
		return r;
	}
	if (cg_kv_get(buf, "oom_kill_disable", &v) == 0)
		c->oom_kill_disable = v != 0;
	if (cg_kv_get(buf, "under_oom", &v) == 0)
		c->under_oom = v != 0;
	cg_kv_get(buf, "oom_kill", &c->oom_kill);
	cg_gread_u64(g, "memory.max_usage_in_bytes", &c->peak);
	/* memsw files exist only with swap accounting: their absence is not an error. */
	cg_gread_u64(g, "memory.memsw.usage_in_bytes", &c->memsw_usage);
	cg_gread_u64(g, "memory.memsw.limit_in_bytes", &c->memsw_limit);
	c->swap = c->memsw_usage > c->usage ? c->memsw_usage - c->usage : 0;
	/* Faults of the group and its children; v1 has no pressure file per group, so PSI is
	 * the machine's (absent without CONFIG_PSI or with psi=0: not an error). */
	if (cg_gread(g, "memory.stat", buf, sizeof(buf)) > 0) {
		cg_kv_get(buf, "total_pgfault", &c->pgfault);
		cg_kv_get(buf, "total_pgmajfault", &c->pgmajfault);
		cg_kv_get(buf, "total_pgpgin", &c->charges);
		cg_kv_get(buf, "total_pgpgout", &c->uncharges);
		cg_kv_get(buf, "total_rss", &c->anon);
		cg_kv_get(buf, "total_cache", &c->file);
		cg_kv_get(buf, "total_shmem", &c->shmem);
		cg_kv_get(buf, "total_unevictable", &c->unevictable);
		cg_kv_get(buf, "total_mapped_file", &c->file_mapped);
		if (cg_kv_get(buf, "total_active_file", &v) == 0)
			c->lru_file = v;
		if (cg_kv_get(buf, "total_inactive_file", &v) == 0)
			c->lru_file += v;
	}
	if (cg_gread(g, "/proc/pressure/memory", buf, sizeof(buf)) > 0 &&
	    cg_psi_parse(buf, &c->psi) == 0)
		c->psi.system_wide = true;
	return 0;
}

/* A container runtime given a v1 cgroup parent (podman --cgroup-parent) makes the same path
 * in every hierarchy (cpu, pids, ..., the hybrid's unified/) and leaves it there: those
 * copies of the group go with it. */
static void remove_mirrors(const struct cg_group *g)
{
	DIR *d = opendir("/sys/fs/cgroup");
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		char dir[PATH_MAX * 2];

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || strcmp(de->d_name, "memory") == 0)
			continue;
		if ((size_t)snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s/%s", de->d_name, g->name) >=
		    sizeof(dir) || access(dir, F_OK) != 0)
			continue;
		cg_rmdir_below(dir);
		rmdir(dir);
	}
	if (d)
		closedir(d);
}

static int v1_destroy(struct cg_group *g, char *err, size_t errlen)
{
	bool was = g->created;
	int r = cg_lib_destroy(g, err, errlen);

	if (r == 0 && was)
		remove_mirrors(g);
	return r;
}

const struct cg_ops cg_v1_ops = {
	.name = "v1",
	.find_own = v1_find_own,
	.env_init = v1_env_init,
	.env_fini = v1_env_fini,
	.create = v1_create,
	.attach = cg_lib_attach,
	.oom_notify = v1_oom_notify,
	.oom_ack = v1_oom_ack,
	.read = v1_read,
	.oom_kills = v1_oom_kills,
	.destroy = v1_destroy,
};
