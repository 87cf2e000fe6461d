/* The balloon, the workload pack and the targets' PATH (see paths.h). */
#include "paths.h"
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory balloon-run runs from. */
static int self_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return 0;
}

int paths_find(const struct harness_config *cfg, struct paths *p, char *err, size_t errlen)
{
	char self[PATH_MAX], bdir[PATH_MAX];
	const char *env_path = getenv("PATH"), *slash;
	int r;

	memset(p, 0, sizeof(*p));
	if ((r = self_dir(self, sizeof(self))) < 0) {
		errf(err, errlen, "cannot find balloon-run's own directory: %s", strerror(-r));
		return r;
	}
	if ((size_t)snprintf(p->balloon, sizeof(p->balloon), "%s%s",
			     cfg->balloon_path && *cfg->balloon_path ? cfg->balloon_path : self,
			     cfg->balloon_path && *cfg->balloon_path ? "" : "/balloon") >=
	    sizeof(p->balloon)) {
		errf(err, errlen, "the balloon's path is too long");
		return -ENAMETOOLONG;
	}
	if (access(p->balloon, X_OK) != 0) {
		r = -errno;
		errf(err, errlen, "cannot run the balloon program %s: %s (set balloon_path in the "
		     "config)", p->balloon, strerror(-r));
		return r;
	}
	/* the build tree has build/workloads beside build/balloon-run; an installed runner in
	 * PREFIX/bin has PREFIX/lib/balloon/workloads */
	if (cfg->workloads_dir && *cfg->workloads_dir)
		r = snprintf(p->workloads, sizeof(p->workloads), "%s", cfg->workloads_dir);
	else if ((r = snprintf(p->workloads, sizeof(p->workloads), "%s/workloads", self)) > 0 &&
		 (size_t)r < sizeof(p->workloads) && !is_dir(p->workloads))
		r = snprintf(p->workloads, sizeof(p->workloads), "%s/../lib/balloon/workloads", self);
	if ((size_t)r >= sizeof(p->workloads) || !is_dir(p->workloads))
		p->workloads[0] = '\0';
	slash = strrchr(p->balloon, '/');
	snprintf(bdir, sizeof(bdir), "%.*s", slash ? (int)(slash - p->balloon) : 1,
		 slash ? p->balloon : ".");
	if (asprintf(&p->target_path, "%s%s%s%s%s", bdir, *p->workloads ? ":" : "", p->workloads,
		     env_path && *env_path ? ":" : "", env_path ? env_path : "") < 0) {
		p->target_path = NULL;
		errf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void paths_free(struct paths *p)
{
	free(p->target_path);
	p->target_path = NULL;
}

bool paths_which(const char *path, const char *name, char *found, size_t len)
{
	const char *d = path;

	if (strchr(name, '/')) {
		snprintf(found, len, "%s", name);
		return access(name, X_OK) == 0;
	}
	while (d && *d) {
		size_t n = strcspn(d, ":");

		if ((size_t)snprintf(found, len, "%.*s/%s", (int)n, n ? d : ".", name) < len &&
		    access(found, X_OK) == 0)
			return true;
		d += n;
		if (*d == ':')
			d++;
	}
	return false;
}

int paths_report_dir(const char *given, char *dir, size_t len)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (given && *given)
		n = snprintf(dir, len, "%s", given);
	else if (state && *state == '/')
		n = snprintf(dir, len, "%s/balloon-run/reports", state);
	else if (home && *home == '/')
		n = snprintf(dir, len, "%s/.local/state/balloon-run/reports", home);
	else
		n = snprintf(dir, len, "/tmp/balloon-run-reports-%d", (int)getuid());
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
