/* balloon-run: runs INI scenarios that put a workload and a memory balloon into a memory
 * cgroup and prove what the kernel did (reclaimed, oom_killed, hung, survived, ...). main()
 * parses the command line (runner/cli.c), hands the run to the suite and returns its exit
 * code (runner/exitcode.c). */
#include "cli.h"
#include "config/scenario.h"
#include "exitcode.h"
#include "msg.h"
#include "suite.h"
#include "version.h"

#include <signal.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct runner_cli c;
	struct suite_opts o = { 0 };
	char why[1024];
	int ret;

	/* An interrupt during setup (a systemd scope over D-Bus takes a while) waits until the
	 * run's signalfd reads it: the run then ends at once, cleaned up, as any interrupt. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	msg_set_prog("balloon-run");
	/* CI reads stdout through a pipe: each line as soon as it is written */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (runner_cli_parse(argc, argv, &c, why, sizeof(why)) < 0) {
		warnmsg("%s", why);
		runner_cli_free(&c);
		return EXIT_USAGE;
	}
	if (c.help) {
		runner_usage(stdout, 80);
		ret = EXIT_MET;
	} else if (c.version) {
		printf("balloon-run %s\n", HARNESS_VERSION);
		ret = EXIT_MET;
	} else if (c.list_keys) {
		keys_print(stdout, c.list_keys == LIST_MARKDOWN);
		ret = EXIT_MET;
	} else {
		o.config = c.config;
		o.paths = c.rest.words.v;
		o.npaths = (int)c.rest.words.n;
		o.oneline = c.rest.dashdash;
		o.verbose = c.verbose;
		o.quiet = c.quiet;
		o.repeat = (unsigned)c.repeat;
		o.report = c.report;
		o.no_report = c.no_report;
		o.compare = c.compare;
		o.find_limit = c.find_limit;
		runner_cli_overrides(&c, &o.set_spec, &o.set_origin);
		ret = suite_run(&o);
		strlist_free(&o.set_spec);
		strlist_free(&o.set_origin);
	}
	runner_cli_free(&c);
	return ret;
}
