/* A scenario is data: everything a scenario file says, parsed and validated through the key
 * table (runner/keys.c) before anything is launched. Harness-wide settings (the files in configs/)
 * live in struct harness_config. */
#ifndef SCENARIO_H
#define SCENARIO_H

#include "balloon_conf.h"
#include "opt.h"
#include "units.h"

#include <stdbool.h>
#include <stdint.h>

enum ready_kind { READY_START, READY_LINE, READY_RSS, READY_DELAY, READY_TCP, READY_HTTP,
		  READY_FILE, READY_EXEC };
#define READY_CHOICES "start|line|rss|delay|tcp|http|file|exec"

enum container { CONTAINER_NONE, CONTAINER_PODMAN };
#define CONTAINER_CHOICES "none|podman"

enum stream { STREAM_STDOUT, STREAM_STDERR, STREAM_BOTH };
#define STREAM_CHOICES "stdout|stderr|both"

enum placement { PLACE_SAME, PLACE_SIBLING };
#define PLACEMENT_CHOICES "same|sibling"

/* A profile fills memory.min/low/high from a request and a limit, as a node agent would. */
enum profile { PROFILE_NONE, PROFILE_KUBERNETES };
#define PROFILE_CHOICES "none|kubernetes"
/* Where the kubelet puts a pod's memory request (memoryReservationPolicy, Kubernetes v1.36). */
enum reservation { RESERVE_MIN, RESERVE_LOW, RESERVE_NONE };
#define RESERVATION_CHOICES "min|low|none"

/* Expected outcome; same order as enum verdict in verdict.h (index 0 = none given). */
#define OUTCOME_CHOICES "reclaimed|oom_killed|hung|survived|exited|killed|timeout|throttled"
enum victim_expect { VICTIM_ANY, VICTIM_TARGET, VICTIM_BALLOON };
#define VICTIM_CHOICES "any|target|balloon"

struct scenario {
	char *file; /* path given on the command line */

	/* [scenario] */
	char *name;
	char *description;
	uint64_t timeout;  /* ns: whole run, then verdict timeout */
	uint64_t duration; /* ns: observe this long after the target is ready; 0 = until the
			      balloon finishes or the target exits */
	struct strlist requires; /* root, cgroup_v1, cgroup_v2, memsw, swap */

	/* [cgroup] */
	uint64_t memory_limit;
	uint64_t memsw_limit; /* 0 = leave unset */
	bool oom_kill_disable; /* v1 only */
	uint64_t memory_high;  /* v2 memory.high; 0 = leave unset */
	bool oom_group;        /* v2 memory.oom.group */
	uint64_t memory_low;   /* v2 memory.low of the target's group; 0 = leave unset */
	uint64_t memory_min;   /* v2 memory.min of the target's group; 0 = leave unset */
	int profile;           /* enum profile: memory_min/low/high derived from request */
	uint64_t request;      /* profile = kubernetes: the pod's memory request (0 = the limit) */
	int reservation;       /* enum reservation: what the request becomes */
	uint64_t throttling_factor; /* thousandths of a percent; 0 = no memory.high */

	/* [target] */
	struct strlist command;
	char *command_text; /* the command as written: what /bin/sh -c runs when shell is set */
	bool shell; /* run command through /bin/sh -c */
	struct strlist env; /* NAME=VALUE, added to the runner's environment */
	char *cwd;
	int oom_score_adj;  /* -1000..1000 */
	char *user, *group;       /* run the target as (names or numbers) */
	int container;            /* enum container */
	char *rootfs, *image;     /* what the container runs */
	struct strlist container_options; /* more podman run arguments */
	struct strlist needs;     /* programs the target's PATH must have, else SKIP */
	char *package;            /* where they come from, for the SKIP reason */
	int ready; /* enum ready_kind */
	char *ready_line;  /* substring of an output line */
	char *ready_regex; /* POSIX ERE an output line matches */
	int ready_stream;  /* enum stream: where ready_line/ready_regex are looked for */
	uint64_t ready_rss;
	uint64_t ready_delay;
	char *ready_tcp;   /* HOST:PORT */
	char *ready_url;   /* http://HOST[:PORT][/PATH] */
	char *ready_file;
	char *ready_exec;  /* /bin/sh -c text */
	uint64_t ready_interval; /* ns between two tries of tcp, http, file, exec */
	uint64_t ready_timeout;

	/* [balloon]: the balloon's own option rows plus where and when to start it */
	bool has_balloon; /* the section is present */
	struct balloon_conf balloon;
	struct strlist balloon_args; /* "--key=value" for each key given, in file order */
	uint64_t balloon_start_delay; /* ns after the target is ready */
	int placement; /* enum placement */

	/* [load]: a load generator, outside the limit, from ready until it ends */
	bool has_load;
	struct load_conf {
		struct strlist command;
		char *command_text;
		bool shell;
		struct strlist env;
		char *cwd;
		uint64_t start_delay;
	} load;

	/* [expect] */
	int outcome; /* index into OUTCOME_CHOICES + 1; 0 = not given (required) */
	int victim;  /* enum victim_expect */
	uint64_t min_reclaimed;
	uint64_t max_lazyfree; /* 0 = unchecked: LazyFree peak must stay at or below */
	uint64_t max_time;     /* ns to the outcome; 0 = unchecked */
	uint64_t min_peak_usage; /* 0 = unchecked */
	uint64_t exit_code;    /* for outcome exited: 1..255; 0 = not given (any non-zero) */
	int signal;            /* for outcome killed; index into SIGNAL_CHOICES, 0 = any */
	uint64_t hang_after;   /* ns; 0 = harness default */
	struct size_spec max_peak_usage; /* bytes 0 and kind absolute = unchecked */
	char *load_exit_code;  /* "0".."255" or "any" */
	/* pressure and protection maxima: 0 is a limit of its own ("never stalled"), so each
	 * has a flag saying it was given (scenario.c sets them from the file) */
	uint64_t max_stall_some, max_stall_full; /* thousandths of a percent of the run */
	uint64_t max_high_events, max_max_events;
	uint64_t max_refaults;  /* bytes of the target's memory evicted and faulted back */
	uint64_t min_peak_file, min_peak_shmem, min_peak_unevictable; /* bytes; 0 = unchecked */
	bool max_stall_some_given, max_stall_full_given, max_high_events_given,
	     max_max_events_given, max_refaults_given;

	/* [search]: the limit finder's settings (balloon-run --find-limit) */
	struct search_conf {
		uint64_t low, high;          /* bytes; 0 = derived */
		uint64_t repeats;            /* runs per limit */
		struct size_spec resolution; /* a size or a share of the passing limit */
		uint64_t max_time;           /* ns for the whole search; 0 = no budget */
	} search;
};
#define SIGNAL_CHOICES "any|SIGSEGV|SIGABRT|SIGBUS|SIGKILL|SIGTERM|SIGILL|SIGFPE|SIGINT"

struct harness_config {
	uint64_t sample_interval; /* ns between samples (default 100 ms) */
	uint64_t hang_after;      /* ns of unbroken memcg OOM wait that makes a hang */
	uint64_t recovery_timeout;/* ns allowed to kill and reap after a hang or at the end */
	uint64_t stop_grace;      /* ns between SIGTERM and SIGKILL when a run ends */
	char *parent_cgroup;      /* memory cgroup to create scenario groups below; "" = own */
	char *output_dir;         /* where reports will go */
	char *balloon_path;       /* balloon binary; "" = next to balloon-run */
	char *workloads_dir;      /* the workload pack; "" = found from balloon-run's place */
};

/* Parses and validates one scenario file. On error returns -EINVAL (or -errno when it cannot
 * be read) with "file:line: [section] key: reason" in err; nothing is left allocated. */
int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen);

struct inifile_override;
/* scenario_load with keys given on the command line applied after the file's (--set
 * section.key=value); path NULL: the scenario is only those keys (the one-line mode), its
 * file "command line", and a duration without a timeout gets a timeout a minute longer. */
int scenario_load_with(const char *path, const struct inifile_override *ov, size_t nov,
		       struct scenario *sc, char *err, size_t errlen);
void scenario_free(struct scenario *sc);

/* Harness defaults, then the given config file (NULL = none) on top. Same error form. */
int config_load(const char *path, struct harness_config *cfg, char *err, size_t errlen);
void config_free(struct harness_config *cfg);

/* Every key of scenario files and config files, for --list-keys and docs/keys.md. */
void keys_print(FILE *f, bool markdown);

#endif
