/* The balloon's progress lines: what the writer writes, the reader reads back; what it does
 * not write (negative numbers, unterminated strings, long event names) is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "progress.h"

static const struct {
	const char *line;
	int ok;
	const char *event;
	uint64_t bytes;
} rows[] = {
	{ "{\"event\":\"tick\",\"t\":0.100,\"bytes\":20971520,\"shortfall\":0}", 1, "tick", 20971520 },
	{ "  {\"event\":\"inflated\",\"t\":1.4,\"bytes\":268435456}", 1, "inflated", 268435456 },
	{ "{\"event\":\"released\",\"t\":1,\"bytes\":5,\"how\":\"free\"}", 1, "released", 5 },
	{ "{\"event\":\"tick\",\"bytes\":-1}", 0, NULL, 0 },
	{ "{\"event\":\"tick\",\"bytes\":12", 0, NULL, 0 },
	{ "{\"event\":\"unterminated", 0, NULL, 0 },
	{ "{\"event\":\"an_event_name_far_too_long\"}", 0, NULL, 0 },
	{ "{\"bytes\":1}", 0, NULL, 0 },
	{ "balloon: inflated 256 MiB", 0, NULL, 0 },
	{ "", 0, NULL, 0 },
	{ "{\"event\":\"tick\",\"x\":true}", 0, NULL, 0 },
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(rows); i++) {
		struct progress_event ev;
		int r = progress_parse(rows[i].line, &ev);

		CHECK(rows[i].ok ? r == 0 : r == -EINVAL, "row %zu (%s): %d\n", i, rows[i].line, r);
		if (rows[i].ok) {
			assert_string_equal(ev.event, rows[i].event);
			CHECK_EQ(ev.bytes, rows[i].bytes, "row %zu bytes\n", i);
		}
	}
}

/* Writer to reader: fields and an escaped message survive the trip. */
static void test_round_trip(void **state)
{
	struct progress_field f[] = { { "bytes", 123 }, { "zero_pages", 7 } };
	struct progress_event ev;
	char buf[1100];
	int fd = memfd_create("progress", 0);
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(progress_write(fd, PROGRESS_ERROR, 1.5, f, 2, "message",
					"mmap \"64 MiB\": Cannot allocate memory"), 0);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(progress_parse(buf, &ev), 0);
	assert_string_equal(ev.event, PROGRESS_ERROR);
	CHECK_EQ(ev.bytes, 123, "bytes\n");
	CHECK_EQ(ev.zero_pages, 7, "zero_pages\n");
	assert_string_equal(ev.text, "mmap \"64 MiB\": Cannot allocate memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
