/* balloon-run's command line: one option table (through the option engine of common/opt.c,
 * like the balloon's) drives parsing, --help, the man page and the shell completion. */
#ifndef CLI_H
#define CLI_H

#include "opt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum list_keys { LIST_NONE, LIST_TEXT, LIST_MARKDOWN };

struct runner_cli {
	char *config;
	int list_keys;          /* enum list_keys */
	int verbose;            /* -v count */
	bool quiet;
	uint64_t repeat;
	char *report;
	bool no_report;
	bool compare;
	struct strlist set;     /* SECTION.KEY=VALUE, in order */
	/* the one-line mode: these become keys of a scenario built from the command line */
	char *limit, *expect, *balloon, *rate, *duration;
	/* the limit finder: --find-limit, and the [search] keys over the scenario's */
	bool find_limit;
	char *low, *high, *repeats, *resolution, *max_time;
	bool help, version;
	struct cli_rest rest;   /* scenario files; after "--", the one-line command */
};

extern const struct opt runner_opts[];
extern const size_t runner_nopts;

/* Parses argv into c (defaults first) and checks what the table cannot (quiet with verbose,
 * one-line options without a command, a command with scenario files). Returns 0, or -EINVAL
 * with the reason. Free with runner_cli_free. */
int runner_cli_parse(int argc, char **argv, struct runner_cli *c, char *why, size_t whylen);
void runner_cli_free(struct runner_cli *c);

/* The keys the command line gives every scenario, as parallel lists: spec
 * "section.key=value" and origin (how the user wrote it: "--limit 512M"). One-line options
 * and the command after "--" (with a name from its program) first, then each --set. */
void runner_cli_overrides(const struct runner_cli *c, struct strlist *spec,
			  struct strlist *origin);

void runner_usage(FILE *f, int width);

#endif
