/* The balloon's kinds of memory (contract in kind.h). Every file is unnamed (O_TMPFILE, or a
 * memfd), so its pages go when the balloon does, whatever signal ends it: a named file in
 * /dev/shm would outlive a SIGKILL and stay charged to a group the runner then cannot
 * remove. */
#include "kind.h"
#include "msg.h"
#include "stop.h"
#include "clock.h"
#include "touch.h"
#include "fileio.h"
#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RAMFS_MAGIC
#define RAMFS_MAGIC 0x858458f6
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 0x01
#endif

#define CAP_IPC_LOCK_BIT 14
/* pwrite from a buffer this big: a slice, as the mapped kinds touch between two looks at
 * the clock and the stop flag */
#define WRITE_BUF_BYTES MiB

const char *kind_name(int kind)
{
	static const char *const names[] = {
		[KIND_ANON] = "anon", [KIND_FILE] = "file", [KIND_SHMEM] = "shmem",
		[KIND_MEMFD] = "memfd", [KIND_MLOCK] = "mlock",
	};

	return kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

bool kind_capeff_has_ipc_lock(const char *status_text)
{
	const char *p = strstr(status_text, "\nCapEff:");
	unsigned long long caps;

	if (!p || sscanf(p + 8, "%llx", &caps) != 1)
		return false;
	return (caps >> CAP_IPC_LOCK_BIT) & 1;
}

/* mlock needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK that covers the whole balloon. */
static int check_memlock(uint64_t size, char *why, size_t whylen)
{
	char status[4096], a[32], b[32];
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 &&
	    (rl.rlim_cur == RLIM_INFINITY || (uint64_t)rl.rlim_cur >= size))
		return 0;
	if (read_small_file("/proc/self/status", status, sizeof(status)) > 0 &&
	    kind_capeff_has_ipc_lock(status))
		return 0;
	errf(why, whylen, "--kind mlock: RLIMIT_MEMLOCK is %s (ulimit -l) and the balloon lacks "
	     "CAP_IPC_LOCK: it may not lock %s (run it as root, or raise the limit)",
	     fmt_size((uint64_t)rl.rlim_cur, a, sizeof(a)), fmt_size(size, b, sizeof(b)));
	return -EPERM;
}

/* The directory must be the right kind of file system with room for the whole balloon: a
 * full file system fails the writes (ENOSPC) instead of charging memory. */
static int check_dir(const char *dir, int kind, uint64_t size, char *why, size_t whylen)
{
	bool tmpfs;
	struct statfs st;
	uint64_t avail;
	char a[32], b[32];

	if (statfs(dir, &st) < 0) {
		int err = errno;

		errf(why, whylen, "--dir %s: %s", dir, strerror(err));
		return -err;
	}
	tmpfs = (unsigned long)st.f_type == TMPFS_MAGIC || (unsigned long)st.f_type == RAMFS_MAGIC;
	if (kind == KIND_FILE && tmpfs) {
		errf(why, whylen, "--kind file: %s is a tmpfs, whose pages are shmem, not page "
		     "cache (use --kind shmem, or --dir on a disk file system)", dir);
		return -EINVAL;
	}
	if (kind == KIND_SHMEM && !tmpfs) {
		errf(why, whylen, "--kind shmem: %s is not a tmpfs (its pages would be page cache: "
		     "use --kind file, or --dir on a tmpfs such as /dev/shm)", dir);
		return -EINVAL;
	}
	avail = (uint64_t)st.f_bavail * (uint64_t)st.f_bsize;
	if (avail < size) {
		errf(why, whylen, "--kind %s: %s has %s free, --size %s does not fit", kind_name(kind),
		     dir, fmt_size(avail, a, sizeof(a)), fmt_size(size, b, sizeof(b)));
		return -ENOSPC;
	}
	return 0;
}

/* An unnamed file in dir: O_TMPFILE, or where the file system lacks it a named one unlinked
 * at once. */
static int open_unnamed(const char *dir, char *why, size_t whylen)
{
	char path[PATH_MAX];
	int fd, err;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err != EOPNOTSUPP && err != EISDIR && err != EINVAL) {
		errf(why, whylen, "open(%s, O_TMPFILE): %s", dir, strerror(err));
		return -err;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/.balloon-XXXXXX", dir) >= sizeof(path)) {
		errf(why, whylen, "--dir %.64s...: path too long", dir);
		return -ENAMETOOLONG;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		errf(why, whylen, "create a file in %s: %s", dir, strerror(err));
		return -err;
	}
	unlink(path);
	return fd;
}

int kind_open(struct backing *b, const struct balloon_conf *c, uint64_t size, char *why,
	      size_t whylen)
{
	const char *dir = balloon_kind_dir(c);
	int r, err;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	b->kind = c->kind;
	switch (c->kind) {
	case KIND_FILE:
	case KIND_SHMEM:
		r = check_dir(dir, c->kind, size, why, whylen);
		if (r < 0)
			return r;
		b->buflen = WRITE_BUF_BYTES;
		b->buf = calloc(1, b->buflen);
		if (!b->buf) {
			errf(why, whylen, "cannot allocate the write buffer: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
		r = open_unnamed(dir, why, whylen);
		if (r < 0)
			return r;
		b->fd = r;
		snprintf(b->where, sizeof(b->where), "an unnamed file in %s", dir);
		return 0;
	case KIND_MEMFD:
		b->fd = memfd_create("balloon", MFD_CLOEXEC);
		if (b->fd < 0 || ftruncate(b->fd, (off_t)size) < 0) {
			err = errno;
			errf(why, whylen, "memfd_create: %s", strerror(err));
			return -err;
		}
		snprintf(b->where, sizeof(b->where), "a memfd");
		return 0;
	case KIND_MLOCK:
		snprintf(b->where, sizeof(b->where), "locked anonymous memory");
		return check_memlock(size, why, whylen);
	default:
		snprintf(b->where, sizeof(b->where), "anonymous memory");
		return 0;
	}
}

void kind_close(struct backing *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	free(b->buf);
	b->buf = NULL;
}

int kind_map(struct backing *b, uint64_t off, size_t len, void **addr, char *why,
	     size_t whylen)
{
	char a[32], l[32];
	struct rlimit rl = { 0, 0 };
	void *p;
	int err;

	if (b->kind == KIND_MEMFD)
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, (off_t)off);
	else
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		err = errno;
		errf(why, whylen, "mmap %s of %s at %s: %s", fmt_size(len, a, sizeof(a)), b->where,
		     fmt_size(off, l, sizeof(l)), strerror(err));
		return -err;
	}
	/* Locked as the pages are faulted in, not all at once: the pacing still decides when
	 * memory is taken, and each page is unevictable from its first touch. */
	if (b->kind == KIND_MLOCK && mlock2(p, len, MLOCK_ONFAULT) < 0) {
		err = errno;
		getrlimit(RLIMIT_MEMLOCK, &rl);
		errf(why, whylen, "mlock2(MLOCK_ONFAULT) %s at %s locked: %s (RLIMIT_MEMLOCK %s)",
		     fmt_size(len, a, sizeof(a)), fmt_size(off, l, sizeof(l)), strerror(err),
		     rl.rlim_cur == RLIM_INFINITY ? "unlimited" : fmt_size((uint64_t)rl.rlim_cur,
									 a, sizeof(a)));
		munmap(p, len);
		return -err;
	}
	*addr = p;
	return 0;
}

int64_t kind_write(struct backing *b, uint64_t first, uint64_t npages, size_t page, int how,
		   uint64_t seed, char *why, size_t whylen)
{
	static bool told;
	uint64_t n = npages < b->buflen / page ? npages : b->buflen / page;
	size_t len, done = 0;
	off_t off = (off_t)(first * page);
	char a[32], o[32];

	if (n == 0)
		n = 1;
	len = (size_t)(n * page);
	touch_pages(b->buf, first, n, page, how, seed);
	while (done < len) {
		ssize_t w = pwrite(b->fd, b->buf + done, len - done, off + (off_t)done);

		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR && !stop_requested())
			continue;
		if (w < 0 && errno == EINTR)
			break;
		if (w < 0 && errno == ENOMEM) {
			/* The group is full and the OOM killer freed nothing for this write (v1 with
			 * oom_kill_disable answers a system call so): try again a tick later, as the
			 * pacing counts time the kernel could not take. */
			if (!told)
				warnmsg("pwrite at %s of %s: %s: the cgroup is full, retrying",
					 fmt_size((uint64_t)off, a, sizeof(a)), b->where,
					 strerror(ENOMEM));
			told = true;
			stop_sleep_until(now_ns() + 20 * NSEC_PER_MSEC);
			break;
		}
		errf(why, whylen, "pwrite %s at %s of %s: %s", fmt_size(len, a, sizeof(a)),
		     fmt_size((uint64_t)off, o, sizeof(o)), b->where,
		     w < 0 ? strerror(errno) : "wrote nothing");
		return w < 0 ? -errno : -EIO;
	}
	n = done / page;
	/* Dirty pages the kernel may not reclaim before they are written back, and memcg reclaim
	 * does not write them itself: start their writeback now, as a steady writer's flusher
	 * would, so the cache is clean and reclaimable. */
	if (b->kind == KIND_FILE && n)
		sync_file_range(b->fd, off, (off_t)(n * page), SYNC_FILE_RANGE_WRITE);
	return (int64_t)n;
}

int kind_release_written(struct backing *b, int how, uint64_t bytes, char *why,
			 size_t whylen)
{
	int err;

	if (how == REL_MUNMAP) {
		kind_close(b);
		return 0;
	}
	if (how != REL_DONTNEED || bytes == 0 || b->fd < 0)
		return 0;
	if (fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)bytes) == 0)
		return 0;
	err = errno;
	errf(why, whylen, "fallocate(PUNCH_HOLE) on %s: %s", b->where, strerror(err));
	return err == EOPNOTSUPP ? -EOPNOTSUPP : -err;
}

void kind_verify_written(const struct backing *b, uint64_t npages, size_t page,
			 struct verify_counts *vc)
{
	memset(vc, 0, sizeof(*vc));
	for (uint64_t i = 0; b->fd >= 0 && i < npages; i++) {
		uint64_t word = 0;

		if (pread(b->fd, &word, sizeof(word), (off_t)(i * page)) != (ssize_t)sizeof(word))
			word = 0; /* past the end: nothing there */
		verify_count(vc, touch_classify(&word, i));
	}
}
