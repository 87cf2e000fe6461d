/* podman's command line for a target in a container (run/container.c), from scenario files
 * through the loader: the flags each kind of host needs (runc on v1, the runner's own
 * ulimits without CAP_SYS_RESOURCE), what the [target] keys become (env, user, cwd,
 * oom_score_adj, container_options, shell), the rootfs resolved from the scenario file's
 * directory, an image instead; and the rules between the keys. */
#include "scenario_fixture.h"

#include "run/container.h"

#include <sys/stat.h>

/* The argv podman would get, as one line of words separated by single spaces. */
static void argv_of(const char *text, const struct container_host *h, char *line, size_t len)
{
	struct scenario sc;
	struct strlist argv = { 0 };
	char err[512];
	size_t used = 0;

	load_ok(text, &sc);
	if (container_argv(&sc, h, "balloon-run-1-t", "/p/balloon-run-1-t", &argv, err,
			   sizeof(err)) < 0)
		fail_msg("container_argv: %s", err);
	line[0] = '\0';
	for (size_t i = 0; i < argv.n; i++)
		used += (size_t)snprintf(line + used, len - used, "%s%s", i ? " " : "", argv.v[i]);
	assert_true(used < len);
	strlist_free(&argv);
	scenario_free(&sc);
}

static const char *const base =
	"[cgroup]\nmemory_limit = 64M\n"
	"[target]\ncontainer = podman\nrootfs = rootfs\ncommand = gohog -size '64 M'\n"
	"[expect]\noutcome = survived\n";

static void make_rootfs(void)
{
	char p[128];

	path_of("rootfs", p, sizeof(p));
	mkdir(p, 0755);
}

static void test_v1_without_sys_resource(void **state)
{
	struct container_host h = { .podman = "podman", .v1 = true, .sys_resource = false,
				    .nofile = { 1024, 20000 }, .nproc = { 96364, 96364 } };
	char line[4096], want[1024];

	(void)state;
	make_rootfs();
	argv_of(base, &h, line, sizeof(line));
	snprintf(want, sizeof(want),
		 "podman --cgroup-manager=cgroupfs --runtime runc run --rm --name=balloon-run-1-t "
		 "--cgroup-parent=/p/balloon-run-1-t --cgroups=no-conmon --network=host "
		 "--pull=never --ulimit=nofile=1024:20000 --ulimit=nproc=32768:32768 "
		 "--rootfs %s/rootfs gohog -size 64 M", dir);
	assert_string_equal(line, want);
}

static void test_v2_with_sys_resource(void **state)
{
	struct container_host h = { .podman = "podman", .v1 = false, .sys_resource = true,
				    .nofile = { 1024, 4096 }, .nproc = { RLIM_INFINITY,
									RLIM_INFINITY } };
	char line[4096];

	(void)state;
	make_rootfs();
	argv_of(base, &h, line, sizeof(line));
	/* crun, podman's default, runs on v2; the default ulimits can be set */
	assert_null(strstr(line, "--runtime"));
	assert_null(strstr(line, "--ulimit"));
	assert_non_null(strstr(line, "podman --cgroup-manager=cgroupfs run --rm "));
}

static void test_target_keys(void **state)
{
	struct container_host h = { .podman = "podman", .v1 = false, .sys_resource = true };
	char line[4096];

	(void)state;
	argv_of("[cgroup]\nmemory_limit = 64M\n"
		"[target]\ncontainer = podman\nimage = localhost/svc:1\n"
		"command = poolsrv --port 1 > /dev/null\nshell = yes\n"
		"env = A=1\nenv = B=two words\nuser = app\ngroup = app\ncwd = /srv\n"
		"oom_score_adj = 500\ncontainer_options = --read-only --memory-swappiness=0\n"
		"[expect]\noutcome = survived\n", &h, line, sizeof(line));
	assert_string_equal(line,
			    "podman --cgroup-manager=cgroupfs run --rm --name=balloon-run-1-t "
			    "--cgroup-parent=/p/balloon-run-1-t --cgroups=no-conmon --network=host "
			    "--pull=never --oom-score-adj=500 --user=app:app --workdir=/srv "
			    "--env=A=1 --env=B=two words --read-only --memory-swappiness=0 "
			    "localhost/svc:1 /bin/sh -c poolsrv --port 1 > /dev/null");
}

static void test_rootfs_path(void **state)
{
	struct scenario sc = { 0 };
	char buf[256];

	(void)state;
	sc.rootfs = "../build/container/rootfs";
	sc.file = "scenarios/x.ini";
	assert_int_equal(container_rootfs_path(&sc, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "scenarios/../build/container/rootfs");
	sc.file = "x.ini"; /* in the current directory */
	assert_int_equal(container_rootfs_path(&sc, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "../build/container/rootfs");
	sc.file = NULL;    /* the one-line mode: the current directory */
	assert_int_equal(container_rootfs_path(&sc, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "../build/container/rootfs");
	sc.rootfs = "/srv/rootfs";
	sc.file = "scenarios/x.ini";
	assert_int_equal(container_rootfs_path(&sc, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/srv/rootfs");
	assert_int_equal(container_rootfs_path(&sc, buf, 8), -ENAMETOOLONG);
}

static void test_missing_rootfs(void **state)
{
	struct container_host h = { .podman = "podman" };
	struct strlist argv = { 0 };
	struct scenario sc;
	char err[512];

	(void)state;
	load_ok("[cgroup]\nmemory_limit = 64M\n[target]\ncontainer = podman\n"
		"rootfs = no-such-dir\ncommand = true\n[expect]\noutcome = survived\n", &sc);
	assert_int_equal(container_argv(&sc, &h, "n", "/p", &argv, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "[target] rootfs"));
	assert_non_null(strstr(err, "no-such-dir: No such file or directory"));
	strlist_free(&argv);
	scenario_free(&sc);
}

static void test_key_rules(void **state)
{
	static const char *const head = "[cgroup]\nmemory_limit = 64M\n[target]\ncommand = true\n";
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), "%scontainer = podman\n[expect]\noutcome = survived\n", head);
	load_err(text, 5, "[target] rootfs: required with container = podman",
		 NULL);
	snprintf(text, sizeof(text), "%scontainer = podman\nrootfs = r\nimage = i\n"
		 "[expect]\noutcome = survived\n", head);
	load_err(text, 7, "[target] image: give rootfs or image, not both", NULL);
	snprintf(text, sizeof(text), "%srootfs = r\n[expect]\noutcome = survived\n", head);
	load_err(text, 5, "[target] rootfs:", "container = podman");
	snprintf(text, sizeof(text), "%scontainer = podman\nimage = i\ngroup = app\n"
		 "[expect]\noutcome = survived\n", head);
	load_err(text, 7, "[target] group: with container = podman, give user too",
		 NULL);
	/* names of the container's own users are not this machine's business */
	snprintf(text, sizeof(text), "%scontainer = podman\nimage = i\nuser = no_such_user_here\n"
		 "[expect]\noutcome = survived\n", head);
	struct scenario sc;
	load_ok(text, &sc);
	scenario_free(&sc);
	snprintf(text, sizeof(text), "%suser = no_such_user_here\n[expect]\noutcome = survived\n",
		 head);
	load_err(text, 5, "[target] user: no such user \"no_such_user_here\"", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_without_sys_resource),
		cmocka_unit_test(test_v2_with_sys_resource),
		cmocka_unit_test(test_target_keys),
		cmocka_unit_test(test_rootfs_path),
		cmocka_unit_test(test_missing_rootfs),
		cmocka_unit_test(test_key_rules),
	};

	return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
