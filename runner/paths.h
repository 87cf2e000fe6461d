/* Where the runner's companions are: the balloon, the workload pack, and the PATH a target
 * and a load generator get (the balloon's directory, then the pack's, then the runner's own
 * PATH), in the build tree and once installed. */
#ifndef PATHS_H
#define PATHS_H

#include "config/scenario.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct paths {
	char balloon[PATH_MAX];   /* the balloon program */
	char workloads[PATH_MAX]; /* the workload pack's directory; "" = none found */
	char *target_path;        /* PATH for targets and loads (malloc'd) */
};

/* Finds them from the config (balloon_path, workloads_dir) or from balloon-run's own place.
 * Returns 0, or -errno with err filled (no balloon to run). */
int paths_find(const struct harness_config *cfg, struct paths *p, char *err, size_t errlen);
void paths_free(struct paths *p);

/* Where the report goes: given (--report, or the config's output_dir) when not empty, else
 * the user's state directory: $XDG_STATE_HOME/balloon-run/reports, else
 * $HOME/.local/state/balloon-run/reports, else /tmp/balloon-run-reports-UID. */
int paths_report_dir(const char *given, char *dir, size_t len);

/* The first executable called name in the colon-separated path, into found; false if none.
 * A name with a '/' is taken as it is. */
bool paths_which(const char *path, const char *name, char *found, size_t len);

#endif
