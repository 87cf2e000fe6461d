/* Which cgroup layout this machine has: where the memory controller lives. The balloon needs
 * it to find its limit, the runner to pick its backend. */
#ifndef CGLAYOUT_H
#define CGLAYOUT_H

#define CG_V1_ROOT "/sys/fs/cgroup/memory" /* the v1 memory hierarchy */
#define CG_V2_ROOT "/sys/fs/cgroup"        /* the unified (cgroup2) hierarchy */

enum cg_layout {
	CG_LAYOUT_NONE,    /* no cgroup filesystem at /sys/fs/cgroup */
	CG_LAYOUT_V1,      /* legacy: v1 hierarchies only */
	CG_LAYOUT_HYBRID,  /* v1 hierarchies (memory among them) and a cgroup2 at unified/ */
	CG_LAYOUT_UNIFIED, /* cgroup2 at /sys/fs/cgroup: the memory controller is v2 */
};

/* Detects the layout with statfs (libcgroup 2.0.2 has no CGROUP_MODE_* API). */
enum cg_layout cg_layout_detect(void);

const char *cg_layout_name(enum cg_layout l);

#endif
