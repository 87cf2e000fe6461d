/* gendocs WHAT OUT: writes one generated file (a man page or a bash completion, see
 * gendocs.h) to OUT, through OUT.tmp so that a failure leaves no half-written file.
 * WHAT: balloon.1, balloon-run.1, balloon-run.ini.5, completion/balloon, completion/balloon-run.
 * Exit codes: 0 written, 1 the generator or the write failed, 2 bad usage. */
#include "gendocs.h"
#include "msg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *what;
	int (*gen)(FILE *f, char *why, size_t whylen);
} outputs[] = {
	{ "balloon.1", gen_balloon_1 },
	{ "balloon-run.1", gen_runner_1 },
	{ "balloon-run.ini.5", gen_runner_ini_5 },
	{ "completion/balloon", gen_completion_balloon },
	{ "completion/balloon-run", gen_completion_runner },
};

void gen_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("gendocs: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Runs gen into path.tmp and renames it over path. Returns 0 or -errno with why. */
static int write_file(int (*gen)(FILE *, char *, size_t), const char *path, char *why,
		      size_t whylen)
{
	char tmp[4096];
	FILE *f;
	int r;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		r = -errno;
		errf(why, whylen, "%s: %s", tmp, strerror(errno));
		return r;
	}
	r = gen(f, why, whylen);
	if (fclose(f) != 0 && r == 0) {
		r = -errno;
		errf(why, whylen, "%s: %s", tmp, strerror(errno));
	}
	if (r == 0 && rename(tmp, path) != 0) {
		r = -errno;
		errf(why, whylen, "rename %s to %s: %s", tmp, path, strerror(errno));
	}
	if (r < 0)
		remove(tmp);
	return r;
}

int main(int argc, char **argv)
{
	char why[1024] = "";

	msg_set_prog("gendocs");
	if (argc != 3) {
		fprintf(stderr, "usage: gendocs WHAT OUT\n  WHAT:");
		for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
			fprintf(stderr, " %s", outputs[i].what);
		fputc('\n', stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		if (strcmp(argv[1], outputs[i].what) != 0)
			continue;
		if (write_file(outputs[i].gen, argv[2], why, sizeof(why)) < 0) {
			warnmsg("%s: %s", argv[1], why);
			return 1;
		}
		return 0;
	}
	warnmsg("unknown output \"%s\" (see gendocs with no arguments)", argv[1]);
	return 2;
}
