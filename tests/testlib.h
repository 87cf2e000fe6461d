/* Helpers shared by the test programs (unit and integration): reading a whole file, and
 * finding the runner the integration tests drive. Include after <cmocka.h>. */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The whole file, NUL-terminated (free it), or NULL when it cannot be read. */
static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = len >= 0 ? calloc(1, (size_t)len + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Group setup of an integration test: $BUILD/balloon-run (build/ by default) into runner,
 * and root (the scenarios create memory cgroups). -1 with the reason printed otherwise. */
static inline int find_runner(char *runner, size_t len, const char *what)
{
	const char *b = getenv("BUILD");

	snprintf(runner, len, "%s/balloon-run", b && *b ? b : "build");
	if (access(runner, X_OK) != 0) {
		print_message("%s: %s (build it first)\n", runner, strerror(errno));
		return -1;
	}
	if (geteuid() != 0) {
		/* Elsewhere a skip must say what is missing: here, root. */
		print_message("%s need root (the scenarios create memory cgroups)\n", what);
		return -1;
	}
	return 0;
}

#endif
