/* Reading an INI file through an option table (common/opt.h): a pre-scan for what inih cannot
 * report (overlong lines, NUL bytes, section headers), inih for the key lines, and one error
 * shape, "file:line: [section] key: reason". Scenario files and harness configs both use it. */
#ifndef INIFILE_H
#define INIFILE_H

#include "msg.h"
#include "opt.h"

#include <stdbool.h>
#include <stddef.h>

#define INIFILE_LINE_MAX 4096          /* characters on one line, line end excluded */
#define INIFILE_SIZE_MAX (1024 * 1024) /* bytes in one file */
#define INIFILE_MAX_SECTIONS 8
#define INIFILE_MAX_ROWS 128

struct inifile_section {
	const char *name;
	bool required; /* its required keys are reported missing even when the section is */
};

/* Stores one value of row o into base. Returns 0, or -errno with the reason in why (the
 * reason only: the caller prefixes file, line, section and key). */
typedef int (*inifile_set_fn)(const struct opt *o, void *base, const char *value, char *why,
			      size_t whylen);

struct inifile_schema {
	const struct opt *tab; /* at most INIFILE_MAX_ROWS rows */
	size_t n;
	const struct inifile_section *sections; /* at most INIFILE_MAX_SECTIONS */
	size_t nsections;
	inifile_set_fn set;
};

/* Where things were found, for the rules checked after the parse. Lines count from 1;
 * 0 = not in the file; INIFILE_CLI = given on the command line (an override). */
#define INIFILE_CLI (-1)
struct inifile_seen {
	const char *file;
	int section_line[INIFILE_MAX_SECTIONS]; /* line of the [section] header */
	int key_line[INIFILE_MAX_ROWS];         /* first line the row's key was given on */
};

/* Parses the file at path into base (defaults must already be stored) and checks that the
 * required keys are present. Stops at the first error. Returns 0; -EINVAL for any fault of
 * the file's content; -errno when it cannot be read; -ENOMEM. On error err holds
 * "file:line: [section] key: reason" (or "file: ..." when no line applies); what was stored
 * into base so far is the caller's to free. */
int inifile_load(const char *path, const struct inifile_schema *sch, void *base,
		 struct inifile_seen *seen, char *err, size_t errlen);

/* One key given on the command line: "section.key=value", and how the user wrote it (for the
 * error: "--set cgroup.memory_limit=12Q", "--limit 12Q"). */
struct inifile_override {
	const char *spec;
	const char *origin;
};

/* inifile_load with path NULL (no file: everything from overrides) and overrides applied
 * after the file's keys (a key of the file is replaced; a list key gets one more item),
 * before the required keys are checked. file names the scenario in errors when path is NULL
 * (may be NULL). An override error reads "ORIGIN: [section] key: reason". */
int inifile_load_with(const char *path, const struct inifile_schema *sch, void *base,
		      struct inifile_seen *seen, const struct inifile_override *ov, size_t nov,
		      char *err, size_t errlen);

/* Index of a section in the schema, or -1. */
int inifile_section_index(const struct inifile_schema *sch, const char *name);

/* "file:line: [section] key: " + message, "file: [section] key: " when line is 0, and
 * "file: [section] key (given on the command line): " for INIFILE_CLI (no "file: " when
 * file is NULL). The key is spelled as in files ('_' for '-'). */
void inifile_key_errf(char *err, size_t errlen, const char *file, int line,
		      const char *section, const char *key, const char *fmt, ...)
	PRINTF_LIKE(7, 8);

#endif
