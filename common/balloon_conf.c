/* The balloon's option table: the one place its options are named, typed, bounded, defaulted
 * and explained. The balloon parses its command line with it, the runner accepts the rows
 * without BOPT_CLI_ONLY as [balloon] keys (release_after = --release-after), and --help and
 * the key reference (docs/keys.md) print its help texts. */
#include "balloon_conf.h"
#include "msg.h"

#include <errno.h>
#include "units.h"

#include <limits.h>
#include <stddef.h>

#define F(field) offsetof(struct balloon_conf, field)

const struct opt balloon_opts[] = {
	{ .key = "size", .type = OPT_SIZE_SPEC, .min = 4 * KiB, .offset = F(size_spec),
	  .flags = OPTF_REQUIRED,
	  .help = "Memory to inflate to, rounded down to whole pages: a size (binary units: "
		  "512M, 2G, or Kubernetes' 512Mi, 1Gi; a bare number is bytes), a share of the "
		  "memory limit of the balloon's cgroup (90%), or the limit less what must stay "
		  "free (limit-64M). The limit is the smallest memory.limit_in_bytes (v1) or "
		  "memory.max (v2) of its cgroup and their ancestors; a share where none applies "
		  "is an error." },
	{ .key = "kind", .type = OPT_ENUM, .def = "anon", .choices = KIND_CHOICES,
	  .offset = F(kind),
	  .help = "What memory to fill: anon (private anonymous pages), file (page cache: a "
		  "file on disk written with write(2), its dirty pages handed to writeback at "
		  "once, so the kernel can reclaim them), shmem (a file in a tmpfs, /dev/shm by "
		  "default, written and not mapped: charged as shmem, not reclaimable without "
		  "swap, and held by no process's RSS), memfd (memfd_create, mapped: shmem in the "
		  "balloon's RSS), mlock (anonymous pages locked with mlock: unevictable; needs "
		  "CAP_IPC_LOCK or a large enough RLIMIT_MEMLOCK). Files have no name (O_TMPFILE): "
		  "nothing is left behind, even after SIGKILL.",
	  .arg = "KIND" },
	{ .key = "dir", .type = OPT_STRING, .def = "", .offset = F(dir),
	  .help = "With kind file or shmem: the directory of the balloon's unnamed file; "
		  "empty = /var/tmp (file; a disk file system, not tmpfs) or /dev/shm (shmem; a "
		  "tmpfs). The file system must have room for --size.",
	  .arg = "DIR" },
	{ .key = "rate", .type = OPT_RATE, .def = "0", .offset = F(rate),
	  .help = "Inflation speed: 100M/s, 512K/s, or a bare number in MiB/s; 0 = as fast as "
		  "the kernel allows. Bytes the kernel could not take in time are counted as "
		  "shortfall, never made up in a burst." },
	/* Command-line only for now, like the rows the runner sets itself: as a [balloon] key it
	 * would also be a scenario key, with its row in docs/keys.md. */
	{ .key = "ramp", .type = OPT_DURATION, .max = 86400 * NSEC_PER_SEC, .def = "0",
	  .offset = F(ramp), .flags = BOPT_CLI_ONLY,
	  .help = "Reach --rate gradually: the rate climbs linearly from 0 to --rate over this "
		  "time, then stays there (0 = at --rate from the start)." },
	{ .key = "chunk", .type = OPT_SIZE, .min = 4 * KiB, .max = GiB * KiB, .def = "64M",
	  .offset = F(chunk),
	  .help = "Size of each anonymous mapping the balloon grows by, rounded down to whole "
		  "pages." },
	{ .key = "release-after", .type = OPT_DURATION, .def = "0", .offset = F(release_after),
	  .help = "How long to stay fully inflated before the release step (2s, 500ms, 1m)." },
	{ .key = "release", .type = OPT_ENUM, .def = "keep", .choices = RELEASE_CHOICES,
	  .offset = F(release),
	  .help = "Release step: keep (nothing), munmap, dontneed (MADV_DONTNEED: gone at "
		  "once), free (MADV_FREE: the kernel may discard the pages under pressure), "
		  "pageout (MADV_PAGEOUT), cold (MADV_COLD).",
	  .arg = "HOW" },
	{ .key = "hold", .type = OPT_DURATION, .def = "0", .offset = F(hold), .flags = OPTF_FOREVER,
	  .help = "How long to stay alive after the release step, or forever (until "
		  "SIGTERM/SIGINT)." },
	{ .key = "touch", .type = OPT_ENUM, .def = "page", .choices = TOUCH_CHOICES, .offset = F(touch),
	  .help = "How pages are written: page (one word per page), fill (the whole page, "
		  "compressible), random (the whole page, incompressible pseudo-random data). "
		  "Every page starts with a marker word that --verify checks.",
	  .arg = "HOW" },
	{ .key = "thp", .type = OPT_ENUM, .def = "default", .choices = THP_CHOICES, .offset = F(thp),
	  .help = "Transparent huge pages for each chunk: default (leave the system policy), "
		  "off (MADV_NOHUGEPAGE), on (MADV_HUGEPAGE).",
	  .arg = "MODE" },
	{ .key = "tick-hz", .type = OPT_UINT, .min = 20, .max = 1000, .def = "50", .offset = F(tick_hz),
	  .help = "Pacing ticks per second; each tick grants rate/tick-hz bytes. Higher is "
		  "smoother, lower costs fewer wake-ups." },
	{ .key = "progress-interval", .type = OPT_DURATION, .min = 10 * NSEC_PER_MSEC, .def = "100ms",
	  .offset = F(progress_interval),
	  .help = "Time between \"tick\" progress lines while inflating." },
	{ .key = "progress-fd", .type = OPT_UINT, .max = INT_MAX, .def = "1", .offset = F(progress_fd),
	  .flags = BOPT_CLI_ONLY,
	  .help = "File descriptor the JSON progress lines are written to (1 = stdout).",
	  .arg = "FD" },
	{ .key = "cgroup", .type = OPT_STRING, .min = 1, .offset = F(cgroup), .flags = BOPT_CLI_ONLY,
	  .help = "Join this cgroup before mapping anything: a cgroupfs directory, or a path "
		  "below the memory hierarchy's root (v1: /sys/fs/cgroup/memory/PATH, v2: "
		  "/sys/fs/cgroup/PATH).",
	  .arg = "PATH" },
	{ .key = "unbounded", .type = OPT_BOOL, .def = "no", .offset = F(unbounded),
	  .flags = BOPT_CLI_ONLY,
	  .help = "Inflate even when no memory limit applies to the balloon's cgroup or its "
		  "ancestors (the whole machine is then the limit)." },
	{ .key = "verify", .type = OPT_BOOL, .def = "no", .offset = F(verify),
	  .help = "After the hold, read the first word of every touched page and report how "
		  "many the kernel discarded (zero_pages), still hold the marker "
		  "(pattern_pages) or hold anything else (other_pages). Reads only; not with "
		  "release munmap." },
	{ .key = "quiet", .type = OPT_BOOL, .def = "no", .offset = F(quiet), .flags = BOPT_CLI_ONLY,
	  .help = "No human-readable messages on stderr (errors are still printed).",
	  .shortopt = 'q' },
	{ .key = "help", .type = OPT_BOOL, .def = "no", .offset = F(help),
	  .flags = BOPT_CLI_ONLY | OPTF_STOP,
	  .help = "Print this help and exit.",
	  .shortopt = 'h' },
	{ .key = "version", .type = OPT_BOOL, .def = "no", .offset = F(version),
	  .flags = BOPT_CLI_ONLY | OPTF_STOP,
	  .help = "Print the version and exit." },
};

const size_t balloon_nopts = sizeof(balloon_opts) / sizeof(balloon_opts[0]);

const char *balloon_kind_dir(const struct balloon_conf *c)
{
	if (c->kind != KIND_FILE && c->kind != KIND_SHMEM)
		return NULL;
	if (c->dir && c->dir[0])
		return c->dir;
	return c->kind == KIND_FILE ? "/var/tmp" : "/dev/shm";
}

int balloon_resolve_size(const struct balloon_conf *c, bool limited, uint64_t limit,
			 uint64_t page, uint64_t *bytes, char *why, size_t whylen)
{
	char a[64], b[32];
	uint64_t v;

	if (c->size_spec.kind == SIZE_ABSOLUTE) {
		*bytes = c->size_spec.bytes / page * page;
		return 0;
	}
	fmt_size_spec(&c->size_spec, a, sizeof(a));
	if (!limited) {
		errf(why, whylen, "--size: %s, but no memory limit applies to the balloon's cgroup "
		     "or its ancestors: give a size (512M)", a);
		return -EINVAL;
	}
	v = size_spec_bytes(&c->size_spec, limit) / page * page;
	if (v < 4 * KiB || v < page) {
		errf(why, whylen, "--size: %s of a %s limit is less than a page", a,
		     fmt_size(limit, b, sizeof(b)));
		return -ERANGE;
	}
	*bytes = v;
	return 0;
}

int balloon_check_conf(const struct balloon_conf *c, char *why, size_t whylen)
{
	const char *key;

	return balloon_check_conf_key(c, &key, why, whylen);
}

/* Releases a kind cannot do: the advice needs a mapping (written kinds have none), or the
 * kernel refuses it there (MADV_FREE is for private anonymous memory only). */
static bool release_fits_kind(int release, int kind)
{
	if (kind_is_written(kind))
		return release == REL_KEEP || release == REL_MUNMAP || release == REL_DONTNEED;
	if (kind == KIND_MEMFD)
		return release != REL_FREE;
	return true;
}

int balloon_check_conf_key(const struct balloon_conf *c, const char **key, char *why,
			   size_t whylen)
{
	const char *kind = c->kind == KIND_FILE ? "file" : c->kind == KIND_SHMEM ? "shmem"
			   : c->kind == KIND_MEMFD ? "memfd" : c->kind == KIND_MLOCK ? "mlock"
			   : "anon";

	*key = "kind";
	if (c->dir && c->dir[0] && c->kind != KIND_FILE && c->kind != KIND_SHMEM) {
		*key = "dir";
		errf(why, whylen, "--dir is where the file of --kind file or shmem goes, but the "
		     "kind is %s (no file)", kind);
		return -EINVAL;
	}
	if (!release_fits_kind(c->release, c->kind)) {
		*key = "release";
		if (kind_is_written(c->kind))
			errf(why, whylen, "--release %s advises a mapping, but --kind %s writes a file "
			     "it never maps: use dontneed (punch a hole: the pages are freed at once), "
			     "munmap (close the file: freed) or keep",
			     c->release == REL_FREE ? "free" : c->release == REL_PAGEOUT ? "pageout"
			     : "cold", kind);
		else
			errf(why, whylen, "--release free: MADV_FREE is for private anonymous memory; "
			     "the kernel refuses it on a memfd's shared mapping (use dontneed, "
			     "munmap, pageout, cold or keep)");
		return -EINVAL;
	}
	if (c->thp != THP_DEFAULT && c->kind != KIND_ANON && c->kind != KIND_MLOCK) {
		*key = "thp";
		errf(why, whylen, "--thp advises anonymous memory (kind anon or mlock); kind %s is "
		     "%s", kind, c->kind == KIND_MEMFD ? "shmem, whose huge pages follow "
		     "/sys/kernel/mm/transparent_hugepage/shmem_enabled" : "written, never mapped");
		return -EINVAL;
	}
	if (c->verify && c->release == REL_MUNMAP) {
		*key = "verify";
		errf(why, whylen, "--verify reads the pages after the release, but --release munmap "
		     "leaves none to read (use free, dontneed, pageout, cold or keep)");
		return -EINVAL;
	}
	if (c->ramp > 0 && c->rate == 0) {
		*key = "ramp";
		errf(why, whylen, "--ramp climbs to --rate, but --rate is 0 (as fast as the kernel "
		     "allows): give a rate to climb to (--rate 1000 --ramp 5s)");
		return -EINVAL;
	}
	return 0;
}
