/* Where the runner sits on cgroup v2 (the env operations of the v2 backend): its own cgroup
 * when it may divide it, else a delegated scope from systemd, else (a container's cgroup
 * namespace) its own cgroup after moving everyone in it into a leaf. See v2env.c. */
#ifndef V2ENV_H
#define V2ENV_H

#include "cgroup.h"

int cg_v2_find_own(struct cg_env *env, char *err, size_t errlen);
int cg_v2_env_init(struct cg_env *env, char *err, size_t errlen);
int cg_v2_env_fini(struct cg_env *env, char *err, size_t errlen);

#endif
