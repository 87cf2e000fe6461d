/* The key tables of scenario files and harness configs, and the rules between keys. The
 * [balloon] rows are the balloon's own option rows (common/balloon_conf.c) copied in at run
 * time, so a new balloon option is a new scenario key with nothing to change here. */
#include "keys.h"
#include "netaddr.h"
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <pwd.h>
#include <regex.h>
#include <unistd.h>

#define S(field) offsetof(struct scenario, field)
#define H(field) offsetof(struct harness_config, field)
#define SEC(n) ((uint64_t)(n) * NSEC_PER_SEC)
#define MSEC(n) ((uint64_t)(n) * NSEC_PER_MSEC)
#define DAY SEC(24 * 3600)
#define PIB KEYS_SIZE_CAP
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NAME_MAX_LEN 64
#define REQUIRES_CHOICES "root|cgroup_v1|cgroup_v2|memsw|swap|psi"

/* [scenario], [cgroup] and [target]: the rows before the balloon's. */
static const struct opt head_rows[] = {
	{ .section = "scenario", .key = "name", .type = OPT_STRING, .min = 1, .max = NAME_MAX_LEN,
	  .offset = S(name),
	  .help = "Names the scenario in reports and output files: up to 64 letters, digits, "
		  "'_', '.' and '-'. Default: the file name without .ini." },
	{ .section = "scenario", .key = "description", .type = OPT_STRING, .def = "",
	  .offset = S(description),
	  .help = "One line on what the scenario shows, repeated in its report." },
	{ .section = "scenario", .key = "timeout", .type = OPT_DURATION, .min = SEC(1), .max = DAY,
	  .def = "60s", .offset = S(timeout),
	  .help = "Limit on the whole run. When it runs out the runner stops everything and "
		  "the outcome is timeout." },
	{ .section = "scenario", .key = "duration", .type = OPT_DURATION, .max = DAY, .def = "0",
	  .offset = S(duration),
	  .help = "How long to observe once the target is ready; 0 = until the balloon "
		  "finishes or the target exits. Must be shorter than timeout." },
	{ .section = "scenario", .key = "requires", .type = OPT_LIST, .choices = REQUIRES_CHOICES,
	  .offset = S(requires), .flags = KEYF_WORDS,
	  .help = "What the machine must offer, else the scenario is skipped (SKIP, not FAIL): "
		  "root, cgroup_v1, cgroup_v2, memsw (swap accounting: v1 memory.memsw.*, v2 "
		  "memory.swap.max), swap (swap space), psi (the group's own memory pressure: "
		  "v2 memory.pressure). Several items: separate them with commas or repeat the "
		  "key." },

	{ .section = "cgroup", .key = "memory_limit", .type = OPT_SIZE, .min = 8 * MiB, .max = PIB,
	  .offset = S(memory_limit), .flags = OPTF_REQUIRED,
	  .help = "Memory limit of the scenario's cgroup, which the target and the balloon run "
		  "in (v1 memory.limit_in_bytes, v2 memory.max)." },
	{ .section = "cgroup", .key = "memsw_limit", .type = OPT_SIZE, .min = 8 * MiB, .max = PIB,
	  .offset = S(memsw_limit),
	  .help = "Memory+swap limit, at least memory_limit: v1 memory.memsw.limit_in_bytes, "
		  "v2 memory.swap.max = memsw_limit - memory_limit (so memsw_limit = "
		  "memory_limit allows no swap at all). Not given: left unset (the group may "
		  "swap as much as the machine has). Needs swap accounting, else the scenario "
		  "is skipped." },
	{ .section = "cgroup", .key = "oom_kill_disable", .type = OPT_BOOL, .def = "no",
	  .offset = S(oom_kill_disable),
	  .help = "Disable the cgroup's OOM killer (v1 memory.oom_control): at the limit, "
		  "tasks wait instead of being killed. Goes with outcome = hung. cgroup v1 "
		  "only: v2 has no such switch, there the scenario is skipped." },
	{ .section = "cgroup", .key = "memory_high", .type = OPT_SIZE, .min = 8 * MiB, .max = PIB,
	  .offset = S(memory_high),
	  .help = "Throttle limit (v2 memory.high), below memory_limit: above it the kernel "
		  "reclaims and makes the group's allocations sleep instead of OOM-killing. "
		  "Goes with outcome = throttled. cgroup v2 only: on v1 the scenario is "
		  "skipped." },
	{ .section = "cgroup", .key = "oom_group", .type = OPT_BOOL, .def = "no",
	  .offset = S(oom_group),
	  .help = "An OOM kill takes every process of the group at once (v2 memory.oom.group); "
		  "the report lists them. cgroup v2 only: on v1 the scenario is skipped." },
	{ .section = "cgroup", .key = "memory_low", .type = OPT_SIZE, .min = 4 * KiB, .max = PIB,
	  .offset = S(memory_low),
	  .help = "Best-effort protection (v2 memory.low) of the target's group: with placement "
		  "= sibling its own child group, so reclaim in the limited group takes from the "
		  "balloon first; else the scenario's group (against pressure from outside it). "
		  "memory.events low counts the times it was reclaimed below it anyway. cgroup "
		  "v2 only: on v1 the scenario is skipped." },
	{ .section = "cgroup", .key = "memory_min", .type = OPT_SIZE, .min = 4 * KiB, .max = PIB,
	  .offset = S(memory_min),
	  .help = "Hard protection (v2 memory.min) of the target's group, placed as memory_low: "
		  "never reclaimed below it; if nothing else can be reclaimed the OOM killer "
		  "acts instead. cgroup v2 only: on v1 the scenario is skipped." },
	{ .section = "cgroup", .key = "profile", .type = OPT_ENUM, .def = "none",
	  .choices = PROFILE_CHOICES, .offset = S(profile),
	  .help = "none: the keys above as given. kubernetes: the group as the kubelet's "
		  "MemoryQoS sets up a container on cgroup v2 (KEP-2570): memory.max = "
		  "memory_limit (the pod's limit), the request as memory.min or memory.low "
		  "(reservation), memory.high = floor((request + throttling_factor x "
		  "(memory_limit - request)) / page) x page unless request = memory_limit "
		  "(a Guaranteed pod). On cgroup v1 only the limit, as the kubelet does there "
		  "(MemoryQoS needs v2). memory_high, memory_min and memory_low are then set "
		  "by the profile, not given." },
	{ .section = "cgroup", .key = "request", .type = OPT_SIZE, .min = 4 * KiB, .max = PIB,
	  .offset = S(request),
	  .help = "With profile = kubernetes: the container's memory request (resources."
		  "requests.memory; 512Mi, 1Gi), at most memory_limit. Not given: memory_limit, "
		  "as the API server defaults a request to its limit." },
	{ .section = "cgroup", .key = "reservation", .type = OPT_ENUM, .def = "min",
	  .choices = RESERVATION_CHOICES, .offset = S(reservation),
	  .help = "With profile = kubernetes: what the request becomes: min (memory.min: "
		  "MemoryQoS up to v1.35, and a Guaranteed pod's TieredReservation in v1.36), "
		  "low (memory.low: a Burstable pod's TieredReservation) or none "
		  "(memoryReservationPolicy None, v1.36's default)." },
	{ .section = "cgroup", .key = "throttling_factor", .type = OPT_PERCENT, .max = 100000,
	  .def = "90%", .offset = S(throttling_factor),
	  .help = "With profile = kubernetes: the kubelet's memoryThrottlingFactor as a "
		  "percentage (0.9 = 90%, the default up to v1.36); 0% = no memory.high (v1.37's "
		  "default, null)." },

	{ .section = "target", .key = "command", .type = OPT_ARGV, .offset = S(command),
	  .flags = OPTF_REQUIRED,
	  .help = "The program under test, split into words as a shell would (quotes, "
		  "backslashes) but started without one, unless shell = yes." },
	{ .section = "target", .key = "command_text", .type = OPT_STRING, .offset = S(command_text),
	  .flags = OPTF_HIDDEN,
	  .help = "The command as written (kept for shell = yes)." },
	{ .section = "target", .key = "shell", .type = OPT_BOOL, .def = "no", .offset = S(shell),
	  .help = "Run the command text through /bin/sh -c, for pipes, redirections and "
		  "variables." },
	{ .section = "target", .key = "env", .type = OPT_LIST, .offset = S(env),
	  .help = "NAME=VALUE added to the target's environment; repeat the key for more "
		  "variables. In a container: podman --env (the container's PATH is its own).",
	  .arg = "NAME=VALUE" },
	{ .section = "target", .key = "oom_score_adj", .type = OPT_INT, .min = (uint64_t)-1000,
	  .max = 1000, .def = "0", .offset = S(oom_score_adj),
	  .help = "The target's /proc/PID/oom_score_adj; -1000 exempts it from the OOM killer "
		  "(with outcome = hung: at memory_limit nothing can be killed). Going below "
		  "the runner's own value needs CAP_SYS_RESOURCE; without it the scenario is "
		  "skipped.",
	  .arg = "N" },
	{ .section = "target", .key = "cwd", .type = OPT_STRING, .def = "", .offset = S(cwd),
	  .help = "Working directory of the target; empty = the runner's own (in a "
		  "container: its image's, else podman --workdir).",
	  .arg = "DIR" },
	{ .section = "target", .key = "user", .type = OPT_STRING, .min = 1, .offset = S(user),
	  .arg = "NAME",
	  .help = "Run the target as this user (a name or a uid), so a service need not run as "
		  "root; its primary group and groups unless group is given. Not given: as "
		  "the runner. In a container: the container's user (podman --user, a name "
		  "from its /etc/passwd)." },
	{ .section = "target", .key = "group", .type = OPT_STRING, .min = 1, .offset = S(group),
	  .arg = "NAME",
	  .help = "Run the target with this group (a name or a gid). In a container: only "
		  "with user (podman --user=USER:GROUP)." },
	{ .section = "target", .key = "container", .type = OPT_ENUM, .def = "none",
	  .choices = CONTAINER_CHOICES, .offset = S(container),
	  .help = "none: command is a process; podman: command runs in a container (from "
		  "rootfs or image) placed below the scenario's cgroup (podman --cgroup-parent), "
		  "so the limit, balloon, sampling and verdicts apply to it; podman and its "
		  "conmon run outside the limit, on the host's network. Needs root; where "
		  "podman cannot run (not installed, no runc on a v1 host, podman info fails) "
		  "the scenario is skipped with the reason; podman's own failure (exit 125 "
		  "before the container ran) is BROK with podman's error." },
	{ .section = "target", .key = "rootfs", .type = OPT_STRING, .min = 1, .offset = S(rootfs),
	  .arg = "DIR",
	  .help = "With container = podman: a root file system directory to run (podman "
		  "--rootfs; no image registry needed), relative to the scenario file's "
		  "directory. make container-rootfs makes one from Debian's packages." },
	{ .section = "target", .key = "image", .type = OPT_STRING, .min = 1, .offset = S(image),
	  .arg = "NAME",
	  .help = "With container = podman: an image podman has locally, instead of rootfs "
		  "(never pulled: podman run --pull=never)." },
	{ .section = "target", .key = "container_options", .type = OPT_ARGV,
	  .offset = S(container_options), .arg = "ARGS",
	  .help = "With container = podman: more arguments for podman run (--read-only, "
		  "--security-opt ...), split like command." },
	{ .section = "target", .key = "needs", .type = OPT_LIST, .offset = S(needs),
	  .flags = KEYF_WORDS, .arg = "PROGRAM",
	  .help = "Programs that must be found on the target's PATH (the balloon's directory "
		  "and the workload pack's first). One missing makes the scenario SKIP with "
		  "the reason (not BROK): a workload this machine did not build or install." },
	{ .section = "target", .key = "package", .type = OPT_STRING, .min = 1,
	  .offset = S(package), .arg = "PACKAGE",
	  .help = "The Debian package the needed programs come from, named in the SKIP reason "
		  "(e.g. golang-go)." },
	{ .section = "target", .key = "ready", .type = OPT_ENUM, .def = "start",
	  .choices = READY_CHOICES, .offset = S(ready),
	  .help = "When the target counts as ready, which starts the pressure and the load: "
		  "start (at once), line (a line of its output matches ready_line or "
		  "ready_regex), rss (its RSS reached ready_rss), delay (ready_delay after its "
		  "start), tcp (ready_tcp accepts a connection), http (ready_url answers 2xx), "
		  "file (ready_file exists), exec (ready_exec exits 0)." },
	{ .section = "target", .key = "ready_line", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_line),
	  .help = "With ready = line: text that a line of the target's output contains once it "
		  "is ready." },
	{ .section = "target", .key = "ready_regex", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_regex), .arg = "REGEX",
	  .help = "With ready = line: a POSIX extended regular expression a line of the "
		  "target's output matches once it is ready (instead of ready_line)." },
	{ .section = "target", .key = "ready_stream", .type = OPT_ENUM, .def = "both",
	  .choices = STREAM_CHOICES, .offset = S(ready_stream),
	  .help = "With ready = line: the output the line is looked for in: stdout, stderr "
		  "(where Go's log writes) or both." },
	{ .section = "target", .key = "ready_rss", .type = OPT_SIZE, .min = 4 * KiB, .max = PIB,
	  .offset = S(ready_rss),
	  .help = "With ready = rss: the resident memory at which the target is ready." },
	{ .section = "target", .key = "ready_delay", .type = OPT_DURATION, .max = DAY,
	  .offset = S(ready_delay),
	  .help = "With ready = delay: how long after its start the target is ready." },
	{ .section = "target", .key = "ready_tcp", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_tcp), .arg = "HOST:PORT",
	  .help = "With ready = tcp: the address that accepts a connection once the target is "
		  "ready: 127.0.0.1:8080, [::1]:8080, localhost:8080 or :8080 (loopback)." },
	{ .section = "target", .key = "ready_url", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_url), .arg = "URL",
	  .help = "With ready = http: an http:// URL that answers a GET with a 2xx status once "
		  "the target is ready (http://127.0.0.1:8080/healthz)." },
	{ .section = "target", .key = "ready_file", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_file), .arg = "PATH",
	  .help = "With ready = file: a path that exists once the target is ready (a pid or "
		  "socket file)." },
	{ .section = "target", .key = "ready_exec", .type = OPT_STRING, .min = 1,
	  .offset = S(ready_exec), .arg = "COMMAND",
	  .help = "With ready = exec: a command (through /bin/sh -c, outside the memory limit) "
		  "that exits 0 once the target is ready; tried again every ready_interval." },
	{ .section = "target", .key = "ready_interval", .type = OPT_DURATION, .min = MSEC(10),
	  .max = SEC(60), .def = "100ms", .offset = S(ready_interval),
	  .help = "With ready = tcp, http, file or exec: the time between two tries." },
	{ .section = "target", .key = "ready_timeout", .type = OPT_DURATION, .min = MSEC(100),
	  .max = DAY, .def = "30s", .offset = S(ready_timeout),
	  .help = "How long the target may take to become ready; past it the outcome is "
		  "timeout." },
};

/* [load]: a load generator started once the target is ready, outside the memory limit. */
static const struct opt load_rows[] = {
	{ .section = "load", .key = "command", .type = OPT_ARGV, .offset = S(load.command),
	  .flags = OPTF_REQUIRED,
	  .help = "The load generator (any command: httpload, wrk, a test client), started "
		  "once the target is ready, in a cgroup of its own without a limit, so its "
		  "memory does not count; when it ends, the run ends. Split into words like "
		  "[target] command." },
	{ .section = "load", .key = "command_text", .type = OPT_STRING,
	  .offset = S(load.command_text), .flags = OPTF_HIDDEN,
	  .help = "The command as written (kept for shell = yes)." },
	{ .section = "load", .key = "shell", .type = OPT_BOOL, .def = "no",
	  .offset = S(load.shell),
	  .help = "Run the command text through /bin/sh -c." },
	{ .section = "load", .key = "env", .type = OPT_LIST, .offset = S(load.env),
	  .arg = "NAME=VALUE",
	  .help = "NAME=VALUE added to the load generator's environment; repeat for more." },
	{ .section = "load", .key = "cwd", .type = OPT_STRING, .def = "", .offset = S(load.cwd),
	  .arg = "DIR",
	  .help = "Working directory of the load generator; empty = the runner's own." },
	{ .section = "load", .key = "start_delay", .type = OPT_DURATION, .max = DAY, .def = "0",
	  .offset = S(load.start_delay),
	  .help = "How long after the target is ready to start the load." },
};

/* [balloon] after the balloon's own rows: where and when the runner starts it. */
static const struct opt balloon_rows[] = {
	{ .section = "balloon", .key = "start_delay", .type = OPT_DURATION, .max = DAY, .def = "0",
	  .offset = S(balloon_start_delay),
	  .help = "How long after the target is ready to start the balloon." },
	{ .section = "balloon", .key = "placement", .type = OPT_ENUM, .def = "same",
	  .choices = PLACEMENT_CHOICES, .offset = S(placement),
	  .help = "same: the balloon runs in the target's cgroup; sibling: target and balloon "
		  "each get a child cgroup of the limited one (the limit still covers both)." },
};

static const struct opt expect_rows[] = {
	{ .section = "expect", .key = "outcome", .type = OPT_ENUM, .choices = OUTCOME_CHOICES,
	  .offset = S(outcome), .flags = OPTF_REQUIRED | KEYF_ONE_BASED,
	  .help = "What must happen for PASS: reclaimed (the target's LazyFree was reclaimed, "
		  "nothing OOM-killed), oom_killed, hung (no progress for hang_after: v1 with "
		  "the OOM killer disabled, the group under OOM, a target thread in the memcg "
		  "OOM wait and no page charged or freed; v2 with every task OOM-exempt, the "
		  "charge failing and retried with memory.events oom rising and no kill), "
		  "survived (target alive at the end or exited 0, nothing OOM-killed), exited "
		  "(non-zero status), killed (by a signal, not an OOM kill), timeout, "
		  "throttled (v2: held at memory_high, the group stalled on memory for most of "
		  "the time, memory.events high rising)." },
	{ .section = "expect", .key = "victim", .type = OPT_ENUM, .def = "any",
	  .choices = VICTIM_CHOICES, .offset = S(victim),
	  .help = "With outcome = oom_killed: the process the OOM killer must pick." },
	{ .section = "expect", .key = "min_reclaimed", .type = OPT_SIZE, .max = PIB, .def = "0",
	  .offset = S(min_reclaimed),
	  .help = "With outcome = reclaimed: how much of the target's LazyFree must be "
		  "reclaimed at least; 0 = the verdict's small default threshold." },
	{ .section = "expect", .key = "max_lazyfree", .type = OPT_SIZE, .max = PIB, .def = "0",
	  .offset = S(max_lazyfree),
	  .help = "The target's LazyFree must never exceed this; 0 = unchecked." },
	{ .section = "expect", .key = "max_time", .type = OPT_DURATION, .max = DAY, .def = "0",
	  .offset = S(max_time),
	  .help = "The outcome must come within this time from the start of pressure; 0 = "
		  "unchecked." },
	{ .section = "expect", .key = "min_peak_usage", .type = OPT_SIZE, .max = PIB, .def = "0",
	  .offset = S(min_peak_usage),
	  .help = "The cgroup's peak memory usage must reach this, proof that the pressure was "
		  "real; 0 = unchecked." },
	{ .section = "expect", .key = "exit_code", .type = OPT_UINT, .min = 1, .max = 255,
	  .offset = S(exit_code),
	  .help = "With outcome = exited: the exit status required; not given = any non-zero "
		  "status." },
	{ .section = "expect", .key = "signal", .type = OPT_ENUM, .def = "any",
	  .choices = SIGNAL_CHOICES, .offset = S(signal),
	  .help = "With outcome = killed: the signal that must have killed the target." },
	{ .section = "expect", .key = "max_peak_usage", .type = OPT_SIZE_SPEC, .max = PIB,
	  .offset = S(max_peak_usage),
	  .help = "The cgroup's peak usage must stay at or below this: a size, a share of "
		  "memory_limit (80%) or limit-SIZE (the headroom a rollout needs). Not given: "
		  "unchecked." },
	{ .section = "expect", .key = "load_exit_code", .type = OPT_STRING, .min = 1,
	  .def = "0", .offset = S(load_exit_code), .arg = "N|any",
	  .help = "With a [load] that ends the run: the exit status it must end with, or any. "
		  "A load the harness stopped (the target died, the timeout) is not judged." },
	{ .section = "expect", .key = "max_stall_some", .type = OPT_PERCENT, .max = 100000,
	  .offset = S(max_stall_some),
	  .help = "The share of the run in which some task of the scenario's group waited on "
		  "memory (the rise of v2 memory.pressure's some total over the wall time from "
		  "the first sample to the end) must stay at or below this: 40%. Not given: "
		  "unchecked. Needs the group's own PSI (cgroup v2): on v1, which has only the "
		  "machine's, the scenario is skipped." },
	{ .section = "expect", .key = "max_stall_full", .type = OPT_PERCENT, .max = 100000,
	  .offset = S(max_stall_full),
	  .help = "As max_stall_some, for the time every task of the group waited on memory at "
		  "once (memory.pressure full): 10%." },
	{ .section = "expect", .key = "max_high_events", .type = OPT_UINT,
	  .offset = S(max_high_events),
	  .help = "How often the group may be throttled over memory.high during the run (the "
		  "rise of v2 memory.events high); 0 = never. Not given: unchecked. cgroup v2 "
		  "only: on v1 the scenario is skipped." },
	{ .section = "expect", .key = "max_max_events", .type = OPT_UINT,
	  .offset = S(max_max_events),
	  .help = "How often a charge may find the group at its limit during the run (the rise "
		  "of v2 memory.events max; v1 memory.failcnt, the same count); 0 = never reach "
		  "the limit. Not given: unchecked." },
	{ .section = "expect", .key = "max_refaults", .type = OPT_SIZE, .max = PIB,
	  .offset = S(max_refaults),
	  .help = "How much of the target's memory may be evicted and faulted back in during "
		  "the run: the rise of its group's memory.stat workingset_refault_anon + "
		  "workingset_refault_file, in pages, as bytes. The proof that a protected "
		  "workload kept its working set (memory_low, memory_min). Not given: unchecked. "
		  "cgroup v2 only: on v1 the scenario is skipped." },
	{ .section = "expect", .key = "min_peak_file", .type = OPT_SIZE, .max = PIB,
	  .offset = S(min_peak_file),
	  .help = "The page cache charged to the group (shmem included: v1 memory.stat "
		  "total_cache, v2 file) must have peaked at least this high, proof that the "
		  "pressure was page cache (a balloon with kind = file). 0 = unchecked." },
	{ .section = "expect", .key = "min_peak_shmem", .type = OPT_SIZE, .max = PIB,
	  .offset = S(min_peak_shmem),
	  .help = "The shmem charged to the group (tmpfs, /dev/shm, memfd: memory.stat shmem) "
		  "must have peaked at least this high (kind = shmem or memfd). 0 = unchecked." },
	{ .section = "expect", .key = "min_peak_unevictable", .type = OPT_SIZE, .max = PIB,
	  .offset = S(min_peak_unevictable),
	  .help = "The unevictable memory of the group (mlocked pages: memory.stat "
		  "unevictable) must have peaked at least this high (kind = mlock). 0 = "
		  "unchecked." },
	{ .section = "expect", .key = "hang_after", .type = OPT_DURATION, .min = MSEC(100),
	  .max = SEC(3600), .offset = S(hang_after),
	  .help = "How long the target must stay stuck (hung) or stalled (throttled) to count "
		  "as such; not given = [harness] hang_after." },
};

/* The limit finder (balloon-run --find-limit; runner/findlimit.c): the same names as its
 * command-line options, which override these. */
static const struct opt search_rows[] = {
	{ .section = "search", .key = "low", .type = OPT_SIZE, .min = 8 * MiB, .max = PIB,
	  .offset = S(search.low),
	  .help = "With --find-limit: the lowest memory_limit to try (tried itself when "
		  "everything above it passes). Not given: down to 8 MiB, the smallest limit "
		  "there is." },
	{ .section = "search", .key = "high", .type = OPT_SIZE, .min = 8 * MiB, .max = PIB,
	  .offset = S(search.high),
	  .help = "With --find-limit: the highest memory_limit to try, which must pass. Not "
		  "given: memory_limit, doubled until it passes or reaches 90 % of this "
		  "machine's available memory." },
	{ .section = "search", .key = "repeats", .type = OPT_UINT, .min = 1, .max = 100,
	  .def = "3", .offset = S(search.repeats),
	  .help = "With --find-limit: runs per limit; a limit passes when the expectation "
		  "holds in every one (a limit where only some do is unstable, reported as the "
		  "unstable band)." },
	{ .section = "search", .key = "resolution", .type = OPT_SIZE_SPEC, .max = PIB,
	  .def = "8M", .offset = S(search.resolution),
	  .help = "With --find-limit: stop when the largest failing and the smallest passing "
		  "limit are this close: a size (8M) or a share of the passing limit (2%); at "
		  "least 1 MiB." },
	{ .section = "search", .key = "max_time", .type = OPT_DURATION, .max = DAY, .def = "0",
	  .offset = S(search.max_time),
	  .help = "With --find-limit: the time budget of the whole search; a step that would "
		  "not fit is not started, and what was found so far is reported. 0 = none." },
};

static const struct opt config_rows[] = {
	{ .section = "harness", .key = "sample_interval", .type = OPT_DURATION, .min = MSEC(10),
	  .max = SEC(10), .def = "100ms", .offset = H(sample_interval),
	  .help = "Time between samples of the cgroup's counters and the target's memory." },
	{ .section = "harness", .key = "hang_after", .type = OPT_DURATION, .min = MSEC(100),
	  .max = SEC(3600), .def = "2s", .offset = H(hang_after),
	  .help = "How long the target must stay stuck without progress (v1: a target thread "
		  "in the memcg OOM wait, under_oom set, nothing charged or freed; v2: the OOM "
		  "livelock) or stalled at memory_high before the run counts as hung or "
		  "throttled; a scenario's [expect] hang_after overrides it." },
	{ .section = "harness", .key = "recovery_timeout", .type = OPT_DURATION, .min = MSEC(100),
	  .max = SEC(3600), .def = "10s", .offset = H(recovery_timeout),
	  .help = "Time allowed to kill and reap everything and remove the cgroups, after a "
		  "hang or at the end of a run." },
	{ .section = "harness", .key = "stop_grace", .type = OPT_DURATION, .max = SEC(60), .def = "3s",
	  .offset = H(stop_grace),
	  .help = "When a run ends, time between SIGTERM and SIGKILL for the target and the "
		  "balloon, so they can release memory and report (a balloon with --verify); "
		  "hung tasks get SIGKILL at once." },
	{ .section = "harness", .key = "parent_cgroup", .type = OPT_STRING, .def = "",
	  .offset = H(parent_cgroup),
	  .help = "Memory cgroup to create the scenario groups in: a relative path below the "
		  "runner's own memory cgroup (which must exist); empty = the runner's own "
		  "cgroup.",
	  .arg = "PATH" },
	{ .section = "harness", .key = "output_dir", .type = OPT_STRING, .def = "",
	  .offset = H(output_dir), .arg = "DIR",
	  .help = "Directory every run writes its report to (index.html, junit.xml, a "
		  "directory per scenario with its files and the children's logs); empty = "
		  "$XDG_STATE_HOME/balloon-run/reports, by default "
		  "~/.local/state/balloon-run/reports. --report DIR overrides it, --no-report "
		  "writes none." },
	{ .section = "harness", .key = "workloads_dir", .type = OPT_STRING, .def = "",
	  .offset = H(workloads_dir), .arg = "DIR",
	  .help = "The workload pack's programs (gohog, matrix, poolsrv, ...), second on the "
		  "PATH of targets and load generators after the balloon's directory; empty = "
		  "the workloads directory next to balloon-run (the build tree), else "
		  "../lib/balloon/workloads from it (an installed runner)." },
	{ .section = "harness", .key = "balloon_path", .type = OPT_STRING, .def = "",
	  .offset = H(balloon_path),
	  .help = "The balloon program; empty = the balloon next to balloon-run.",
	  .arg = "PATH" },
};

static const struct inifile_section scenario_sections[] = {
	{ "scenario", false }, { "cgroup", true }, { "target", true },
	{ "balloon", false },  { "load", false },  { "expect", true },
	{ "search", false },
};

static const struct inifile_section config_sections[] = {
	{ "harness", false },
};

/* What a row's type cannot say about a value. */
struct key_rule {
	const char *section, *key;
	int (*check)(const char *value, char *why, size_t whylen); /* refuses a value; NULL: none */
	const char *text_key; /* also keep the value as written in this (hidden) row */
};

/* A key that only means something when another key of its section has one value. */
struct key_dep {
	const char *section, *key;
	const char *on, *value;
	bool needed; /* and then it must be given */
};

static const struct key_dep deps[] = {
	{ "target", "ready_line", "ready", "line", false },
	{ "target", "ready_regex", "ready", "line", false },
	{ "target", "ready_stream", "ready", "line", false },
	{ "target", "ready_tcp", "ready", "tcp", true },
	{ "target", "ready_url", "ready", "http", true },
	{ "target", "ready_file", "ready", "file", true },
	{ "target", "ready_exec", "ready", "exec", true },
	{ "target", "rootfs", "container", "podman", false },
	{ "target", "image", "container", "podman", false },
	{ "target", "container_options", "container", "podman", false },
	{ "target", "ready_rss", "ready", "rss", true },
	{ "target", "ready_delay", "ready", "delay", true },
	{ "expect", "victim", "outcome", "oom_killed", false },
	{ "expect", "min_reclaimed", "outcome", "reclaimed", false },
	{ "expect", "exit_code", "outcome", "exited", false },
	{ "expect", "signal", "outcome", "killed", false },
	{ "cgroup", "request", "profile", "kubernetes", false },
	{ "cgroup", "reservation", "profile", "kubernetes", false },
	{ "cgroup", "throttling_factor", "profile", "kubernetes", false },
};

static struct opt scen_tab[INIFILE_MAX_ROWS];
static size_t scen_n;

/* A scenario name becomes part of file names: a portable alphabet, no path tricks. */
static int check_name(const char *v, char *why, size_t whylen)
{
	size_t len = strlen(v);

	if (len > NAME_MAX_LEN) {
		errf(why, whylen, "the name is %zu characters long (at most %d)", len, NAME_MAX_LEN);
		return -EINVAL;
	}
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '/') {
			errf(why, whylen, "the name must not contain '/' (it becomes a file name)");
			return -EINVAL;
		}
		if (c < 0x20 || c == 0x7f) {
			errf(why, whylen, "the name contains a control character (0x%02x)", c);
			return -EINVAL;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-')) {
			if (c < 0x80)
				errf(why, whylen, "the name contains '%c' (use letters, digits, '_', '.' "
				     "and '-')", c);
			else
				errf(why, whylen, "the name contains a non-ASCII character (use "
				     "letters, digits, '_', '.' and '-')");
			return -EINVAL;
		}
	}
	if (strstr(v, "..") || strcmp(v, ".") == 0) {
		errf(why, whylen, "the name must not be \".\" or contain \"..\" (it becomes a file "
		     "name)");
		return -EINVAL;
	}
	return 0;
}

/* user and group: a name this machine knows, or a number. */
static bool is_number(const char *v)
{
	if (!*v)
		return false;
	for (const char *p = v; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return strlen(v) < 10;
}

static int check_user(const char *v, char *why, size_t whylen)
{
	if (is_number(v) || getpwnam(v))
		return 0;
	errf(why, whylen, "no such user \"%s\" on this machine (give a name from /etc/passwd or "
	     "a uid)", v);
	return -EINVAL;
}

static int check_group(const char *v, char *why, size_t whylen)
{
	if (is_number(v) || getgrnam(v))
		return 0;
	errf(why, whylen, "no such group \"%s\" on this machine (give a name from /etc/group "
	     "or a gid)", v);
	return -EINVAL;
}

static int check_hostport(const char *v, char *why, size_t whylen)
{
	struct netaddr a;

	return parse_hostport(v, &a, why, whylen);
}

static int check_url(const char *v, char *why, size_t whylen)
{
	struct netaddr a;

	return parse_http_url(v, &a, why, whylen);
}

static int check_regex(const char *v, char *why, size_t whylen)
{
	regex_t re;
	char msg[128];
	int r = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);

	if (r == 0) {
		regfree(&re);
		return 0;
	}
	regerror(r, &re, msg, sizeof(msg));
	errf(why, whylen, "\"%s\" is not an extended regular expression: %s", v, msg);
	return -EINVAL;
}

static int check_exit_code(const char *v, char *why, size_t whylen)
{
	if (strcmp(v, "any") == 0 || (is_number(v) && atoi(v) <= 255))
		return 0;
	errf(why, whylen, "\"%s\" is not an exit status (0 to 255) or any", v);
	return -EINVAL;
}

static int check_env(const char *v, char *why, size_t whylen)
{
	const char *eq = strchr(v, '=');

	if (!eq) {
		errf(why, whylen, "\"%s\" is not NAME=VALUE", v);
		return -EINVAL;
	}
	if (eq == v) {
		errf(why, whylen, "\"%s\": the variable name is empty", v);
		return -EINVAL;
	}
	for (const char *p = v; p < eq; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (c >= '0' && c <= '9' && p > v))) {
			errf(why, whylen, "\"%.*s\" is not a variable name (letters, digits and '_', "
			     "not starting with a digit)", (int)(eq - v), v);
			return -EINVAL;
		}
	}
	return 0;
}

/* parent_cgroup: a relative path of plain names below the runner's own cgroup, so the runner
 * only ever creates, writes and removes cgroups inside it. */
static int check_cgroup_path(const char *v, char *why, size_t whylen)
{
	const char *p = v;

	if (*v == '/') {
		errf(why, whylen, "\"%s\" must be relative (it names a cgroup below the runner's "
		     "own)", v);
		return -EINVAL;
	}
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2))) {
			errf(why, whylen, "\"%s\": empty, \".\" and \"..\" parts are not allowed "
			     "(it must stay below the runner's own cgroup)", v);
			return -EINVAL;
		}
		for (size_t i = 0; i < len; i++)
			if (!isalnum((unsigned char)p[i]) && !strchr("_.-", p[i])) {
				errf(why, whylen, "\"%s\": only letters, digits, '_', '.', '-' and "
				     "'/' between names", v);
				return -EINVAL;
			}
		if (len > 64) {
			errf(why, whylen, "\"%s\": a part longer than 64 characters", v);
			return -EINVAL;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return 0;
}

static const struct key_rule rules[] = {
	{ "scenario", "name", check_name, NULL },
	{ "harness", "parent_cgroup", check_cgroup_path, NULL },
	{ "target", "env", check_env, NULL },
	{ "target", "command", NULL, "command_text" },
	{ "load", "command", NULL, "command_text" },
	{ "target", "ready_tcp", check_hostport, NULL },
	{ "target", "ready_url", check_url, NULL },
	{ "target", "ready_regex", check_regex, NULL },
	{ "expect", "load_exit_code", check_exit_code, NULL },
	{ "load", "env", check_env, NULL },
};

static const struct key_rule *find_rule(const struct opt *o)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (strcmp(rules[i].section, o->section) == 0 && opt_key_eq(rules[i].key, o->key))
			return &rules[i];
	return NULL;
}

static int add_rows(const struct opt *rows, size_t n, size_t *at)
{
	if (*at + n > INIFILE_MAX_ROWS)
		return -ENOSPC;
	memcpy(&scen_tab[*at], rows, n * sizeof(*rows));
	*at += n;
	return 0;
}

int keys_init(void)
{
	size_t n = 0;

	if (scen_n)
		return 0;
	if (add_rows(head_rows, ARRAY_SIZE(head_rows), &n) < 0)
		return -ENOSPC;
	for (size_t i = 0; i < balloon_nopts; i++) {
		struct opt o = balloon_opts[i];

		if (o.flags & BOPT_CLI_ONLY)
			continue;
		o.section = "balloon";
		o.offset += offsetof(struct scenario, balloon);
		o.flags |= KEYF_BALLOON_ARG;
		if ((o.type == OPT_SIZE || o.type == OPT_SIZE_SPEC) && o.max == 0)
			o.max = KEYS_SIZE_CAP;
		if (add_rows(&o, 1, &n) < 0)
			return -ENOSPC;
	}
	if (add_rows(balloon_rows, ARRAY_SIZE(balloon_rows), &n) < 0 ||
	    add_rows(load_rows, ARRAY_SIZE(load_rows), &n) < 0 ||
	    add_rows(expect_rows, ARRAY_SIZE(expect_rows), &n) < 0 ||
	    add_rows(search_rows, ARRAY_SIZE(search_rows), &n) < 0)
		return -ENOSPC;
	scen_n = n;
	return 0;
}

const struct opt *keys_scenario(size_t *n)
{
	*n = scen_n;
	return scen_tab;
}

const struct inifile_section *keys_scenario_sections(size_t *n)
{
	*n = ARRAY_SIZE(scenario_sections);
	return scenario_sections;
}

const struct opt *keys_config(size_t *n)
{
	*n = ARRAY_SIZE(config_rows);
	return config_rows;
}

const struct inifile_section *keys_config_sections(size_t *n)
{
	*n = ARRAY_SIZE(config_sections);
	return config_sections;
}

/* A KEYF_WORDS list: "root, memsw" or "root memsw" adds two items. */
static int set_words(const struct opt *o, void *base, const char *value, char *why,
		     size_t whylen)
{
	char *copy = strdup(value), *save = NULL, *w;
	int r = 0, items = 0;

	if (!copy)
		return -ENOMEM;
	for (w = strtok_r(copy, ", \t", &save); w && r == 0; w = strtok_r(NULL, ", \t", &save)) {
		r = opt_set(o, base, w, why, whylen);
		items++;
	}
	free(copy);
	if (r == 0 && items == 0) {
		errf(why, whylen, "no item in \"%s\" (expected %s)", value, opt_metavar(o));
		r = -EINVAL;
	}
	return r;
}

int keys_set(const struct opt *o, void *base, const char *value, char *why, size_t whylen)
{
	const struct key_rule *rule = find_rule(o);
	int r;

	if (!*value && !(o->type == OPT_STRING && o->min == 0)) {
		errf(why, whylen, "empty value (expected %s)", opt_metavar(o));
		return -EINVAL;
	}
	if (rule && rule->check) {
		r = rule->check(value, why, whylen);
		if (r < 0)
			return r;
	}
	if (o->type == OPT_LIST && (o->flags & KEYF_WORDS))
		r = set_words(o, base, value, why, whylen);
	else
		r = opt_set(o, base, value, why, whylen);
	if (r < 0)
		return r;
	if (o->type == OPT_ENUM && (o->flags & KEYF_ONE_BASED))
		(*(int *)((char *)base + o->offset))++;
	if (rule && rule->text_key) {
		const struct opt *t = opt_find(scen_tab, scen_n, o->section, rule->text_key);

		if (!t) {
			errf(why, whylen, "internal error: no row %s", rule->text_key);
			return -EINVAL;
		}
		return opt_set(t, base, value, why, whylen);
	}
	return 0;
}

int keys_defaults(const struct opt *tab, size_t n, void *base, char *why, size_t whylen)
{
	char inner[256];

	for (size_t i = 0; i < n; i++) {
		if (!tab[i].def)
			continue;
		if (keys_set(&tab[i], base, tab[i].def, inner, sizeof(inner)) < 0) {
			errf(why, whylen, "internal error: default of [%s] %s: %s", tab[i].section,
			     tab[i].key, inner);
			return -EINVAL;
		}
	}
	return 0;
}

bool keys_dependency(const struct opt *o, const char **key, const char **value)
{
	for (size_t i = 0; i < ARRAY_SIZE(deps); i++) {
		if (strcmp(deps[i].section, o->section) == 0 && opt_key_eq(deps[i].key, o->key)) {
			*key = deps[i].on;
			*value = deps[i].value;
			return true;
		}
	}
	return false;
}

/* The choice an enum row holds in sc, or NULL when a one-based enum was not given. */
static const char *enum_text(const struct opt *o, const struct scenario *sc)
{
	int v = *(const int *)((const char *)sc + o->offset);

	if (o->flags & KEYF_ONE_BASED)
		v--;
	return opt_choice(o, v);
}

static int line_of(const struct inifile_seen *seen, const char *section, const char *key)
{
	const struct opt *o = opt_find(scen_tab, scen_n, section, key);

	return o ? seen->key_line[o - scen_tab] : 0;
}

static int section_line(const struct inifile_seen *seen, const char *section)
{
	for (size_t i = 0; i < ARRAY_SIZE(scenario_sections); i++)
		if (strcmp(scenario_sections[i].name, section) == 0)
			return seen->section_line[i];
	return 0;
}

static int check_deps(const struct scenario *sc, const struct inifile_seen *seen, char *err,
		      size_t errlen)
{
	for (size_t i = 0; i < ARRAY_SIZE(deps); i++) {
		const struct key_dep *d = &deps[i];
		const struct opt *on = opt_find(scen_tab, scen_n, d->section, d->on);
		const char *cur = on ? enum_text(on, sc) : NULL;
		bool match = cur && strcmp(cur, d->value) == 0;
		int line = line_of(seen, d->section, d->key);

		if (line && !match) {
			inifile_key_errf(err, errlen, seen->file, line, d->section, d->key,
					 "only used with %s = %s (%s is %s)", d->on, d->value,
					 d->on, cur ? cur : "not given");
			return -EINVAL;
		}
		if (!line && match && d->needed) {
			line = line_of(seen, d->section, d->on);
			inifile_key_errf(err, errlen, seen->file,
					 line ? line : section_line(seen, d->section), d->section,
					 d->key, "required with %s = %s", d->on, d->value);
			return -EINVAL;
		}
	}
	return 0;
}

static bool has_item(const struct strlist *l, const char *item)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], item) == 0)
			return true;
	return false;
}

/* The balloon's own rules between its options (common/balloon_conf.c), on the line of the
 * key they name, and its size against the group's limit: a share of the limit or the limit
 * less some headroom must leave the balloon something. */
static int check_balloon(const struct scenario *sc, const struct inifile_seen *seen, char *err,
			 size_t errlen)
{
	const struct size_spec *sp = &sc->balloon.size_spec;
	const char *key = "size";
	char why[512], a[64], b[32];
	uint64_t bytes;
	int line;

	if (!sc->has_balloon)
		return 0;
	if (balloon_check_conf_key(&sc->balloon, &key, why, sizeof(why)) < 0) {
		line = line_of(seen, "balloon", key);
		inifile_key_errf(err, errlen, seen->file, line ? line : section_line(seen, "balloon"),
				 "balloon", key, "%s", why);
		return -EINVAL;
	}
	if (sp->kind == SIZE_ABSOLUTE || !sc->memory_limit)
		return 0;
	bytes = size_spec_bytes(sp, sc->memory_limit);
	if (bytes < 4 * KiB) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "balloon", "size"), "balloon",
				 "size", "%s of memory_limit (%s) leaves the balloon less than a "
				 "page", fmt_size_spec(sp, a, sizeof(a)),
				 fmt_size(sc->memory_limit, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

/* memory_low, memory_min and the profile that may set them (and memory_high) instead. */
static int check_protection(const struct scenario *sc, const struct inifile_seen *seen,
			    char *err, size_t errlen)
{
	static const char *const set_by_profile[] = { "memory_high", "memory_min", "memory_low" };
	const uint64_t vals[] = { sc->memory_low, sc->memory_min };
	const char *names[] = { "memory_low", "memory_min" };
	char a[32], b[32];

	for (size_t i = 0; sc->profile != PROFILE_NONE && i < ARRAY_SIZE(set_by_profile); i++) {
		int line = line_of(seen, "cgroup", set_by_profile[i]);

		if (line) {
			inifile_key_errf(err, errlen, seen->file, line, "cgroup", set_by_profile[i],
					 "set by profile = kubernetes (from request, reservation and "
					 "throttling_factor): not given beside it");
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)
		if (vals[i] > sc->memory_limit) {
			inifile_key_errf(err, errlen, seen->file, line_of(seen, "cgroup", names[i]),
					 "cgroup", names[i], "%s is above memory_limit (%s): the group "
					 "can never hold what it would protect",
					 fmt_size(vals[i], a, sizeof(a)),
					 fmt_size(sc->memory_limit, b, sizeof(b)));
			return -EINVAL;
		}
	if (sc->request > sc->memory_limit) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "cgroup", "request"), "cgroup",
				 "request", "%s is above memory_limit (%s): Kubernetes refuses a "
				 "request above its limit", fmt_size(sc->request, a, sizeof(a)),
				 fmt_size(sc->memory_limit, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

int keys_check_scenario(const struct scenario *sc, const struct inifile_seen *seen, char *err,
			size_t errlen)
{
	const struct opt *outcome = opt_find(scen_tab, scen_n, "expect", "outcome");
	const char *out = outcome ? enum_text(outcome, sc) : NULL;
	char a[32], b[32], why[256];
	int r = check_deps(sc, seen, err, errlen);

	if (r < 0)
		return r;
	if (sc->memsw_limit && sc->memsw_limit < sc->memory_limit) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "cgroup", "memsw_limit"),
				 "cgroup", "memsw_limit",
				 "%s is below memory_limit (%s): memory+swap includes the memory",
				 fmt_size(sc->memsw_limit, a, sizeof(a)),
				 fmt_size(sc->memory_limit, b, sizeof(b)));
		return -EINVAL;
	}
	/* Above the machine's memory a limit limits nothing: the harness would be free to take
	 * the host down, which it must never do. */
	uint64_t ram = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
	if (ram && sc->memory_limit > ram) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "cgroup", "memory_limit"),
				 "cgroup", "memory_limit",
				 "%s is more than this machine's memory (%s): it would limit nothing",
				 fmt_size(sc->memory_limit, a, sizeof(a)), fmt_size(ram, b, sizeof(b)));
		return -EINVAL;
	}
	if (sc->duration && sc->duration >= sc->timeout) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "scenario", "duration"),
				 "scenario", "duration", "%s is not shorter than timeout (%s)",
				 fmt_duration(sc->duration, a, sizeof(a)),
				 fmt_duration(sc->timeout, b, sizeof(b)));
		return -EINVAL;
	}
	if (sc->ready == READY_LINE && !!sc->ready_line == !!sc->ready_regex) {
		int line = line_of(seen, "target", sc->ready_line ? "ready_regex" : "ready");

		inifile_key_errf(err, errlen, seen->file, line ? line : section_line(seen, "target"),
				 "target", sc->ready_line ? "ready_regex" : "ready_line",
				 sc->ready_line ? "give ready_line or ready_regex, not both" :
				 "required with ready = line (or ready_regex)");
		return -EINVAL;
	}
	if (sc->container == CONTAINER_PODMAN && !!sc->rootfs == !!sc->image) {
		int line = line_of(seen, "target", sc->rootfs ? "image" : "container");

		inifile_key_errf(err, errlen, seen->file, line ? line : section_line(seen, "target"),
				 "target", sc->rootfs ? "image" : "rootfs",
				 sc->rootfs ? "give rootfs or image, not both" :
				 "required with container = podman (or image)");
		return -EINVAL;
	}
	/* a container's user and group are its own (its /etc/passwd), not this machine's */
	if (sc->container == CONTAINER_NONE) {
		const char *names[] = { "user", "group" };
		const char *vals[] = { sc->user, sc->group };
		int (*checks[])(const char *, char *, size_t) = { check_user, check_group };

		for (int i = 0; i < 2; i++)
			if (vals[i] && checks[i](vals[i], why, sizeof(why)) < 0) {
				inifile_key_errf(err, errlen, seen->file,
						 line_of(seen, "target", names[i]), "target",
						 names[i], "%s", why);
				return -EINVAL;
			}
	}
	if (sc->container == CONTAINER_PODMAN && sc->group && !sc->user) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "target", "group"),
				 "target", "group", "with container = podman, give user too "
				 "(podman --user=USER:GROUP)");
		return -EINVAL;
	}
	if (sc->search.resolution.kind == SIZE_BELOW_LIMIT) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "search", "resolution"),
				 "search", "resolution", "a size (8M) or a share of the limit (2%%), "
				 "not limit-SIZE");
		return -EINVAL;
	}
	if (sc->search.low && sc->search.high && sc->search.low >= sc->search.high) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "search", "high"),
				 "search", "high", "%s is not above low (%s)",
				 fmt_size(sc->search.high, a, sizeof(a)),
				 fmt_size(sc->search.low, b, sizeof(b)));
		return -EINVAL;
	}
	if (!sc->has_load && line_of(seen, "expect", "load_exit_code")) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "expect", "load_exit_code"),
				 "expect", "load_exit_code", "only used with a [load] section");
		return -EINVAL;
	}
	if (has_item(&sc->requires, "cgroup_v1") && has_item(&sc->requires, "cgroup_v2")) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "scenario", "requires"),
				 "scenario", "requires",
				 "cgroup_v1 and cgroup_v2 exclude each other");
		return -EINVAL;
	}
	if (out && strcmp(out, "hung") == 0 && !sc->oom_kill_disable &&
	    sc->oom_score_adj != -1000) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "expect", "outcome"),
				 "expect", "outcome",
				 "hung needs oom_kill_disable = yes in [cgroup] (v1) or oom_score_adj "
				 "= -1000 in [target] (else the OOM killer acts)");
		return -EINVAL;
	}
	if (out && strcmp(out, "throttled") == 0 && !sc->memory_high &&
	    sc->profile == PROFILE_NONE) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "expect", "outcome"),
				 "expect", "outcome", "throttled needs memory_high in [cgroup]");
		return -EINVAL;
	}
	if (sc->memory_high && sc->memory_high >= sc->memory_limit) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "cgroup", "memory_high"),
				 "cgroup", "memory_high",
				 "%s is not below memory_limit (%s): the limit would act first",
				 fmt_size(sc->memory_high, a, sizeof(a)),
				 fmt_size(sc->memory_limit, b, sizeof(b)));
		return -EINVAL;
	}
	r = check_protection(sc, seen, err, errlen);
	if (r < 0)
		return r;
	r = check_balloon(sc, seen, err, errlen);
	if (r < 0)
		return r;
	if (sc->victim == VICTIM_BALLOON && !sc->has_balloon) {
		inifile_key_errf(err, errlen, seen->file, line_of(seen, "expect", "victim"),
				 "expect", "victim", "balloon, but the scenario has no [balloon]");
		return -EINVAL;
	}
	return 0;
}

void keys_print(FILE *f, bool markdown)
{
	size_t n;
	const struct opt *cfg = keys_config(&n);

	if (keys_init() < 0) {
		fprintf(f, "internal error: the scenario key table does not fit\n");
		return;
	}
	opt_print_keys(f, scen_tab, scen_n, markdown);
	if (markdown)
		fputc('\n', f);
	opt_print_keys(f, cfg, n, markdown);
}
