/* Backend-independent part of the cgroup layer: which layout this machine has, where the
 * runner's own memory cgroup is, and killing everything in a group. */
#include "cgroup.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libcgroup.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

ssize_t read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

ssize_t cg_read_file(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX * 2];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	return read_small_file(path, buf, len);
}

int cg_read_u64(const char *dir, const char *file, uint64_t *v)
{
	char buf[64];
	ssize_t n = cg_read_file(dir, file, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	*v = strncmp(buf, "max", 3) == 0 ? 0 : strtoull(buf, NULL, 10);
	return 0;
}

int cg_write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX * 2];
	size_t len = strlen(text);
	int fd, ret = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* cgroupfs takes a write whole or fails it */
	if (write(fd, text, len) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

int cg_kv_get(const char *buf, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);

	for (const char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			*v = strtoull(p + klen + 1, NULL, 10);
			return 0;
		}
	return -ENOENT;
}

int cg_psi_parse(const char *buf, struct cg_psi *p)
{
	bool seen = false;

	for (const char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		double avg10;
		unsigned long long total;
		int some = strncmp(l, "some ", 5) == 0, full = strncmp(l, "full ", 5) == 0;

		if (!some && !full)
			continue;
		if (sscanf(l + 5, "avg10=%lf avg60=%*f avg300=%*f total=%llu", &avg10, &total) != 2)
			continue;
		if (some) {
			p->some_avg10 = avg10;
			p->some_total = total;
		} else {
			p->full_avg10 = avg10;
			p->full_total = total;
		}
		seen = true;
	}
	p->known = seen;
	return seen ? 0 : -EINVAL;
}

const char *cg_layout_name(enum cg_layout l)
{
	switch (l) {
	case CG_LAYOUT_V1: return "v1";
	case CG_LAYOUT_HYBRID: return "hybrid (v1 memory controller)";
	case CG_LAYOUT_UNIFIED: return "v2 (unified)";
	default: return "none";
	}
}

/* libcgroup 2.0.2 has no CGROUP_MODE_* API: detect the layout with statfs, as its own
 * later versions do. */
static enum cg_layout detect_layout(void)
{
	struct statfs fs;

	if (statfs("/sys/fs/cgroup", &fs) < 0)
		return CG_LAYOUT_NONE;
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_UNIFIED;
	if (fs.f_type != TMPFS_MAGIC)
		return CG_LAYOUT_NONE;
	if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_HYBRID;
	return CG_LAYOUT_V1;
}

/* A path from the hierarchy root must stay below it: no "..", no empty components. */
static bool path_is_clean(const char *p)
{
	const char *s = p;

	while (*s) {
		size_t len = strcspn(s, "/");

		if ((len == 2 && strncmp(s, "..", 2) == 0) || (len == 1 && *s == '.'))
			return false;
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20)
				return false;
		s += len;
		while (*s == '/')
			s++;
	}
	return true;
}

static void strip_slashes(char *p)
{
	size_t len = strlen(p);
	size_t start = strspn(p, "/");

	while (len > start && p[len - 1] == '/')
		p[--len] = '\0';
	memmove(p, p + start, len - start + 1);
}

int cg_env_init(struct cg_env *env, const char *parent, char *err, size_t errlen)
{
	char *mnt = NULL, *own = NULL, probe[2 * PATH_MAX + 64];
	int r;

	memset(env, 0, sizeof(*env));
	env->layout = detect_layout();
	if (env->layout == CG_LAYOUT_NONE) {
		errf(err, errlen, "no cgroup filesystem at /sys/fs/cgroup: mount cgroup (v1 memory "
		     "controller) or cgroup2 there");
		return -ENOENT;
	}
	r = cgroup_init();
	if (r != 0) {
		errf(err, errlen, "libcgroup: cannot initialise (%s): is the memory controller "
		     "mounted under /sys/fs/cgroup?", r == ECGROUPNOTMOUNTED ? "no cgroup "
		     "hierarchy mounted" : "error");
		return -ENOENT;
	}
	if (cgroup_get_subsys_mount_point("memory", &mnt) != 0 || !mnt) {
		errf(err, errlen, env->layout == CG_LAYOUT_UNIFIED ? "the memory controller is not "
		     "available on the cgroup2 mount /sys/fs/cgroup (cgroup.controllers lacks "
		     "memory)" : "the v1 memory controller is not mounted (expected "
		     "/sys/fs/cgroup/memory): mount -t cgroup -o memory memory /sys/fs/cgroup/memory");
		return -ENOENT;
	}
	snprintf(env->mount, sizeof(env->mount), "%s", mnt);
	free(mnt);
	if (env->layout == CG_LAYOUT_UNIFIED) {
		if ((r = cg_v2_find_own(env, err, errlen)) < 0)
			return r;
	} else {
		/* Names given to libcgroup resolve from the mount root, not from our own cgroup,
		 * so the runner's own path prefixes every group it creates (works on v1 only). */
		r = cgroup_get_current_controller_path(getpid(), "memory", &own);
		if (r != 0 || !own) {
			errf(err, errlen, "cannot find the runner's own memory cgroup in "
			     "/proc/self/cgroup");
			return -ENOENT;
		}
		snprintf(env->own, sizeof(env->own), "%s", own);
		free(own);
		strip_slashes(env->own);
	}
	if (parent && *parent) {
		if (!path_is_clean(parent)) {
			errf(err, errlen, "parent_cgroup \"%s\": must be a path below the runner's "
			     "own cgroup without \"..\"", parent);
			return -EINVAL;
		}
		if ((size_t)snprintf(env->parent, sizeof(env->parent), "%s%s%s", env->own,
				     *env->own ? "/" : "", parent) >= sizeof(env->parent)) {
			errf(err, errlen, "parent_cgroup \"%s\": path too long", parent);
			return -ENAMETOOLONG;
		}
		strip_slashes(env->parent);
	} else {
		snprintf(env->parent, sizeof(env->parent), "%s", env->own);
	}
	snprintf(probe, sizeof(probe), "%s/%s", env->mount, env->parent);
	if (access(probe, W_OK) != 0) {
		int e = errno;

		errf(err, errlen, "cannot create cgroups in %s: %s", probe, strerror(e));
		return -e;
	}
	if (env->layout != CG_LAYOUT_UNIFIED) {
		snprintf(probe, sizeof(probe), "%s/%s/memory.memsw.limit_in_bytes", env->mount,
			 env->parent);
		env->has_memsw = access(probe, F_OK) == 0;
		env->ops = &cg_v1_ops;
		return 0;
	}
	/* v2 swap accounting shows as memory.swap.max in every non-root group (the root has
	 * no limit files at all: there it is taken on trust, and a create says otherwise). */
	snprintf(probe, sizeof(probe), "%s/%s/memory.swap.max", env->mount, env->parent);
	env->has_memsw = !*env->parent || access(probe, F_OK) == 0;
	env->ops = &cg_v2_ops;
	return cg_v2_enter_leaf(env, err, errlen);
}

int cg_env_fini(struct cg_env *env, char *err, size_t errlen)
{
	return env->layout == CG_LAYOUT_UNIFIED ? cg_v2_leave_leaf(env, err, errlen) : 0;
}

int cg_group_init(const struct cg_env *env, struct cg_group *g, const char *name, char *err,
		  size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->oom_fd = -1;
	g->ctl_fd = -1;
	if (!path_is_clean(name) || !*name || *name == '/') {
		errf(err, errlen, "cgroup name \"%s\" is not a plain name below %s", name,
		     env->parent);
		return -EINVAL;
	}
	if ((size_t)snprintf(g->name, sizeof(g->name), "%s%s%s", env->parent,
			     *env->parent ? "/" : "", name) >= sizeof(g->name) ||
	    (size_t)snprintf(g->dir, sizeof(g->dir), "%s/%s", env->mount, g->name) >=
		    sizeof(g->dir)) {
		errf(err, errlen, "cgroup name \"%s\" is too long", name);
		return -ENAMETOOLONG;
	}
	return 0;
}

int cg_pids(const struct cg_group *g, pid_t *pids, size_t max)
{
	char path[PATH_MAX + 16];
	FILE *f;
	size_t n = 0;
	long v;

	snprintf(path, sizeof(path), "%s/cgroup.procs", g->dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (n < max && fscanf(f, "%ld", &v) == 1)
		pids[n++] = (pid_t)v;
	fclose(f);
	return (int)n;
}

int cg_kill_all(const struct cg_group *g, uint64_t deadline,
		void (*reap)(pid_t pid, int status, void *ctx), void *ctx)
{
	pid_t pids[1024];
	int n, status;
	pid_t p;

	/* v2 (5.14+): one write kills every task of the group and its children, including
	 * ones forked meanwhile; the loop below still reaps them and checks the group empty. */
	cg_write_file(g->dir, "cgroup.kill", "1");
	for (;;) {
		n = cg_pids(g, pids, sizeof(pids) / sizeof(pids[0]));
		if (n == -ENOENT)
			return 0;
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		/* Our own children (and orphans handed to us as subreaper) must be reaped, or
		 * they stay as zombies and the group never empties. */
		while ((p = waitpid(-1, &status, WNOHANG)) > 0)
			if (reap)
				reap(p, status, ctx);
		if (n == 0)
			return 0;
		if (now_ns() >= deadline)
			return -ETIMEDOUT;
		/* A killed task needs a moment to exit; poll the group again shortly. */
		struct timespec ts = { 0, 2 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

void cg_group_close(struct cg_group *g)
{
	if (g->oom_fd >= 0)
		close(g->oom_fd);
	if (g->ctl_fd >= 0)
		close(g->ctl_fd);
	g->oom_fd = -1;
	g->ctl_fd = -1;
}

/* The pid in "balloon-run-<pid>-<name>" (a scenario group) or "balloon-run-<pid>" (the v2 leaf
 * the runner sat in: *leaf set), or 0 when the name is not one of ours. */
static pid_t run_owner(const char *name, bool *leaf)
{
	const char *p = name + strlen(CG_RUN_PREFIX);
	char *end;
	long v;

	if (strncmp(name, CG_RUN_PREFIX, strlen(CG_RUN_PREFIX)) != 0)
		return 0;
	v = strtol(p, &end, 10);
	if (end == p || (*end != '-' && *end != '\0') || v <= 0 || v > INT32_MAX)
		return 0;
	*leaf = *end == '\0';
	return (pid_t)v;
}

/* Is pid a live balloon-run? (A recycled pid running something else is not; one run under
 * valgrind has another comm but says balloon-run on its command line.) */
static bool runner_alive(pid_t pid)
{
	char path[64], buf[4096];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_small_file(path, buf, sizeof(buf)) > 0 && strcmp(buf, "balloon-run\n") == 0)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = read_small_file(path, buf, sizeof(buf));
	return n > 0 && memmem(buf, (size_t)n, "balloon-run", 11) != NULL;
}

static int count_tasks(const struct cg_group *g)
{
	pid_t pids[1024];
	int n = cg_pids(g, pids, sizeof(pids) / sizeof(pids[0]));

	return n > 0 ? n : 0;
}

/* g for "<base>/<name>" (base from the hierarchy root), already created. */
static int stale_group(const struct cg_env *env, const char *base, const char *name,
		       struct cg_group *g, char *err, size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->oom_fd = g->ctl_fd = -1;
	g->created = true;
	if ((size_t)snprintf(g->name, sizeof(g->name), "%s%s%s", base, *base ? "/" : "", name) >=
		    sizeof(g->name) ||
	    (size_t)snprintf(g->dir, sizeof(g->dir), "%s/%s", env->mount, g->name) >=
		    sizeof(g->dir)) {
		errf(err, errlen, "stale cgroup %s/%s: path too long", base, name);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Kills, reaps and removes one stale group and its child groups (one level: the runner
 * creates no deeper ones; anything deeper makes the removal fail loudly). */
static int remove_stale_group(const struct cg_env *env, const char *base, const char *name,
			      uint64_t deadline, int *killed, char *err, size_t errlen)
{
	struct cg_group g, kid;
	struct dirent *de;
	DIR *d;
	int r;

	if ((r = stale_group(env, base, name, &g, err, errlen)) < 0)
		return r;
	d = opendir(g.dir);
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (stale_group(env, g.name, de->d_name, &kid, err, errlen) < 0)
			continue;
		*killed += count_tasks(&kid);
		cg_kill_all(&kid, deadline, NULL, NULL);
		if ((r = env->ops->destroy(&kid, err, errlen)) < 0) {
			closedir(d);
			return r;
		}
	}
	if (d)
		closedir(d);
	*killed += count_tasks(&g);
	if ((r = cg_kill_all(&g, deadline, NULL, NULL)) < 0) {
		errf(err, errlen, "stale cgroup %s: its tasks did not die", g.dir);
		return r;
	}
	return env->ops->destroy(&g, err, errlen);
}

struct sweep {
	const struct cg_env *env;
	uint64_t deadline;
	void (*report)(const char *name, int killed, void *ctx);
	void *ctx;
	char *err;
	size_t errlen;
	int removed;
};

/* Does dir hold the leaf of a runner that no longer exists? */
static bool has_stale_leaf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false, leaf;

	while (d && !found && (de = readdir(d)) != NULL) {
		pid_t owner = run_owner(de->d_name, &leaf);

		found = de->d_type == DT_DIR && owner > 0 && leaf && !runner_alive(owner);
	}
	if (d)
		closedir(d);
	return found;
}

/* Removes the dead runners' groups in base, then their (empty) leaves. depth 0 is
 * env->parent; depth 1 a child of it that a dead runner had as its own cgroup on v2, where
 * the +memory it enabled is disabled again once nothing is left below. */
static int sweep_dir(struct sweep *sw, const char *base, int depth)
{
	char dir[PATH_MAX * 2], path[PATH_MAX * 3], sub[PATH_MAX * 2];
	char leaves[8][NAME_MAX + 1];
	int nleaves = 0, r = 0;
	struct dirent *de;
	bool leaf;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", sw->env->mount, base);
	d = opendir(dir);
	if (!d) {
		r = -errno;
		errf(sw->err, sw->errlen, "opendir %s: %s", dir, strerror(errno));
		return r;
	}
	while (r >= 0 && (de = readdir(d)) != NULL) {
		pid_t owner = run_owner(de->d_name, &leaf);
		int killed = 0;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (owner == 0) {
			/* v2: a dead runner's own cgroup, one level down, holds its leaf */
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			snprintf(sub, sizeof(sub), "%s%s%s", base, *base ? "/" : "", de->d_name);
			if (depth == 0 && sw->env->layout == CG_LAYOUT_UNIFIED && has_stale_leaf(path))
				r = sweep_dir(sw, sub, 1);
			continue;
		}
		if (runner_alive(owner))
			continue;
		if (leaf) {
			if (nleaves < 8)
				snprintf(leaves[nleaves++], sizeof(leaves[0]), "%s", de->d_name);
			continue;
		}
		r = remove_stale_group(sw->env, base, de->d_name, sw->deadline, &killed, sw->err,
				       sw->errlen);
		if (r < 0)
			break;
		sw->removed++;
		if (sw->report)
			sw->report(de->d_name, killed, sw->ctx);
	}
	closedir(d);
	for (int i = 0; r >= 0 && i < nleaves; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, leaves[i]);
		if (rmdir(path) < 0 && errno != ENOENT) {
			r = -errno;
			errf(sw->err, sw->errlen, "rmdir stale leaf %s: %s", path, strerror(errno));
			break;
		}
		sw->removed++;
		if (sw->report)
			sw->report(leaves[i], 0, sw->ctx);
	}
	/* The dead runner enabled +memory in its own cgroup: take it back once that cgroup
	 * has no child group left (then nobody needs it). */
	if (r >= 0 && depth == 1 && nleaves > 0) {
		d = opendir(dir);
		bool empty = true;

		while (d && (de = readdir(d)) != NULL)
			if (de->d_type == DT_DIR && de->d_name[0] != '.')
				empty = false;
		if (d)
			closedir(d);
		if (empty && (r = cg_write_file(dir, "cgroup.subtree_control", "-memory")) < 0)
			errf(sw->err, sw->errlen, "write -memory to %s/cgroup.subtree_control: %s",
			     dir, strerror(-r));
	}
	return r;
}

int cg_remove_stale(const struct cg_env *env, uint64_t deadline,
		    void (*report)(const char *name, int killed, void *ctx), void *ctx,
		    char *err, size_t errlen)
{
	struct sweep sw = { env, deadline, report, ctx, err, errlen, 0 };
	int r = sweep_dir(&sw, env->parent, 0);

	return r < 0 ? r : sw.removed;
}
