/* balloon(1): the options from balloon_opts[] (common/balloon_conf.c), the synopsis,
 * description, exit codes and examples from the balloon's own --help (balloon/cli.c). */
#include "gendocs.h"
#include "manpage.h"
#include "roff.h"

#include "../../balloon/cli.h"
#include "../../balloon/run.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The balloon's exit codes are prose in its --help, not a table: the page takes them from
 * there, and checks them against enum balloon_status, the values main() returns. */
static const int statuses[] = { BALLOON_DONE, BALLOON_FAILED, BALLOON_USAGE, BALLOON_REFUSED };

static void check_exit_codes(const struct helptext *h)
{
	size_t ns = sizeof(statuses) / sizeof(statuses[0]);
	bool seen[sizeof(statuses) / sizeof(statuses[0])] = { false };

	for (size_t i = 0; i < h->nexits; i++) {
		char *end;
		long code = strtol(h->exits[i].head, &end, 10);
		size_t k;

		for (k = 0; k < ns && (*end || statuses[k] != code); k++)
			;
		if (k == ns)
			gen_warn("balloon --help lists exit code %s, which is no enum balloon_status "
				 "(balloon/run.h; tools/gendocs/man_balloon.c)", h->exits[i].head);
		else
			seen[k] = true;
	}
	for (size_t k = 0; k < ns; k++)
		if (!seen[k])
			gen_warn("balloon --help does not list exit code %d (enum balloon_status)",
				 statuses[k]);
}

/* Where a row is also a scenario key: every row but the command-line-only ones. */
static void scenario_key(FILE *f, const struct opt *o)
{
	char key[64];

	if (o->flags & BOPT_CLI_ONLY)
		return;
	opt_spell(o, '_', key, sizeof(key));
	fputs("In a scenario: \\fB\\%[balloon]\\ ", f);
	roff_inline(f, key);
	fputs("\\fR (see \\fB\\%balloon\\-run.ini\\fR(5)).\n", f);
}

static void exit_status(FILE *f, const struct helptext *h)
{
	fputs(".SH EXIT STATUS\n", f);
	for (size_t i = 0; i < h->nexits; i++) {
		fputs(".TP\n.B ", f);
		roff_inline(f, h->exits[i].head);
		fputc('\n', f);
		roff_text(f, h->exits[i].text);
	}
	if (h->exit_note) {
		fputs(".PP\n", f);
		roff_text(f, h->exit_note);
	}
}

int gen_balloon_1(FILE *f, char *why, size_t whylen)
{
	static const char *const see[] = { "balloon-run(1)", "balloon-run.ini(5)", "madvise(2)",
					   "mmap(2)", "cgroups(7)", NULL };
	struct helptext h;
	int r = helptext_read(balloon_usage, &h, why, whylen);

	if (r < 0)
		goto cleanup;
	check_exit_codes(&h);
	man_header(f, "balloon", 1, "balloon_opts[] (common/balloon_conf.c) and balloon --help "
		   "(balloon/cli.c)");
	man_name(f, "balloon", "inflate anonymous memory at a paced rate inside a memory cgroup "
		 "and release it");
	man_synopsis(f, &h);
	fputs(".SH DESCRIPTION\n", f);
	man_paragraphs(f, h.description);
	if (h.options_note) {
		fputs(".PP\nIn the options, ", f);
		roff_inline(f, h.options_note);
		fputs(".\n", f);
	}
	fputs(".PP\nMost options are also keys of a scenario's \\fB[balloon]\\fR section, where "
	      "\\fB\\%balloon\\-run\\fR(1) starts the balloon beside the workload under test; each "
	      "such option says so below.\n", f);
	fputs(".SH OPTIONS\n", f);
	man_cli_options(f, balloon_opts, balloon_nopts, scenario_key);
	exit_status(f, &h);
	man_examples(f, &h);
	man_see_also(f, see);
	r = ferror(f) ? -EIO : 0;
cleanup:
	helptext_free(&h);
	return r;
}
