/* Command-line parsing for the balloon, driven entirely by balloon_opts[]: no option name
 * appears in this file except in the help's examples. */
#include "cli.h"
#include "msg.h"

#include <errno.h>
#include <string.h>

/* Looks up one argument ("--key", "--key=value") and finds its value, taking the next argv
 * word when needed. Returns the row or NULL with the reason in why; *i advances past what
 * was used. */
static const struct opt *lookup(int argc, char **argv, int *i, const char **value, char *why,
				size_t whylen)
{
	const char *arg = strcmp(argv[*i], "-h") == 0 ? "--help" : argv[*i];
	const char *eq;
	const struct opt *o;
	char key[64];
	size_t len;

	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0' || arg[2] == '=') {
		errf(why, whylen, "unexpected argument \"%s\" (options look like --size 256M; see "
		     "--help)", arg);
		return NULL;
	}
	eq = strchr(arg + 2, '=');
	len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	o = NULL;
	if (len < sizeof(key)) {
		memcpy(key, arg + 2, len);
		key[len] = '\0';
		o = opt_find(balloon_opts, balloon_nopts, NULL, key);
	}
	if (!o) {
		errf(why, whylen, "unknown option --%.*s (see --help)", (int)len, arg + 2);
		return NULL;
	}
	if (eq) {
		*value = eq + 1;
	} else if (o->type == OPT_BOOL) {
		*value = "yes"; /* a bare --verify; --verify=no spells the other way */
	} else if (*i + 1 < argc) {
		*value = argv[++*i];
	} else {
		errf(why, whylen, "--%s needs a value (%s)", o->key, opt_metavar(o));
		return NULL;
	}
	return o;
}

int balloon_parse_args(int argc, char **argv, struct balloon_conf *c, char *why,
		       size_t whylen)
{
	bool seen[64] = { false };
	char inner[256];
	int r;

	memset(c, 0, sizeof(*c));
	r = opt_defaults(balloon_opts, balloon_nopts, NULL, c, why, whylen);
	if (r < 0)
		return r;
	for (int i = 1; i < argc; i++) {
		const char *value;
		const struct opt *o = lookup(argc, argv, &i, &value, why, whylen);

		if (!o)
			return -EINVAL;
		r = opt_set(o, c, value, inner, sizeof(inner));
		if (r < 0) {
			errf(why, whylen, "--%s: %s", o->key, inner);
			return r;
		}
		if ((size_t)(o - balloon_opts) < sizeof(seen) / sizeof(seen[0]))
			seen[o - balloon_opts] = true;
	}
	if (c->help)
		return 0;
	for (size_t k = 0; k < balloon_nopts && k < sizeof(seen) / sizeof(seen[0]); k++) {
		if ((balloon_opts[k].flags & OPTF_REQUIRED) && !seen[k]) {
			errf(why, whylen, "--%s is required (see --help)", balloon_opts[k].key);
			return -EINVAL;
		}
	}
	return balloon_check_conf(c, why, whylen);
}

void balloon_usage(FILE *f)
{
	fputs("Usage: balloon --size SIZE [--rate RATE] [--release HOW] [--release-after DURATION]\n"
	      "               [--hold DURATION|forever] [--cgroup PATH] [option...]\n"
	      "\n"
	      "Inflates anonymous memory to SIZE at RATE, chunk by chunk, writing every page so it\n"
	      "is really resident, then stays inflated, releases the memory the way --release says\n"
	      "(munmap or an madvise advice), stays alive for --hold and optionally checks which\n"
	      "pages the kernel discarded (--verify). It is the memory pressure of the harness:\n"
	      "run it in the cgroup under test. It refuses to run where no memory limit applies\n"
	      "unless given --unbounded. Progress goes to --progress-fd as one JSON line per event\n"
	      "(started, tick, inflated, holding, released, verified, exiting, error); short\n"
	      "human messages go to stderr. SIGTERM or SIGINT stops it cleanly at any point.\n"
	      "\n"
	      "Options (sizes take K/M/G/T, binary; durations take ms/s/m/h):\n", f);
	opt_print_cli_help(f, balloon_opts, balloon_nopts);
	fputs("\n"
	      "Exit codes:\n"
	      "  0  done: inflated, released and held as asked, or stopped by SIGTERM/SIGINT\n"
	      "  1  runtime failure: mmap or madvise failed (e.g. mmap: Cannot allocate memory)\n"
	      "  2  bad option or usage\n"
	      "  3  refused by the environment: no memory limit applies (without --unbounded),\n"
	      "     cannot join --cgroup, or the kernel does not support the madvise advice\n"
	      "  (killed by SIGKILL when the OOM killer picks the balloon)\n"
	      "\n"
	      "Examples:\n"
	      "  balloon --cgroup /test/box --size 1G --rate 100 --release-after 5s --release dontneed\n"
	      "      1 GiB at 100 MiB/s in /sys/fs/cgroup/memory/test/box, dropped after 5 s\n"
	      "  balloon --size 256M --release free --hold forever --unbounded\n"
	      "      256 MiB at full speed, handed back with MADV_FREE, alive until SIGTERM\n", f);
}
