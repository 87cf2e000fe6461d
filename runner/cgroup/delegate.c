/* Transient scopes with Delegate=yes through systemd's D-Bus API (libsystemd's sd-bus), see
 * delegate.h. The call is org.freedesktop.systemd1.Manager.StartTransientUnit, the one
 * systemd-run makes; the move is seen in /proc/self/cgroup.
 * libsystemd is loaded (dlopen) only when a scope is wanted, on a systemd host: linked, it and
 * what it links (libgcrypt, lz4, zstd, lzma, libcap) would add 1.5 MiB to the runner's RSS in
 * every run, on every host. The headers give the types; the calls go through `sd` below. */
#include "delegate.h"
#include "cgroup.h"
#include "msg.h"
#include "proc_cgroup.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#define LIBSYSTEMD "libsystemd.so.0"

/* The sd-bus calls this file makes, from libsystemd once loaded. */
static struct {
	int (*open_system)(sd_bus **bus);
	int (*open_user)(sd_bus **bus);
	sd_bus *(*unref)(sd_bus *bus);
	int (*new_method_call)(sd_bus *bus, sd_bus_message **m, const char *destination,
			       const char *path, const char *interface, const char *member);
	int (*append)(sd_bus_message *m, const char *types, ...);
	int (*open_container)(sd_bus_message *m, char type, const char *contents);
	int (*close_container)(sd_bus_message *m);
	int (*call)(sd_bus *bus, sd_bus_message *m, uint64_t usec, sd_bus_error *ret_error,
		    sd_bus_message **reply);
	sd_bus_message *(*message_unref)(sd_bus_message *m);
	void (*error_free)(sd_bus_error *e);
} sd;

/* Loads libsystemd once (a failure is remembered too). 0, or -ENOENT with why. */
static int load_sd(char *why, size_t whylen)
{
	static const struct {
		void **slot;
		const char *name;
	} syms[] = {
		{ (void **)&sd.open_system, "sd_bus_open_system" },
		{ (void **)&sd.open_user, "sd_bus_open_user" },
		{ (void **)&sd.unref, "sd_bus_unref" },
		{ (void **)&sd.new_method_call, "sd_bus_message_new_method_call" },
		{ (void **)&sd.append, "sd_bus_message_append" },
		{ (void **)&sd.open_container, "sd_bus_message_open_container" },
		{ (void **)&sd.close_container, "sd_bus_message_close_container" },
		{ (void **)&sd.call, "sd_bus_call" },
		{ (void **)&sd.message_unref, "sd_bus_message_unref" },
		{ (void **)&sd.error_free, "sd_bus_error_free" },
	};
	static int loaded; /* 0 not tried, 1 loaded, -1 failed */
	static char failed[256];
	void *h;

	if (loaded == 0) {
		loaded = -1;
		h = dlopen(LIBSYSTEMD, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			snprintf(failed, sizeof(failed), "cannot load " LIBSYSTEMD " (Debian package "
				 "libsystemd0) for systemd's D-Bus API: %s", dlerror());
		for (size_t i = 0; h && i < sizeof(syms) / sizeof(syms[0]); i++)
			if (!(*syms[i].slot = dlsym(h, syms[i].name))) {
				snprintf(failed, sizeof(failed), LIBSYSTEMD " has no %s", syms[i].name);
				h = NULL; /* stays loaded: nothing else may use it */
			}
		if (h)
			loaded = 1;
	}
	if (loaded < 0) {
		errf(why, whylen, "%s", failed);
		return -ENOENT;
	}
	return 0;
}

static int open_bus(sd_bus **bus)
{
	return geteuid() == 0 ? sd.open_system(bus) : sd.open_user(bus);
}

/* What sd_booted() checks: systemd made this directory at boot. */
bool delegate_systemd(void)
{
	struct stat st;

	return lstat("/run/systemd/system/", &st) == 0 && S_ISDIR(st.st_mode);
}

bool delegate_available(char *why, size_t whylen)
{
	sd_bus *bus = NULL;
	int r;

	if (!delegate_systemd()) {
		errf(why, whylen, "systemd does not run this machine (no /run/systemd/system)");
		return false;
	}
	if (load_sd(why, whylen) < 0)
		return false;
	r = open_bus(&bus);
	sd.unref(bus);
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
	r = load_sd(err, errlen);
	if (r < 0)
		return r;
	r = open_bus(&bus);
	if (r < 0) {
		errf(err, errlen, "D-Bus: cannot reach the %s systemd manager: %s",
		     geteuid() == 0 ? "system" : "user's", strerror(-r));
		goto cleanup;
	}
	r = sd.new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", "StartTransientUnit");
	if (r >= 0)
		r = sd.append(m, "ss", unit, "fail");
	if (r >= 0)
		r = sd.open_container(m, 'a', "(sv)");
	/* Delegate: the subtree below the scope is ours to divide (controllers enabled, groups
	 * made); CollectMode: the scope is gone as soon as it is empty, even after a failure. */
	if (r >= 0)
		r = sd.append(m, "(sv)(sv)(sv)(sv)", "Delegate", "b", 1, "PIDs", "au", 1,
			      (uint32_t)getpid(), "Description", "s", desc, "CollectMode", "s",
			      "inactive-or-failed");
	if (r >= 0)
		r = sd.close_container(m);
	if (r >= 0)
		r = sd.append(m, "a(sa(sv))", 0);
	if (r < 0) {
		errf(err, errlen, "D-Bus: cannot build the StartTransientUnit call: %s", strerror(-r));
		goto cleanup;
	}
	r = sd.call(bus, m, 0, &error, &reply);
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
	sd.error_free(&error);
	sd.message_unref(reply);
	sd.message_unref(m);
	sd.unref(bus);
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
