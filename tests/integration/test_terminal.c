/* Integration: what balloon-run prints while it runs. On a terminal (a pty here) one status
 * line is redrawn in place and erased before every other line; through a pipe (CI) plain
 * progress comments appear instead; --quiet leaves only what is not ok and the summary;
 * --quiet with --verbose is a usage error. Runs real scenarios: needs root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../testlib.h"

#define CLEAR "\r\033[K"

static char runner[PATH_MAX];

struct run {
	int status;
	char *out; /* stdout and stderr together (a pty has one stream) */
	size_t len;
};

/* tty: on a pty of 100 columns; else through one pipe for stdout and stderr. */
static void run(const char *const *args, bool tty, struct run *r)
{
	struct run_opts o = { .tty = tty, .tty_cols = 100, .merge = !tty, .timeout_s = 120 };
	struct run_result rr;

	free(r->out);
	run_runner_args(runner, args, &o, &rr);
	free(rr.err);
	r->status = rr.status;
	r->out = rr.out;
	r->len = rr.out_len;
}

#define EXPECT(cond, r) do {                                                                  \
		if (!(cond)) {                                                                 \
			print_message("failed: %s\nexit %d, output:\n%s\n", #cond, (r)->status,  \
				      (r)->out);                                               \
			fail();                                                                \
		}                                                                              \
	} while (0)

/* Every line that is not the status line starts after a newline or after the erase. */
static bool starts_clean(const struct run *r, const char *needle)
{
	const char *p = strstr(r->out, needle);

	if (!p)
		return false;
	if (p == r->out || p[-1] == '\n')
		return true;
	return p - r->out >= 4 && strncmp(p - 4, CLEAR, 4) == 0;
}

/* What stays on the screen: replays the output as a terminal would ('\r' to column 0,
 * ESC[K erases to the end of the line, '\n' ends a line) and returns the lines that remain
 * that contain needle (the status line must never remain). */
static int lines_left_with(const struct run *r, const char *needle)
{
	char line[512];
	size_t col = 0, end = 0;
	int found = 0;

	for (const char *p = r->out; *p; p++) {
		if (strncmp(p, "\033[K", 3) == 0) {
			end = col;
			p += 2;
		} else if (*p == '\r') {
			col = 0;
		} else if (*p == '\n') {
			line[end] = '\0';
			found += strstr(line, needle) != NULL;
			col = end = 0;
		} else if (col < sizeof(line) - 1) {
			line[col++] = *p;
			if (col > end)
				end = col;
		}
	}
	line[end] = '\0';
	return found + (strstr(line, needle) != NULL);
}

static void test_tty(void **state)
{
	const char *args[] = { "scenarios/oom_killed.ini", NULL };
	struct run *r = calloc(1, sizeof(*r));
	const char *last;

	(void)state;
	assert_non_null(r);
	run(args, true, r);
	EXPECT(r->status == 0, r);
	/* the status line: drawn in place, with the usage bar against the limit */
	EXPECT(strstr(r->out, CLEAR "oom_killed "), r);
	EXPECT(strstr(r->out, "/200 MiB"), r);
	EXPECT(strstr(r->out, "] "), r);
	/* no plain progress comments on a terminal */
	EXPECT(!strstr(r->out, "# oom_killed "), r);
	/* the result line never shares a line with a status line */
	EXPECT(starts_clean(r, "ok 1 - oom_killed"), r);
	EXPECT(starts_clean(r, "# 1 scenario in"), r);
	/* no status text is left after the last erase: the terminal ends clean */
	last = strstr(r->out, "# 1 scenario in");
	EXPECT(last && !strstr(last, "[#"), r);
	/* and none stays on the screen: each was erased, not pushed up by a newline */
	EXPECT(lines_left_with(r, "/200 MiB  LazyFree") == 0, r);
	/* a status line (after an erase, starting with the scenario's name; a TAP line may
	 * follow an erase too, and may wrap) never wraps: at most 99 columns up to the next
	 * erase or line end */
	for (const char *p = strstr(r->out, CLEAR); p; p = strstr(p + 4, CLEAR)) {
		size_t n = strcspn(p + 4, "\r\n\033");

		if (strncmp(p + 4, "oom_killed ", 11) == 0)
			EXPECT(n <= 99, r);
	}
	free(r->out);
	free(r);
}

static void test_plain(void **state)
{
	const char *args[] = { "scenarios/oom_killed.ini", NULL };
	struct run *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	run(args, false, r);
	EXPECT(r->status == 0, r);
	EXPECT(strstr(r->out, "\n# oom_killed "), r);
	EXPECT(strstr(r->out, "/200 MiB"), r);
	EXPECT(!strstr(r->out, "\033["), r);
	EXPECT(!strchr(r->out, '\r'), r);
	EXPECT(strstr(r->out, "\nok 1 - oom_killed"), r);
	free(r->out);
	free(r);
}

static void test_quiet(void **state)
{
	const char *met[] = { "-q", "scenarios/oom_killed.ini", NULL };
	const char *unmet[] = { "--quiet", "tests/scenarios/expect_mismatch.ini", NULL };
	const char *both[] = { "-q", "-v", "scenarios/oom_killed.ini", NULL };
	struct run *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	run(met, false, r);
	EXPECT(r->status == 0, r);
	/* one line, the summary: no plan, no ok lines, no progress, no notes */
	EXPECT(strncmp(r->out, "# 1 scenario in ", 16) == 0, r);
	EXPECT(strchr(r->out, '\n') == r->out + r->len - 1, r);
	run(unmet, false, r);
	EXPECT(r->status == 1, r);
	EXPECT(strstr(r->out, "not ok 1 - expect_mismatch"), r);
	EXPECT(!strstr(r->out, "TAP version"), r);
	EXPECT(strstr(r->out, "1 not met"), r);
	run(both, false, r);
	EXPECT(r->status == 2, r);
	EXPECT(strstr(r->out, "--quiet and --verbose"), r);
	free(r->out);
	free(r);
}

static int setup(void **state)
{
	(void)state;
	return find_runner(runner, sizeof(runner), "the terminal tests");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tty),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quiet),
	};

	return cmocka_run_group_tests_name("terminal", tests, setup, NULL);
}
