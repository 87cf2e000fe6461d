/* Table-driven tests of tools/gendocs/roff.c: text from the tables written as man(7) source
 * that groff can never read as a request or an escape, with option hyphens as \- and code
 * words kept whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/gendocs/roff.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct row {
	const char *in, *want;
};

/* Runs fn on every row into memory; on a mismatch prints the row and fails. */
static void run_rows(const char *name, void (*fn)(FILE *, const char *), const struct row *rows,
		     size_t n)
{
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		char *got = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&got, &len);

		assert_non_null(f);
		fn(f, rows[i].in);
		assert_int_equal(fclose(f), 0);
		if (strcmp(got, rows[i].want) != 0) {
			print_error("%s(\"%s\"):\n  got  \"%s\"\n  want \"%s\"\n", name, rows[i].in, got,
				    rows[i].want);
			failures++;
		}
		free(got);
	}
	assert_int_equal(failures, 0);
}

static const struct row inline_rows[] = {
	{ "plain words", "plain words" },
	{ "", "" },
	/* options: minus signs, never hyphenated, also inside brackets and quotes */
	{ "--verify checks", "\\%\\-\\-verify checks" },
	{ "(--release munmap)", "\\%(\\-\\-release munmap)" },
	{ "twice (-vv): more", "twice \\%(\\-vv): more" },
	{ "--set cgroup.memory_limit=1G", "\\%\\-\\-set \\%cgroup.memory_limit=1G" },
	{ "-1000 exempts", "\\%\\-1000 exempts" },
	/* a hyphen inside a word stays a hyphen */
	{ "pseudo-random data", "pseudo-random data" },
	{ "limit-SIZE", "limit-SIZE" },
	/* the runner's name, paths, file and key names are code */
	{ "balloon-run scenarios/", "\\%balloon\\-run scenarios/" },
	{ "~/.local/state/balloon-run/reports", "\\%~/.local/state/balloon\\-run/reports" },
	{ "index.html, junit.xml", "\\%index.html, \\%junit.xml" },
	{ "oom_kill rising", "\\%oom_kill rising" },
	{ "the end.", "the end." },
	/* escapes and characters groff would read */
	{ "a back\\slash", "a back\\eslash" },
	{ "caf\xc3\xa9", "caf\\[u00E9]" },
	{ "bad \xff byte", "bad ? byte" },
	{ "tab\there", "tab here" },
	{ "two\nlines", "two lines" },
};

static void test_inline(void **state)
{
	(void)state;
	run_rows("roff_inline", roff_inline, inline_rows, ARRAY_SIZE(inline_rows));
}

static const struct row text_rows[] = {
	{ "text", "text\n" },
	{ ".TH as text", "\\&\\%.TH as text\n" },
	{ "'quote first", "\\&'quote first\n" },
	{ "  blanks first", "blanks first\n" },
	{ "one\ntwo", "one\ntwo\n" },
	{ "one\n.two", "one\n\\&\\%.two\n" },
	{ "", "" },
};

static void test_text(void **state)
{
	(void)state;
	run_rows("roff_text", roff_text, text_rows, ARRAY_SIZE(text_rows));
}

static const struct row code_rows[] = {
	{ "balloon --size 1G --release-after 5s", "balloon \\-\\-size 1G \\-\\-release\\-after 5s\n" },
	{ ".hidden", "\\&.hidden\n" },
	{ "a\\b", "a\\eb\n" },
	{ "", "\n" },
};

static void test_code(void **state)
{
	(void)state;
	run_rows("roff_code", roff_code, code_rows, ARRAY_SIZE(code_rows));
}

static const struct row syntax_rows[] = {
	{ "--size SIZE", "\\%\\fB\\-\\-size\\fR \\%\\fISIZE\\fR" },
	/* a bracketed group is never broken */
	{ "[--rate RATE]", "\\%[\\fB\\-\\-rate\\fR\\ \\fIRATE\\fR]" },
	{ "-q, --quiet", "\\%\\fB\\-q\\fR, \\%\\fB\\-\\-quiet\\fR" },
	{ "DURATION|forever", "\\%\\fIDURATION\\fR|\\fBforever\\fR" },
	{ "--list-keys[=markdown]", "\\%\\fB\\-\\-list\\-keys\\fR[=\\fBmarkdown\\fR]" },
	{ "SCENARIO.ini|DIR ...", "\\%\\fISCENARIO\\fR.ini|\\fIDIR\\fR\\ ..." },
	{ "[options]", "\\%[\\fIoptions\\fR]" },
	{ "SIZE|N%|limit-SIZE", "\\%\\fISIZE\\fR|\\fIN\\fR%|\\fBlimit\\fR\\-\\fISIZE\\fR" },
	{ "SECTION.KEY=VALUE", "\\%\\fISECTION\\fR.\\fIKEY\\fR=\\fIVALUE\\fR" },
	{ "-- CMD ARGS", "\\%\\fB\\-\\-\\fR \\%\\fICMD\\fR \\%\\fIARGS\\fR" },
};

static void test_syntax(void **state)
{
	(void)state;
	run_rows("roff_syntax", roff_syntax, syntax_rows, ARRAY_SIZE(syntax_rows));
}

static const struct row nobreak_rows[] = {
	{ "4 KiB..1 TiB", "4\\ \\%KiB..1\\ TiB" },
	{ "20..1000", "\\%20..1000" },
};

static void test_nobreak(void **state)
{
	(void)state;
	run_rows("roff_nobreak", roff_nobreak, nobreak_rows, ARRAY_SIZE(nobreak_rows));
}

static const struct row arg_rows[] = {
	{ "BALLOON-RUN", "\"BALLOON-RUN\"" },
	{ "say \"hi\"", "\"say \\(dqhi\\(dq\"" },
	{ "size or %", "\"size or %\"" },
};

static void test_arg(void **state)
{
	(void)state;
	run_rows("roff_arg", roff_arg, arg_rows, ARRAY_SIZE(arg_rows));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_nobreak),
		cmocka_unit_test(test_arg),
	};

	return cmocka_run_group_tests_name("roff", tests, NULL, NULL);
}
