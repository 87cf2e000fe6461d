/* balloon-run: runs INI scenarios that put a workload and a memory balloon into a memory
 * cgroup and prove what the kernel did (reclaimed, oom_killed, hung, survived, ...).
 * Exit codes: 0 all expectations met, 1 some not met or the harness broke, 2 bad input,
 * 3 the environment cannot run it, 128+N interrupted by signal N (all cleaned up). */
#include "msg.h"
#include "config/scenario.h"
#include "exitcode.h"
#include "suite.h"
#include "units.h"
#include "version.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: balloon-run [options] SCENARIO.ini|DIR ...\n"
		"\n"
		"Runs each scenario: creates a memory cgroup below the runner's own, starts the\n"
		"target workload in it, starts a memory balloon beside it when the target is ready,\n"
		"watches cgroup counters and processes, and proves the outcome from kernel counters:\n"
		"reclaimed, oom_killed, hung, survived, exited, killed or timeout. Output is TAP.\n"
		"\n"
		"options:\n"
		"  --config FILE          harness settings (see configs/harness.ini)\n"
		"  --list-keys[=markdown] every scenario and config key, with type, range, default\n"
		"  -v, --verbose          events as they happen (twice: the children's output too)\n"
		"  -q, --quiet            only scenarios that are not ok, and the summary line\n"
		"  --repeat N             run the whole list N times (a soak: the runner reports its\n"
		"                         open fds before and after; the report keeps each\n"
		"                         scenario's last round, its first failure and counts)\n"
		"  --report DIR           write the report to DIR (default: output_dir of the\n"
		"                         config, build/reports): index.html (charts), junit.xml,\n"
		"                         and per scenario DIR/NAME/timeline.csv and result.json\n"
		"  --no-report            write no report\n"
		"  --compare A.ini B.ini  run two scenarios and chart them side by side on the same\n"
		"                         scales at the top of index.html (e.g. scenarios/\n"
		"                         madv_free_reclaimed.ini scenarios/madv_dontneed.ini)\n"
		"  -h, --help             this text\n"
		"  --version              the version\n"
		"\n"
		"exit codes:\n");
	exit_codes_print(f, false, 80);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "list-keys", optional_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, 'R' },
		{ "no-report", no_argument, NULL, 'N' },
		{ "compare", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	struct suite_opts o = { 0 };
	int c;

	msg_set_prog("balloon-run");
	/* CI reads stdout through a pipe: each line as soon as it is written */
	setvbuf(stdout, NULL, _IOLBF, 0);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 'v': o.verbose++; break;
		case 'q': o.quiet = true; break;
		case 'R':
			if (!*optarg) {
				warnmsg("--report: empty directory name");
				return EXIT_USAGE;
			}
			o.report = optarg;
			break;
		case 'N': o.no_report = true; break;
		case 'C': o.compare = true; break;
		case 'r': {
			uint64_t v;
			char why[128];

			if (parse_uint(optarg, &v, why, sizeof(why)) < 0 || v == 0 || v > 1000000) {
				warnmsg("--repeat: %s", v == 0 ? "must be at least 1" : why);
				return EXIT_USAGE;
			}
			o.repeat = (unsigned)v;
			break;
		}
		case 'h': usage(stdout); return EXIT_MET;
		case 'V': printf("balloon-run %s\n", HARNESS_VERSION); return EXIT_MET;
		case 'k':
			if (optarg && strcmp(optarg, "markdown") != 0) {
				warnmsg("--list-keys=%s: only markdown is known", optarg);
				return EXIT_USAGE;
			}
			keys_print(stdout, optarg != NULL);
			return EXIT_MET;
		default:
			warnmsg("unknown option %s (see --help)", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (o.quiet && o.verbose) {
		warnmsg("--quiet and --verbose contradict each other: give one");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		warnmsg("no scenario given (usage: balloon-run [options] SCENARIO.ini|DIR ...)");
		return EXIT_USAGE;
	}
	if (o.compare && (o.no_report || argc - optind != 2)) {
		warnmsg("--compare: %s (usage: balloon-run --compare A.ini B.ini)",
			o.no_report ? "the comparison is a report: drop --no-report"
				    : "give exactly two scenario files");
		return EXIT_USAGE;
	}
	o.paths = argv + optind;
	o.npaths = argc - optind;
	return suite_run(&o);
}
