/* gendocs: the man pages and bash completions of balloon and balloon-run, written from the
 * option, key and exit-code tables (and the --help texts), so that they cannot drift from
 * the programs. Each writer returns 0, or -errno with the reason in why; a fact it cannot
 * check (a --help part no page shows, a type without a description) is a "gendocs: warning:"
 * line on stderr, which tests/man.sh fails on. */
#ifndef GENDOCS_H
#define GENDOCS_H

#include <stddef.h>
#include <stdio.h>

int gen_balloon_1(FILE *f, char *why, size_t whylen);
int gen_runner_1(FILE *f, char *why, size_t whylen);
int gen_runner_ini_5(FILE *f, char *why, size_t whylen);
int gen_completion_balloon(FILE *f, char *why, size_t whylen);
int gen_completion_runner(FILE *f, char *why, size_t whylen);

/* "gendocs: warning: ..." on stderr. */
void gen_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
