/* Starting the children of a run: the target in its group (as its user, with the balloon's
 * and the workload pack's directories first on its PATH; or podman, outside the limit, with
 * the container in it), the balloon beside it, and the load generator in the unlimited
 * outside group. Each is watched through its pidfd and its
 * two output pipes in the run's epoll set. */
#include "runstate.h"
#include "container.h"
#include "msg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int start_child(struct run *r, struct tracked *p, struct cg_group *g,
		       const struct spawn_req *req, enum tag base)
{
	char err[512];
	int ret;

	ret = spawn_child(r->mo->env, g, req, &p->sp, err, sizeof(err));
	if (ret < 0) {
		run_broke(r, "%s: %s", p->role, err);
		return ret;
	}
	p->end->started = true;
	if ((p->sp.pidfd >= 0 && (ret = run_watch(r, p->sp.pidfd, base)) < 0) ||
	    (ret = run_watch(r, p->sp.out_fd, base + 1)) < 0 ||
	    (ret = run_watch(r, p->sp.err_fd, base + 2)) < 0)
		run_broke(r, "epoll: %s", strerror(-ret));
	return ret;
}

/* PATH=<the target path of the run>, then the section's own env entries (which may
 * override it). */
static void child_env(struct run *r, const struct strlist *own, struct strlist *envl)
{
	char *buf = NULL;

	if (r->mo->target_path && asprintf(&buf, "PATH=%s", r->mo->target_path) > 0) {
		strlist_push(envl, buf);
		free(buf);
	}
	for (size_t i = 0; i < own->n; i++)
		strlist_push(envl, own->v[i]);
}

/* The target as podman's command line: podman itself in the outside group, the container
 * below the target's group (run/container.c). */
static int start_container(struct run *r, const char **what)
{
	const struct scenario *sc = r->sc;
	struct container_host h;
	struct strlist argv = { 0 };
	char parent[PATH_MAX + 1], err[512];
	int ret;

	container_host_probe(r->mo->env, &h);
	container_parent_path(r->tgt_grp, parent, sizeof(parent));
	ret = container_argv(sc, &h, r->container, parent, &argv, err, sizeof(err));
	if (ret < 0) {
		run_broke(r, "target: %s", err);
		strlist_free(&argv);
		return ret;
	}
	struct spawn_req req = { argv.v, NULL, NULL, r->mo->cfg->recovery_timeout, 0, NULL };
	r->t_target_start = now_ns();
	ret = start_child(r, &r->target, &r->out_grp, &req, T_TGT_PID);
	if (ret == 0)
		run_event(r, "container", "%s (%s %s) below %s", r->container,
			  sc->rootfs ? "rootfs" : "image", sc->rootfs ? sc->rootfs : sc->image, parent);
	*what = "podman run ";
	strlist_free(&argv);
	return ret;
}

static int start_process(struct run *r, struct spawn_ids *ids)
{
	const struct scenario *sc = r->sc;
	char *sh[] = { "/bin/sh", "-c", sc->command_text, NULL };
	struct strlist envl = { 0 };
	char err[256];
	int ret;

	if (spawn_ids_resolve(sc->user, sc->group, ids, err, sizeof(err)) < 0) {
		run_broke(r, "target: %s", err);
		return -EINVAL;
	}
	child_env(r, &sc->env, &envl);
	struct spawn_req req = { sc->shell ? sh : sc->command.v, &envl, sc->cwd,
				 r->mo->cfg->recovery_timeout, sc->oom_score_adj, ids };
	r->t_target_start = now_ns();
	ret = start_child(r, &r->target, r->tgt_grp, &req, T_TGT_PID);
	strlist_free(&envl);
	return ret;
}

int run_start_target(struct run *r)
{
	const struct scenario *sc = r->sc;
	struct spawn_ids ids = { 0 };
	const char *how = sc->shell ? "/bin/sh -c " : "";
	int ret;

	ret = sc->container == CONTAINER_PODMAN ? start_container(r, &how) :
						  start_process(r, &ids);
	if (ret < 0)
		return ret;
	run_event(r, "target_started", "pid %d: %s%s%s%s", (int)r->target.sp.pid, how,
		  sc->shell ? sc->command_text : sc->command.v[0],
		  ids.set ? " as " : "", ids.set ? (ids.user[0] ? ids.user : "another uid") : "");
	if (!sc->has_balloon)
		r->obs->t_pressure = run_rel(r, r->t_target_start);
	if (sc->ready == READY_START)
		run_set_ready(r, "start");
	return 0;
}

int run_start_balloon(struct run *r)
{
	const struct scenario *sc = r->sc;
	char **argv = calloc(sc->balloon_args.n + 3, sizeof(*argv));
	int ret;

	if (!argv) {
		run_broke(r, "balloon: out of memory");
		return -ENOMEM;
	}
	argv[0] = (char *)r->mo->balloon_path;
	argv[1] = "--progress-fd=1";
	for (size_t i = 0; i < sc->balloon_args.n; i++)
		argv[i + 2] = sc->balloon_args.v[i];
	struct spawn_req req = { argv, NULL, NULL, r->mo->cfg->recovery_timeout, 0, NULL };
	r->balloon_started = true;
	r->obs->t_pressure = run_rel(r, now_ns());
	ret = start_child(r, &r->balloon, r->bal_grp, &req, T_BAL_PID);
	free(argv);
	return ret;
}

int run_start_load(struct run *r)
{
	const struct load_conf *l = &r->sc->load;
	char *sh[] = { "/bin/sh", "-c", l->command_text, NULL };
	struct strlist envl = { 0 };
	int ret;

	child_env(r, &l->env, &envl);
	struct spawn_req req = { l->shell ? sh : l->command.v, &envl, l->cwd,
				 r->mo->cfg->recovery_timeout, 0, NULL };
	r->load_started = true;
	ret = start_child(r, &r->load, &r->out_grp, &req, T_LOAD_PID);
	strlist_free(&envl);
	if (ret == 0)
		run_event(r, "load_started", "pid %d: %s%s", (int)r->load.sp.pid,
			  l->shell ? "/bin/sh -c " : "", l->shell ? l->command_text : l->command.v[0]);
	return ret;
}
