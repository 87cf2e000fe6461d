/* /proc readers for the monitor. smaps_rollup walks the page tables once per read, so the
 * monitor reads it only for the target's processes, on a time budget; statm is O(1). */
#include "proc.h"
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
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

int proc_statm_add(pid_t pid, struct proc_mem *m)
{
	char path[64], buf[256];
	unsigned long long size, resident, shared;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	n = read_small_file(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (sscanf(buf, "%llu %llu %llu", &size, &resident, &shared) != 3)
		return -EINVAL;
	m->rss += resident * page;
	/* shared = file-backed + shmem pages: the rest of resident is anonymous */
	m->anon += (resident > shared ? resident - shared : 0) * page;
	return 0;
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

/* True when the thread's wchan (or, where wchan is hidden, its kernel stack) names fn. */
static bool thread_sleeps_in(pid_t pid, const char *tid, const char *fn)
{
	char path[320], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", (int)pid, tid);
	if (read_small_file(path, buf, sizeof(buf)) > 0 && strcmp(buf, fn) == 0)
		return true;
	/* wchan reads "0" on kernels that hide it; the kernel stack (root only) still tells. */
	snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", (int)pid, tid);
	return read_small_file(path, buf, sizeof(buf)) > 0 && strstr(buf, fn);
}

enum proc_wait proc_wait_state(pid_t pid)
{
	char path[64], state;
	struct dirent *de;
	DIR *d;
	int seen = 0, oom = 0, other = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return PW_ERROR;
	while (!other && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (thread_state(pid, de->d_name, &state) < 0)
			continue; /* the thread exited meanwhile */
		seen++;
		if (state == 'D' && thread_sleeps_in(pid, de->d_name, MEMCG_OOM_WAIT))
			oom++;
		else if (state == 'S' && thread_sleeps_in(pid, de->d_name, "do_wait"))
			continue;
		else
			other++;
	}
	closedir(d);
	if (!seen)
		return PW_ERROR;
	return other ? PW_OTHER : oom ? PW_OOM_WAIT : PW_CHILD_WAIT;
}

int vmstat_lazyfreed(uint64_t *bytes)
{
	char line[128];
	unsigned long long pages;
	FILE *f = fopen("/proc/vmstat", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "pglazyfreed %llu", &pages) == 1) {
			*bytes = pages * (uint64_t)sysconf(_SC_PAGESIZE);
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}
