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

ssize_t cg_gread(struct cg_group *g, const char *file, char *buf, size_t len)
{
	struct cg_open_file *f = NULL;
	char path[PATH_MAX * 2];

	if (!g->keep_open || len == 0)
		return cg_read_file(g->dir, file, buf, len);
	for (int i = 0; i < CG_OPEN_FILES && !f; i++)
		if (g->open[i].name && strcmp(g->open[i].name, file) == 0)
			f = &g->open[i];
	for (int i = 0; i < CG_OPEN_FILES && !f; i++)
		if (!g->open[i].name)
			f = &g->open[i];
	if (!f) /* more files than slots: read as anyone would */
		return cg_read_file(g->dir, file, buf, len);
	if (!f->name) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", g->dir, file) >= sizeof(path))
			return -ENAMETOOLONG;
		f->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0 && errno != ENOENT)
			return -errno;
		f->name = file;
		if (f->fd < 0) /* a file this kernel does not have stays absent */
			f->fd = -ENOENT;
	}
	if (f->fd < 0)
		return f->fd;
	return read_open_file(f->fd, buf, len);
}

int cg_gread_u64(struct cg_group *g, const char *file, uint64_t *v)
{
	char buf[64];
	ssize_t n = cg_gread(g, file, buf, sizeof(buf));

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

/* The tasks of dir's cgroup.procs, then of each child group's, depth first. */
static int pids_tree(const char *dir, pid_t *pids, size_t max, size_t *n, int depth)
{
	char path[PATH_MAX + 16];
	struct dirent *de;
	FILE *f;
	DIR *d;
	long v;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (*n < max && fscanf(f, "%ld", &v) == 1)
		pids[(*n)++] = (pid_t)v;
	fclose(f);
	if (depth >= 8 || !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)) != NULL && *n < max) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) < sizeof(sub))
			pids_tree(sub, pids, max, n, depth + 1);
	}
	closedir(d);
	return 0;
}

int cg_pids(const struct cg_group *g, pid_t *pids, size_t max)
{
	size_t n = 0;
	int r = pids_tree(g->dir, pids, max, &n, 0);

	return r < 0 ? r : (int)n;
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
