/* A delegated place in the cgroup tree from systemd: when the runner's own cgroup cannot be
 * used as it is (other processes share it, or systemd manages it without Delegate=yes), the
 * runner asks systemd over D-Bus for a transient scope of its own with Delegate=yes and moves
 * itself there, as `systemd-run --scope -p Delegate=yes` would. As root through the system
 * manager; as another user through the user's manager (user@UID.service), which delegates
 * the memory controller on Debian 12 and the other current distributions. */
#ifndef DELEGATE_H
#define DELEGATE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether systemd runs this machine (/run/systemd/system exists). */
bool delegate_systemd(void);

/* Whether systemd runs this machine and the manager for this user answers on D-Bus (why
 * not, when it does not). */
bool delegate_available(char *why, size_t whylen);

/* Starts the transient scope "balloon-run-<pid>.scope" with Delegate=yes holding this
 * process, and waits (up to 5 s) until /proc/self/cgroup shows it there. unit gets its name.
 * Returns 0, or -errno with what failed (the D-Bus error's text) in err. */
int delegate_scope(char *unit, size_t unitlen, char *err, size_t errlen);

/* Whether systemd marked the cgroup directory as delegated (xattr trusted.delegate or
 * user.delegate = 1, systemd 251+). */
bool delegate_marked(const char *dir);

/* Whether the cgroup's name says a systemd unit owns it (NAME.service, NAME.scope). */
bool delegate_unit_name(const char *cgroup);

#endif
