/* /proc readers for the monitor. smaps_rollup walks the page tables once per read, so the
 * monitor reads it only for the target's processes, on a time budget; statm is O(1); the
 * thread census reads two small files per thread, only while the group is under OOM. */
#include "proc.h"
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int proc_mem_add(pid_t pid, struct proc_mem *m)
{
	char path[64], line[256];
	unsigned long long kb;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Rss: %llu kB", &kb) == 1)
			m->rss += kb * 1024;
		else if (sscanf(line, "Anonymous: %llu kB", &kb) == 1)
			m->anon += kb * 1024;
		else if (sscanf(line, "LazyFree: %llu kB", &kb) == 1)
			m->lazyfree += kb * 1024;
	}
	fclose(f);
	return 0;
}

/* statm's first three numbers (pages: size, resident, shared) into m. */
static int statm_parse(const char *buf, struct proc_mem *m)
{
	unsigned long long size, resident, shared;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (sscanf(buf, "%llu %llu %llu", &size, &resident, &shared) != 3)
		return -EINVAL;
	m->rss += resident * page;
	/* shared = file-backed + shmem pages: the rest of resident is anonymous */
	m->anon += (resident > shared ? resident - shared : 0) * page;
	return 0;
}

static int statm_open(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int proc_statm_add(pid_t pid, struct proc_mem *m)
{
	char buf[256];
	int fd = statm_open(pid);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read_open_line(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? (int)n : statm_parse(buf, m);
}

int proc_statm_add_kept(struct statm_kept *k, pid_t pid, struct proc_mem *m)
{
	struct statm_slot *e = NULL;
	char buf[256];
	ssize_t n;

	for (int i = 0; i < STATM_KEPT && !e; i++)
		if (k->e[i].pid == pid)
			e = &k->e[i];
	for (int i = 0; i < STATM_KEPT && !e; i++)
		if (k->e[i].pid == 0)
			e = &k->e[i];
	if (!e) /* more processes than slots: read as anyone would */
		return proc_statm_add(pid, m);
	e->gen = k->gen;
	if (e->pid == pid) {
		n = read_open_line(e->fd, buf, sizeof(buf));
		if (n >= 0)
			return statm_parse(buf, m);
		/* the process that had this pid is gone: the pid may be another's now */
		close(e->fd);
		e->pid = 0;
	}
	if ((e->fd = statm_open(pid)) < 0)
		return -errno;
	e->pid = pid;
	n = read_open_line(e->fd, buf, sizeof(buf));
	return n < 0 ? (int)n : statm_parse(buf, m);
}

void statm_kept_sweep(struct statm_kept *k, bool all)
{
	for (int i = 0; i < STATM_KEPT; i++)
		if (k->e[i].pid && (all || k->e[i].gen != k->gen)) {
			close(k->e[i].fd);
			k->e[i].pid = 0;
		}
	k->gen++;
}

/* State letter of one thread from /proc/PID/task/TID/stat (after the ")" of comm). */
static int thread_state(pid_t pid, const char *tid, char *state)
{
	char path[320], buf[512], *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid, tid);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -EINVAL;
	*state = p[2];
	return 0;
}

/* Where a sleeping thread sleeps: its wchan, or where wchan reads "0" (kernels that hide
 * it), the first frame of its kernel stack (root only). "" when neither tells. */
static void thread_place(pid_t pid, const char *tid, char *fn, size_t len)
{
	char path[320], buf[4096], *p;

	fn[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", (int)pid, tid);
	if (read_small_file(path, buf, sizeof(buf)) > 0 && strcmp(buf, "0") != 0) {
		snprintf(fn, len, "%.*s", (int)strcspn(buf, "\n"), buf);
		return;
	}
	/* "[<0>] mem_cgroup_oom_synchronize+0x1b2/0x340" */
	snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", (int)pid, tid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(p = strchr(buf, ']')))
		return;
	p += 1 + strspn(p + 1, " ");
	snprintf(fn, len, "%.*s", (int)strcspn(p, "+\n "), p);
}

void census_thread(struct census *c, char state, const char *fn)
{
	c->threads++;
	if (state == 'R') {
		c->running++;
		return;
	}
	if (state == 'D' && strcmp(fn, MEMCG_OOM_WAIT) == 0) {
		c->in_oom_wait++;
		return;
	}
	if (state == 'S')
		c->asleep++;
	else if (state == 'D')
		c->blocked++;
	else {
		c->other++;
		return;
	}
	for (unsigned i = 0; i < c->nwhere; i++)
		if (c->where[i].state == state && strcmp(c->where[i].fn, fn) == 0) {
			c->where[i].n++;
			return;
		}
	if (c->nwhere < CENSUS_PLACES) {
		snprintf(c->where[c->nwhere].fn, sizeof(c->where[0].fn), "%s", *fn ? fn : "?");
		c->where[c->nwhere].state = state;
		c->where[c->nwhere++].n = 1;
	}
}

/* utime + stime of a process (fields 14 and 15 of /proc/PID/stat), in ns. */
static uint64_t proc_cpu_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return 0;
	/* after ") ": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
	 * cmajflt utime(14) stime(15) */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
}

int proc_census_add(pid_t pid, struct census *c)
{
	char path[64], state = '?', fn[40];
	struct dirent *de;
	DIR *d;
	unsigned seen = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (thread_state(pid, de->d_name, &state) < 0)
			continue; /* the thread exited meanwhile */
		fn[0] = '\0';
		if (state == 'S' || state == 'D')
			thread_place(pid, de->d_name, fn, sizeof(fn));
		census_thread(c, state, fn);
		seen++;
	}
	closedir(d);
	if (!seen)
		return -ENOENT;
	c->procs++;
	c->cpu_ns += proc_cpu_ns(pid);
	return 0;
}

void census_text(const struct census *c, bool livelock, char *buf, size_t len)
{
	size_t w = 0;

#define PUT(...) (w += (size_t)snprintf(buf + w, w < len ? len - w : 0, __VA_ARGS__))
	buf[0] = '\0';
	if (livelock) {
		PUT("%u of %u thread%s running", c->running, c->threads, c->threads == 1 ? "" : "s");
		if (c->in_oom_wait)
			PUT(", %u in the OOM wait", c->in_oom_wait);
	} else {
		PUT("%u of %u thread%s in the OOM wait", c->in_oom_wait, c->threads,
		    c->threads == 1 ? "" : "s");
		if (c->running)
			PUT(", %u running", c->running);
	}
	for (int pass = 0; pass < 2; pass++) {
		char st = pass ? 'D' : 'S';
		unsigned n = pass ? c->blocked : c->asleep, k = 0;

		if (!n)
			continue;
		PUT(", %u %s (", n, pass ? "blocked" : "asleep");
		for (unsigned i = 0; i < c->nwhere; i++) {
			if (c->where[i].state != st)
				continue;
			PUT("%s%s", k++ ? ", " : "", c->where[i].fn);
			if (c->where[i].n > 1)
				PUT(" x%u", c->where[i].n);
		}
		PUT(")");
	}
	if (c->other)
		PUT(", %u other (stopped or exiting)", c->other);
	if (c->procs > 1)
		PUT(", in %u processes", c->procs);
#undef PUT
	if (w >= len && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

/* pglazyfree (handed over with MADV_FREE) and pglazyfreed, in bytes */
static int vmstat_lazy(uint64_t *lazyfree, uint64_t *lazyfreed)
{
	char buf[16384];
	const char *a, *b;
	/* opened each time: a file kept open for the process's life would look like a leak to
	 * the runner's own fd count (and saves 5 us of 25) */
	ssize_t n = read_small_file("/proc/vmstat", buf, sizeof(buf));

	if (n <= 0)
		return n < 0 ? (int)n : -ENOENT;
	a = strstr(buf, "\npglazyfree ");
	b = strstr(buf, "\npglazyfreed ");
	if (!a || !b)
		return -ENOENT;
	*lazyfree = strtoull(a + 12, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
	*lazyfreed = strtoull(b + 13, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
	return 0;
}

int vmstat_lazyfreed(uint64_t *bytes)
{
	uint64_t freed_by_advice;

	return vmstat_lazy(&freed_by_advice, bytes);
}

int memcg_from_cgroup_file(const char *text, char *path, size_t len)
{
	const char *line = text, *unified = NULL;

	/* "4:memory:/a/b" (v1, the controllers may be a list: "4:cpu,memory:/a") or "0::/a/b" */
	while (line && *line) {
		const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *eol = strchr(line, '\n');

		if (c2 && (!eol || c2 < eol)) {
			size_t cl = (size_t)(c2 - c1 - 1);
			bool memory = false;

			for (const char *p = c1 + 1; p < c2;) {
				size_t n = strcspn(p, ",:");

				if (n == 6 && strncmp(p, "memory", 6) == 0)
					memory = true;
				p += n + (p[n] == ',');
			}
			if (memory || (cl == 0 && !unified)) {
				const char *v = c2 + 1;
				size_t n = eol ? (size_t)(eol - v) : strlen(v);

				if (memory) {
					snprintf(path, len, "%.*s", (int)n, v);
					return 0;
				}
				unified = v;
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	if (!unified)
		return -ENOENT;
	snprintf(path, len, "%.*s", (int)strcspn(unified, "\n"), unified);
	return 0;
}

int proc_memcg(pid_t pid, char *path, size_t len)
{
	char file[64], buf[4096];
	ssize_t n;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	n = read_small_file(file, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return memcg_from_cgroup_file(buf, path, len);
}
