/* The cgroup layout from the filesystem types at /sys/fs/cgroup, as later libcgroup versions
 * and systemd detect it. */
#include "cglayout.h"

#include <sys/vfs.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

enum cg_layout cg_layout_detect(void)
{
	struct statfs fs;

	if (statfs(CG_V2_ROOT, &fs) < 0)
		return CG_LAYOUT_NONE;
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_UNIFIED;
	if (fs.f_type != TMPFS_MAGIC)
		return CG_LAYOUT_NONE;
	if (statfs(CG_V2_ROOT "/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
		return CG_LAYOUT_HYBRID;
	return CG_LAYOUT_V1;
}

const char *cg_layout_name(enum cg_layout l)
{
	switch (l) {
	case CG_LAYOUT_V1: return "v1";
	case CG_LAYOUT_HYBRID: return "hybrid (v1 memory controller)";
	case CG_LAYOUT_UNIFIED: return "v2 (unified)";
	default: return "none";
	}
}
