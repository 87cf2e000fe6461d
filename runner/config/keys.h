/* The key tables: scenario files ([scenario] [cgroup] [target] [balloon] [expect]) and harness
 * configs ([harness]). Everything about a key (name, type, range, default, help) is a row
 * here; what a row cannot say (a name's alphabet, keys that depend on other keys) is in the
 * small rule tables of keys.c. */
#ifndef KEYS_H
#define KEYS_H

#include "inifile.h"
#include "opt.h"
#include "scenario.h"

/* Row flags used by these tables, beside OPTF_* (opt.h) and BOPT_CLI_ONLY (balloon_conf.h). */
#define KEYF_ONE_BASED 0x1000   /* OPT_ENUM stored as index + 1, so 0 means "not given" */
#define KEYF_BALLOON_ARG 0x2000 /* a balloon option: given keys go to balloon_args too */
#define KEYF_WORDS 0x4000       /* OPT_LIST: a line may hold several items (commas, blanks) */

/* Sizes in scenario files stop at 1 PiB: a balloon row without an upper bound gets this one. */
#define KEYS_SIZE_CAP (UINT64_C(1) << 50)

/* Builds the scenario table (the balloon's rows are copied in at run time). Idempotent, not
 * thread-safe. Returns 0, or -ENOSPC if the rows do not fit (a programming error). */
int keys_init(void);

/* The tables and their sections. keys_scenario() needs keys_init() first. */
const struct opt *keys_scenario(size_t *n);
const struct inifile_section *keys_scenario_sections(size_t *n);
const struct opt *keys_config(size_t *n);
const struct inifile_section *keys_config_sections(size_t *n);

/* Stores one value for row o into base: refuses empty values (unless the row is a string that
 * may be empty), applies the row's extra rule, splits KEYF_WORDS lists, stores enums one-based
 * where flagged. Does not touch balloon_args. Returns 0 or -errno with the reason in why. */
int keys_set(const struct opt *o, void *base, const char *value, char *why, size_t whylen);

/* Stores the default of every row that has one (through keys_set). */
int keys_defaults(const struct opt *tab, size_t n, void *base, char *why, size_t whylen);

/* If row o is only meaningful when another key of its section has one value (ready_line:
 * ready = line), returns true and sets *key and *value. */
bool keys_dependency(const struct opt *o, const char **key, const char **value);

/* The rules between keys, checked once the whole file is read: keys that need or exclude
 * others, memsw_limit >= memory_limit, duration < timeout, ... Errors name the line of the
 * offending key. Returns 0 or -EINVAL. */
int keys_check_scenario(const struct scenario *sc, const struct inifile_seen *seen, char *err,
			size_t errlen);

#endif
