/* The balloon's command line: --key value, --key=value and bare --flag, all looked up in the
 * option table (common/balloon_conf.c), and the --help text around the table's own help. */
#ifndef CLI_H
#define CLI_H

#include "balloon_conf.h"

#include <stddef.h>
#include <stdio.h>

/* Fills c (overwritten: it must hold no owned strings yet) with the defaults, then argv[1..].
 * Returns 0, or -EINVAL / -ERANGE with a message ready to print after "balloon: " in why:
 * "--size: \"12Q\" is not a size (use 512M, 2G, 4096)", "unknown option --foo (see --help)".
 * With --help the required options are not checked. Free c with opt_free() either way. */
int balloon_parse_args(int argc, char **argv, struct balloon_conf *c, char *why,
		       size_t whylen);


/* The --help text. */
void balloon_usage(FILE *f);

#endif
