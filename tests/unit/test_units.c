/* Table-driven tests of common/units.c: sizes, rates, durations, booleans and integers as
 * people write them (and mistype them), and the human forms printed back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TiB (GiB * KiB)
#define PiB (GiB * MiB)
#define SEC NSEC_PER_SEC
#define MSEC NSEC_PER_MSEC

struct row {
	const char *in;
	int ret;          /* 0, -EINVAL or -ERANGE */
	uint64_t want;    /* value when ret == 0 */
	const char *why;  /* substring of the reason when ret < 0; NULL = any */
};

typedef int (*parse_fn)(const char *s, uint64_t *v, char *why, size_t whylen);

/* Runs every row; on a mismatch prints the row and fails. */
static void run_rows(const char *name, parse_fn fn, const struct row *rows, size_t n)
{
	int failures = 0;

	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		uint64_t v = 0xdeadbeef;
		char why[256] = "";
		int ret = fn(r->in, &v, why, sizeof(why));

		if (ret != r->ret) {
			print_error("%s(\"%s\"): returned %d, expected %d (why: %s)\n", name, r->in, ret,
				    r->ret, why);
			failures++;
		} else if (ret == 0 && v != r->want) {
			print_error("%s(\"%s\"): value %llu, expected %llu\n", name, r->in,
				    (unsigned long long)v, (unsigned long long)r->want);
			failures++;
		} else if (ret < 0 && (!why[0] || (r->why && !strstr(why, r->why)))) {
			print_error("%s(\"%s\"): reason \"%s\" lacks \"%s\"\n", name, r->in, why,
				    r->why ? r->why : "(any text)");
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static const struct row size_rows[] = {
	{ "0", 0, 0, NULL },
	{ "4096", 0, 4096, NULL },
	{ "1b", 0, 1, NULL },
	{ "1K", 0, KiB, NULL },
	{ "1k", 0, KiB, NULL },
	{ "1KB", 0, KiB, NULL },
	{ "1KiB", 0, KiB, NULL },
	{ "1kib", 0, KiB, NULL },
	{ "256M", 0, 256 * MiB, NULL },
	{ "256m", 0, 256 * MiB, NULL },
	{ "1MB", 0, MiB, NULL },
	{ "1MiB", 0, MiB, NULL },
	/* Kubernetes' spellings of a pod's memory (resources.limits.memory: 512Mi, 1Gi) */
	{ "1Ki", 0, KiB, NULL },
	{ "512Mi", 0, 512 * MiB, NULL },
	{ "1Gi", 0, GiB, NULL },
	{ "1.5Gi", 0, GiB + GiB / 2, NULL },
	{ "2Ti", 0, 2 * TiB, NULL },
	{ "1Pi", 0, PiB, NULL },
	{ "1Ei", -EINVAL, 0, "is not a size" },
	{ "129e6", -EINVAL, 0, "is not a size" },
	{ "2G", 0, 2 * GiB, NULL },
	{ "2gb", 0, 2 * GiB, NULL },
	{ "1T", 0, TiB, NULL },
	{ "1t", 0, TiB, NULL },
	{ "1P", 0, PiB, NULL },
	{ "0M", 0, 0, NULL },
	{ "1.5G", 0, GiB + GiB / 2, NULL },
	{ "0.5K", 0, 512, NULL },
	{ "1.0", 0, 1, NULL },
	{ "18446744073709551615", 0, UINT64_MAX, NULL },
	{ "16383P", 0, 16383 * PiB, NULL },
	{ "1.5", -EINVAL, 0, "a fraction needs a unit" },
	{ "1.5b", -EINVAL, 0, "whole number" },
	{ "", -EINVAL, 0, "empty value is not a size" },
	{ "-1", -EINVAL, 0, "cannot be negative" },
	{ "-1M", -EINVAL, 0, "cannot be negative" },
	{ "12Q", -EINVAL, 0, "\"12Q\" is not a size (use 512M, 2G, 4096)" },
	{ "12M junk", -EINVAL, 0, "is not a size" },
	{ "12 M", -EINVAL, 0, "is not a size" },
	{ " 12M", -EINVAL, 0, "is not a size" },
	{ "12M ", -EINVAL, 0, "is not a size" },
	{ "M", -EINVAL, 0, "is not a size" },
	{ "abc", -EINVAL, 0, "is not a size" },
	{ "1..5M", -EINVAL, 0, "is not a size" },
	{ "1.M", -EINVAL, 0, "is not a size" },
	{ ".5M", -EINVAL, 0, "is not a size" },
	{ "0x10", -EINVAL, 0, "is not a size" },
	{ "1e3", -EINVAL, 0, "is not a size" },
	{ "+5", -EINVAL, 0, "is not a size" },
	{ "99999999999T", -ERANGE, 0, "too large" },
	{ "18446744073709551616", -ERANGE, 0, "too large" },
	{ "16384P", -ERANGE, 0, "too large" },
	{ "17179869184G", -ERANGE, 0, "too large" },
	{ "99999999999999999999999999999", -ERANGE, 0, "too large" },
};

static void test_parse_size(void **state)
{
	(void)state;
	run_rows("parse_size", parse_size, size_rows, ARRAY_SIZE(size_rows));
}

static const struct row rate_rows[] = {
	{ "0", 0, 0, NULL },
	{ "100", 0, 100 * MiB, NULL },
	{ "1.5", 0, MiB + MiB / 2, NULL },
	{ "100M/s", 0, 100 * MiB, NULL },
	{ "100m/S", 0, 100 * MiB, NULL },
	{ "512K/s", 0, 512 * KiB, NULL },
	{ "1.5G/s", 0, GiB + GiB / 2, NULL },
	{ "100B/s", 0, 100, NULL },
	{ "64MiB/s", 0, 64 * MiB, NULL },
	{ "100M", 0, 100 * MiB, NULL },
	{ "100/s", -EINVAL, 0, "give a unit" },
	{ "", -EINVAL, 0, "empty value is not a rate" },
	{ "-5", -EINVAL, 0, "cannot be negative" },
	{ "-5M/s", -EINVAL, 0, "cannot be negative" },
	{ "fast", -EINVAL, 0, "\"fast\" is not a rate" },
	{ "/s", -EINVAL, 0, "is not a rate" },
	{ "M/s", -EINVAL, 0, "is not a rate" },
	{ "12M/s junk", -EINVAL, 0, "is not a rate" },
	{ "12 M/s", -EINVAL, 0, "is not a rate" },
	{ "1.5B/s", -EINVAL, 0, "is not a rate" },
	{ "100M/m", -EINVAL, 0, "is not a rate" },
	{ "99999999999999", -ERANGE, 0, "too large" },
	{ "99999999999T/s", -ERANGE, 0, "too large" },
	{ "1234567890123456789012345678901234567890123456789012345678901234567890", -EINVAL,
	  0, "is not a rate" },
};

static void test_parse_rate(void **state)
{
	(void)state;
	run_rows("parse_rate", parse_rate, rate_rows, ARRAY_SIZE(rate_rows));
}

static int duration_once(const char *s, uint64_t *v, char *why, size_t whylen)
{
	return parse_duration(s, 0, v, why, whylen);
}

static int duration_forever(const char *s, uint64_t *v, char *why, size_t whylen)
{
	return parse_duration(s, 1, v, why, whylen);
}

static const struct row duration_rows[] = {
	{ "0", 0, 0, NULL },
	{ "10", 0, 10 * SEC, NULL },
	{ "2s", 0, 2 * SEC, NULL },
	{ "2S", 0, 2 * SEC, NULL },
	{ "2sec", 0, 2 * SEC, NULL },
	{ "500ms", 0, 500 * MSEC, NULL },
	{ "500MS", 0, 500 * MSEC, NULL },
	{ "250us", 0, 250000, NULL },
	{ "1ns", 0, 1, NULL },
	{ "1.5m", 0, 90 * SEC, NULL },
	{ "2min", 0, 120 * SEC, NULL },
	{ "1h", 0, 3600 * SEC, NULL },
	{ "0.5s", 0, SEC / 2, NULL },
	{ "0.5", 0, SEC / 2, NULL },
	{ "1.25ms", 0, 1250000, NULL },
	{ "18446744073s", 0, 18446744073 * SEC, NULL },
	{ "1.5ns", -EINVAL, 0, "whole number" },
	{ "", -EINVAL, 0, "empty value is not a duration" },
	{ "-1s", -EINVAL, 0, "cannot be negative" },
	{ "1 s", -EINVAL, 0, "is not a duration" },
	{ "5x", -EINVAL, 0, "\"5x\" is not a duration (use 2s, 500ms, 1m)" },
	{ "2s junk", -EINVAL, 0, "is not a duration" },
	{ "soon", -EINVAL, 0, "is not a duration" },
	{ "forever", -EINVAL, 0, "is not a duration" },
	{ "99999999999h", -ERANGE, 0, "too large" },
	{ "18446744074s", -ERANGE, 0, "too large" },
	{ "18446744073709551616ns", -ERANGE, 0, "too large" },
};

static const struct row forever_rows[] = {
	{ "forever", 0, DURATION_FOREVER, NULL },
	{ "FOREVER", 0, DURATION_FOREVER, NULL },
	{ "inf", 0, DURATION_FOREVER, NULL },
	{ "2s", 0, 2 * SEC, NULL },
	{ "for ever", -EINVAL, 0, "2s, 500ms, 1m, forever" },
	{ "", -EINVAL, 0, "empty value" },
};

static void test_parse_duration(void **state)
{
	(void)state;
	run_rows("parse_duration", duration_once, duration_rows, ARRAY_SIZE(duration_rows));
	run_rows("parse_duration(forever)", duration_forever, forever_rows,
		 ARRAY_SIZE(forever_rows));
}

static int bool_as_u64(const char *s, uint64_t *v, char *why, size_t whylen)
{
	int b = -1, r = parse_bool(s, &b, why, whylen);

	*v = (uint64_t)b;
	return r;
}

static const struct row bool_rows[] = {
	{ "yes", 0, 1, NULL },   { "YES", 0, 1, NULL },  { "true", 0, 1, NULL },
	{ "on", 0, 1, NULL },    { "1", 0, 1, NULL },    { "no", 0, 0, NULL },
	{ "No", 0, 0, NULL },    { "false", 0, 0, NULL }, { "off", 0, 0, NULL },
	{ "0", 0, 0, NULL },
	{ "", -EINVAL, 0, "is not a boolean (use yes or no)" },
	{ "maybe", -EINVAL, 0, "\"maybe\" is not a boolean" },
	{ "2", -EINVAL, 0, "is not a boolean" },
	{ "y", -EINVAL, 0, "is not a boolean" },
	{ "yes ", -EINVAL, 0, "is not a boolean" },
};

static void test_parse_bool(void **state)
{
	(void)state;
	run_rows("parse_bool", bool_as_u64, bool_rows, ARRAY_SIZE(bool_rows));
}

static const struct row uint_rows[] = {
	{ "0", 0, 0, NULL },
	{ "255", 0, 255, NULL },
	{ "007", 0, 7, NULL },
	{ "18446744073709551615", 0, UINT64_MAX, NULL },
	{ "18446744073709551616", -ERANGE, 0, "too large" },
	{ "99999999999999999999999", -ERANGE, 0, "too large" },
	{ "-1", -EINVAL, 0, "cannot be negative" },
	{ "1.5", -EINVAL, 0, "is not a whole number" },
	{ "1.0", -EINVAL, 0, "is not a whole number" },
	{ "", -EINVAL, 0, "is not a whole number" },
	{ "12x", -EINVAL, 0, "\"12x\" is not a whole number" },
	{ " 1", -EINVAL, 0, "is not a whole number" },
	{ "1K", -EINVAL, 0, "is not a whole number" },
	{ "0x1f", -EINVAL, 0, "is not a whole number" },
};

static void test_parse_uint(void **state)
{
	(void)state;
	run_rows("parse_uint", parse_uint, uint_rows, ARRAY_SIZE(uint_rows));
}

/* The parsers also take NULL as "nothing was given" without crashing. */
/* Shares ([expect] max_stall_some, [cgroup] throttling_factor): thousandths of a percent. */
static const struct row percent_rows[] = {
	{ "0%", 0, 0, NULL },
	{ "40%", 0, 40000, NULL },
	{ "12.5%", 0, 12500, NULL },
	{ "0.001%", 0, 1, NULL },
	{ "0.0001%", 0, 0, NULL },
	{ "100%", 0, 100000, NULL },
	{ "100.0%", 0, 100000, NULL },
	{ "100.001%", -ERANGE, 0, "out of range (0% to 100%)" },
	{ "101%", -ERANGE, 0, "out of range" },
	{ "99999999999999999999%", -ERANGE, 0, "out of range" },
	{ "40", -EINVAL, 0, "\"40\" is not a percentage (use 40%, 12.5%)" },
	{ "0.4", -EINVAL, 0, "is not a percentage" },
	{ "%", -EINVAL, 0, "is not a percentage" },
	{ "", -EINVAL, 0, "is not a percentage" },
	{ "-5%", -EINVAL, 0, "is not a percentage" },
	{ "40 %", -EINVAL, 0, "is not a percentage" },
	{ "40%%", -EINVAL, 0, "is not a percentage" },
	{ "4e1%", -EINVAL, 0, "is not a percentage" },
};

static void test_parse_percent(void **state)
{
	char buf[32];

	(void)state;
	run_rows("parse_percent", parse_percent, percent_rows, ARRAY_SIZE(percent_rows));
	assert_string_equal(fmt_percent(40000, buf, sizeof(buf)), "40%");
	assert_string_equal(fmt_percent(12500, buf, sizeof(buf)), "12.5%");
	assert_string_equal(fmt_percent(0, buf, sizeof(buf)), "0%");
}

static void test_null_input(void **state)
{
	uint64_t v;
	int b;
	char why[128];

	(void)state;
	assert_int_equal(parse_size(NULL, &v, why, sizeof(why)), -EINVAL);
	assert_int_equal(parse_rate(NULL, &v, why, sizeof(why)), -EINVAL);
	assert_int_equal(parse_duration(NULL, 1, &v, why, sizeof(why)), -EINVAL);
	assert_int_equal(parse_bool(NULL, &b, why, sizeof(why)), -EINVAL);
	assert_int_equal(parse_uint(NULL, &v, why, sizeof(why)), -EINVAL);
	/* A NULL reason buffer is allowed too. */
	assert_int_equal(parse_size("12Q", &v, NULL, 0), -EINVAL);
}

struct fmt_row {
	uint64_t in;
	const char *want;
};

static const struct fmt_row size_fmt[] = {
	{ 0, "0 B" },
	{ 1, "1 B" },
	{ 1023, "1023 B" },
	{ KiB, "1 KiB" },
	{ 1536, "1.5 KiB" },
	{ 64 * MiB, "64 MiB" },
	{ 256 * MiB, "256 MiB" },
	{ GiB + GiB / 2, "1.5 GiB" },
	{ TiB, "1 TiB" },
	{ PiB, "1 PiB" },
	{ 4096 * PiB, "4096 PiB" },
};

static const struct fmt_row duration_fmt[] = {
	{ 0, "0 ms" },
	{ 250 * MSEC, "250 ms" },
	{ 999 * MSEC, "999 ms" },
	{ SEC, "1.00 s" },
	{ 1400 * MSEC, "1.40 s" },
	{ 60 * SEC, "60.00 s" },
	{ DURATION_FOREVER, "forever" },
};

static void test_fmt(void **state)
{
	char buf[64];
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(size_fmt); i++) {
		const char *got = fmt_size(size_fmt[i].in, buf, sizeof(buf));

		if (got != buf || strcmp(got, size_fmt[i].want) != 0) {
			print_error("fmt_size(%llu) = \"%s\", expected \"%s\"\n",
				    (unsigned long long)size_fmt[i].in, got, size_fmt[i].want);
			failures++;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(duration_fmt); i++) {
		const char *got = fmt_duration(duration_fmt[i].in, buf, sizeof(buf));

		if (got != buf || strcmp(got, duration_fmt[i].want) != 0) {
			print_error("fmt_duration(%llu) = \"%s\", expected \"%s\"\n",
				    (unsigned long long)duration_fmt[i].in, got,
				    duration_fmt[i].want);
			failures++;
		}
	}
	/* A short buffer truncates, never overflows. */
	assert_string_equal(fmt_size(256 * MiB, buf, 4), "256");
	assert_int_equal(to_mib(256 * MiB), 256);
	assert_int_equal(to_mib(MiB / 2), 1);
	assert_int_equal(to_mib(MiB / 2 - 1), 0);
	assert_int_equal(failures, 0);
}

/* What fmt_size prints, parse_size reads back (the reports and the scenario files agree). */
static void test_round_trip(void **state)
{
	static const uint64_t sizes[] = { 0, 4096, 64 * MiB, GiB + GiB / 2, 3 * TiB, PiB };
	char buf[64], compact[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t v;
		size_t j = 0;

		fmt_size(sizes[i], buf, sizeof(buf));
		for (const char *p = buf; *p; p++) /* "1.5 GiB" -> "1.5GiB" */
			if (*p != ' ')
				compact[j++] = *p;
		compact[j] = '\0';
		assert_int_equal(parse_size(compact, &v, NULL, 0), 0);
		assert_int_equal(v, sizes[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_rate),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_percent),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
