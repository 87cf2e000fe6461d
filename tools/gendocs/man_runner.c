/* balloon-run(1): the options from runner_opts[] (runner/cli.c), the exit status from
 * exit_codes[] (runner/exitcode.c), synopsis, description and examples from runner_usage. */
#include "gendocs.h"
#include "manpage.h"
#include "roff.h"

#include "../../runner/cli.h"
#include "../../runner/exitcode.h"

#include <errno.h>
#include <stdbool.h>

/* The help unwrapped: one line per paragraph, whatever the terminal. */
static void usage_unwrapped(FILE *f)
{
	runner_usage(f, 1 << 20);
}

static void exit_status(FILE *f, const struct helptext *h)
{
	fputs(".SH EXIT STATUS\n", f);
	for (size_t i = 0; i < exit_codes_n; i++) {
		fputs(".TP\n.B ", f);
		roff_inline(f, exit_codes[i].code_text);
		fputc('\n', f);
		roff_text(f, exit_codes[i].meaning);
	}
	/* runner_usage prints the same table; a note beside it would be lost otherwise */
	if (h->exit_note) {
		fputs(".PP\n", f);
		roff_text(f, h->exit_note);
	}
}

/* A .TP entry: tag in italics (bold with bold set), text as prose. */
static void entry(FILE *f, const char *tag, bool bold, const char *text)
{
	fputs(bold ? ".TP\n.B " : ".TP\n.I ", f);
	roff_arg(f, tag);
	fputc('\n', f);
	roff_text(f, text);
}

/* What the runner reads and writes besides its arguments (runner/paths.c, configs/). */
static void files(FILE *f)
{
	fputs(".SH ENVIRONMENT\n", f);
	entry(f, "XDG_STATE_HOME", true,
	      "Without --report, --no-report or the config's output_dir, the report goes to "
	      "$XDG_STATE_HOME/balloon-run/reports, or with XDG_STATE_HOME unset to "
	      "$HOME/.local/state/balloon-run/reports.");
	fputs(".SH FILES\n", f);
	entry(f, "configs/harness.ini", false,
	      "The harness settings with their built-in values, for --config (installed as "
	      "share/balloon/configs/harness.ini); its keys are in balloon-run.ini(5).");
	entry(f, "scenarios/", false,
	      "The shipped scenarios (installed in share/balloon/scenarios/). A directory given "
	      "as an argument runs each of its *.ini files, sorted by name.");
	entry(f, "~/.local/state/balloon-run/reports/", false,
	      "The report of the last run: index.html with charts, junit.xml, and a directory "
	      "per scenario with timeline.csv, result.json and the children's logs.");
}

int gen_runner_1(FILE *f, char *why, size_t whylen)
{
	static const char *const see[] = { "balloon(1)", "balloon-run.ini(5)", "cgroups(7)",
					   NULL };
	struct helptext h;
	int r = helptext_read(usage_unwrapped, &h, why, whylen);

	if (r < 0)
		goto cleanup;
	if (h.nexits != exit_codes_n)
		gen_warn("balloon-run --help shows %zu exit codes, exit_codes[] has %zu",
			 h.nexits, exit_codes_n);
	man_header(f, "balloon-run", 1, "runner_opts[] (runner/cli.c), exit_codes[] "
		   "(runner/exitcode.c) and balloon-run --help");
	man_name(f, "balloon-run", "run memory-pressure scenarios in a memory cgroup and prove "
		 "the outcome from kernel counters");
	man_synopsis(f, &h);
	fputs(".SH DESCRIPTION\n", f);
	man_paragraphs(f, h.description);
	fputs(".PP\nA scenario is an INI file \\%(\\fBballoon\\-run.ini\\fR(5)); a directory "
	      "stands for the \\fI*.ini\\fR files in it. "
	      "\\fB\\%balloon\\-run \\%\\-\\-list\\-keys\\fR lists every key.\n", f);
	fputs(".SH OPTIONS\n", f);
	man_cli_options(f, runner_opts, runner_nopts, NULL);
	exit_status(f, &h);
	files(f);
	man_examples(f, &h);
	man_see_also(f, see);
	r = ferror(f) ? -EIO : 0;
cleanup:
	helptext_free(&h);
	return r;
}
