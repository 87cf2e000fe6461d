/* cgroup v2 backend. Lifecycle (create with memory.max/high/swap.max/oom.group, attach,
 * delete) goes through libcgroup (runner/cgroup_lib.c), which works on v2 for these; counters
 * come from memory.events(.local), memory.current, memory.stat and memory.pressure, and OOM
 * notification is inotify IN_MODIFY on memory.events (the kernel's "file modified" event).
 * What libcgroup 2.0.2 cannot do on v2 is done here on cgroupfs: find the runner's own cgroup
 * (cgroup_get_current_controller_path fails with ECGOTHER, errno 0), and move the runner into
 * a leaf before +memory is enabled for the scenario groups (its cgroup_create_cgroup writes
 * +memory into every ancestor from the root, which the kernel refuses with EBUSY while the
 * runner itself sits in its own cgroup: no internal processes). */
#include "cgroup.h"
#include "lib.h"
#include "msg.h"
#include "proc_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether a space-separated controller list ("cpu io memory pids") holds "memory". */
static bool lists_memory(const char *list)
{
	for (const char *p = list; (p = strstr(p, "memory")) != NULL; p += 6)
		if ((p == list || p[-1] == ' ') && (p[6] == '\0' || p[6] == ' ' || p[6] == '\n'))
			return true;
	return false;
}

static int v2_find_own(struct cg_env *env, char *err, size_t errlen)
{
	char buf[4096], dir[PATH_MAX * 2], path[PATH_MAX];
	ssize_t n = read_small_file("/proc/self/cgroup", buf, sizeof(buf));

	if (n < 0 || proc_cgroup_path(buf, true, path, sizeof(path)) < 0) {
		errf(err, errlen, "cannot find the runner's own cgroup: /proc/self/cgroup has no "
		     "\"0::\" line%s%s", n < 0 ? ": " : "", n < 0 ? strerror((int)-n) : "");
		return -ENOENT;
	}
	snprintf(env->own, sizeof(env->own), "%s", path + strspn(path, "/"));
	snprintf(dir, sizeof(dir), "%s/%s", env->mount, env->own);
	/* The controller must reach our cgroup from above; enabling it in ancestors is their
	 * owner's business (systemd: Delegate=yes), not the runner's. */
	n = cg_read_file(dir, "cgroup.controllers", buf, sizeof(buf));
	if (n < 0 || !lists_memory(buf)) {
		errf(err, errlen, "the memory controller is not available in cgroup %s (its "
		     "cgroup.controllers %s): enable it in the parent (echo +memory > "
		     "PARENT/cgroup.subtree_control) or start balloon-run in a delegated cgroup "
		     "(systemd-run --scope -p Delegate=yes ...)", dir,
		     n < 0 ? "cannot be read" : "lacks memory");
		return -ENOENT;
	}
	return 0;
}

/* The other processes of a cgroup, for the error that names them. */
static void list_procs(const char *dir, char *out, size_t len)
{
	char buf[512];
	ssize_t n = cg_read_file(dir, "cgroup.procs", buf, sizeof(buf));

	for (char *p = buf; n > 0 && *p; p++)
		if (*p == '\n')
			*p = p[1] ? ' ' : '\0';
	snprintf(out, len, "%s", n > 0 ? buf : "?");
}

static int v2_env_fini(struct cg_env *env, char *err, size_t errlen);

static int enter_leaf(struct cg_env *env, char *err, size_t errlen)
{
	char own[PATH_MAX * 2], leaf[PATH_MAX * 3], pid[32], procs[512];
	int r;

	if (!*env->own)
		return 0; /* the root is exempt from "no internal processes" */
	snprintf(own, sizeof(own), "%s/%s", env->mount, env->own);
	if ((size_t)snprintf(env->leaf, sizeof(env->leaf), "%s/" CG_RUN_PREFIX "%d", env->own,
			     (int)getpid()) >= sizeof(env->leaf)) {
		env->leaf[0] = '\0';
		errf(err, errlen, "own cgroup %s: path too long for a leaf below it", own);
		return -ENAMETOOLONG;
	}
	snprintf(leaf, sizeof(leaf), "%s/%s", env->mount, env->leaf);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	/* mkdir, not libcgroup: its create would write +memory into own while we are in it. */
	if (mkdir(leaf, 0755) < 0) {
		r = -errno;
		errf(err, errlen, "mkdir %s: %s", leaf, strerror(errno));
		env->leaf[0] = '\0';
		return r;
	}
	if ((r = cg_write_file(leaf, "cgroup.procs", pid)) < 0) {
		errf(err, errlen, "move the runner (pid %s) into %s/cgroup.procs: %s", pid, leaf,
		     strerror(-r));
		goto undo;
	}
	r = cg_write_file(own, "cgroup.subtree_control", "+memory");
	if (r == -EBUSY) {
		list_procs(own, procs, sizeof(procs));
		errf(err, errlen, "cannot enable +memory in %s/cgroup.subtree_control: other "
		     "processes live in that cgroup (pids %s), and cgroup v2 hands a controller to "
		     "child groups only from a cgroup without processes; start balloon-run alone "
		     "in a cgroup (systemd-run --scope -p Delegate=yes balloon-run ...)", own, procs);
		goto undo;
	}
	if (r < 0) {
		errf(err, errlen, "write +memory to %s/cgroup.subtree_control: %s", own, strerror(-r));
		goto undo;
	}
	env->memory_enabled = true;
	return 0;
undo:
	v2_env_fini(env, NULL, 0);
	return r;
}

/* The child cgroups of dir other than skip (a base name), as "a b c" in out; returns how many. */
static int other_children(const char *dir, const char *skip, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t w = 0;
	int n = 0;

	out[0] = '\0';
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.' || strcmp(de->d_name, skip) == 0)
			continue;
		n++;
		if (w < len)
			w += (size_t)snprintf(out + w, len - w, "%s%s", n > 1 ? " " : "", de->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

static int v2_env_fini(struct cg_env *env, char *err, size_t errlen)
{
	char own[PATH_MAX * 2], leaf[PATH_MAX * 3], pid[32], others[512];
	const char *base = strrchr(env->leaf, '/');
	int r;

	if (!*env->leaf)
		return 0;
	snprintf(own, sizeof(own), "%s/%s", env->mount, env->own);
	snprintf(leaf, sizeof(leaf), "%s/%s", env->mount, env->leaf);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	/* Back into own only once own hands no controller down; and -memory only when no other
	 * group below own needs it (it would take the controller from under them). */
	if (env->memory_enabled) {
		if (other_children(own, base ? base + 1 : env->leaf, others, sizeof(others)) > 0) {
			errf(err, errlen, "cannot move the runner back into %s: other groups below it "
			     "(%s) use the +memory this runner enabled; the runner stays in %s until "
			     "it exits", own, others, leaf);
			return -EBUSY;
		}
		if ((r = cg_write_file(own, "cgroup.subtree_control", "-memory")) < 0) {
			errf(err, errlen, "write -memory to %s/cgroup.subtree_control: %s", own,
			     strerror(-r));
			return r;
		}
		env->memory_enabled = false;
	}
	if (access(leaf, F_OK) == 0 && (r = cg_write_file(own, "cgroup.procs", pid)) < 0 &&
	    r != -ENOENT) {
		errf(err, errlen, "move the runner back into %s: %s", own, strerror(-r));
		return r;
	}
	if (rmdir(leaf) < 0 && errno != ENOENT) {
		r = -errno;
		errf(err, errlen, "rmdir %s: %s", leaf, strerror(errno));
		return r;
	}
	env->leaf[0] = '\0';
	return 0;
}

/* v2 swap accounting shows as memory.swap.max in every non-root group (the root has no limit
 * files at all: there it is taken on trust, and a create says otherwise); then the leaf. */
static int v2_env_init(struct cg_env *env, char *err, size_t errlen)
{
	char probe[2 * PATH_MAX + 64];

	snprintf(probe, sizeof(probe), "%s/%s/memory.swap.max", env->mount, env->parent);
	env->has_memsw = !*env->parent || access(probe, F_OK) == 0;
	return enter_leaf(env, err, errlen);
}

static void add_value(struct cg_value *v, size_t *n, const char *file, uint64_t value)
{
	v[*n].file = file;
	snprintf(v[*n].value, sizeof(v[0].value), "%llu", (unsigned long long)value);
	(*n)++;
}

static int v2_create(const struct cg_env *env, struct cg_group *g, const struct cg_limits *lim,
		     char *err, size_t errlen)
{
	struct cg_value vals[4];
	size_t n = 0;

	(void)env;
	if (lim && lim->oom_kill_disable) {
		errf(err, errlen, "cgroup %s: oom_kill_disable has no cgroup v2 equivalent "
		     "(memory.oom_control is v1 only)", g->dir);
		return -ENOTSUP;
	}
	if (lim && lim->memory)
		add_value(vals, &n, "memory.max", lim->memory);
	/* v1 limits memory+swap together; v2 limits swap alone: the same bound is the rest. */
	if (lim && lim->memsw)
		add_value(vals, &n, "memory.swap.max",
			  lim->memsw > lim->memory ? lim->memsw - lim->memory : 0);
	if (lim && lim->high)
		add_value(vals, &n, "memory.high", lim->high);
	if (lim && lim->oom_group)
		add_value(vals, &n, "memory.oom.group", 1);
	return cg_lib_create(g, vals, n, err, errlen);
}

/* memory.events changes whenever a limit is hit (oom, oom_kill, max, high): inotify says so
 * without polling. The readable fd is drained and the oom count compared in v2_oom_ack. */
static int v2_oom_notify(struct cg_group *g, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], buf[1024];
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0) {
		errf(err, errlen, "inotify_init1: %s", strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/memory.events", g->dir);
	if (inotify_add_watch(fd, path, IN_MODIFY) < 0) {
		int e = errno;

		close(fd);
		errf(err, errlen, "inotify on %s: %s", path, strerror(e));
		return -e;
	}
	g->oom_seen = 0;
	if (cg_read_file(g->dir, "memory.events", buf, sizeof(buf)) > 0)
		cg_kv_get(buf, "oom", &g->oom_seen);
	g->oom_fd = fd;
	return 0;
}

static int v2_oom_ack(struct cg_group *g)
{
	char buf[4096];
	uint64_t oom = 0, d;

	if (g->oom_fd < 0)
		return 0;
	while (read(g->oom_fd, buf, sizeof(buf)) > 0)
		;
	if (cg_read_file(g->dir, "memory.events", buf, sizeof(buf)) <= 0 ||
	    cg_kv_get(buf, "oom", &oom) < 0 || oom <= g->oom_seen)
		return 0;
	d = oom - g->oom_seen;
	g->oom_seen = oom;
	return d > INT32_MAX ? INT32_MAX : (int)d;
}

/* Kills per group: memory.events counts a child's kill in every ancestor too, .local does
 * not (kernels before 5.2 have no .local file: the group's own memory.events then). */
static int v2_oom_kills(const struct cg_group *g, uint64_t *n)
{
	char buf[1024];

	if (cg_read_file(g->dir, "memory.events.local", buf, sizeof(buf)) < 0 &&
	    cg_read_file(g->dir, "memory.events", buf, sizeof(buf)) < 0)
		return -ENOENT;
	return cg_kv_get(buf, "oom_kill", n);
}

static int v2_read(const struct cg_group *g, struct cg_counters *c, char *err, size_t errlen)
{
	char buf[8192];
	uint64_t swap = 0, swap_max = 0;
	ssize_t n;
	int r;

	memset(c, 0, sizeof(*c));
	r = cg_read_u64(g->dir, "memory.current", &c->usage);
	if (r == 0)
		r = cg_read_u64(g->dir, "memory.max", &c->limit);
	if (r == 0)
		r = cg_read_u64(g->dir, "memory.high", &c->high);
	if (r == 0 && (n = cg_read_file(g->dir, "memory.events", buf, sizeof(buf))) < 0)
		r = (int)n;
	if (r < 0) {
		errf(err, errlen, "read counters of %s: %s", g->dir, strerror(-r));
		return r;
	}
	/* Hierarchical: limit events of this group and below (they happen where the limit is). */
	cg_kv_get(buf, "oom", &c->oom);
	cg_kv_get(buf, "oom_group_kill", &c->oom_group_kill);
	cg_kv_get(buf, "high", &c->ev_high);
	cg_kv_get(buf, "max", &c->ev_max);
	c->failcnt = c->ev_max;
	v2_oom_kills(g, &c->oom_kill);
	/* swap files exist only with swap accounting: their absence is not an error */
	if (cg_read_u64(g->dir, "memory.swap.current", &swap) == 0) {
		c->memsw_usage = c->usage + swap;
		if (cg_read_u64(g->dir, "memory.swap.max", &swap_max) == 0 && swap_max && c->limit)
			c->memsw_limit = c->limit + swap_max;
	}
	if (cg_read_file(g->dir, "memory.stat", buf, sizeof(buf)) > 0) {
		cg_kv_get(buf, "pgfault", &c->pgfault);
		cg_kv_get(buf, "pgmajfault", &c->pgmajfault);
	}
	/* The group's own pressure (CONFIG_PSI; psi=0 hides it): not an error when absent. */
	if (cg_read_file(g->dir, "memory.pressure", buf, sizeof(buf)) > 0)
		cg_psi_parse(buf, &c->psi);
	return 0;
}

const struct cg_ops cg_v2_ops = {
	.name = "v2",
	.find_own = v2_find_own,
	.env_init = v2_env_init,
	.env_fini = v2_env_fini,
	.create = v2_create,
	.attach = cg_lib_attach,
	.oom_notify = v2_oom_notify,
	.oom_ack = v2_oom_ack,
	.read = v2_read,
	.oom_kills = v2_oom_kills,
	.destroy = cg_lib_destroy,
};
