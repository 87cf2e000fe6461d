/* Running one scenario: cgroups, target, balloon, the event loop that watches them, cleanup,
 * and the verdict. */
#ifndef MONITOR_H
#define MONITOR_H

#include "cgroup/cgroup.h"
#include "opt.h"
#include "config/scenario.h"
#include "timeline.h"
#include "verdict/result.h"
#include "verdict/verdict.h"

struct scenario_result {
	struct observation obs;
	struct verdict_result vr;
	struct timeline tl;
	bool met;              /* the verdict meets [expect] */
	char why[512];         /* why not */
	bool broken;           /* BROK: the harness itself failed (setup, spawn, cleanup) */
	char broken_why[512];
	bool skipped;          /* this machine cannot run it */
	char skip_why[256];
	int interrupted;       /* the signal that ended the run early, or 0 */
	struct strlist diag;   /* extra lines for TAP comments */
	enum result result;    /* the class, decided by scenario_result_finish() */
	uint64_t elapsed;      /* ns, setup to cleanup done */
	uint64_t t0;           /* CLOCK_MONOTONIC ns when the run began: every event's t_s is
				  after it (the kernel's printk times are on the same clock) */
};

struct monitor_opts {
	const struct harness_config *cfg;
	const struct cg_env *env;
	const char *balloon_path;
	const char *target_path; /* PATH of the target and the load: the balloon's directory and
				    the workload pack's first; NULL = the runner's */
	const char *log_dir;     /* where ROLE.log files of the children go; NULL = none */
	int sigfd;   /* signalfd for SIGINT/SIGTERM/SIGHUP: ends the run with full cleanup */
	int verbose; /* 1: events as TAP comments while running; 2: also child output */
};

/* Runs sc and fills res. Returns 0 when the scenario ran (whatever the verdict), or -errno
 * when the harness broke (res->broken says why); cleanup has been done either way. */
int monitor_run(const struct scenario *sc, const struct monitor_opts *mo,
		struct scenario_result *res);

/* Decides res->result from what happened (interrupt, skip, BROK, the expectation), once,
 * when the run is over; everything after reads it. */
void scenario_result_finish(struct scenario_result *res);

/* Why a result is not met, broken, skipped or interrupted ("" when met). */
const char *scenario_result_reason(const struct scenario_result *res);

void scenario_result_free(struct scenario_result *res);

#endif
