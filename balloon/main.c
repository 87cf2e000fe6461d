/* balloon: inflates anonymous memory at a paced rate, releases it as told, and reports each
 * phase as a JSON progress line. main() only parses, runs and maps the result to an exit code.
 *
 * Exit codes (also in --help; the value of enum balloon_status):
 *   0  done, including a clean stop on SIGTERM/SIGINT
 *   1  runtime failure: mmap or madvise failed
 *   2  bad option or usage
 *   3  refused by the environment: no memory limit applies and no --unbounded, the cgroup
 *      cannot be joined, or the kernel does not support the requested madvise advice
 * An OOM kill is a SIGKILL: the balloon never sees it. */
#include "cli.h"
#include "msg.h"
#include "run.h"
#include "version.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct balloon_conf conf;
	char why[1024];
	enum balloon_status st;

	msg_set_prog("balloon");
	if (balloon_parse_args(argc, argv, &conf, why, sizeof(why)) < 0) {
		warnmsg("%s", why);
		st = BALLOON_USAGE;
	} else if (conf.help) {
		balloon_usage(stdout);
		st = BALLOON_DONE;
	} else if (conf.version) {
		printf("balloon %s\n", HARNESS_VERSION);
		st = BALLOON_DONE;
	} else {
		st = balloon_run(&conf, why, sizeof(why));
		if (st != BALLOON_DONE)
			warnmsg("%s", why);
	}
	opt_free(balloon_opts, balloon_nopts, &conf);
	return (int)st;
}
