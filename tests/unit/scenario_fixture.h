/* Shared by test_keys.c and test_inifile.c: a temporary directory for scenario files, and
 * loaders that assert success, or an error of the exact shape "path:line: prefix..." after
 * which nothing is left allocated. Included once per test binary. */
#ifndef SCENARIO_FIXTURE_H
#define SCENARIO_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/scenario.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];

static void path_of(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Writes text to dir/name and loads it. */
static int load(const char *name, const char *text, struct scenario *sc, char *err,
		size_t errlen, char *path, size_t pathlen)
{
	path_of(name, path, pathlen);
	write_file(path, text, strlen(text));
	err[0] = '\0';
	return scenario_load(path, sc, err, errlen);
}

static void load_ok(const char *text, struct scenario *sc)
{
	char err[1024], path[128];
	int r = load("t.ini", text, sc, err, sizeof(err), path, sizeof(path));

	if (r != 0)
		fail_msg("expected the scenario to load, got %d: %s\n--- file ---\n%s", r, err, text);
}

/* Loads text from file `name` and checks the error is "path:line: prefix..." and contains
 * `has` (when not NULL). line 0 means the "path: " form. */
static void load_err_in(const char *name, const char *text, int line, const char *prefix,
			const char *has)
{
	struct scenario sc;
	char err[1024], path[128], want[1200];
	int r = load(name, text, &sc, err, sizeof(err), path, sizeof(path));

	if (line > 0)
		snprintf(want, sizeof(want), "%s:%d: %s", path, line, prefix);
	else
		snprintf(want, sizeof(want), "%s: %s", path, prefix);
	if (r == 0) {
		scenario_free(&sc);
		fail_msg("expected an error starting \"%s\", but it loaded\n--- file ---\n%s", want,
			 text);
	}
	if (r != -EINVAL || strncmp(err, want, strlen(want)) != 0 || (has && !strstr(err, has)))
		fail_msg("got %d \"%s\"\nexpected -EINVAL \"%s...\" containing \"%s\"\n--- file "
			 "---\n%s", r, err, want, has ? has : "", text);
	/* Nothing is left allocated after an error. */
	assert_null(sc.file);
	assert_null(sc.name);
	assert_null(sc.command.v);
	assert_null(sc.balloon_args.v);
}

__attribute__((unused)) static void load_err(const char *text, int line, const char *prefix, const char *has)
{
	load_err_in("t.ini", text, line, prefix, has);
}

static int fixture_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_keys.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int fixture_teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	(void)state;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		remove(path); /* a file, or an empty directory a test made */
	}
	if (d)
		closedir(d);
	return rmdir(dir);
}

#endif
