/* The test programs' shared helpers (see testlib.h): one way to start a program under test
 * and read all it writes, and the shipped scenarios read through the scenario loader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "testlib.h"
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
	if (o->cgroupns && (unshare(CLONE_NEWCGROUP | CLONE_NEWNS) < 0 ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0))
		_exit(96);
	if (o->uid && (setgid(o->uid) < 0 || setuid(o->uid) < 0))
		_exit(97);
	if (o->cwd && chdir(o->cwd) < 0)
		_exit(97);
	execv(o->argv[0], (char *const *)o->argv);
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
		if (o->sig && !sent && ms >= o->sig_after_ms) {
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
		snprintf(rows[n].file, sizeof(rows[n].file), "scenarios/%s", de->d_name);
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
		if (env)
			requires_unmet(&sc, env, target_path(), rows[n].skip, sizeof(rows[n].skip));
		scenario_free(&sc);
		n++;
	}
	closedir(d);
	qsort(rows, (size_t)n, sizeof(*rows), cmp_rows);
	return n;
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
