/* Transient scopes with Delegate=yes through systemd's D-Bus API (libsystemd's sd-bus), see
 * delegate.h. The call is org.freedesktop.systemd1.Manager.StartTransientUnit, the one
 * systemd-run makes; the move is seen in /proc/self/cgroup. */
#include "delegate.h"
#include "cgroup.h"
#include "msg.h"
#include "proc_cgroup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

static int open_bus(sd_bus **bus)
{
	return geteuid() == 0 ? sd_bus_open_system(bus) : sd_bus_open_user(bus);
}

bool delegate_systemd(void)
{
	return sd_booted() > 0;
}

bool delegate_available(char *why, size_t whylen)
{
	sd_bus *bus = NULL;
	int r;

	if (sd_booted() <= 0) {
		errf(why, whylen, "systemd does not run this machine (no /run/systemd/system)");
		return false;
	}
	r = open_bus(&bus);
	sd_bus_unref(bus);
	if (r < 0) {
		errf(why, whylen, "cannot reach the %s systemd manager on D-Bus: %s",
		     geteuid() == 0 ? "system" : "user's", strerror(-r));
		return false;
	}
	return true;
}

/* Is this process in the unit's cgroup yet? */
static bool in_unit(const char *unit)
{
	char buf[4096], path[PATH_MAX];
	const char *base;

	if (read_small_file("/proc/self/cgroup", buf, sizeof(buf)) <= 0 ||
	    proc_cgroup_path(buf, true, path, sizeof(path)) < 0)
		return false;
	base = strrchr(path, '/');
	return base && strcmp(base + 1, unit) == 0;
}

int delegate_scope(char *unit, size_t unitlen, char *err, size_t errlen)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL, *reply = NULL;
	sd_bus *bus = NULL;
	uint64_t deadline;
	char desc[96];
	int r;

	snprintf(unit, unitlen, CG_RUN_PREFIX "%d.scope", (int)getpid());
	snprintf(desc, sizeof(desc), "balloon-run %d: its scenario cgroups", (int)getpid());
	r = open_bus(&bus);
	if (r < 0) {
		errf(err, errlen, "D-Bus: cannot reach the %s systemd manager: %s",
		     geteuid() == 0 ? "system" : "user's", strerror(-r));
		goto cleanup;
	}
	r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1",
					   "/org/freedesktop/systemd1",
					   "org.freedesktop.systemd1.Manager", "StartTransientUnit");
	if (r >= 0)
		r = sd_bus_message_append(m, "ss", unit, "fail");
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "(sv)");
	/* Delegate: the subtree below the scope is ours to divide (controllers enabled, groups
	 * made); CollectMode: the scope is gone as soon as it is empty, even after a failure. */
	if (r >= 0)
		r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)", "Delegate", "b", 1, "PIDs", "au",
					  1, (uint32_t)getpid(), "Description", "s", desc,
					  "CollectMode", "s", "inactive-or-failed");
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r >= 0)
		r = sd_bus_message_append(m, "a(sa(sv))", 0);
	if (r < 0) {
		errf(err, errlen, "D-Bus: cannot build the StartTransientUnit call: %s", strerror(-r));
		goto cleanup;
	}
	r = sd_bus_call(bus, m, 0, &error, &reply);
	if (r < 0) {
		errf(err, errlen, "systemd refused the transient scope %s: %s", unit,
		     error.message ? error.message : strerror(-r));
		goto cleanup;
	}
	/* The reply names a job; the move is done when /proc/self/cgroup says so. */
	deadline = now_ns() + 5000000000ull;
	while (!in_unit(unit)) {
		struct timespec ts = { 0, 5000000 };

		if (now_ns() >= deadline) {
			r = -ETIMEDOUT;
			errf(err, errlen, "systemd started %s but did not move the runner into it "
			     "within 5 s", unit);
			goto cleanup;
		}
		nanosleep(&ts, NULL);
	}
	r = 0;
cleanup:
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(m);
	sd_bus_unref(bus);
	return r;
}

bool delegate_marked(const char *dir)
{
	static const char *const names[] = { "trusted.delegate", "user.delegate" };
	char v[8];

	for (size_t i = 0; i < 2; i++) {
		ssize_t n = getxattr(dir, names[i], v, sizeof(v) - 1);

		if (n > 0) {
			v[n] = '\0';
			if (v[0] == '1' || strcmp(v, "true") == 0)
				return true;
		}
	}
	return false;
}

bool delegate_unit_name(const char *cgroup)
{
	const char *base = strrchr(cgroup, '/');
	size_t len;

	base = base ? base + 1 : cgroup;
	len = strlen(base);
	return (len > 8 && strcmp(base + len - 8, ".service") == 0) ||
	       (len > 6 && strcmp(base + len - 6, ".scope") == 0);
}
