/* balloon-run's options, declared once (see cli.h). */
#include "cli.h"
#include "exitcode.h"
#include "msg.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C(field) offsetof(struct runner_cli, field)

const struct opt runner_opts[] = {
	{ .key = "config", .type = OPT_STRING, .min = 1, .offset = C(config), .arg = "FILE",
	  .help = "Harness settings (sampling interval, hang_after, where reports go, ...); "
		  "see configs/harness.ini. Not given: the built-in defaults." },
	{ .key = "verbose", .type = OPT_COUNT, .offset = C(verbose), .shortopt = 'v',
	  .help = "Print the events as they happen; twice (-vv): the children's output too." },
	{ .key = "quiet", .type = OPT_BOOL, .offset = C(quiet), .shortopt = 'q',
	  .help = "Print only the scenarios that are not ok, and the summary line." },
	{ .key = "repeat", .type = OPT_UINT, .min = 1, .max = 1000000, .def = "1",
	  .offset = C(repeat),
	  .help = "Run the whole list N times (a soak): the runner reports its open fds before "
		  "and after; the report keeps each scenario's last round, its first failure and "
		  "the counts." },
	{ .key = "report", .type = OPT_STRING, .min = 1, .offset = C(report), .arg = "DIR",
	  .help = "Write the report to DIR (default: the config's output_dir, else "
		  "~/.local/state/balloon-run/reports): index.html with charts, junit.xml, and per "
		  "scenario DIR/NAME/ timeline.csv, result.json and the children's logs." },
	{ .key = "no-report", .type = OPT_BOOL, .offset = C(no_report),
	  .help = "Write no report." },
	{ .key = "compare", .type = OPT_BOOL, .offset = C(compare),
	  .help = "Run exactly two scenarios and chart them side by side on the same scales at "
		  "the top of index.html (e.g. scenarios/madv_free_reclaimed.ini "
		  "scenarios/madv_dontneed.ini)." },
	{ .key = "set", .type = OPT_LIST, .offset = C(set), .arg = "SECTION.KEY=VALUE",
	  .help = "Set a key of every scenario, over what its file says (repeatable; for CI "
		  "matrices): --set cgroup.memory_limit=1G --set balloon.rate=50." },
	{ .key = "limit", .type = OPT_STRING, .min = 1, .offset = C(limit), .arg = "SIZE",
	  .help = "One-line mode, with a command after --: the memory limit to run it under "
		  "(cgroup.memory_limit)." },
	{ .key = "expect", .type = OPT_STRING, .min = 1, .offset = C(expect), .arg = "OUTCOME",
	  .help = "One-line mode: the outcome that passes (expect.outcome; default survived)." },
	{ .key = "balloon", .type = OPT_STRING, .min = 1, .offset = C(balloon), .arg = "SIZE",
	  .help = "One-line mode: inflate a balloon of SIZE beside the command once it is "
		  "ready (balloon.size)." },
	{ .key = "rate", .type = OPT_STRING, .min = 1, .offset = C(rate), .arg = "RATE",
	  .help = "One-line mode: the balloon's rate, MiB/s or 100M/s (balloon.rate)." },
	{ .key = "duration", .type = OPT_STRING, .min = 1, .offset = C(duration),
	  .arg = "DURATION",
	  .help = "One-line mode: how long to watch once the command is ready "
		  "(scenario.duration); the timeout is then a minute longer." },
	{ .key = "find-limit", .type = OPT_BOOL, .offset = C(find_limit),
	  .help = "Instead of one run, search memory_limit for the smallest limit at which each "
		  "scenario's expectation holds in every repeat (bisection over real runs): "
		  "prints a subtest per limit tried, the smallest passing and largest failing "
		  "limit, the unstable band and the headroom of the scenario's own limit. The "
		  "[search] keys set it up; the next five options override them." },
	{ .key = "low", .type = OPT_STRING, .min = 1, .offset = C(low), .arg = "SIZE",
	  .help = "With --find-limit: the lowest limit to try (search.low)." },
	{ .key = "high", .type = OPT_STRING, .min = 1, .offset = C(high), .arg = "SIZE",
	  .help = "With --find-limit: the highest limit to try, which must pass (search.high)." },
	{ .key = "repeats", .type = OPT_STRING, .min = 1, .offset = C(repeats), .arg = "N",
	  .help = "With --find-limit: runs per limit (search.repeats, default 3)." },
	{ .key = "resolution", .type = OPT_STRING, .min = 1, .offset = C(resolution),
	  .arg = "SIZE|N%",
	  .help = "With --find-limit: how close the bounds must get (search.resolution, "
		  "default 8M)." },
	{ .key = "max-time", .type = OPT_STRING, .min = 1, .offset = C(max_time),
	  .arg = "DURATION",
	  .help = "With --find-limit: the time budget of the search (search.max_time)." },
	{ .key = "list-keys", .type = OPT_ENUM, .def = "none", .choices = "none|text|markdown",
	  .offset = C(list_keys), .flags = OPTF_STOP, .bare = "text", .arg = "markdown",
	  .help = "List every scenario and config key with its type, range, default and "
		  "meaning (=markdown: as the table of docs/keys.md), and exit." },
	{ .key = "help", .type = OPT_BOOL, .offset = C(help), .flags = OPTF_STOP,
	  .shortopt = 'h', .help = "Print this help and exit." },
	{ .key = "version", .type = OPT_BOOL, .offset = C(version), .flags = OPTF_STOP,
	  .help = "Print the version and exit." },
};
const size_t runner_nopts = sizeof(runner_opts) / sizeof(runner_opts[0]);

static bool oneline_given(const struct runner_cli *c)
{
	return c->limit || c->expect || c->balloon || c->rate || c->duration;
}

int runner_cli_parse(int argc, char **argv, struct runner_cli *c, char *why, size_t whylen)
{
	int r;

	memset(c, 0, sizeof(*c));
	r = opt_defaults(runner_opts, runner_nopts, NULL, c, why, whylen);
	if (r == 0)
		r = opt_parse_cli(runner_opts, runner_nopts, argc, argv, c, &c->rest, why, whylen);
	if (r < 0 || c->help || c->version || c->list_keys)
		return r;
	if (c->quiet && c->verbose) {
		errf(why, whylen, "--quiet and --verbose contradict each other: give one");
		return -EINVAL;
	}
	if (c->rest.dashdash) {
		if (!c->rest.command.n) {
			errf(why, whylen, "nothing after \"--\" (usage: balloon-run --limit SIZE -- "
			     "CMD ARGS)");
			return -EINVAL;
		}
		if (c->rest.words.n) {
			errf(why, whylen, "a command after \"--\" runs on its own: drop the scenario "
			     "files (%s) or the command", c->rest.words.v[0]);
			return -EINVAL;
		}
		if (!c->limit) {
			errf(why, whylen, "--limit SIZE is required with a command after \"--\"");
			return -EINVAL;
		}
	} else if (oneline_given(c)) {
		errf(why, whylen, "--limit, --expect, --balloon, --rate and --duration are for a "
		     "command after \"--\" (balloon-run --limit 512M -- CMD ARGS); to change scenario "
		     "files use --set SECTION.KEY=VALUE");
		return -EINVAL;
	} else if (!c->rest.words.n) {
		errf(why, whylen, "no scenario given (usage: balloon-run [options] SCENARIO.ini|DIR "
		     "... or balloon-run --limit SIZE [options] -- CMD ARGS)");
		return -EINVAL;
	}
	if (!c->find_limit && (c->low || c->high || c->repeats || c->resolution || c->max_time)) {
		errf(why, whylen, "--low, --high, --repeats, --resolution and --max-time are for "
		     "--find-limit");
		return -EINVAL;
	}
	if (c->find_limit && (c->compare || c->repeat > 1)) {
		errf(why, whylen, "--find-limit runs each limit --repeats times itself: drop %s",
		     c->compare ? "--compare" : "--repeat");
		return -EINVAL;
	}
	if (c->compare && (c->no_report || c->rest.words.n != 2)) {
		errf(why, whylen, "--compare: %s (usage: balloon-run --compare A.ini B.ini)",
		     c->no_report ? "the comparison is a report: drop --no-report"
				  : "give exactly two scenario files");
		return -EINVAL;
	}
	return 0;
}

void runner_cli_free(struct runner_cli *c)
{
	opt_free(runner_opts, runner_nopts, c);
	strlist_free(&c->rest.words);
	strlist_free(&c->rest.command);
}

/* A word quoted for the [target] command key: 'as is', a ' written as '\'' . */
static void quote_word(const char *w, char *buf, size_t len)
{
	size_t n = 0;

	if (n + 1 < len)
		buf[n++] = '\'';
	for (; *w && n + 5 < len; w++) {
		if (*w == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *w;
		}
	}
	if (n + 1 < len)
		buf[n++] = '\'';
	buf[n] = '\0';
}

/* The scenario's name from the command's program: its file name, in the name alphabet. */
static void name_of(const char *prog, char *buf, size_t len)
{
	const char *base = strrchr(prog, '/');
	size_t n = 0;

	for (base = base ? base + 1 : prog; *base && n + 1 < len && n < 64; base++) {
		char ch = *base;

		buf[n++] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ? ch : '_';
	}
	buf[n] = '\0';
	if (!n || strcmp(buf, ".") == 0)
		snprintf(buf, len, "command");
}

/* Appends "key=value" to spec and "how value" to origin. */
static void push(struct strlist *spec, struct strlist *origin, const char *key,
		 const char *value, const char *how)
{
	char *s = NULL, *o = NULL;

	if (asprintf(&s, "%s=%s", key, value) < 0 || asprintf(&o, "%s %s", how, value) < 0)
		abort(); /* a few short strings: nothing sensible to do without memory */
	strlist_push(spec, s);
	strlist_push(origin, o);
	free(s);
	free(o);
}

/* The one-line command as the [target] command key: each word quoted, so it is split back
 * into the very same words. */
static char *command_text(const struct strlist *cmd)
{
	char word[4200], *text = NULL;
	size_t len = 0;

	for (size_t i = 0; i < cmd->n; i++) {
		quote_word(cmd->v[i], word, sizeof(word));
		text = realloc(text, len + strlen(word) + 2);
		if (!text)
			abort();
		len += (size_t)sprintf(text + len, "%s%s", i ? " " : "", word);
	}
	return text;
}

void runner_cli_overrides(const struct runner_cli *c, struct strlist *spec,
			  struct strlist *origin)
{
	if (c->rest.dashdash) {
		char name[72], *cmd = command_text(&c->rest.command);

		name_of(c->rest.command.v[0], name, sizeof(name));
		push(spec, origin, "scenario.name", name, "the name of the command after --:");
		push(spec, origin, "target.command", cmd, "the command after --:");
		push(spec, origin, "expect.outcome", c->expect ? c->expect : "survived",
		     c->expect ? "--expect" : "the default --expect");
		push(spec, origin, "cgroup.memory_limit", c->limit, "--limit");
		free(cmd);
	}
	if (c->balloon)
		push(spec, origin, "balloon.size", c->balloon, "--balloon");
	if (c->rate)
		push(spec, origin, "balloon.rate", c->rate, "--rate");
	if (c->duration)
		push(spec, origin, "scenario.duration", c->duration, "--duration");
	const struct { const char *v, *key, *how; } search[] = {
		{ c->low, "search.low", "--low" }, { c->high, "search.high", "--high" },
		{ c->repeats, "search.repeats", "--repeats" },
		{ c->resolution, "search.resolution", "--resolution" },
		{ c->max_time, "search.max_time", "--max-time" },
	};
	for (size_t i = 0; i < sizeof(search) / sizeof(search[0]); i++)
		if (search[i].v)
			push(spec, origin, search[i].key, search[i].v, search[i].how);
	for (size_t i = 0; i < c->set.n; i++) {
		char *o = NULL;

		if (asprintf(&o, "--set %s", c->set.v[i]) < 0)
			abort();
		strlist_push(spec, c->set.v[i]);
		strlist_push(origin, o);
		free(o);
	}
}

void runner_usage(FILE *f, int width)
{
	fputs("Usage: balloon-run [options] SCENARIO.ini|DIR ...\n"
	      "       balloon-run --find-limit [--low SIZE] [--high SIZE] [--repeats N]\n"
	      "                   [--resolution SIZE|N%] [--max-time DURATION] SCENARIO.ini ...\n"
	      "       balloon-run --limit SIZE [--expect OUTCOME] [--balloon SIZE --rate RATE]\n"
	      "                   [--duration DURATION] [--set SECTION.KEY=VALUE ...] -- CMD ARGS\n"
	      "\n", f);
	opt_wrap(f, "Runs each scenario: creates a memory cgroup below the runner's own, starts "
		 "the target workload in it, starts a memory balloon beside it when the target is "
		 "ready, watches cgroup counters and processes, and proves the outcome from kernel "
		 "counters: reclaimed, oom_killed, hung, survived, exited, killed, timeout or "
		 "throttled. The one-line mode builds the scenario from the options, with CMD as "
		 "its target. Output is TAP; a report goes to a directory.", 0, 0, width);
	fputs("\nOptions:\n", f);
	opt_print_cli_help(f, runner_opts, runner_nopts, width);
	fputs("\nExit codes:\n", f);
	exit_codes_print(f, false, width);
	fputs("\nExamples:\n"
	      "  balloon-run scenarios/\n"
	      "      every shipped scenario; the report in ~/.local/state/balloon-run/reports\n"
	      "  balloon-run --limit 512M --balloon 300M --rate 100 --duration 60s -- ./server\n"
	      "      ./server under a 512 MiB limit beside a 300 MiB balloon: survived?\n"
	      "  balloon-run --set cgroup.memory_limit=1G --set balloon.rate=50 my.ini\n"
	      "      my.ini with another limit and rate (a CI matrix)\n"
	      "  balloon-run --find-limit --repeats 3 --resolution 8M my.ini\n"
	      "      the smallest memory_limit at which my.ini's expectation holds 3 times of 3\n",
	      f);
}
