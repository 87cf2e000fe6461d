/* /dev/kmsg: the OOM killer's "oom-kill:" records (see kmsg.h). */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The value of "key=" in a comma-separated list, up to the next ','. */
static bool field(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == text || p[-1] == ',' || p[-1] == ':') && p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, ",\n");

			if (n >= len)
				n = len - 1;
			memcpy(out, p + klen + 1, n);
			out[n] = '\0';
			return true;
		}
		p += klen;
	}
	return false;
}

/* "Memory cgroup out of memory: Killed process 18272 (gohog) total-vm:..." (or "Out of
 * memory: ..." for the machine's own OOM): the pid and name, no group. */
static bool parse_killed(const char *msg, unsigned long long ts, struct kmsg_kill *k)
{
	const char *p = strstr(msg, ": Killed process ");
	const char *name, *end;
	int pid, used = 0;

	if (!p || sscanf(p, ": Killed process %d (%n", &pid, &used) != 1 || !used || pid <= 0)
		return false;
	name = p + used;
	/* a name may hold ") " itself: the kernel's own text after it is the anchor */
	end = strstr(name, ") total-vm:");
	if (!end)
		end = strrchr(name, ')');
	if (!end)
		return false;
	memset(k, 0, sizeof(*k));
	k->t_us = ts;
	k->pid = pid;
	snprintf(k->task, sizeof(k->task), "%.*s", (int)(end - name), name);
	return true;
}

bool kmsg_parse_oom_kill(const char *record, size_t len, struct kmsg_kill *k)
{
	char text[2048], num[32];
	const char *semi, *msg;
	unsigned long long ts;

	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	memcpy(text, record, len);
	text[len] = '\0';
	semi = strchr(text, ';');
	/* "PRI,SEQ,TS_USEC,FLAGS;" */
	if (!semi || sscanf(text, "%*u,%*u,%llu", &ts) != 1)
		return false;
	msg = semi + 1;
	if (strncmp(msg, "oom-kill:", 9) != 0)
		return parse_killed(msg, ts, k);
	memset(k, 0, sizeof(*k));
	k->t_us = ts;
	if (!field(msg, "oom_memcg", k->oom_memcg, sizeof(k->oom_memcg)) ||
	    !field(msg, "task_memcg", k->task_memcg, sizeof(k->task_memcg)) ||
	    !field(msg, "task", k->task, sizeof(k->task)) || !field(msg, "pid", num, sizeof(num)))
		return false;
	k->pid = atoi(num);
	return true;
}

bool kmsg_in_group(const char *path, const char *group)
{
	size_t n = strlen(group);

	while (n && group[n - 1] == '/')
		n--;
	return strncmp(path, group, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int kmsg_drain(int fd, void (*on_kill)(const struct kmsg_kill *k, void *ctx), void *ctx)
{
	char rec[8192];
	struct kmsg_kill k;
	int n = 0;

	for (;;) {
		ssize_t len = read(fd, rec, sizeof(rec));

		if (len < 0 && errno == EPIPE)
			continue; /* records were overwritten before we read them: go on */
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return errno == EAGAIN ? n : -errno;
		if (len == 0)
			return n;
		n++;
		if (kmsg_parse_oom_kill(rec, (size_t)len, &k))
			on_kill(&k, ctx);
	}
}
