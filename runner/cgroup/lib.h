/* libcgroup lifecycle shared by the v1 and v2 backends (runner/cgroup_lib.c). Internal to the
 * cgroup layer. Each returns 0 or -errno and fills err with what, where and why. */
#ifndef CGROUP_LIB_H
#define CGROUP_LIB_H

#include "cgroup.h"

/* One value to write into a new group: a file of the memory controller and its text. */
struct cg_value {
	const char *file;
	char value[32];
};

/* Creates g with vals written in order; never adopts an existing directory (-EEXIST); a
 * group whose value failed to write is removed again. */
int cg_lib_create(struct cg_group *g, const struct cg_value *vals, size_t n, char *err,
		  size_t errlen);
/* The same as cg_lib_create, straight on cgroupfs (mkdir, then each value): for cgroup v2 run
 * by a user in a delegated subtree, where libcgroup 2.0.2's create fails ("requested group
 * parameter does not exist"): it writes +memory into every ancestor's subtree_control from
 * the root, which only root may. */
int cg_fs_create(struct cg_group *g, const struct cg_value *vals, size_t n, char *err,
		 size_t errlen);
int cg_lib_attach(struct cg_group *g, pid_t pid, char *err, size_t errlen);
/* Removes an empty group (never moving tasks anywhere) and checks the directory is gone. */
int cg_lib_destroy(struct cg_group *g, char *err, size_t errlen);
/* libcgroup's error code in words, safe for every code (cgroup_strerror is not). */
const char *cg_lib_strerror(int code);

#endif
