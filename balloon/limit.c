/* Joining a cgroup and finding the memory limit that applies to the balloon. Joining writes our
 * pid to cgroup.procs directly: libcgroup is not needed to move one's own process, and the
 * balloon stays free of that dependency (only the runner, which creates groups, uses it). */
#include "limit.h"
#include "msg.h"
#include "cglayout.h"
#include "fileio.h"
#include "proc_cgroup.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_cgroup_dir(const char *dir)
{
	char procs[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir) >= sizeof(procs))
		return false;
	return stat(procs, &st) == 0;
}

int limit_join(const char *path, char *why, size_t whylen)
{
	char dir[PATH_MAX], procs[PATH_MAX], pid[32];
	int fd = -1, ret = -EINVAL, n;

	if (path[0] == '/' && is_cgroup_dir(path))
		n = snprintf(dir, sizeof(dir), "%s", path);
	else
		n = snprintf(dir, sizeof(dir), "%s/%s", (cg_layout_detect() == CG_LAYOUT_UNIFIED) ? CG_V2_ROOT : CG_V1_ROOT,
			     path + (path[0] == '/'));
	if (n < 0 || (size_t)n >= sizeof(dir) ||
	    (size_t)snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir) >= sizeof(procs)) {
		errf(why, whylen, "cannot join cgroup %s: path too long", path);
		return -ENAMETOOLONG;
	}
	errno = 0;
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		errf(why, whylen, "cannot join cgroup %s: open %s: %s", path, procs, strerror(-ret));
		goto cleanup;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write(fd, pid, (size_t)n) != n) {
		/* cgroupfs takes the write whole or fails it: a short count is no errno case. */
		ret = errno ? -errno : -EIO;
		errf(why, whylen, "cannot join cgroup %s: write %s: %s", path, procs, strerror(-ret));
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	return ret;
}

int limit_parse_value(const char *text, bool v2, bool *limited, uint64_t *bytes)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*text))
		text++;
	if (v2 && strncmp(text, "max", 3) == 0 && (text[3] == '\0' || isspace((unsigned char)text[3]))) {
		*limited = false;
		*bytes = UINT64_MAX;
		return 0;
	}
	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || (*end && !isspace((unsigned char)*end)))
		return -EINVAL;
	*bytes = v;
	*limited = v2 ? true : v < LIMIT_V1_UNLIMITED;
	return 0;
}

/* "/a/b" -> "/a", "/a" -> "/". Returns false at the root. */
static bool parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || strcmp(path, "/") == 0)
		return false;
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
	return true;
}

/* Reads the limit of one cgroup into li if it is the smallest so far. A missing file at the
 * root is no error: the cgroup2 root has no memory.max. */
static int check_one(struct limit_info *li, const char *cg, char *why, size_t whylen)
{
	char file[PATH_MAX], buf[64];
	bool limited;
	uint64_t bytes;
	ssize_t r;
	int n;

	n = snprintf(file, sizeof(file), "%s%s/%s", li->v2 ? CG_V2_ROOT : CG_V1_ROOT,
		     strcmp(cg, "/") == 0 ? "" : cg, li->v2 ? "memory.max" : "memory.limit_in_bytes");
	if (n < 0 || (size_t)n >= sizeof(file)) {
		errf(why, whylen, "cgroup path too long: %.64s...", cg);
		return -ENAMETOOLONG;
	}
	r = read_small_file(file, buf, sizeof(buf));
	if (r == -ENOENT && strcmp(cg, "/") == 0)
		return 0;
	if (r < 0) {
		errf(why, whylen, "read %s: %s", file, strerror((int)-r));
		return (int)r;
	}
	if (limit_parse_value(buf, li->v2, &limited, &bytes) < 0) {
		errf(why, whylen, "%s: unexpected content \"%.20s\"", file, buf);
		return -EINVAL;
	}
	if (limited && (!li->limited || bytes < li->limit)) {
		li->limited = true;
		li->limit = bytes;
		snprintf(li->limited_at, sizeof(li->limited_at), "%s", cg);
	}
	return 0;
}

int limit_find(struct limit_info *li, char *why, size_t whylen)
{
	char buf[16384], cg[sizeof(li->cgroup)];
	ssize_t r;
	int err;

	memset(li, 0, sizeof(*li));
	li->v2 = (cg_layout_detect() == CG_LAYOUT_UNIFIED);
	r = read_small_file("/proc/self/cgroup", buf, sizeof(buf));
	if (r < 0) {
		errf(why, whylen, "read /proc/self/cgroup: %s", strerror((int)-r));
		return (int)r;
	}
	if (proc_cgroup_path(buf, li->v2, li->cgroup, sizeof(li->cgroup)) < 0) {
		errf(why, whylen, "/proc/self/cgroup: no %s line: is the memory controller mounted "
		     "at %s?", li->v2 ? "cgroup2 (0::)" : "memory controller",
		     li->v2 ? CG_V2_ROOT : CG_V1_ROOT);
		return -ENOENT;
	}
	/* Limits are hierarchical (v1 has forced use_hierarchy since Linux 5.16): any ancestor's
	 * limit bounds us too, so walk up to the root and keep the smallest. */
	memcpy(cg, li->cgroup, sizeof(cg));
	do {
		err = check_one(li, cg, why, whylen);
		if (err < 0)
			return err;
	} while (parent(cg));
	return 0;
}
