/* Starting a child inside a cgroup: it is attached between fork and exec, so nothing it does
 * runs outside the group, and a failed exec comes back as an error, not as a mystery exit. */
#ifndef SPAWN_H
#define SPAWN_H

#include "cgroup/cgroup.h"
#include "opt.h"

#include <sys/types.h>

struct spawned {
	pid_t pid;
	int pidfd;  /* readable when the child exits; -1 (also without pidfd_open) */
	int out_fd; /* read end of its stdout, non-blocking; -1 */
	int err_fd; /* read end of its stderr, non-blocking; -1 */
};

/* Who a child runs as: uid and gid, with the user's supplementary groups (initgroups) when
 * a user name is known. */
struct spawn_ids {
	bool set;
	uid_t uid;
	gid_t gid;
	char user[64];  /* "" = no name: only uid and gid, no supplementary groups */
	char home[256]; /* HOME for the child; "" = leave it */
};

/* Resolves a scenario's user and group (names or numbers; either may be NULL) into ids.
 * A user's own group is used unless group is given. Returns 0 or -errno with err filled. */
int spawn_ids_resolve(const char *user, const char *group, struct spawn_ids *ids, char *err,
		      size_t errlen);

struct spawn_req {
	char *const *argv;
	const struct strlist *env; /* NAME=VALUE added to the runner's environment; may be NULL */
	const char *cwd;           /* NULL or "" = the runner's */
	uint64_t timeout;          /* ns allowed from fork to a successful exec */
	int oom_score_adj;         /* the child's, -1000..1000 (0: an ordinary candidate) */
	const struct spawn_ids *ids; /* NULL: as the runner */
};

/* Starts req->argv in group g (through env->ops->attach; g NULL: it stays in the runner's
 * cgroup). On error nothing is left running and err says what failed ("cannot run 'foo': No
 * such file or directory"). */
int spawn_child(const struct cg_env *env, struct cg_group *g, const struct spawn_req *req,
		struct spawned *out, char *err, size_t errlen);

/* Whether a child of this process may set oom_score_adj to adj: a forked child tries the
 * write (lowering it below the runner's own needs CAP_SYS_RESOURCE). Returns 0 or -errno. */
int spawn_probe_oom_score_adj(int adj);

/* Closes the child's fds (does not kill or reap it); idempotent. */
void spawn_close(struct spawned *s);

#endif
