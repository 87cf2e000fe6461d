/* The lifecycle both backends share: create a group with its values, move a task into it,
 * remove it, all through libcgroup 2.0.2, and its errors turned into -errno and words.
 * What libcgroup cannot do (read multi-line files, notifications, the v2 runner's own
 * cgroup) the backends do straight on cgroupfs. */
#include "lib.h"
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libcgroup.h>

/* cgroup_strerror() in 2.0.2 crashes on codes >= ECGNONEMPTY and says "Cgroup is not compiled
 * in" for 0: only trust it inside its table, and use errno for ECGOTHER. */
const char *cg_lib_strerror(int code)
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

int cg_lib_create(struct cg_group *g, const struct cg_value *vals, size_t n, char *err,
		  size_t errlen)
{
	struct cgroup *cg = NULL;
	struct cgroup_controller *mem;
	int r, ret = -EIO;

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
	/* Values are written in the order given (the caller knows which order the kernel
	 * accepts). */
	for (size_t i = 0; i < n; i++)
		if (cgroup_add_value_string(mem, vals[i].file, vals[i].value) != 0) {
			errf(err, errlen, "libcgroup: cannot set %s for cgroup %s", vals[i].file,
			     g->name);
			goto cleanup;
		}
	r = cgroup_create_cgroup(cg, 0);
	if (r != 0) {
		ret = cgerrno(r);
		errf(err, errlen, "create cgroup %s: %s", g->dir, cg_lib_strerror(r));
		/* A value that failed to write leaves the directory behind: remove it. */
		if (access(g->dir, F_OK) == 0) {
			g->created = true;
			cg_lib_destroy(g, NULL, 0);
		}
		goto cleanup;
	}
	g->created = true;
	ret = 0;
cleanup:
	if (cg)
		cgroup_free(&cg);
	return ret;
}

int cg_fs_create(struct cg_group *g, const struct cg_value *vals, size_t n, char *err,
		 size_t errlen)
{
	char parent[PATH_MAX], ctl[256];
	int r;

	/* The parent hands +memory down (what libcgroup does as root): a scenario group does for
	 * its target/ and balloon/ children, or they would have no memory files at all. */
	snprintf(parent, sizeof(parent), "%s", g->dir);
	if (strrchr(parent, '/'))
		*strrchr(parent, '/') = '\0';
	if (cg_read_file(parent, "cgroup.subtree_control", ctl, sizeof(ctl)) >= 0 &&
	    !strstr(ctl, "memory") &&
	    (r = cg_write_file(parent, "cgroup.subtree_control", "+memory")) < 0) {
		errf(err, errlen, "create cgroup %s: write +memory to %s/cgroup.subtree_control: %s",
		     g->dir, parent, strerror(-r));
		return r;
	}
	if (mkdir(g->dir, 0755) < 0) {
		r = -errno;
		errf(err, errlen, "mkdir %s: %s%s", g->dir, strerror(errno),
		     errno == EEXIST ? " (another run with the same name?)" : "");
		return r;
	}
	g->created = true;
	for (size_t i = 0; i < n; i++)
		if ((r = cg_write_file(g->dir, vals[i].file, vals[i].value)) < 0) {
			errf(err, errlen, "create cgroup %s: write %s to %s: %s", g->dir,
			     vals[i].value, vals[i].file, strerror(-r));
			cg_lib_destroy(g, NULL, 0);
			return r;
		}
	return 0;
}

int cg_lib_attach(struct cg_group *g, pid_t pid, char *err, size_t errlen)
{
	/* A user's delegated v2 subtree: libcgroup 2.0.2 fails there ("Cgroup is not mounted")
	 * for a group it did not create; one write to cgroup.procs is the whole attach. */
	if (geteuid() != 0) {
		char text[32];
		int r;

		snprintf(text, sizeof(text), "%d", (int)pid);
		r = cg_write_file(g->dir, "cgroup.procs", text);
		if (r < 0)
			errf(err, errlen, "move pid %d into %s: %s", (int)pid, g->dir, strerror(-r));
		return r;
	}
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
		errf(err, errlen, "move pid %d into %s: %s", (int)pid, g->dir, cg_lib_strerror(r));
		return cgerrno(r);
	}
	return 0;
}

int cg_lib_destroy(struct cg_group *g, char *err, size_t errlen)
{
	struct cgroup *cg;
	int r = 0;
	uint64_t deadline = now_ns() + 2 * 1000000000ull;

	cg_group_close(g);
	if (!g->created)
		return 0;
	/* Groups a target made below ours (a container runtime's) go first: libcgroup
	 * removes only empty leaves. */
	cg_rmdir_below(g->dir);
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
			     r ? cg_lib_strerror(r) : "tasks remain");
			return -EBUSY;
		}
		/* rmdir can race with the last task's exit: try again shortly. */
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	g->created = false;
	return 0;
}
