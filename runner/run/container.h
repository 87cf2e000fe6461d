/* A target in a container ([target] container = podman): podman's command line, whether
 * podman can run here at all, and the container podman may keep after a run. The container
 * goes below the target's group (--cgroup-parent) while podman and its conmon stay outside
 * the limit, so every counter, the balloon and the verdicts apply to the container as they
 * would to a process. */
#ifndef CONTAINER_H
#define CONTAINER_H

#include "cgroup/cgroup.h"
#include "config/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

/* What podman's command line depends on besides the scenario. */
struct container_host {
	const char *podman;     /* the program ("podman", or a path) */
	bool v1;                /* the memory controller is v1 (hybrid or legacy layout) */
	bool sys_resource;      /* the runner has CAP_SYS_RESOURCE */
	struct rlimit nofile, nproc; /* the runner's own */
};

/* The host as this process sees it (env: the cgroup layout). */
void container_host_probe(const struct cg_env *env, struct container_host *h);

/* The container's name and --cgroup-parent's path for a group: its path from the hierarchy
 * root, with a leading '/'. */
void container_parent_path(const struct cg_group *g, char *buf, size_t len);

/* The root file system a scenario runs: rootfs as given when absolute, else relative to the
 * scenario file's directory (the current directory for a scenario without a file). Returns 0,
 * or -ENAMETOOLONG. The path need not exist. */
int container_rootfs_path(const struct scenario *sc, char *buf, size_t len);

/* podman run ... for the scenario's target, appended to out: name is the container's name,
 * parent the --cgroup-parent path. Returns 0 or -errno with err filled. */
int container_argv(const struct scenario *sc, const struct container_host *h, const char *name,
		   const char *parent, struct strlist *out, char *err, size_t errlen);

/* Why this host cannot run the scenario's container (root, podman, its runtime, the rootfs,
 * podman itself), or NULL when nothing is known to be in the way. podman info runs once per
 * runner; its answer is kept. */
const char *container_unusable(const struct scenario *sc, const struct cg_env *env, char *buf,
			       size_t len);

/* podman rm -f NAME: the container's record in podman's store, whatever state the run left
 * it in (the cleanup's SIGKILLs leave one podman never saw end). Runs in g (NULL: here) and
 * waits until deadline (CLOCK_MONOTONIC ns). Returns 0, or -errno with err filled. */
int container_remove(const struct cg_env *env, struct cg_group *g, const char *name,
		     uint64_t deadline, char *err, size_t errlen);

/* After a dead runner's group named name was removed and it held a container runtime's
 * groups: podman's record of a container of that name, if podman is here. Returns 0 (also
 * when there is none, or no podman), or -errno with err filled. */
int container_stale(const struct cg_env *env, const char *name, char *err, size_t errlen);

#endif
