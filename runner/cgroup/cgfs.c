/* cgroupfs files, read and written directly: what the backends share and what libcgroup
 * 2.0.2 cannot do for them (multi-line files such as memory.stat and memory.events,
 * cgroup.procs, cgroup.kill). Small files only; a group's counters stay open (cg_gread), the
 * rest is opened, read or written, and closed. */
#include "cgroup.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The kept descriptor of a group's file (a name in g->dir, or an absolute path), opened at
 * its first read; -ENOENT when this kernel has no such file, -EBADF when it is not kept (a
 * group filled in by hand, or more files than slots: read by path as anyone would). */
static int kept_fd(struct cg_group *g, const char *file)
{
	struct cg_open_file *f = NULL;
	char path[PATH_MAX * 2];

	if (!g->keep_open)
		return -EBADF;
	for (int i = 0; i < CG_OPEN_FILES && !f; i++)
		if (g->open[i].name && strcmp(g->open[i].name, file) == 0)
			f = &g->open[i];
	for (int i = 0; i < CG_OPEN_FILES && !f; i++)
		if (!g->open[i].name)
			f = &g->open[i];
	if (!f)
		return -EBADF;
	if (!f->name) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", g->dir, file) >= sizeof(path))
			return -ENAMETOOLONG;
		f->fd = open(file[0] == '/' ? file : path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0 && errno != ENOENT)
			return -errno;
		f->name = file;
		if (f->fd < 0) /* a file this kernel does not have stays absent */
			f->fd = -ENOENT;
	}
	return f->fd;
}

ssize_t cg_gread(struct cg_group *g, const char *file, char *buf, size_t len)
{
	int fd = len ? kept_fd(g, file) : -EBADF;

	if (fd == -EBADF)
		return file[0] == '/' ? read_small_file(file, buf, len)
				      : cg_read_file(g->dir, file, buf, len);
	if (fd < 0)
		return fd;
	return read_open_file(fd, buf, len);
}

int cg_gread_u64(struct cg_group *g, const char *file, uint64_t *v)
{
	char buf[64];
	int fd = kept_fd(g, file);
	ssize_t n = fd == -EBADF ? cg_read_file(g->dir, file, buf, sizeof(buf))
		    : fd < 0 ? fd : read_open_line(fd, buf, sizeof(buf));

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

/* The tasks of buf (cgroup.procs text) appended to pids. */
static void add_pids(const char *buf, pid_t *pids, size_t max, size_t *n)
{
	char *end;

	for (const char *p = buf; *n < max; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		pids[(*n)++] = (pid_t)v;
	}
}

/* The tasks of each group below dir, depth first (dir's own are read by the caller). */
static void pids_below(const char *dir, pid_t *pids, size_t max, size_t *n, char *buf,
		       size_t len, int depth)
{
	struct dirent *de;
	DIR *d;

	if (depth >= 8 || !(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL && *n < max) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= sizeof(sub))
			continue;
		if (cg_read_file(sub, "cgroup.procs", buf, len) >= 0)
			add_pids(buf, pids, max, n);
		pids_below(sub, pids, max, n, buf, len, depth + 1);
	}
	closedir(d);
}

/* The tasks of dir and the groups below it. cgroup.procs is opened afresh each time, never
 * kept: v1 serves it from a pid list built at the first read after open and reused while
 * reads keep coming (kernel/cgroup/cgroup-v1.c, cgroup_pidlist_start: destroyed only 1 s
 * after the last), so a descriptor read every sample would never see a new process. */
int cg_pids(const struct cg_group *g, pid_t *pids, size_t max)
{
	size_t n = 0, len = max * 12 + 1; /* a pid and its newline: at most 11 bytes */
	char *buf = malloc(len);
	struct stat st;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	r = cg_read_file(g->dir, "cgroup.procs", buf, len);
	if (r >= 0)
		add_pids(buf, pids, max, &n);
	/* cgroupfs counts a directory's subdirectories in its link count (2 + groups below):
	 * the directory is listed only when there are some (a target that makes groups of its
	 * own, as a container runtime does). */
	if (r >= 0 && n < max && stat(g->dir, &st) == 0 && st.st_nlink > 2)
		pids_below(g->dir, pids, max, &n, buf, len, 0);
	free(buf);
	return r < 0 ? (int)r : (int)n;
}

int cg_rmdir_below(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) != NULL) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= sizeof(sub))
			continue;
		if (cg_rmdir_below(sub) < 0 || (rmdir(sub) < 0 && errno != ENOENT))
			ret = errno ? -errno : -EBUSY;
	}
	closedir(d);
	return ret;
}

void cg_group_close(struct cg_group *g)
{
	for (int i = 0; g->keep_open && i < CG_OPEN_FILES; i++) {
		if (g->open[i].fd >= 0)
			close(g->open[i].fd);
		g->open[i].fd = -1;
		g->open[i].name = NULL;
	}
	if (g->oom_fd >= 0)
		close(g->oom_fd);
	if (g->ctl_fd >= 0)
		close(g->ctl_fd);
	g->oom_fd = -1;
	g->ctl_fd = -1;
}

void cg_strip_slashes(char *p)
{
	size_t len = strlen(p);
	size_t start = strspn(p, "/");

	while (len > start && p[len - 1] == '/')
		p[--len] = '\0';
	memmove(p, p + start, len - start + 1);
}

uint64_t cg_lazy_estimate(const struct cg_counters *c)
{
	uint64_t cache = c->file > c->shmem ? c->file - c->shmem : 0;

	return c->lru_file > cache ? c->lru_file - cache : 0;
}

uint64_t cg_lazy_carry(uint64_t walked, uint64_t est_then, uint64_t est_now, uint64_t ceiling)
{
	uint64_t v;

	if (est_now >= est_then)
		v = walked + (est_now - est_then);
	else
		v = walked > est_then - est_now ? walked - (est_then - est_now) : 0;
	return v < ceiling ? v : ceiling;
}
