/* Where the runner sits on cgroup v2. A cgroup may hand the memory controller to child groups
 * only while no process lives in it ("no internal processes"), so the runner moves into a
 * leaf of its own cgroup and enables +memory there; and it may only do that in a cgroup it
 * owns. Three layouts, in this order:
 *   1. its cgroup is its own: the root, a delegated scope, a cgroup it was started in alone;
 *   2. systemd manages its cgroup, shared with a shell or a CI agent, or not delegated (a
 *      login session, a service): systemd gives it a transient scope with Delegate=yes over
 *      D-Bus (delegate.c) and it moves there;
 *   3. a container's cgroup namespace with no systemd, where the runner sees itself at / with
 *      the container's other processes: it moves them all into the leaf with itself (as
 *      container entrypoints that nest cgroups do), and back when it is done.
 * Anything else is refused with what to do. libcgroup 2.0.2 cannot find the runner's cgroup
 * on v2 (cgroup_get_current_controller_path fails with ECGOTHER, errno 0), so it is read
 * from /proc/self/cgroup; the leaf is made with mkdir (libcgroup's create writes +memory into
 * every ancestor, which the kernel refuses while the runner is still in its own cgroup). */
#include "v2env.h"
#include "delegate.h"
#include "msg.h"
#include "proc_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Whether a space-separated controller list ("cpu io memory pids") holds "memory". */
static bool lists_memory(const char *list)
{
	for (const char *p = list; (p = strstr(p, "memory")) != NULL; p += 6)
		if ((p == list || p[-1] == ' ') && (p[6] == '\0' || p[6] == ' ' || p[6] == '\n'))
			return true;
	return false;
}

static int read_own(struct cg_env *env, char *err, size_t errlen)
{
	char buf[4096], path[PATH_MAX];
	ssize_t n = read_small_file("/proc/self/cgroup", buf, sizeof(buf));

	if (n < 0 || proc_cgroup_path(buf, true, path, sizeof(path)) < 0) {
		errf(err, errlen, "cannot find the runner's own cgroup: /proc/self/cgroup has no "
		     "\"0::\" line%s%s", n < 0 ? ": " : "", n < 0 ? strerror((int)-n) : "");
		return -ENOENT;
	}
	snprintf(env->own, sizeof(env->own), "%s", path + strspn(path, "/"));
	return 0;
}

/* Processes of a cgroup other than this one, as "pid pid pid" in out; returns how many. */
static int others_in(const char *dir, char *out, size_t len)
{
	char buf[8192];
	ssize_t n = cg_read_file(dir, "cgroup.procs", buf, sizeof(buf));
	size_t w = 0;
	int count = 0;

	out[0] = '\0';
	for (char *p = buf, *e; n > 0 && *p; p = e + (*e != '\0')) {
		long pid = strtol(p, &e, 10);

		if (e == p)
			break;
		if (pid == getpid())
			continue;
		count++;
		if (w < len)
			w += (size_t)snprintf(out + w, len - w, "%s%ld", count > 1 ? " " : "", pid);
		e += strspn(e, "\n");
	}
	return count;
}

/* The hierarchy's root is exempt from "no internal processes"; the root of a cgroup
 * namespace (a container's /) is not: it has the cgroup.type file only non-root groups have. */
static bool true_root(const struct cg_env *env)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/cgroup.type", env->mount);
	return !*env->own && access(path, F_OK) != 0;
}

/* Why own cannot be divided as it is, or NULL when it can. */
static const char *unusable(const struct cg_env *env, char *buf, size_t len)
{
	char dir[PATH_MAX * 2], text[256], procs[256];

	if (true_root(env))
		return NULL;
	snprintf(dir, sizeof(dir), "%s/%s", env->mount, env->own);
	if (cg_read_file(dir, "cgroup.controllers", text, sizeof(text)) < 0 || !lists_memory(text))
		snprintf(buf, len, "the memory controller does not reach cgroup %.512s (its "
			 "cgroup.controllers lacks memory)", dir);
	else if (access(dir, W_OK) != 0)
		snprintf(buf, len, "cgroup %.512s is not writable for this user", dir);
	else if (others_in(dir, procs, sizeof(procs)) > 0)
		snprintf(buf, len, "other processes live in cgroup %.512s (pids %s), and cgroup v2 "
			 "hands a controller to child groups only from a cgroup without processes",
			 dir, procs);
	else if (delegate_systemd() && delegate_unit_name(env->own) && !delegate_marked(dir))
		snprintf(buf, len, "systemd manages cgroup %.512s without Delegate=yes", dir);
	else
		return NULL;
	return buf;
}

int cg_v2_find_own(struct cg_env *env, char *err, size_t errlen)
{
	char why[1024], why_not[256], derr[512];
	int r = read_own(env, err, errlen);

	if (r < 0)
		return r;
	snprintf(env->orig, sizeof(env->orig), "%s", env->own);
	if (!unusable(env, why, sizeof(why)))
		return 0;
	if (delegate_available(why_not, sizeof(why_not))) {
		r = delegate_scope(env->scope, sizeof(env->scope), derr, sizeof(derr));
		if (r == 0)
			return read_own(env, err, errlen);
		env->scope[0] = '\0';
		errf(err, errlen, "%s; asking systemd for a delegated scope failed: %s", why, derr);
		return r;
	}
	/* A container's cgroup namespace: the runner may rearrange it (it is root in it). */
	if (!*env->own && geteuid() == 0) {
		env->adopt = true;
		return 0;
	}
	errf(err, errlen, "%s; and %s: start balloon-run alone in a delegated cgroup "
	     "(systemd-run --scope -p Delegate=yes balloon-run ...), or in a cgroup of its own "
	     "(mkdir /sys/fs/cgroup/PATH; echo $$ > /sys/fs/cgroup/PATH/cgroup.procs)", why,
	     why_not);
	return -EBUSY;
}

/* Moves every process of from (a cgroupfs directory) into to, until from is empty (the ones
 * that fork meanwhile land in from and are moved in the next pass). Returns 0 or -errno. */
static int move_all(const char *from, const char *to)
{
	char buf[8192];
	int r = 0;

	for (int pass = 0; pass < 100; pass++) {
		ssize_t n = cg_read_file(from, "cgroup.procs", buf, sizeof(buf));
		bool moved = false;

		if (n <= 0)
			return n < 0 ? (int)n : 0;
		for (char *p = strtok(buf, "\n"); p; p = strtok(NULL, "\n")) {
			r = cg_write_file(to, "cgroup.procs", p);
			/* a process that exited meanwhile (ESRCH) is not an error */
			if (r < 0 && r != -ESRCH)
				return r;
			moved = true;
		}
		if (!moved)
			return 0;
	}
	return -EBUSY;
}

static int enter_leaf(struct cg_env *env, char *err, size_t errlen)
{
	char own[PATH_MAX * 2], leaf[PATH_MAX * 3], pid[32];
	int r;

	if (true_root(env))
		return 0; /* the root is exempt from "no internal processes" */
	snprintf(own, sizeof(own), "%s%s%s", env->mount, *env->own ? "/" : "", env->own);
	if ((size_t)snprintf(env->leaf, sizeof(env->leaf), "%s%s" CG_RUN_PREFIX "%d", env->own,
			     *env->own ? "/" : "", (int)getpid()) >= sizeof(env->leaf)) {
		env->leaf[0] = '\0';
		errf(err, errlen, "own cgroup %s: path too long for a leaf below it", own);
		return -ENAMETOOLONG;
	}
	snprintf(leaf, sizeof(leaf), "%s/%s", env->mount, env->leaf);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (mkdir(leaf, 0755) < 0) {
		r = -errno;
		errf(err, errlen, "mkdir %s: %s", leaf, strerror(errno));
		env->leaf[0] = '\0';
		return r;
	}
	r = env->adopt ? move_all(own, leaf) : cg_write_file(leaf, "cgroup.procs", pid);
	if (r < 0) {
		errf(err, errlen, "move %s into %s/cgroup.procs: %s", env->adopt ? "the processes "
		     "of the container's cgroup" : "the runner", leaf, strerror(-r));
		goto undo;
	}
	if (cg_read_file(own, "cgroup.subtree_control", env->subtree0, sizeof(env->subtree0)) < 0)
		env->subtree0[0] = '\0';
	r = cg_write_file(own, "cgroup.subtree_control", "+memory");
	if (r < 0) {
		char procs[256];

		if (r == -EBUSY && others_in(own, procs, sizeof(procs)) > 0)
			errf(err, errlen, "cannot enable +memory in %s/cgroup.subtree_control: other "
			     "processes live in that cgroup (pids %s)", own, procs);
		else
			errf(err, errlen, "write +memory to %s/cgroup.subtree_control: %s", own,
			     strerror(-r));
		goto undo;
	}
	env->memory_enabled = true;
	return 0;
undo:
	cg_v2_env_fini(env, NULL, 0);
	return r;
}

/* The child cgroups of dir other than skip (a base name), as "a b c" in out; how many. */
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

/* Out of the scope systemd made (as root the runner may go back where it started, and the
 * empty scope is collected at once; otherwise it goes when the runner exits). */
static void leave_scope(struct cg_env *env)
{
	char orig[PATH_MAX * 2], pid[32];

	if (!*env->scope)
		return;
	snprintf(orig, sizeof(orig), "%s/%s", env->mount, env->orig);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (cg_write_file(orig, "cgroup.procs", pid) == 0)
		env->scope[0] = '\0';
}

/* Whether the space-separated list has word. */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/* "-memory -cpu ...": every controller dir hands down now that it did not before (before:
 * its cgroup.subtree_control then), memory always. */
static void added_controllers(const char *dir, const char *before, char *out, size_t len)
{
	char now[256], *save = NULL;
	size_t w = (size_t)snprintf(out, len, "-memory");

	if (cg_read_file(dir, "cgroup.subtree_control", now, sizeof(now)) < 0)
		return;
	for (char *c = strtok_r(now, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
		if (strcmp(c, "memory") == 0 || word_in(before, c))
			continue;
		if (w < len)
			w += (size_t)snprintf(out + w, len - w, " -%s", c);
	}
}

int cg_v2_env_fini(struct cg_env *env, char *err, size_t errlen)
{
	char own[PATH_MAX * 2], leaf[PATH_MAX * 3], pid[32], others[512], off[256];
	const char *base = strrchr(env->leaf, '/');
	int r;

	if (!*env->leaf) {
		leave_scope(env);
		return 0;
	}
	snprintf(own, sizeof(own), "%s%s%s", env->mount, *env->own ? "/" : "", env->own);
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
		added_controllers(own, env->subtree0, off, sizeof(off));
		if ((r = cg_write_file(own, "cgroup.subtree_control", off)) < 0) {
			errf(err, errlen, "write \"%s\" to %s/cgroup.subtree_control: %s", off, own,
			     strerror(-r));
			return r;
		}
		env->memory_enabled = false;
	}
	if (access(leaf, F_OK) == 0) {
		r = env->adopt ? move_all(leaf, own) : cg_write_file(own, "cgroup.procs", pid);
		if (r < 0 && r != -ENOENT) {
			errf(err, errlen, "move %s back into %s: %s", env->adopt ? "the container's "
			     "processes" : "the runner", own, strerror(-r));
			return r;
		}
	}
	if (rmdir(leaf) < 0 && errno != ENOENT) {
		r = -errno;
		errf(err, errlen, "rmdir %s: %s", leaf, strerror(errno));
		return r;
	}
	env->leaf[0] = '\0';
	leave_scope(env);
	return 0;
}

/* v2 swap accounting shows as memory.swap.max in every non-root group (the root has no limit
 * files at all: there it is taken on trust, and a create says otherwise); then the leaf. */
int cg_v2_env_init(struct cg_env *env, char *err, size_t errlen)
{
	char probe[2 * PATH_MAX + 64];

	snprintf(probe, sizeof(probe), "%s/%s/memory.swap.max", env->mount, env->parent);
	env->has_memsw = !*env->parent || access(probe, F_OK) == 0;
	return enter_leaf(env, err, errlen);
}
