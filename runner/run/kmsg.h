/* The kernel's own account of OOM kills, from /dev/kmsg: the "oom-kill:" line the OOM killer
 * prints for every victim names the memory cgroup that ran out (oom_memcg), the victim's own
 * group (task_memcg), its pid and name, and carries the kernel's timestamp. The runner reads
 * it beside the counters: it sees kills in groups below the scenario's that the counters of
 * the scenario's groups do not count (a container runtime's group, removed with the dead
 * container), names the victim as dmesg would, and times the kill on the kernel's clock.
 * Reading /dev/kmsg needs root (CAP_SYSLOG); without it the counters stand alone. */
#ifndef KMSG_H
#define KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmsg_kill {
	uint64_t t_us;        /* the kernel's timestamp (local_clock, us since boot) */
	char oom_memcg[512];  /* the group that hit its limit ("" from a "Killed process" line) */
	char task_memcg[512]; /* the victim's own group (idem) */
	char task[16];
	int pid;
};

/* Parses one /dev/kmsg record ("PRI,SEQ,TS,FLAGS;text"); true and k filled when it is an
 * "oom-kill:" line, or the "...: Killed process PID (COMM) ..." line that follows it. The
 * kernel rate-limits the first (with the memory report before it: 10 in 5 s, machine-wide),
 * never the second, which names no group: its oom_memcg and task_memcg are "". Pure, for the
 * tests. */
bool kmsg_parse_oom_kill(const char *record, size_t len, struct kmsg_kill *k);

/* Whether cgroup path (as the kernel prints it, "/a/b") is group or lies below it. */
bool kmsg_in_group(const char *path, const char *group);

/* Opens /dev/kmsg at its end (only what is logged from now on); -errno when it cannot
 * (not root). */
int kmsg_open(void);

/* Reads every record that is pending (never blocks) and calls on_kill for each OOM kill.
 * Returns how many records were read, or -errno. */
int kmsg_drain(int fd, void (*on_kill)(const struct kmsg_kill *k, void *ctx), void *ctx);

#endif
