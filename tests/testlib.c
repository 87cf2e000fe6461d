/* The test programs' shared helpers (see testlib.h): one way to start a program under test
 * and read all it writes, and the shipped scenarios read through the scenario loader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"
#include "paths.h"
#include "config/keys.h"
#include "config/scenario.h"
#include "cglayout.h"
#include "opt.h"
#include "requires.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = len >= 0 ? calloc(1, (size_t)len + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int find_runner(char *runner, size_t len, const char *what)
{
	const char *b = getenv("BUILD");

	snprintf(runner, len, "%s/balloon-run", b && *b ? b : "build");
	if (access(runner, X_OK) != 0) {
		print_message("%s: %s (build it first)\n", runner, strerror(errno));
		return -1;
	}
	/* v2 lets a user run it in a delegated subtree (systemd's user@.service); v1 does not */
	if (geteuid() != 0 && cg_layout_detect() != CG_LAYOUT_UNIFIED) {
		/* Elsewhere a skip must say what is missing: here, root. */
		print_message("%s need root (the scenarios create memory cgroups)\n", what);
		return -1;
	}
	return 0;
}

/* A growing buffer that stays NUL-terminated. */
struct sink {
	char *buf;
	size_t len, cap;
	int fd;
	FILE *copy;
};

static void sink_add(struct sink *s, const char *data, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;

		while (s->len + n + 1 > cap)
			cap *= 2;
		s->buf = realloc(s->buf, cap);
		assert_non_null(s->buf);
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	if (s->copy)
		fwrite(data, 1, n, s->copy);
}

/* Runs in the child: the uid, cgroup and directory asked for, then exec. */
static void child(const struct run_opts *o, int out, int err)
{
	if (out >= 0) {
		dup2(out, 1);
		dup2(err, 2);
		close(out);
		if (err != out)
			close(err);
	}
	if (o->cgroup_dir) {
		char procs[4096 + 16];
		FILE *f;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", o->cgroup_dir);
		f = fopen(procs, "w");
		if (!f || fprintf(f, "0\n") < 0 || fclose(f) != 0)
			_exit(97);
	}
	if (o->cgroupns) {
		const char *step = "unshare(CLONE_NEWCGROUP | CLONE_NEWNS)";

		if (unshare(CLONE_NEWCGROUP | CLONE_NEWNS) < 0 ||
		    (step = "mount --make-rprivate /",
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) ||
		    /* the same superblock again on the same mount point is EBUSY: off first, as a
		     * container runtime mounts the namespace's view on a fresh mount point */
		    (step = "umount -l /sys/fs/cgroup",
		     umount2("/sys/fs/cgroup", MNT_DETACH) < 0) ||
		    (step = "mount -t cgroup2 cgroup2 /sys/fs/cgroup",
		     mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0)) {
			dprintf(2, "test child: %s: %s\n", step, strerror(errno));
			_exit(96);
		}
	}
	if (o->uid && (setgid(o->uid) < 0 || setuid(o->uid) < 0))
		_exit(97);
	if (o->cwd && chdir(o->cwd) < 0)
		_exit(97);
	execvp(o->argv[0], (char *const *)o->argv);
	_exit(98);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

void run_program(const struct run_opts *o, struct run_result *r)
{
	struct sink s[2] = { { .fd = -1 }, { .fd = -1 } };
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, status;
	long timeout_ms = (o->timeout_s ? o->timeout_s : 180) * 1000L;
	struct timespec t0;
	bool sent = false;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (o->out_file) {
		s[0].copy = fopen(o->out_file, "w");
		assert_non_null(s[0].copy);
	}
	if (o->tty) {
		struct winsize ws = { .ws_row = 24, .ws_col = (unsigned short)(o->tty_cols ? o->tty_cols : 100) };

		pid = forkpty(&s[0].fd, NULL, NULL, &ws);
		assert_true(pid >= 0);
		if (pid == 0) {
			setenv("TERM", "xterm", 1);
			child(o, -1, -1);
		}
	} else {
		assert_int_equal(pipe2(outp, O_CLOEXEC), 0);
		if (!o->merge)
			assert_int_equal(pipe2(errp, O_CLOEXEC), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			child(o, outp[1], o->merge ? outp[1] : errp[1]);
		close(outp[1]);
		s[0].fd = outp[0];
		if (!o->merge) {
			close(errp[1]);
			s[1].fd = errp[0];
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s[0].fd >= 0 || s[1].fd >= 0) {
		struct pollfd pf[2] = { { s[0].fd, POLLIN, 0 }, { s[1].fd, POLLIN, 0 } };
		long ms;

		poll(pf, 2, 50);
		for (int i = 0; i < 2; i++) {
			char chunk[16384];
			ssize_t n;

			if (s[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(s[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) { /* EOF; EIO on a pty whose other side closed */
				close(s[i].fd);
				s[i].fd = -1;
			} else {
				sink_add(&s[i], chunk, (size_t)n);
			}
		}
		ms = ms_since(&t0);
		/* sig_when: after sig_after_ms, once the output shows that the moment has come */
		if (o->sig && !sent && ms >= o->sig_after_ms &&
		    (!o->sig_when || (s[0].buf && strstr(s[0].buf, o->sig_when)) ||
		     (s[1].buf && strstr(s[1].buf, o->sig_when)))) {
			kill(pid, o->sig);
			sent = true;
		}
		if (ms > timeout_ms) {
			kill(pid, SIGKILL);
			r->timed_out = true;
			for (int i = 0; i < 2; i++)
				if (s[i].fd >= 0) {
					close(s[i].fd);
					s[i].fd = -1;
				}
		}
	}
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	for (int i = 0; i < 2; i++) {
		sink_add(&s[i], "", 0); /* allocated and terminated even when empty */
		if (s[i].copy)
			fclose(s[i].copy);
	}
	r->out = s[0].buf;
	r->out_len = s[0].len;
	r->err = s[1].buf;
	r->err_len = s[1].len;
	if (r->timed_out)
		print_message("%s did not finish within %ld s: killed\n", o->argv[0],
			      timeout_ms / 1000);
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void run_runner_args(const char *runner, const char *const *args, struct run_opts *o,
		     struct run_result *r)
{
	const char *argv[32] = { runner };
	int i;

	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	assert_null(args[i]); /* more than 30 arguments: raise the bound */
	o->argv = argv;
	run_program(o, r);
	o->argv = NULL;
}

const char *tap_yaml(const char *out, const char *key, char *buf, size_t len)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\n  %s: ", key);
	p = strstr(out, pat);
	buf[0] = '\0';
	if (p) {
		p += strlen(pat);
		snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
	}
	return buf;
}

static int cmp_rows(const void *a, const void *b)
{
	return strcmp(((const struct shipped *)a)->file, ((const struct shipped *)b)->file);
}

int shipped_scenarios(struct shipped *rows, int max, const struct cg_env *env)
{
	DIR *d = opendir("scenarios");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n < max) {
		struct scenario sc;
		char err[1024];
		size_t len = strlen(de->d_name);
		size_t nopt;
		const struct opt *tab;

		if (len < 5 || strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		snprintf(rows[n].file, sizeof(rows[n].file), "scenarios/%.240s", de->d_name);
		if (scenario_load(rows[n].file, &sc, err, sizeof(err)) < 0) {
			print_message("%s\n", err);
			closedir(d);
			return -1;
		}
		tab = keys_scenario(&nopt);
		snprintf(rows[n].name, sizeof(rows[n].name), "%s", sc.name);
		snprintf(rows[n].outcome, sizeof(rows[n].outcome), "%s",
			 opt_choice(opt_find(tab, nopt, "expect", "outcome"), sc.outcome - 1));
		snprintf(rows[n].victim, sizeof(rows[n].victim), "%s",
			 opt_choice(opt_find(tab, nopt, "expect", "victim"), sc.victim));
		rows[n].skip[0] = '\0';
		rows[n].swap = false;
		for (size_t k = 0; k < sc.requires.n; k++)
			rows[n].swap = rows[n].swap || strcmp(sc.requires.v[k], "swap") == 0;
		if (env)
			requires_unmet(&sc, env, target_path(), rows[n].skip, sizeof(rows[n].skip));
		scenario_free(&sc);
		n++;
	}
	closedir(d);
	qsort(rows, (size_t)n, sizeof(*rows), cmp_rows);
	return n;
}

bool scenario_needs_swap(const char *file)
{
	struct scenario sc;
	char err[1024];
	bool swap = false;

	if (scenario_load(file, &sc, err, sizeof(err)) < 0)
		return false;
	for (size_t k = 0; k < sc.requires.n; k++)
		swap = swap || strcmp(sc.requires.v[k], "swap") == 0;
	scenario_free(&sc);
	return swap;
}

bool swap_stage_runs(bool needs_swap)
{
	const char *stage = getenv("BALLOON_TEST_SWAP");

	if (stage && strcmp(stage, "only") == 0)
		return needs_swap;
	if (stage && strcmp(stage, "without") == 0)
		return !needs_swap;
	return true;
}

void describe_machine(struct cg_env *env, const char *own_cgroup)
{
	char path[4096 + 64];

	memset(env, 0, sizeof(*env));
	env->layout = cg_layout_detect();
	if (env->layout == CG_LAYOUT_UNIFIED) {
		snprintf(path, sizeof(path), "%s/memory.swap.max", own_cgroup);
		env->has_memsw = strcmp(own_cgroup, CG_V2_ROOT) == 0 || access(path, F_OK) == 0;
	} else {
		snprintf(path, sizeof(path), "%s/memory.memsw.limit_in_bytes", own_cgroup);
		env->has_memsw = access(path, F_OK) == 0;
	}
}

const char *target_path(void)
{
	static char path[8192];
	const char *b = getenv("BUILD"), *p = getenv("PATH");

	if (!path[0])
		snprintf(path, sizeof(path), "%s:%s/workloads:%s", b && *b ? b : "build",
			 b && *b ? b : "build", p ? p : "");
	return path;
}

/* The memory cgroup in a /proc/PID/cgroup line: v1 ":memory:" or v2 "0::"; else NULL. */
static char *memory_path(char *line, bool v2)
{
	char *p = strstr(line, ":memory:");

	if (!v2)
		return p ? p + 8 : NULL;
	return strncmp(line, "0::", 3) == 0 ? line + 3 : NULL;
}

/* The cgroup path of a process (its memory cgroup), from the hierarchy's root. */
static bool cgroup_of(const char *pid, bool v2, char *out, size_t len)
{
	char path[300], line[PATH_MAX + 32];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = memory_path(line, v2);

		if (p) {
			p[strcspn(p, "\n")] = '\0';
			snprintf(out, len, "%.*s", (int)(len - 1), p);
			found = true;
		}
	}
	if (f)
		fclose(f);
	return found;
}

int test_own_cgroup(char *own, size_t len, bool *v2)
{
	char cg[PATH_MAX];

	*v2 = access(V1_ROOT, F_OK) != 0 && access(V2_ROOT "/cgroup.controllers", F_OK) == 0;
	own[0] = '\0';
	if (!cgroup_of("self", *v2, cg, sizeof(cg)) ||
	    (size_t)snprintf(own, len, "%s%s", *v2 ? V2_ROOT : V1_ROOT,
			     strcmp(cg, "/") == 0 ? "" : cg) >= len) {
		own[0] = '\0';
		return -1;
	}
	return 0;
}

/* The path of own below its hierarchy's root ("/" for the root). */
static const char *own_rel(const char *own, bool v2)
{
	const char *r = own + strlen(v2 ? V2_ROOT : V1_ROOT);

	return *r ? r : "/";
}

/* A process of ours: in our own group, or in any balloon-run-* group or scope (what a runner
 * makes; balloons of a benchmark elsewhere are not ours). */
static bool in_our_groups(const char *pid, const char *own, bool v2)
{
	char cg[PATH_MAX];

	if (!cgroup_of(pid, v2, cg, sizeof(cg)))
		return false;
	return strcmp(cg, own_rel(own, v2)) == 0 || strstr(cg, "/balloon-run-") != NULL;
}

/* cgroups named balloon-run-* below dir (depth levels deep), as "cgroup X; " into what. */
static int runner_cgroups(const char *dir, int depth, char *what, size_t len, size_t *w)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) != NULL) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (strncmp(de->d_name, "balloon-run-", 12) == 0) {
			*w += (size_t)snprintf(what + *w, *w < len ? len - *w : 0, "cgroup %s; ", sub);
			n++;
		} else if (depth > 1) {
			n += runner_cgroups(sub, depth - 1, what, len, w);
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* A systemd scope a runner asked for is collected once its last process is gone: give it a
 * moment (it is the manager's doing, not the runner's). */
static void wait_scopes_collected(void)
{
	char what[256];
	size_t w = 0;

	for (int i = 0; i < 40 && runner_cgroups(V2_ROOT, 6, what, sizeof(what), &w) > 0; i++) {
		w = 0;
		usleep(50 * 1000);
	}
}

/* v1: the same path in the other hierarchies, where a container runtime mirrors the groups
 * it makes below ours (cpu, pids, ... and the hybrid's unified one). */
static int mirrored_cgroups(const char *own, char *what, size_t len, size_t *w)
{
	DIR *d = opendir("/sys/fs/cgroup");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) != NULL) {
		char dir[PATH_MAX * 2];

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || strcmp(de->d_name, "memory") == 0)
			continue;
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s%s", de->d_name, own_rel(own, false));
		n += runner_cgroups(dir, 1, what, len, w);
	}
	if (d)
		closedir(d);
	return n;
}

/* Containers in podman's store named like a runner's ("balloon-run-<pid>-<scenario>"). */
static int podman_containers(char *what, size_t len, size_t *w)
{
	const char *argv[] = { "podman", "ps", "--all", "--filter", "name=^balloon-run-",
			       "--format", "{{.Names}} {{.Status}}", NULL };
	struct run_opts o = { .argv = argv, .timeout_s = 60 };
	struct run_result r;
	char found[PATH_MAX];
	int n = 0;

	/* no podman here (the busybox guest): it cannot have left a container */
	if (!paths_which(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin", "podman", found,
			 sizeof(found)))
		return 0;
	run_program(&o, &r);
	for (char *line = r.out, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line) {
			*w += (size_t)snprintf(what + *w, *w < len ? len - *w : 0,
					       "podman container %s; ", line);
			n++;
		}
	}
	if (r.status != 0) {
		*w += (size_t)snprintf(what + *w, *w < len ? len - *w : 0, "podman ps failed: %s; ",
				       r.err);
		n++;
	}
	run_result_free(&r);
	return n;
}

int test_leftovers(const char *own, bool v2, bool podman, char *what, size_t len)
{
	DIR *d;
	struct dirent *de;
	int n = 0;
	size_t w = 0;

	what[0] = '\0';
	if (v2)
		wait_scopes_collected();
	n += runner_cgroups(v2 ? V2_ROOT : own, v2 ? 6 : 1, what, len, &w);
	if (!v2)
		n += mirrored_cgroups(own, what, len, &w);
	if (podman)
		n += podman_containers(what, len, &w);
	d = opendir("/proc");
	while (d && (de = readdir(d)) != NULL) {
		char path[300], comm[64] = "";
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
		/* the runner's own, and what a container target leaves when cleanup misses it */
		if ((strcmp(comm, "balloon") == 0 || strcmp(comm, "balloon-run") == 0 ||
		     strcmp(comm, "conmon") == 0) &&
		    in_our_groups(de->d_name, own, v2)) {
			w += (size_t)snprintf(what + w, w < len ? len - w : 0, "process %s (%s); ",
					      de->d_name, comm);
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}
