/* The verdict rules on recorded observations, no kernel: every rule, its boundaries and the
 * precedence between rules (runner/verdict.h), then every [expect] check passing and failing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/scenario.h"
#include "units.h"
#include "verdict/verdict.h"

#define S NSEC_PER_SEC
#define MS NSEC_PER_MSEC

/* How a tracked process ended; `seen` is oom_kill read just after it was reaped. */
#define ALIVE { .started = true }
#define SIGNALED(sig, at, seen)                                                                  \
	{ .started = true, .ended = true, .signaled = true, .code = (sig), .t = (at),            \
	  .oom_kill_seen = (seen) }
#define SIGKILLED(at, seen) SIGNALED(SIGKILL, at, seen)
#define EXITED(status, at) { .started = true, .ended = true, .code = (status), .t = (at) }
#define HARNESS_KILLED(at, seen)                                                                 \
	{ .started = true, .ended = true, .by_harness = true, .signaled = true, .code = SIGKILL,  \
	  .t = (at), .oom_kill_seen = (seen) }

/* Pressure from 1 s, observation ends at 5 s, 200 MiB limit, unless a row says otherwise. */
#define SCENE .t_pressure = 1 * S, .limit = 200 * MiB

struct decide_row {
	const char *name;
	struct observation o;
	uint64_t threshold;
	enum verdict verdict;
	enum victim victim;
	uint64_t t_outcome;
	uint64_t reclaimed;
	const char *summary; /* must appear in r.summary */
};

static const struct decide_row decide_rows[] = {
	/* oom_killed: SIGKILL and a rise of the counter */
	{ "target SIGKILL + rise", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = SIGKILLED(1840 * MS, 1), .balloon = ALIVE, .oom_kill_final = 1,
	  .usage_at_oom = 200 * MiB }, 16 * MiB, V_OOM_KILLED, VIC_TARGET, 840 * MS, 0,
	  "target OOM-killed after 0.84 s at 200/200 MiB (oom_kill 0 -> 1)" },
	{ "balloon SIGKILL + rise", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE, .balloon = SIGKILLED(3 * S, 1), .oom_kill_final = 1,
	  .usage_at_oom = 199 * MiB }, 16 * MiB, V_OOM_KILLED, VIC_BALLOON, 2 * S, 0,
	  "balloon OOM-killed after 2.00 s at 199/200 MiB (oom_kill 0 -> 1), target alive" },
	{ "both SIGKILL + rise of two", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = SIGKILLED(3 * S, 2), .balloon = SIGKILLED(2 * S, 1), .oom_kill_final = 2,
	  .usage_at_oom = 200 * MiB }, 16 * MiB, V_OOM_KILLED, VIC_BOTH, 1 * S, 0,
	  "target+balloon OOM-killed after 1.00 s at 200/200 MiB (oom_kill 0 -> 2)" },
	{ "both SIGKILL, rise of one: first reaped gets it", { SCENE, .t_end = 5 * S,
	  .has_balloon = true, .target = SIGKILLED(3 * S, 1), .balloon = SIGKILLED(2 * S, 1),
	  .oom_kill_final = 1, .usage_at_oom = 200 * MiB }, 16 * MiB, V_OOM_KILLED, VIC_BALLOON,
	  1 * S, 0, "balloon OOM-killed after 1.00 s at 200/200 MiB (oom_kill 0 -> 1), target killed by SIGKILL" },
	{ "non-zero base: rise counts, not the value", { SCENE, .t_end = 5 * S,
	  .target = SIGKILLED(2 * S, 8), .oom_kill_base = 7, .oom_kill_final = 8 },
	  16 * MiB, V_OOM_KILLED, VIC_TARGET, 1 * S, 0,
	  "target OOM-killed after 1.00 s at peak 0/200 MiB (oom_kill 7 -> 8)" },
	{ "no usage_at_oom: peak usage said as such", { SCENE, .t_end = 5 * S,
	  .target = SIGKILLED(2 * S, 1), .oom_kill_final = 1, .peak_usage = 190 * MiB },
	  16 * MiB, V_OOM_KILLED, VIC_TARGET, 1 * S, 0, "after 1.00 s at peak 190/200 MiB (" },
	{ "balloon data ignored without a balloon", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .balloon = SIGKILLED(2 * S, 1) }, 16 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 0,
	  "target survived 4.00 s" },

	/* SIGKILL without the rise is not an OOM kill */
	{ "target SIGKILL, no rise -> killed", { SCENE, .t_end = 5 * S,
	  .target = SIGKILLED(1100 * MS, 0) }, 16 * MiB, V_KILLED, VIC_NONE, 100 * MS, 0,
	  "target killed by SIGKILL after 0.10 s, not an OOM kill (oom_kill unchanged at 0)" },
	{ "base 3, seen 3 -> killed", { SCENE, .t_end = 5 * S, .target = SIGKILLED(2 * S, 3),
	  .oom_kill_base = 3, .oom_kill_final = 3 }, 16 * MiB, V_KILLED, VIC_NONE, 1 * S, 0,
	  "oom_kill unchanged at 3" },
	{ "balloon SIGKILL, no rise -> survived, balloon noted", { SCENE, .t_end = 5 * S,
	  .has_balloon = true, .target = ALIVE, .balloon = SIGKILLED(2 * S, 0) }, 16 * MiB,
	  V_SURVIVED, VIC_NONE, 4 * S, 0, "no OOM kill; balloon killed by SIGKILL" },
	{ "target SIGKILL before the rise -> other", { SCENE, .t_end = 5 * S,
	  .target = SIGKILLED(2 * S, 0), .oom_kill_final = 1, .oom_events = 1,
	  .t_first_oom = 3 * S }, 16 * MiB, V_OOM_KILLED, VIC_OTHER, 2 * S, 0,
	  "untracked process OOM-killed (oom_kill 0 -> 1) after 2.00 s" },

	/* a rise with no tracked death is still an OOM kill */
	{ "rise, target alive -> other", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE, .balloon = ALIVE, .oom_kill_final = 1, .oom_events = 2,
	  .t_first_oom = 2500 * MS, .usage_at_oom = 200 * MiB }, 16 * MiB, V_OOM_KILLED,
	  VIC_OTHER, 1500 * MS, 0,
	  "untracked process OOM-killed (oom_kill 0 -> 1) after 1.50 s at 200/200 MiB; target alive" },
	{ "rise, no notification: timed by the end", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED, VIC_OTHER, 4 * S, 0, "by 4.00 s" },
	{ "SIGSEGV + rise elsewhere -> other, SIGSEGV named", { SCENE, .t_end = 5 * S,
	  .target = SIGNALED(SIGSEGV, 2 * S, 1), .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED,
	  VIC_OTHER, 4 * S, 0, "target killed by SIGSEGV" },
	{ "exit 3 + rise -> other", { SCENE, .t_end = 5 * S, .target = EXITED(3, 2 * S),
	  .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED, VIC_OTHER, 4 * S, 0,
	  "target exited with status 3" },

	/* the harness's own kills are not evidence */
	{ "harness kill of target at cleanup", { SCENE, .t_end = 5 * S,
	  .target = HARNESS_KILLED(6 * S, 1), .peak_usage = 150 * MiB }, 16 * MiB, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "target survived 4.00 s, peak usage 150/200 MiB, no OOM kill" },
	{ "harness kill of balloon at cleanup", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE, .balloon = HARNESS_KILLED(6 * S, 1) }, 16 * MiB, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "no OOM kill" },

	/* hang */
	{ "hang, recovered", { SCENE, .t_end = 5 * S, .target = HARNESS_KILLED(5 * S, 0),
	  .oom_kill_disable = true, .hang_detected = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .recovered = true, .recovery_ns = 12 * MS,
	  .usage_at_oom = 200 * MiB }, 16 * MiB, V_HUNG, VIC_NONE, 3 * S, 0,
	  "target hung 2.00 s in the memcg OOM wait (under_oom, oom_kill_disable) at 200/200 MiB; recovered in 12 ms" },
	{ "hang, recovery failed", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .oom_kill_disable = true, .hang_detected = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .usage_at_oom = 200 * MiB }, 16 * MiB, V_HUNG, VIC_NONE,
	  3 * S, 0, "; recovery FAILED" },
	{ "hang without oom_kill_disable is not hung", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .hang_detected = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .recovered = true }, 16 * MiB, V_SURVIVED, VIC_NONE, 4 * S,
	  0, "target survived" },
	{ "oom_kill_disable without a hang is not hung", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .oom_kill_disable = true }, 16 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 0,
	  "target survived" },
	{ "hang beats an OOM kill of the balloon", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE, .balloon = SIGKILLED(2 * S, 1), .oom_kill_final = 1,
	  .oom_kill_disable = true, .hang_detected = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .recovered = true }, 16 * MiB, V_HUNG, VIC_NONE, 3 * S, 0,
	  "target hung" },

	/* v2 hang: the OOM livelock (every task OOM-exempt, oom rising, no kill) */
	{ "livelock, recovered", { SCENE, .t_end = 5 * S, .target = HARNESS_KILLED(5 * S, 0),
	  .hang_detected = true, .oom_exempt = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .oom_at_hang_start = 30, .oom_at_hang_detected = 1000,
	  .recovered = true, .recovery_ns = 32 * MS, .usage_at_oom = 200 * MiB },
	  16 * MiB, V_HUNG, VIC_NONE, 3 * S, 0,
	  "target hung 2.00 s in an OOM livelock at 200/200 MiB: every task OOM-exempt (-1000), "
	  "memory.events oom 30 -> 1000, oom_kill unchanged at 0; recovered in 32 ms" },
	{ "livelock without an oom rise is not hung", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .hang_detected = true, .oom_exempt = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .oom_at_hang_start = 30, .oom_at_hang_detected = 30 },
	  16 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 0, "target survived" },
	{ "livelock without exempt tasks is not hung", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .hang_detected = true, .t_hang_start = 2 * S, .t_hang_detected = 4 * S,
	  .oom_at_hang_start = 30, .oom_at_hang_detected = 900 }, 16 * MiB, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "target survived" },
	{ "livelock with a kill is an OOM kill, not a hang", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .hang_detected = true, .oom_exempt = true, .t_hang_start = 2 * S,
	  .t_hang_detected = 4 * S, .oom_at_hang_start = 30, .oom_at_hang_detected = 900,
	  .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED, VIC_OTHER, 4 * S, 0,
	  "untracked process OOM-killed" },
	{ "livelock beats a timeout when proven by t_end", { SCENE, .t_end = 5 * S,
	  .timed_out = true, .target = ALIVE, .hang_detected = true, .oom_exempt = true,
	  .t_hang_start = 2 * S, .t_hang_detected = 4 * S, .oom_at_hang_start = 1,
	  .oom_at_hang_detected = 2, .recovered = true }, 16 * MiB, V_HUNG, VIC_NONE, 3 * S, 0,
	  "memory.events oom 1 -> 2" },

	/* v2 throttling at memory.high */
	{ "throttled, stalled 98 %", { SCENE, .t_end = 5 * S, .target = HARNESS_KILLED(5 * S, 0),
	  .peak_usage = 35 * MiB, .throttle_detected = true, .high = 32 * MiB,
	  .t_throttle_start = 2 * S, .t_throttle_detected = 4 * S, .throttle_full_us = 1960000,
	  .throttle_high_events = 171, .throttle_growth = 2 * MiB, .recovered = true,
	  .recovery_ns = 36 * MS }, 16 * MiB, V_THROTTLED, VIC_NONE, 3 * S, 0,
	  "target throttled 2.00 s at memory.high 32 MiB: stalled 98% of the time (PSI full), "
	  "memory.events high +171, grew 2 MiB, peak usage 35/200 MiB; recovered in 36 ms" },
	{ "throttled exactly at half the window", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .throttle_detected = true, .high = 32 * MiB, .t_throttle_start = 2 * S,
	  .t_throttle_detected = 4 * S, .throttle_full_us = 1000000, .throttle_high_events = 1 },
	  16 * MiB, V_THROTTLED, VIC_NONE, 3 * S, 0, "stalled 50% of the time" },
	{ "stalled just under half is not throttled", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .throttle_detected = true, .high = 32 * MiB, .t_throttle_start = 2 * S,
	  .t_throttle_detected = 4 * S, .throttle_full_us = 999999, .throttle_high_events = 5 },
	  16 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 0, "target survived" },
	{ "stalled without a high event is not throttled", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .throttle_detected = true, .high = 32 * MiB, .t_throttle_start = 2 * S,
	  .t_throttle_detected = 4 * S, .throttle_full_us = 2000000 }, 16 * MiB, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "target survived" },
	{ "an OOM kill beats throttling", { SCENE, .t_end = 5 * S, .target = SIGKILLED(3 * S, 1),
	  .oom_kill_final = 1, .throttle_detected = true, .high = 32 * MiB,
	  .t_throttle_start = 2 * S, .t_throttle_detected = 4 * S, .throttle_full_us = 2000000,
	  .throttle_high_events = 5 }, 16 * MiB, V_OOM_KILLED, VIC_TARGET, 2 * S, 0,
	  "target OOM-killed" },
	{ "throttling after t_end loses to the timeout", { SCENE, .t_end = 5 * S,
	  .timed_out = true, .target = ALIVE, .throttle_detected = true, .high = 32 * MiB,
	  .t_throttle_start = 4 * S, .t_throttle_detected = 6 * S, .throttle_full_us = 2000000,
	  .throttle_high_events = 5 }, 16 * MiB, V_TIMEOUT, VIC_NONE, 4 * S, 0, "timed out" },

	/* memory.oom.group: every process the group kill took is named */
	{ "group kill lists its processes", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = SIGKILLED(2 * S, 4), .balloon = SIGKILLED(2 * S, 4), .oom_kill_final = 4,
	  .usage_at_oom = 200 * MiB, .oom_group = true, .oom_group_kills = 1,
	  .ngroup_killed = 3, .group_killed = { { 108, "balloon", "target" },
	  { 112, "balloon", "balloon" }, { 110, "balloon", "child" } } }, 16 * MiB,
	  V_OOM_KILLED, VIC_BOTH, 1 * S, 0,
	  "(oom_kill 0 -> 4); oom.group killed 3 processes: 108 balloon (target), 112 balloon "
	  "(balloon), 110 balloon (child)" },
	{ "no group kill, no list", { SCENE, .t_end = 5 * S, .target = SIGKILLED(2 * S, 1),
	  .oom_kill_final = 1, .oom_group = true }, 16 * MiB, V_OOM_KILLED, VIC_TARGET, 1 * S, 0,
	  "(oom_kill 0 -> 1)" },

	/* reclaim threshold */
	{ "reclaim exactly at threshold", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .lazyfree_peak = 256 * MiB, .t_lazyfree_peak = 1500 * MS, .lazyfree_low = 10 * MiB,
	  .t_lazyfree_low = 2400 * MS }, 246 * MiB, V_RECLAIMED, VIC_NONE, 1400 * MS, 246 * MiB,
	  "reclaimed 246 MiB of 256 MiB LazyFree in 1.40 s, no OOM kill" },
	{ "reclaim one byte below threshold", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .lazyfree_peak = 256 * MiB, .lazyfree_low = 10 * MiB + 1, .t_lazyfree_low = 2400 * MS },
	  246 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 246 * MiB - 1,
	  "LazyFree reclaimed 246.0 MiB of 256 MiB (threshold 246 MiB)" },
	{ "threshold 0, nothing reclaimed -> survived", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .lazyfree_peak = 8 * MiB, .lazyfree_low = 8 * MiB }, 0, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "LazyFree reclaimed 0 B of 8 MiB" },
	{ "threshold 0, one byte reclaimed -> reclaimed", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .lazyfree_peak = 8 * MiB, .lazyfree_low = 8 * MiB - 1,
	  .t_lazyfree_low = 3 * S }, 0, V_RECLAIMED, VIC_NONE, 2 * S, 1, "reclaimed 1 B of 8 MiB" },
	{ "reclaimed but balloon OOM-killed -> oom_killed", { SCENE, .t_end = 5 * S,
	  .has_balloon = true, .target = ALIVE, .balloon = SIGKILLED(3 * S, 1),
	  .oom_kill_final = 1, .lazyfree_peak = 256 * MiB, .t_lazyfree_low = 2 * S },
	  16 * MiB, V_OOM_KILLED, VIC_BALLOON, 2 * S, 256 * MiB, "balloon OOM-killed" },
	{ "reclaimed but a rise -> oom_killed other", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .oom_kill_final = 1, .lazyfree_peak = 256 * MiB, .t_lazyfree_low = 2 * S }, 16 * MiB,
	  V_OOM_KILLED, VIC_OTHER, 4 * S, 256 * MiB, "untracked process OOM-killed" },
	{ "reclaimed, target exited 0", { SCENE, .t_end = 5 * S, .target = EXITED(0, 4 * S),
	  .lazyfree_peak = 64 * MiB, .t_lazyfree_low = 3 * S }, 16 * MiB, V_RECLAIMED, VIC_NONE,
	  2 * S, 64 * MiB, "reclaimed 64 MiB of 64 MiB LazyFree in 2.00 s" },
	{ "reclaimed with page evidence", { SCENE, .t_end = 5 * S, .target = ALIVE,
	  .lazyfree_peak = 256 * MiB, .lazyfree_low = 96 * MiB, .t_lazyfree_low = 3 * S,
	  .verified = true, .verify_zero_pages = 40960 }, 16 * MiB, V_RECLAIMED, VIC_NONE,
	  2 * S, 160 * MiB, "in 2.00 s, no OOM kill; 40960 freed pages read back zero" },
	{ "LazyFree fell but the kernel discarded nothing (target freed it) -> survived",
	  { SCENE, .t_end = 5 * S, .target = ALIVE, .lazyfree_peak = 128 * MiB,
	  .t_lazyfree_low = 3 * S, .lazyfreed_known = true, .lazyfreed_kernel = 0 }, 16 * MiB,
	  V_SURVIVED, VIC_NONE, 4 * S, 0, "LazyFree reclaimed 0 B of 128 MiB" },
	{ "kernel discarded less than the fall: reclaim is the kernel's share",
	  { SCENE, .t_end = 5 * S, .target = ALIVE, .lazyfree_peak = 256 * MiB,
	  .lazyfree_low = 56 * MiB, .t_lazyfree_low = 3 * S, .lazyfreed_known = true,
	  .lazyfreed_kernel = 150 * MiB }, 16 * MiB, V_RECLAIMED, VIC_NONE, 2 * S, 150 * MiB,
	  "reclaimed 150 MiB of 256 MiB LazyFree" },
	{ "kernel discarded more (machine-wide): reclaim is the target's fall",
	  { SCENE, .t_end = 5 * S, .target = ALIVE, .lazyfree_peak = 256 * MiB,
	  .lazyfree_low = 56 * MiB, .t_lazyfree_low = 3 * S, .lazyfreed_known = true,
	  .lazyfreed_kernel = 900 * MiB }, 16 * MiB, V_RECLAIMED, VIC_NONE, 2 * S, 200 * MiB,
	  "reclaimed 200 MiB of 256 MiB LazyFree" },
	{ "reclaimed but target exited 3 -> exited", { SCENE, .t_end = 5 * S,
	  .target = EXITED(3, 4 * S), .lazyfree_peak = 64 * MiB, .t_lazyfree_low = 3 * S },
	  16 * MiB, V_EXITED, VIC_NONE, 3 * S, 64 * MiB, "exited with status 3" },

	/* how the target ended */
	{ "exited 0 -> survived", { .t_pressure = 1 * S, .t_end = 4200 * MS, .target = EXITED(0, 4200 * MS),
	  .peak_usage = 240 * MiB, .limit = 256 * MiB }, 16 * MiB, V_SURVIVED, VIC_NONE,
	  3200 * MS, 0, "target survived 3.20 s (exited 0), peak usage 240/256 MiB, no OOM kill" },
	{ "exit 3 -> exited", { SCENE, .t_end = 5 * S, .target = EXITED(3, 1100 * MS) },
	  16 * MiB, V_EXITED, VIC_NONE, 100 * MS, 0,
	  "target exited with status 3 after 0.10 s, no OOM kill" },
	{ "SIGSEGV -> killed", { SCENE, .t_end = 5 * S, .target = SIGNALED(SIGSEGV, 1100 * MS, 0) },
	  16 * MiB, V_KILLED, VIC_NONE, 100 * MS, 0,
	  "target killed by SIGSEGV after 0.10 s, not an OOM kill" },
	{ "SIGABRT -> killed", { SCENE, .t_end = 5 * S, .target = SIGNALED(SIGABRT, 2 * S, 0) },
	  16 * MiB, V_KILLED, VIC_NONE, 1 * S, 0, "killed by SIGABRT" },
	{ "unnamed signal -> killed, numbered", { SCENE, .t_end = 5 * S,
	  .target = SIGNALED(40, 2 * S, 0) }, 16 * MiB, V_KILLED, VIC_NONE, 1 * S, 0,
	  "killed by signal 40" },
	{ "balloon exited 1 is noted", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE, .balloon = EXITED(1, 2 * S) }, 16 * MiB, V_SURVIVED, VIC_NONE, 4 * S,
	  0, "; balloon exited with status 1" },
	{ "balloon never started is noted", { SCENE, .t_end = 5 * S, .has_balloon = true,
	  .target = ALIVE }, 16 * MiB, V_SURVIVED, VIC_NONE, 4 * S, 0, "; balloon never started" },
	{ "target never started -> none", { SCENE, .t_end = 5 * S }, 16 * MiB, V_NONE, VIC_NONE,
	  0, 0, "target never started" },

	/* timeout and what beats it */
	{ "timeout", { SCENE, .t_end = 61 * S, .timed_out = true, .target = ALIVE,
	  .peak_usage = 100 * MiB }, 16 * MiB, V_TIMEOUT, VIC_NONE, 60 * S, 0,
	  "timed out after 61.00 s; target alive, peak usage 100/200 MiB" },
	{ "ready timeout", { .t_pressure = 0, .t_end = 10 * S, .timed_out = true,
	  .not_ready = true, .target = ALIVE }, 16 * MiB, V_TIMEOUT, VIC_NONE, 10 * S, 0,
	  "target never became ready (ready timeout, 10.00 s after start)" },
	{ "OOM kill before the timeout wins", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .has_balloon = true, .target = ALIVE, .balloon = SIGKILLED(30 * S, 1),
	  .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED, VIC_BALLOON, 29 * S, 0,
	  "balloon OOM-killed after 29.00 s" },
	{ "OOM kill at the timeout wins", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = SIGKILLED(61 * S, 1), .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED,
	  VIC_TARGET, 60 * S, 0, "target OOM-killed" },
	{ "OOM kill after the timeout loses", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = SIGKILLED(62 * S, 1), .oom_kill_final = 0 }, 16 * MiB, V_TIMEOUT, VIC_NONE,
	  60 * S, 0, "timed out after 61.00 s; target killed by SIGKILL" },
	{ "rise before the timeout wins (other)", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = ALIVE, .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED, VIC_OTHER, 60 * S, 0,
	  "untracked process OOM-killed" },
	{ "hang before the timeout wins", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = ALIVE, .oom_kill_disable = true, .hang_detected = true,
	  .t_hang_start = 10 * S, .t_hang_detected = 12 * S, .recovered = true }, 16 * MiB,
	  V_HUNG, VIC_NONE, 11 * S, 0, "target hung 2.00 s" },
	{ "hang detected after the timeout loses", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = ALIVE, .oom_kill_disable = true, .hang_detected = true,
	  .t_hang_start = 60 * S, .t_hang_detected = 62 * S }, 16 * MiB, V_TIMEOUT, VIC_NONE,
	  60 * S, 0, "timed out" },
	{ "timeout beats reclaim", { SCENE, .t_end = 61 * S, .timed_out = true, .target = ALIVE,
	  .lazyfree_peak = 256 * MiB, .t_lazyfree_low = 3 * S }, 16 * MiB, V_TIMEOUT, VIC_NONE,
	  60 * S, 256 * MiB, "timed out" },
	{ "timeout beats exit 3", { SCENE, .t_end = 61 * S, .timed_out = true,
	  .target = EXITED(3, 2 * S) }, 16 * MiB, V_TIMEOUT, VIC_NONE, 60 * S, 0,
	  "target exited with status 3" },

	/* t_outcome never underflows */
	{ "exit before pressure -> 0", { .t_pressure = 3 * S, .t_end = 5 * S,
	  .target = EXITED(2, 2 * S) }, 16 * MiB, V_EXITED, VIC_NONE, 0, 0, "after 0.00 s" },
	{ "hang detected before pressure -> 0", { .t_pressure = 5 * S, .t_end = 6 * S,
	  .target = ALIVE, .oom_kill_disable = true, .hang_detected = true,
	  .t_hang_start = 1 * S, .t_hang_detected = 3 * S, .recovered = true }, 16 * MiB,
	  V_HUNG, VIC_NONE, 0, 0, "hung 2.00 s" },
	{ "hang start after detection -> 0 s hung", { SCENE, .t_end = 6 * S, .target = ALIVE,
	  .oom_kill_disable = true, .hang_detected = true, .t_hang_start = 4 * S,
	  .t_hang_detected = 3 * S, .recovered = true }, 16 * MiB, V_HUNG, VIC_NONE, 2 * S, 0,
	  "hung 0.00 s" },
	{ "LazyFree low before pressure -> 0", { .t_pressure = 5 * S, .t_end = 6 * S,
	  .target = ALIVE, .lazyfree_peak = 64 * MiB, .t_lazyfree_low = 2 * S }, 16 * MiB,
	  V_RECLAIMED, VIC_NONE, 0, 64 * MiB, "in 0.00 s" },
	{ "OOM death before pressure -> 0", { .t_pressure = 5 * S, .t_end = 6 * S,
	  .target = SIGKILLED(2 * S, 1), .oom_kill_final = 1 }, 16 * MiB, V_OOM_KILLED,
	  VIC_TARGET, 0, 0, "after 0.00 s" },
	{ "end before pressure -> 0", { .t_pressure = 5 * S, .t_end = 4 * S, .target = ALIVE },
	  16 * MiB, V_SURVIVED, VIC_NONE, 0, 0, "survived 0.00 s" },
	{ "LazyFree low above peak -> nothing reclaimed", { SCENE, .t_end = 5 * S,
	  .target = ALIVE, .lazyfree_peak = 8 * MiB, .lazyfree_low = 9 * MiB }, 0, V_SURVIVED,
	  VIC_NONE, 4 * S, 0, "survived" },
};

static void test_decide(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(decide_rows) / sizeof(decide_rows[0]); i++) {
		const struct decide_row *row = &decide_rows[i];
		struct verdict_result r;

		memset(&r, 0xa5, sizeof(r));
		verdict_decide(&row->o, row->threshold, &r);
		if (r.verdict != row->verdict || r.victim != row->victim ||
		    r.t_outcome != row->t_outcome || r.reclaimed != row->reclaimed)
			print_message("decide[%zu] %s: got %s/%s t_outcome=%llu reclaimed=%llu "
				      "\"%s\"\n", i, row->name, verdict_name(r.verdict),
				      victim_name(r.victim), (unsigned long long)r.t_outcome,
				      (unsigned long long)r.reclaimed, r.summary);
		assert_string_equal(verdict_name(r.verdict), verdict_name(row->verdict));
		assert_string_equal(victim_name(r.victim), victim_name(row->victim));
		assert_int_equal(r.t_outcome, row->t_outcome);
		assert_int_equal(r.reclaimed, row->reclaimed);
		if (!strstr(r.summary, row->summary))
			fail_msg("decide[%zu] %s: summary \"%s\" lacks \"%s\"", i, row->name,
				 r.summary, row->summary);
		/* The summary goes verbatim into a TAP line: one line, no directive. */
		assert_null(strchr(r.summary, '\n'));
		assert_null(strchr(r.summary, '#'));
	}
}

#define RESULT(v, vic, recl, t, sum)                                                             \
	{ .verdict = (v), .victim = (vic), .reclaimed = (recl), .t_outcome = (t), .summary = sum }
#define UNCHECKED .exit_code = -1

struct expect_row {
	const char *name;
	struct expectation e;
	struct verdict_result r;
	struct observation o;
	bool ok;
	const char *why;    /* must appear in why when !ok */
	const char *absent; /* must not appear in why (checks skipped), or NULL */
};

static const struct expect_row expect_rows[] = {
	{ "outcome matches", { V_SURVIVED, UNCHECKED }, RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"),
	  { 0 }, true, NULL, NULL },
	{ "outcome differs", { V_SURVIVED, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_BALLOON, 0, S, "balloon OOM-killed after 1.00 s"), { 0 },
	  false, "expected survived, got oom_killed: balloon OOM-killed after 1.00 s", NULL },
	{ "outcome not given: anything", { 0, UNCHECKED }, RESULT(V_KILLED, VIC_NONE, 0, S, "k"),
	  { 0 }, true, NULL, NULL },
	{ "outcome differs: detail checks skipped", { V_OOM_KILLED, .victim = 1,
	  .max_time = 1 * S, UNCHECKED }, RESULT(V_SURVIVED, VIC_NONE, 0, 9 * S, "s"), { 0 },
	  false, "expected oom_killed, got survived", "victim" },

	{ "victim target, got target", { V_OOM_KILLED, .victim = 1, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_TARGET, 0, S, "o"), { 0 }, true, NULL, NULL },
	{ "victim target, got both", { V_OOM_KILLED, .victim = 1, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_BOTH, 0, S, "o"), { 0 }, true, NULL, NULL },
	{ "victim balloon, got both", { V_OOM_KILLED, .victim = 2, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_BOTH, 0, S, "o"), { 0 }, true, NULL, NULL },
	{ "victim any, got other", { V_OOM_KILLED, .victim = 0, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_OTHER, 0, S, "o"), { 0 }, true, NULL, NULL },
	{ "victim target, got balloon", { V_OOM_KILLED, .victim = 1, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_BALLOON, 0, S, "o"), { 0 }, false,
	  "expected victim target, got balloon", NULL },
	{ "victim balloon, got other", { V_OOM_KILLED, .victim = 2, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_OTHER, 0, S, "o"), { 0 }, false,
	  "expected victim balloon, got other", NULL },

	{ "min_reclaimed met exactly", { V_RECLAIMED, .min_reclaimed = 200 * MiB, UNCHECKED },
	  RESULT(V_RECLAIMED, VIC_NONE, 200 * MiB, S, "r"), { .lazyfree_peak = 256 * MiB }, true,
	  NULL, NULL },
	{ "min_reclaimed one byte short", { V_RECLAIMED, .min_reclaimed = 200 * MiB, UNCHECKED },
	  RESULT(V_RECLAIMED, VIC_NONE, 200 * MiB - 1, S, "r"), { .lazyfree_peak = 256 * MiB },
	  false,
	  "expected at least 200 MiB of LazyFree reclaimed, got 200.0 MiB (209715199 B) (peak 256 MiB)",
	  NULL },
	{ "min_reclaimed checked on an outcome mismatch", { V_RECLAIMED,
	  .min_reclaimed = 100 * MiB, UNCHECKED }, RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { 0 },
	  false, "expected reclaimed, got survived: s; expected at least 100 MiB of LazyFree reclaimed, got 0 B",
	  NULL },

	{ "max_lazyfree met exactly", { V_SURVIVED, .max_lazyfree = 64 * MiB, UNCHECKED },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .lazyfree_peak = 64 * MiB }, true, NULL,
	  NULL },
	{ "max_lazyfree exceeded", { V_SURVIVED, .max_lazyfree = 64 * MiB, UNCHECKED },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .lazyfree_peak = 65 * MiB }, false,
	  "expected LazyFree to stay at or below 64 MiB, peak was 65 MiB", NULL },
	{ "max_lazyfree 0 unchecked", { V_SURVIVED, UNCHECKED },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .lazyfree_peak = 1 * GiB }, true, NULL,
	  NULL },

	{ "max_time met exactly", { V_RECLAIMED, .max_time = 1400 * MS, UNCHECKED },
	  RESULT(V_RECLAIMED, VIC_NONE, MiB, 1400 * MS, "r"), { 0 }, true, NULL, NULL },
	{ "max_time exceeded", { V_RECLAIMED, .max_time = 1 * S, UNCHECKED },
	  RESULT(V_RECLAIMED, VIC_NONE, MiB, 1400 * MS, "r"), { 0 }, false,
	  "expected reclaimed within 1.00 s, took 1.40 s", NULL },
	{ "max_time 0 unchecked", { V_TIMEOUT, UNCHECKED },
	  RESULT(V_TIMEOUT, VIC_NONE, 0, 3600 * S, "t"), { 0 }, true, NULL, NULL },

	{ "min_peak_usage met exactly", { V_SURVIVED, .min_peak_usage = 180 * MiB, UNCHECKED },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .peak_usage = 180 * MiB }, true, NULL, NULL },
	{ "min_peak_usage short", { V_SURVIVED, .min_peak_usage = 180 * MiB, UNCHECKED },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .peak_usage = 100 * MiB }, false,
	  "expected peak usage of at least 180 MiB, got 100 MiB", NULL },

	{ "exit_code matches", { V_EXITED, .exit_code = 3 }, RESULT(V_EXITED, VIC_NONE, 0, S, "e"),
	  { .target = EXITED(3, S) }, true, NULL, NULL },
	{ "exit_code differs", { V_EXITED, .exit_code = 3 }, RESULT(V_EXITED, VIC_NONE, 0, S, "e"),
	  { .target = EXITED(4, S) }, false, "expected exit status 3, got 4", NULL },
	{ "exit_code -1 unchecked", { V_EXITED, UNCHECKED }, RESULT(V_EXITED, VIC_NONE, 0, S, "e"),
	  { .target = EXITED(4, S) }, true, NULL, NULL },
	{ "exit_code ignored unless exited", { V_SURVIVED, .exit_code = 0 },
	  RESULT(V_SURVIVED, VIC_NONE, 0, S, "s"), { .target = ALIVE }, true, NULL, NULL },

	{ "signal matches", { V_KILLED, .signal = SIGSEGV, UNCHECKED },
	  RESULT(V_KILLED, VIC_NONE, 0, S, "k"), { .target = SIGNALED(SIGSEGV, S, 0) }, true,
	  NULL, NULL },
	{ "signal differs", { V_KILLED, .signal = SIGSEGV, UNCHECKED },
	  RESULT(V_KILLED, VIC_NONE, 0, S, "k"), { .target = SIGNALED(SIGABRT, S, 0) }, false,
	  "expected killed by SIGSEGV, got SIGABRT", NULL },
	{ "signal 0 unchecked", { V_KILLED, UNCHECKED }, RESULT(V_KILLED, VIC_NONE, 0, S, "k"),
	  { .target = SIGNALED(SIGBUS, S, 0) }, true, NULL, NULL },

	{ "several failures, all named", { V_OOM_KILLED, .victim = 1, .max_time = 1 * S,
	  .min_peak_usage = 200 * MiB, UNCHECKED },
	  RESULT(V_OOM_KILLED, VIC_BALLOON, 0, 2 * S, "o"), { .peak_usage = 100 * MiB }, false,
	  "expected victim target, got balloon; expected oom_killed within 1.00 s, took 2.00 s; "
	  "expected peak usage of at least 200 MiB, got 100 MiB", NULL },
};

static void test_expect(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(expect_rows) / sizeof(expect_rows[0]); i++) {
		const struct expect_row *row = &expect_rows[i];
		char why[512];
		bool ok;

		memset(why, 'x', sizeof(why));
		ok = verdict_expect(&row->e, &row->r, &row->o, why, sizeof(why));
		if (ok != row->ok)
			print_message("expect[%zu] %s: got %s, why \"%s\"\n", i, row->name,
				      ok ? "true" : "false", why);
		assert_int_equal(ok, row->ok);
		if (row->ok)
			assert_string_equal(why, "");
		else if (!strstr(why, row->why))
			fail_msg("expect[%zu] %s: why \"%s\" lacks \"%s\"", i, row->name, why,
				 row->why);
		if (row->absent && strstr(why, row->absent))
			fail_msg("expect[%zu] %s: why \"%s\" has \"%s\"", i, row->name, why,
				 row->absent);
	}
}

/* why may be NULL or tiny: the answer is the same and nothing overflows. */
static void test_expect_small_why(void **state)
{
	const struct expectation e = { V_SURVIVED, .exit_code = -1 };
	const struct verdict_result r = RESULT(V_KILLED, VIC_NONE, 0, S, "target killed");
	const struct observation o = { 0 };
	char why[8];

	(void)state;
	assert_false(verdict_expect(&e, &r, &o, NULL, 0));
	memset(why, 'x', sizeof(why));
	assert_false(verdict_expect(&e, &r, &o, why, sizeof(why)));
	assert_string_equal(why, "expecte");
}

/* Names are what scenario files and TAP lines say; OUTCOME_CHOICES relies on this order. */
static void test_names(void **state)
{
	static const char *const verdicts[] = { "none",	    "reclaimed", "oom_killed",
						"hung",	    "survived",	 "exited",
						"killed",   "timeout",	 "throttled" };
	static const char *const victims[] = { "none", "target", "balloon", "target+balloon",
					       "other" };

	(void)state;
	for (int v = V_NONE; v <= V_THROTTLED; v++)
		assert_string_equal(verdict_name((enum verdict)v), verdicts[v]);
	for (int v = VIC_NONE; v <= VIC_OTHER; v++)
		assert_string_equal(victim_name((enum victim)v), victims[v]);
	assert_string_equal(verdict_name((enum verdict)99), "(invalid verdict)");
	{
		/* scenario.outcome (1-based index into OUTCOME_CHOICES) is used as enum verdict. */
		char choices[] = OUTCOME_CHOICES, *save = NULL;
		int v = V_NONE;

		for (char *c = strtok_r(choices, "|", &save); c; c = strtok_r(NULL, "|", &save))
			assert_string_equal(verdict_name((enum verdict)++v), c);
		assert_int_equal(v, V_THROTTLED);
	}
	assert_string_equal(victim_name((enum victim)-1), "(invalid victim)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_expect_small_why),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
