/* The exit codes of balloon-run and what each means, in one table. */
#include "exitcode.h"

#include <string.h>

const struct exit_code_row exit_codes[] = {
	{ EXIT_MET, "0", "every expectation met (skipped scenarios allowed)" },
	{ EXIT_NOT_MET, "1", "some expectation not met: the kernel or the workload behaved "
	  "otherwise than the scenario expects" },
	{ EXIT_USAGE, "2", "bad usage or input (command line, config or scenario file, a report "
	  "directory that cannot be written): nothing was run" },
	{ EXIT_ENV, "3", "this environment cannot run it (not root, no memory controller, no "
	  "cgroup the runner may use): nothing was run" },
	{ EXIT_BROKEN, "4", "BROK: the harness itself failed (setup, a spawn, cleanup, or writing "
	  "the report); it comes before 1 when both happened" },
	{ EXIT_SIGNAL, "128+N", "interrupted by signal N; everything started was killed and its "
	  "cgroups removed" },
};
const size_t exit_codes_n = sizeof(exit_codes) / sizeof(exit_codes[0]);

int exit_code_of_suite(unsigned broken, unsigned not_met, bool report_failed)
{
	if (broken || report_failed)
		return EXIT_BROKEN;
	return not_met ? EXIT_NOT_MET : EXIT_MET;
}

/* Writes text wrapped at width, continuation lines indented by indent. */
static void wrap(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text;

	while (*p) {
		size_t word = strcspn(p, " ");

		if (col > indent && col + 1 + (int)word > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += (int)word;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

void exit_codes_print(FILE *f, bool markdown, int width)
{
	if (markdown)
		fprintf(f, "| exit code | meaning |\n|---|---|\n");
	for (size_t i = 0; i < exit_codes_n; i++) {
		if (markdown) {
			fprintf(f, "| %s | %s |\n", exit_codes[i].code_text, exit_codes[i].meaning);
			continue;
		}
		fprintf(f, "  %-6s ", exit_codes[i].code_text);
		wrap(f, exit_codes[i].meaning, 9, 9, width);
	}
}
