/* The kind of memory the balloon fills (--kind): where its pages come from and how they are
 * written, released and read back. anon and mlock map private anonymous memory (mlock locks
 * it as it is faulted in); memfd maps a memfd_create file shared; file and shmem write an
 * unnamed file (O_TMPFILE) in a directory with pwrite and never map it, so the page cache or
 * the shmem they fill is charged to the balloon's cgroup but held by no process's RSS. */
#ifndef KIND_H
#define KIND_H

#include "balloon_conf.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct verify_counts;

struct backing {
	int kind;              /* enum balloon_kind */
	int fd;                /* the file (file, shmem, memfd); -1 for anon, mlock, or closed */
	char where[PATH_MAX];  /* for messages: "memfd", "an unnamed file in /var/tmp" */
	char *buf;             /* written kinds: one slice of page contents, then pwrite */
	size_t buflen;
};

/* The name of a kind: "anon", "file", ... */
const char *kind_name(int kind);

/* Sets b up for c->kind and a balloon of size bytes: for file and shmem checks the directory
 * (a disk file system for file, a tmpfs for shmem) and its free space, then opens an unnamed
 * file there; for memfd creates and sizes the memfd; for mlock checks that this process may
 * lock size bytes (CAP_IPC_LOCK or RLIMIT_MEMLOCK). Returns 0; -EPERM, -ENOSPC, -ENOTDIR,
 * -EINVAL when the environment refuses (the caller's "refused"); other -errno on failure;
 * the reason in why. b->fd is -1 before anything, so kind_close() is always safe. */
int kind_open(struct backing *b, const struct balloon_conf *c, uint64_t size, char *why,
	      size_t whylen);

/* Closes the file (its unnamed pages are freed with it) and the buffer. Idempotent. */
void kind_close(struct backing *b);

/* Mapped kinds: maps len bytes for the pages from byte off of the balloon (anon, mlock:
 * anonymous; memfd: the file at off) into *addr. mlock locks the range on fault
 * (MLOCK_ONFAULT), so pages become unevictable as they are touched. Returns 0 or -errno,
 * the reason in why. */
int kind_map(struct backing *b, uint64_t off, size_t len, void **addr, char *why,
	     size_t whylen);

/* Written kinds: writes npages pages from balloon page first (--touch how, seed) with pwrite,
 * in one slice of at most the buffer's size; for kind file hands them to writeback at once
 * (sync_file_range), so the cache is clean and reclaimable. Returns the pages written (at
 * least 1) or -errno (ENOSPC: the file system filled up), the reason in why. */
int64_t kind_write(struct backing *b, uint64_t first, uint64_t npages, size_t page, int how,
		   uint64_t seed, char *why, size_t whylen);

/* Written kinds: the release step on the first `bytes` of the file. munmap closes the file
 * (freed), dontneed punches a hole (freed, the file keeps its size), keep does nothing.
 * Returns 0 or -errno, the reason in why. */
int kind_release_written(struct backing *b, int how, uint64_t bytes, char *why,
			 size_t whylen);

/* Written kinds: reads back the first word of each of the first npages pages (pread; a hole
 * reads zero) and counts them as release_verify does. A closed file counts nothing. */
void kind_verify_written(const struct backing *b, uint64_t npages, size_t page,
			 struct verify_counts *vc);

/* From /proc/self/status CapEff text: whether CAP_IPC_LOCK (bit 14) is in it. Pure, for the
 * tests. */
bool kind_capeff_has_ipc_lock(const char *status_text);

#endif
