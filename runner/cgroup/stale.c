/* Removing what a runner that no longer exists left behind (it was SIGKILLed, or the machine
 * lost it): its scenario groups and their tasks, and on v2 the leaf it sat in and the +memory
 * it enabled. A group whose runner still runs is never touched. */
#include "cgroup.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The pid after "balloon-run-" in name, *rest pointing past its digits; 0 when the name is
 * not one of ours. */
static pid_t name_pid(const char *name, const char **rest)
{
	const char *p = name + strlen(CG_RUN_PREFIX);
	char *end;
	long v;

	if (strncmp(name, CG_RUN_PREFIX, strlen(CG_RUN_PREFIX)) != 0)
		return 0;
	v = strtol(p, &end, 10);
	if (end == p || v <= 0 || v > INT32_MAX)
		return 0;
	*rest = end;
	return (pid_t)v;
}

/* The pid in "balloon-run-<pid>-<name>" (a scenario group) or "balloon-run-<pid>" (the v2 leaf
 * the runner sat in: *leaf set), or 0 when the name is not one of ours. */
static pid_t run_owner(const char *name, bool *leaf)
{
	const char *rest;
	pid_t pid = name_pid(name, &rest);

	if (!pid || (*rest != '-' && *rest != '\0'))
		return 0;
	*leaf = *rest == '\0';
	return pid;
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

/* Does dir hold groups no runner makes (anything but target/ and balloon/, and anything
 * below those: a container runtime's)? */
static bool has_foreign(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	while (d && !found && (de = readdir(d)) != NULL) {
		char sub[PATH_MAX * 2];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (depth > 0 || (strcmp(de->d_name, "target") != 0 &&
				  strcmp(de->d_name, "balloon") != 0))
			found = true;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (depth == 0 && !found)
			found = has_foreign(sub, 1);
	}
	if (d)
		closedir(d);
	return found;
}

/* Kills, reaps and removes one stale group and every group below it. */
static int remove_stale_group(const struct cg_env *env, const char *base, const char *name,
			      uint64_t deadline, int *killed, bool *foreign, char *err,
			      size_t errlen)
{
	struct cg_group g;
	int r;

	if ((r = stale_group(env, base, name, &g, err, errlen)) < 0)
		return r;
	*foreign = has_foreign(g.dir, 0);
	*killed += count_tasks(&g); /* cg_pids counts the groups below too */
	if ((r = cg_kill_all(&g, deadline, NULL, NULL)) < 0) {
		errf(err, errlen, "stale cgroup %s: its tasks did not die", g.dir);
		return r;
	}
	/* a killed task still counts until the kernel has released it (a container's, reaped
	 * by whoever inherited it once its conmon died): EBUSY until then */
	while ((r = cg_rmdir_below(g.dir)) == -EBUSY && now_ns() < deadline) {
		struct timespec ts = { 0, 10000000 };

		nanosleep(&ts, NULL);
	}
	if (r < 0) {
		errf(err, errlen, "stale cgroup %s: removing the groups below it: %s", g.dir,
		     strerror(-r));
		return r;
	}
	return env->ops->destroy(&g, err, errlen);
}

struct sweep {
	const struct cg_env *env;
	uint64_t deadline;
	void (*report)(const char *name, int killed, bool foreign, void *ctx);
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
		bool foreign = false;
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
		r = remove_stale_group(sw->env, base, de->d_name, sw->deadline, &killed, &foreign,
				       sw->err, sw->errlen);
		if (r < 0)
			break;
		sw->removed++;
		if (sw->report)
			sw->report(de->d_name, killed, foreign, sw->ctx);
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
			sw->report(leaves[i], 0, false, sw->ctx);
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
		/* a systemd scope is collected as soon as it is empty: gone, nothing to undo */
		if (empty && (r = cg_write_file(dir, "cgroup.subtree_control", "-memory")) == -ENOENT)
			r = 0;
		else if (r < 0)
			errf(sw->err, sw->errlen, "write -memory to %s/cgroup.subtree_control: %s",
			     dir, strerror(-r));
	}
	return r;
}

/* The pid in "balloon-run-<pid>.scope", the transient scope systemd made for a runner, or 0. */
static pid_t scope_owner(const char *name)
{
	const char *rest;
	pid_t pid = name_pid(name, &rest);

	return pid && strcmp(rest, ".scope") == 0 ? pid : 0;
}

/* Waits until systemd has collected the emptied scope dir (it stops a scope whose cgroup has
 * no process left and removes its cgroup), else removes it: nothing below it is left. */
static int collect_scope(struct sweep *sw, const char *dir)
{
	struct timespec ts = { 0, 10000000 };
	uint64_t until = now_ns() + 2000000000ull;

	while (access(dir, F_OK) == 0 && now_ns() < until && now_ns() < sw->deadline)
		nanosleep(&ts, NULL);
	if (rmdir(dir) < 0 && errno != ENOENT) {
		int r = -errno;

		errf(sw->err, sw->errlen, "rmdir stale scope %s: %s", dir, strerror(errno));
		return r;
	}
	return 0;
}

/* On a systemd host the runner sits in a transient scope of its own; a runner SIGKILLed there
 * leaves its scope beside ours in the same slice, held by what survived it (a container's
 * conmon, a target that ignored the parent's death). Its groups are ours: the same sweep, then
 * the scope. */
static int sweep_scopes(struct sweep *sw)
{
	char slice[PATH_MAX], dir[PATH_MAX * 2], sub[PATH_MAX * 3], *slash;
	struct dirent *de;
	int r = 0;
	DIR *d;

	snprintf(slice, sizeof(slice), "%s", sw->env->own);
	if (!(slash = strrchr(slice, '/')))
		return 0;
	*slash = '\0';
	snprintf(dir, sizeof(dir), "%s/%s", sw->env->mount, slice);
	if (!(d = opendir(dir)))
		return 0; /* not readable: not ours to sweep */
	while (r >= 0 && (de = readdir(d)) != NULL) {
		pid_t owner = scope_owner(de->d_name);

		if (de->d_type != DT_DIR || owner <= 0 || owner == getpid() || runner_alive(owner))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", slice, *slice ? "/" : "", de->d_name);
		if ((r = sweep_dir(sw, sub, 1)) < 0)
			break;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if ((r = collect_scope(sw, sub)) < 0)
			break;
		sw->removed++;
		if (sw->report)
			sw->report(de->d_name, 0, false, sw->ctx);
	}
	closedir(d);
	return r;
}

int cg_remove_stale(const struct cg_env *env, uint64_t deadline,
		    void (*report)(const char *name, int killed, bool foreign, void *ctx),
		    void *ctx, char *err, size_t errlen)
{
	struct sweep sw = { env, deadline, report, ctx, err, errlen, 0 };
	int r = sweep_dir(&sw, env->parent, 0);

	if (r >= 0 && *env->scope)
		r = sweep_scopes(&sw);
	return r < 0 ? r : sw.removed;
}
