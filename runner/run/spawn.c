/* fork, attach to the cgroup, exec. The child waits on a pipe until the parent has moved it
 * into its cgroup; exec failures travel back on a close-on-exec pipe. */
#include "spawn.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <linux/close_range.h>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Records the child sends on the close-on-exec pipe. STAGE_READY comes first, before the
 * child is in its cgroup, so the pipe's page is charged outside a group that may be at its
 * limit and a later failure record always fits. */
enum { STAGE_READY = 0, STAGE_EXEC, STAGE_CWD, STAGE_SETUP, STAGE_ADJ, STAGE_IDS };

struct child_failure {
	int stage;
	int err;
};

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0) {
			close(p[i]);
			p[i] = -1;
		}
}

/* Writes this process's oom_score_adj; async-signal-safe (runs between fork and exec).
 * Returns 0 or -1 with errno set. */
static int set_oom_score_adj(int adj)
{
	char buf[8], *p = buf + sizeof(buf);
	unsigned v = (unsigned)(adj < 0 ? -adj : adj);
	int fd, ret = 0, e;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (adj < 0)
		*--p = '-';
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, p, (size_t)(buf + sizeof(buf) - p)) < 0)
		ret = -1;
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

static void child_fail(int fd, int stage, int err)
{
	struct child_failure f = { stage, err };

	if (write(fd, &f, sizeof(f)) < 0)
		_exit(127);
	_exit(127);
}

/* Runs in the child, after everything that needs the runner's privileges: the groups, the
 * gid, then the uid. The parent-death signal is cleared when credentials change: set again. */
static void become(const struct spawn_ids *ids, pid_t parent, int fail_fd)
{
	if (ids->user[0] ? initgroups(ids->user, ids->gid) < 0 : setgroups(0, NULL) < 0)
		child_fail(fail_fd, STAGE_IDS, errno);
	if (setgid(ids->gid) < 0 || setuid(ids->uid) < 0)
		child_fail(fail_fd, STAGE_IDS, errno);
	if (ids->home[0])
		setenv("HOME", ids->home, 1);
	if (ids->user[0]) {
		setenv("USER", ids->user, 1);
		setenv("LOGNAME", ids->user, 1);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
}

/* Runs in the child: never returns. Only async-signal-safe work until the sync byte arrives;
 * after that the runner is single-threaded, so setenv is safe too. */
static void child_main(pid_t parent, int sync_fd, int fail_fd, int out_fd, int err_fd,
		       const struct spawn_req *req)
{
	sigset_t none;
	char go;
	int fd;

	/* Die with the runner: the harness must never leave a workload behind. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* Terminal signals go to the runner alone; it ends the run and cleans up. */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	/* The runner may run at oom_score_adj -1000; the workload must be an ordinary
	 * candidate unless the scenario says otherwise. Everything that allocates happens here,
	 * before the cgroup attach. */
	if (set_oom_score_adj(req->oom_score_adj) < 0)
		child_fail(fail_fd, STAGE_ADJ, errno);
	if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		child_fail(fail_fd, STAGE_SETUP, errno);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		child_fail(fail_fd, STAGE_SETUP, errno);
	if (req->cwd && *req->cwd && chdir(req->cwd) < 0)
		child_fail(fail_fd, STAGE_CWD, errno);
	for (size_t i = 0; req->env && i < req->env->n; i++)
		if (putenv(req->env->v[i]) != 0)
			child_fail(fail_fd, STAGE_SETUP, errno);
	if (req->ids && req->ids->set)
		become(req->ids, parent, fail_fd);
	/* Whatever else the runner inherited (a caller's pipes, say) must not reach the
	 * workload: a hung grandchild would hold it open forever. Ours are close-on-exec. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	struct child_failure ready = { STAGE_READY, 0 };
	if (write(fail_fd, &ready, sizeof(ready)) != (ssize_t)sizeof(ready))
		_exit(127);
	if (read(sync_fd, &go, 1) != 1)
		_exit(127); /* the parent could not attach us and gave up */
	execvp(req->argv[0], req->argv);
	child_fail(fail_fd, STAGE_EXEC, errno);
}

/* One record from the child, waiting until deadline (CLOCK_MONOTONIC ns). Returns 1 with a
 * record, 0 at EOF (exec succeeded), -ETIMEDOUT, or -errno. */
static int read_record(int fd, uint64_t deadline, struct child_failure *f)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	uint64_t now;
	ssize_t n;
	int r;

	for (;;) {
		now = now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)((deadline - now) / 1000000u) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			continue;
		n = read(fd, f, sizeof(*f));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return n == (ssize_t)sizeof(*f) ? 1 : 0;
	}
}

static void say_failure(const struct spawn_req *req, const struct child_failure *f, char *err,
			size_t errlen)
{
	if (f->stage == STAGE_EXEC)
		errf(err, errlen, "cannot run '%s': %s", req->argv[0], strerror(f->err));
	else if (f->stage == STAGE_ADJ)
		errf(err, errlen, "cannot set oom_score_adj %d for '%s': %s", req->oom_score_adj,
		     req->argv[0], strerror(f->err));
	else if (f->stage == STAGE_IDS)
		errf(err, errlen, "cannot become uid %d gid %d for '%s': %s", (int)req->ids->uid,
		     (int)req->ids->gid, req->argv[0], strerror(f->err));
	else if (f->stage == STAGE_CWD)
		errf(err, errlen, "cannot enter working directory '%s': %s", req->cwd,
		     strerror(f->err));
	else
		errf(err, errlen, "cannot set up '%s': %s", req->argv[0], strerror(f->err));
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* The parent's side of the start: wait until the child is set up, move it into the group,
 * let it exec, and wait (with a deadline) to learn whether the exec worked. */
static int hand_over(const struct cg_env *env, struct cg_group *g, const struct spawn_req *req,
		     pid_t pid, int sync_fd, int fail_fd, char *err, size_t errlen)
{
	uint64_t deadline = now_ns() + req->timeout;
	struct child_failure f;
	int ret;

	/* The child first reports it is set up (or why it could not be). */
	ret = read_record(fail_fd, deadline, &f);
	if (ret != 1 || f.stage != STAGE_READY) {
		if (ret == 1)
			say_failure(req, &f, err, errlen);
		else
			errf(err, errlen, "'%s' did not get ready to start: %s", req->argv[0],
			     ret == 0 ? "it exited" : strerror(-ret));
		return ret == 1 ? -f.err : -EIO;
	}
	if (g && (ret = env->ops->attach(g, pid, err, errlen)) < 0)
		return ret;
	if (write(sync_fd, "g", 1) != 1) {
		errf(err, errlen, "start child: %s", strerror(errno));
		return -EIO;
	}
	/* EOF means exec succeeded (the pipe is close-on-exec); a record means it failed. An
	 * exec that never comes (stuck in a group at its limit) must not stall the runner. */
	ret = read_record(fail_fd, deadline, &f);
	if (ret == 0)
		return 0;
	if (ret == 1)
		say_failure(req, &f, err, errlen);
	else
		errf(err, errlen, "'%s' did not start within %.0f s (%s): is its cgroup at its "
		     "limit?", req->argv[0], (double)req->timeout / 1e9, strerror(-ret));
	return ret == 1 ? -f.err : ret;
}

int spawn_child(const struct cg_env *env, struct cg_group *g, const struct spawn_req *req,
		struct spawned *out, char *err, size_t errlen)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, syncp[2] = { -1, -1 },
	    failp[2] = { -1, -1 };
	pid_t parent = getpid(), pid = -1;
	int ret = -EIO, status;

	out->pid = -1;
	out->pidfd = out->out_fd = out->err_fd = -1;
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(syncp, O_CLOEXEC) < 0 || pipe2(failp, O_CLOEXEC) < 0) {
		ret = -errno;
		errf(err, errlen, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		errf(err, errlen, "fork: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		close(syncp[1]);
		close(failp[0]);
		close(outp[0]);
		close(errp[0]);
		child_main(parent, syncp[0], failp[1], outp[1], errp[1], req);
	}
	close(syncp[0]);
	close(failp[1]);
	close(outp[1]);
	close(errp[1]);
	syncp[0] = failp[1] = outp[1] = errp[1] = -1;

	ret = hand_over(env, g, req, pid, syncp[1], failp[0], err, errlen);
	if (ret < 0)
		goto kill_child;
	/* A pidfd wakes the loop when the child exits; where the kernel (before 5.3) or a tool
	 * such as valgrind lacks pidfd_open, SIGCHLD on the runner's signalfd does instead. */
	out->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (out->pidfd < 0 && errno != ENOSYS) {
		ret = -errno;
		errf(err, errlen, "pidfd_open(%d): %s", (int)pid, strerror(errno));
		goto kill_child;
	}
	if (out->pidfd >= 0)
		fcntl(out->pidfd, F_SETFD, FD_CLOEXEC);
	set_nonblock(outp[0]);
	set_nonblock(errp[0]);
	out->pid = pid;
	out->out_fd = outp[0];
	out->err_fd = errp[0];
	outp[0] = errp[0] = -1;
	ret = 0;
	goto cleanup;

kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
cleanup:
	close_pair(outp);
	close_pair(errp);
	close_pair(syncp);
	close_pair(failp);
	return ret;
}

void spawn_close(struct spawned *s)
{
	int *fds[] = { &s->pidfd, &s->out_fd, &s->err_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int spawn_probe_oom_score_adj(int adj)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(set_oom_score_adj(adj) == 0 ? 0 : (errno & 0xff));
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status))
		return -EIO;
	return -WEXITSTATUS(status);
}

int spawn_ids_resolve(const char *user, const char *group, struct spawn_ids *ids, char *err,
		      size_t errlen)
{
	struct passwd *pw = NULL;
	struct group *gr = NULL;
	char *end;

	memset(ids, 0, sizeof(*ids));
	if (!user && !group)
		return 0;
	ids->set = true;
	ids->uid = getuid();
	ids->gid = getgid();
	if (user) {
		unsigned long v = strtoul(user, &end, 10);

		pw = *end || end == user ? getpwnam(user) : getpwuid((uid_t)v);
		if (!pw && (*end || end == user)) {
			errf(err, errlen, "no such user \"%s\"", user);
			return -ENOENT;
		}
		ids->uid = pw ? pw->pw_uid : (uid_t)v;
		ids->gid = pw ? pw->pw_gid : (gid_t)v;
		if (pw) {
			snprintf(ids->user, sizeof(ids->user), "%s", pw->pw_name);
			snprintf(ids->home, sizeof(ids->home), "%s", pw->pw_dir);
		}
	}
	if (group) {
		unsigned long v = strtoul(group, &end, 10);

		gr = *end || end == group ? getgrnam(group) : NULL;
		if (!gr && (*end || end == group)) {
			errf(err, errlen, "no such group \"%s\"", group);
			return -ENOENT;
		}
		ids->gid = gr ? gr->gr_gid : (gid_t)v;
	}
	return 0;
}
