/* The suite: expand directories, load and validate every scenario (all errors, then exit 2,
 * nothing launched), check the environment (exit 3 says what is missing), protect the runner,
 * and run each scenario through the monitor. */
#include "suite.h"
#include "finish.h"
#include "findlimit.h"
#include "cgroup/cgroup.h"
#include "config/inifile.h"
#include "run/container.h"
#include "run/monitor.h"
#include "run/spawn.h"
#include "msg.h"
#include "run/status.h"
#include "report/report.h"
#include "report/tap.h"
#include "paths.h"
#include "requires.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the .ini files of dir, sorted, or the path itself when it is a file. */
static int expand_path(const char *path, struct strlist *files)
{
	struct stat st;
	struct dirent *de;
	struct strlist found = { 0 };
	DIR *d;

	if (stat(path, &st) < 0) {
		warnmsg("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		strlist_push(files, path);
		return 0;
	}
	d = opendir(path);
	if (!d) {
		warnmsg("%s: %s", path, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char full[PATH_MAX];

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(full, sizeof(full), "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
		strlist_push(&found, full);
	}
	closedir(d);
	if (found.n)
		qsort(found.v, found.n, sizeof(*found.v), cmp_str);
	else
		warnmsg("%s: no .ini scenario files in this directory", path);
	for (size_t i = 0; i < found.n; i++)
		strlist_push(files, found.v[i]);
	strlist_free(&found);
	return 0;
}

/* Loads every file (NULL in files: the one-line scenario) with the command line's keys on
 * top; prints every error. Returns the number of scenarios or -EINVAL. */
static int load_all(const struct strlist *files, const struct suite_opts *o,
		    struct scenario **out, size_t *nalloc, struct inifile_override **ov_out)
{
	size_t n = o->oneline ? 1 : files->n, nov = o->set_spec.n;
	struct scenario *scs = calloc(n ? n : 1, sizeof(*scs));
	struct inifile_override *ov = calloc(nov ? nov : 1, sizeof(*ov));
	char err[1024];
	int bad = 0;

	if (!scs || !ov) {
		free(scs);
		free(ov);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nov; i++)
		ov[i] = (struct inifile_override){ o->set_spec.v[i], o->set_origin.v[i] };
	*nalloc = n;
	for (size_t i = 0; i < n; i++) {
		const char *path = o->oneline ? NULL : files->v[i];

		if (scenario_load_with(path, ov, nov, &scs[i], err, sizeof(err)) < 0) {
			warnmsg("%s", err);
			bad++;
			continue;
		}
		/* Scenario names make the cgroup names of this run: they must differ. */
		for (size_t j = 0; j < i; j++)
			if (scs[j].name && strcmp(scs[j].name, scs[i].name) == 0) {
				warnmsg("%s: [scenario] name: \"%s\" is also the name of %s",
					files->v[i], scs[i].name, files->v[j]);
				bad++;
			}
	}
	*ov_out = ov; /* the limit finder loads each scenario again with them */
	*out = scs;
	return bad ? -EINVAL : (int)n;
}

/* The runner must outlive its workloads and see every orphan they leave. */
static int protect_runner(int *sigfd, bool quiet)
{
	sigset_t set;
	int fd;

	/* -1000 keeps a global OOM from picking the runner. It lives outside the scenario
	 * cgroups, so a memcg OOM never can; without CAP_SYS_RESOURCE (some containers) it
	 * goes on with a note rather than refusing to run. */
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if ((fd < 0 || write(fd, "-1000", 5) != 5) && !quiet)
		warnmsg("note: cannot set own oom_score_adj to -1000 (%s); the runner stays "
			"outside the scenario cgroups, so only a global OOM could pick it",
			strerror(errno));
	if (fd >= 0)
		close(fd);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	/* SIGINT/SIGTERM/SIGHUP arrive through a signalfd in the event loop and end the run
	 * with full cleanup; between scenarios they stay pending and are seen at once. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	/* ...and so do the other signals whose default would kill the runner mid-run */
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGCHLD); /* child exits, where pidfds are not available */
	sigprocmask(SIG_BLOCK, &set, NULL);
	*sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return *sigfd < 0 ? -errno : 0;
}

static void report_stale(const char *name, int killed, bool foreign, void *ctx)
{
	const struct cg_env *env = ctx;
	char err[512];

	warnmsg("removed cgroup %s left by a runner that no longer exists (%d task%s killed)",
		name, killed, killed == 1 ? "" : "s");
	/* a container of that run: podman still lists it (its podman and conmon were killed
	 * before they could remove it); named as the group is */
	if (foreign && container_stale(env, name, err, sizeof(err)) < 0)
		warnmsg("%s", err);
}

/* Open file descriptors of the runner: equal before and after a run, or something leaked. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory stream's own fd */
}

/* Hands a finished round to the report; after a failure the report is dropped, the run goes
 * on, and the failure is said once (the suite then exits 1: the harness broke). */
static void report_round(struct report **rep, bool *failed, size_t i, unsigned round,
			 const struct scenario *sc, const struct scenario_result *res)
{
	char err[1024];

	if (!*rep || report_add(*rep, i, round, sc, res, err, sizeof(err)) == 0)
		return;
	warnmsg("report: %s; no further report files are written", err);
	printf("# report: FAILED: %s\n", err);
	report_free(*rep);
	*rep = NULL;
	*failed = true;
}


static int run_all(struct scenario *scs, size_t n, const struct monitor_opts *mo, int verbose,
		   bool quiet, unsigned repeat, struct report *rep)
{
	struct tap_totals tot = { 0 };
	uint64_t t0 = now_ns();
	int interrupted = 0, fds_before = count_fds();
	size_t num = 0;
	bool report_failed = false;

	if (!quiet)
		tap_plan(stdout, n * repeat);
	for (unsigned round = 0; round < repeat && !interrupted; round++)
		for (size_t i = 0; i < n && !interrupted; i++) {
			struct scenario_result res = { 0 };
			char why[256];

			if (verbose)
				printf("# %s: %s\n", scs[i].name,
				       scs[i].description ? scs[i].description : "");
			if (requires_unmet(&scs[i], mo->env, mo->target_path, why, sizeof(why))) {
				res.skipped = true;
				snprintf(res.skip_why, sizeof(res.skip_why), "%s", why);
				scenario_result_finish(&res);
			} else {
				struct monitor_opts m = *mo;
				char logs[PATH_MAX + 80], err[512];

				/* the children's logs go beside the scenario's other files */
				m.log_dir = rep && report_scenario_dir(rep, i, logs, sizeof(logs), err,
								       sizeof(err)) == 0 ? logs : NULL;
				monitor_run(&scs[i], &m, &res);
				interrupted = res.interrupted;
			}
			status_clear();
			tap_result(stdout, ++num, &scs[i], &res, quiet ? -1 : verbose, &tot);
			report_round(&rep, &report_failed, i, round, &scs[i], &res);
			scenario_result_free(&res);
		}
	status_clear();
	/* What a soak compares: the runner itself must not grow with the number of runs. */
	if (!quiet && !interrupted)
		printf("# runner open fds: %d before, %d after\n", fds_before, count_fds());
	return suite_finish(&rep, &tot, (double)(now_ns() - t0) / 1e9, interrupted, quiet,
			    report_failed);
}


int suite_run(const struct suite_opts *o)
{
	struct harness_config cfg = { 0 };
	struct strlist files = { 0 };
	struct scenario *scs = NULL;
	struct report *rep = NULL;
	struct cg_env env = { 0 };
	bool env_ok = false;
	struct monitor_opts mo = { .cfg = &cfg, .env = &env, .sigfd = -1, .verbose = o->verbose };
	struct paths paths = { 0 };
	struct inifile_override *ov = NULL;
	char err[1024];
	int n = 0, ret = EXIT_USAGE, r;
	size_t nscs = 0;

	if (config_load(o->config, &cfg, err, sizeof(err)) < 0) {
		warnmsg("%s", err);
		goto cleanup;
	}
	for (int i = 0; i < o->npaths; i++)
		if (expand_path(o->paths[i], &files) < 0)
			goto cleanup;
	n = load_all(&files, o, &scs, &nscs, &ov);
	if (n <= 0) {
		if (n == 0)
			warnmsg("no scenarios to run");
		else
			warnmsg("nothing was run: fix the errors above");
		goto cleanup;
	}
	if (o->compare && n != 2) {
		warnmsg("--compare needs exactly two scenarios, got %d", n);
		goto cleanup;
	}
	ret = EXIT_ENV;
	/* v2 can delegate a subtree to a user (systemd's user@.service does): there the runner
	 * needs no root; v1 has no such thing. */
	if (geteuid() != 0 && cg_layout_detect() != CG_LAYOUT_UNIFIED) {
		warnmsg("must run as root: it creates memory cgroups and moves processes into them "
			"(try: sudo %s; with cgroup v2 a user with a delegated cgroup can run it)",
			msg_prog());
		goto cleanup;
	}
	r = cg_env_init(&env, cfg.parent_cgroup, err, sizeof(err));
	if (r < 0) {
		warnmsg("%s", err);
		goto cleanup;
	}
	env_ok = true;
	/* A runner that was SIGKILLed left its groups (and maybe tasks) behind: remove them. */
	r = cg_remove_stale(&env, now_ns() + cfg.recovery_timeout, report_stale, &env, err,
			    sizeof(err));
	if (r < 0) {
		warnmsg("%s", err);
		goto cleanup;
	}
	if (paths_find(&cfg, &paths, err, sizeof(err)) < 0) {
		warnmsg("%s", err);
		goto cleanup;
	}
	mo.balloon_path = paths.balloon;
	mo.target_path = paths.target_path;
	status_init(status_mode_for(STDOUT_FILENO, o->quiet));
	msg_set_before(status_clear);
	if (!o->no_report) {
		struct report_meta meta = { .version = HARNESS_VERSION,
					    .cgroup = cg_layout_name(env.layout),
					    .rounds = o->repeat ? o->repeat : 1,
					    .compare = o->compare };

		char rdir[PATH_MAX];

		if (paths_report_dir(o->report ? o->report : cfg.output_dir, rdir, sizeof(rdir)) < 0) {
			warnmsg("report directory: path too long");
			ret = EXIT_USAGE;
			goto cleanup;
		}
		if (report_open(&rep, rdir, scs, (size_t)n,
				&meta, err, sizeof(err)) < 0) {
			warnmsg("%s", err);
			ret = EXIT_USAGE;
			goto cleanup;
		}
	}
	if (protect_runner(&mo.sigfd, o->quiet) < 0)
		goto cleanup;
	if (o->find_limit) {
		struct findlimit_src src = { o->oneline ? NULL : (const char *const *)files.v, ov,
					     o->set_spec.n };

		ret = findlimit_all(scs, (size_t)n, &src, &mo, o->verbose, o->quiet, rep);
	} else {
		ret = run_all(scs, (size_t)n, &mo, o->verbose, o->quiet, o->repeat ? o->repeat : 1,
			      rep);
	}
	rep = NULL; /* freed by the run */
cleanup:
	report_free(rep);
	/* Every scenario group is gone: give the hierarchy back as it was (v2 leaf, +memory). */
	if (env_ok && cg_env_fini(&env, err, sizeof(err)) < 0) {
		warnmsg("%s", err);
		if (ret == EXIT_MET)
			ret = EXIT_NOT_MET;
	}
	if (mo.sigfd >= 0)
		close(mo.sigfd);
	for (size_t i = 0; scs && i < nscs; i++)
		scenario_free(&scs[i]);
	free(scs);
	free(ov);
	strlist_free(&files);
	config_free(&cfg);
	paths_free(&paths);
	return ret;
}
