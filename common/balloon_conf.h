/* The balloon's options, declared once: the balloon program parses its command line with this
 * table, and the runner accepts the same rows as the keys of a scenario's [balloon] section and
 * passes them on as --key=value. */
#ifndef BALLOON_CONF_H
#define BALLOON_CONF_H

#include "opt.h"
#include "units.h"

#include <stdbool.h>
#include <stdint.h>

/* What to do with the memory once inflated (after release_after). */
enum release_how { REL_KEEP, REL_MUNMAP, REL_DONTNEED, REL_FREE, REL_PAGEOUT, REL_COLD };
#define RELEASE_CHOICES "keep|munmap|dontneed|free|pageout|cold"

/* How each page is written: one word per page, the whole page, or random (incompressible). */
enum touch_how { TOUCH_PAGE, TOUCH_FILL, TOUCH_RANDOM };
#define TOUCH_CHOICES "page|fill|random"

enum thp_mode { THP_DEFAULT, THP_OFF, THP_ON };
#define THP_CHOICES "default|off|on"

/* What kind of memory the balloon fills, each charged to its cgroup and reclaimed differently
 * (balloon/kind.c): private anonymous memory, page cache of a file on disk, shmem of a file in
 * a tmpfs (/dev/shm), a mapped memfd, anonymous memory locked with mlock (unevictable). */
enum balloon_kind { KIND_ANON, KIND_FILE, KIND_SHMEM, KIND_MEMFD, KIND_MLOCK };
#define KIND_CHOICES "anon|file|shmem|memfd|mlock"

/* Kinds written through a file descriptor (pwrite), never mapped: no madvise applies. */
static inline bool kind_is_written(int kind)
{
	return kind == KIND_FILE || kind == KIND_SHMEM;
}

struct balloon_conf {
	struct size_spec size_spec; /* --size as given: bytes, a share of the limit, limit-N */
	uint64_t size;          /* bytes to reach: --size when absolute, else 0 until the balloon
				   has read its limit (balloon_resolve_size) */
	int kind;               /* enum balloon_kind */
	char *dir;              /* the file's directory for kind file or shmem; "" = default */
	uint64_t rate;          /* bytes per second; 0 = as fast as the kernel allows */
	uint64_t ramp;          /* ns over which the rate climbs from 0 to rate; 0 = no ramp */
	uint64_t chunk;         /* bytes per mmap */
	uint64_t release_after; /* ns to stay inflated before the release step */
	int release;            /* enum release_how */
	uint64_t hold;          /* ns to stay alive after the release step; DURATION_FOREVER */
	int touch;              /* enum touch_how */
	int thp;                /* enum thp_mode */
	uint64_t tick_hz;       /* pacing ticks per second (>= 20) */
	uint64_t progress_interval; /* ns between "tick" progress lines */
	uint64_t progress_fd;   /* where progress lines go (1 = stdout) */
	char *cgroup;           /* join this cgroup before touching anything */
	bool unbounded;         /* allow running where no memory limit applies */
	bool verify;            /* after a free release and hold, count discarded pages */
	bool quiet;             /* no human messages on stderr (errors still) */
	bool help;
	bool version;
};

/* Rows that only make sense on the balloon's own command line (the runner sets these itself)
 * carry this flag; the runner does not accept them in [balloon]. */
#define BOPT_CLI_ONLY 0x100

/* Rules between options that no single row can state (e.g. --verify with --release munmap).
 * Returns 0 or -EINVAL with the reason; used by the balloon and by the scenario loader. */
int balloon_check_conf(const struct balloon_conf *c, char *why, size_t whylen);

/* As balloon_check_conf, naming in *key the option the rule refused ("verify", "dir", ...),
 * for the runner's "file:line: [balloon] key: reason". */
int balloon_check_conf_key(const struct balloon_conf *c, const char **key, char *why,
			   size_t whylen);

/* The size for a cgroup limit of `limit` bytes (limited = false: none applies): c->size when
 * --size was absolute, else the share or the limit less the headroom, rounded down to whole
 * pages. Returns 0 or -ERANGE / -EINVAL with the reason ("--size 90%: ... no memory limit
 * applies", "--size limit-300M leaves nothing of a 256 MiB limit"). Pure, for the tests. */
int balloon_resolve_size(const struct balloon_conf *c, bool limited, uint64_t limit,
			 uint64_t page, uint64_t *bytes, char *why, size_t whylen);

/* The directory a kind's file goes to when --dir is not given ("/var/tmp", "/dev/shm"), or
 * NULL for kinds without a file. */
const char *balloon_kind_dir(const struct balloon_conf *c);

extern const struct opt balloon_opts[];
extern const size_t balloon_nopts;

#endif
