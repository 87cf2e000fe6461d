/* One table of options drives parsing, validation, defaults and help for both the balloon's
 * command line (section == NULL) and the runner's INI keys. A row says where the value lives
 * (offset into a struct), its type and range, its default as text (parsed by the same code),
 * and its help. Nothing else in the programs knows an option's name. */
#ifndef OPT_H
#define OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type {
	OPT_STRING,   /* char * (owned; malloc'd), max = maximum length (0: 4096) */
	OPT_SIZE,     /* uint64_t bytes */
	OPT_RATE,     /* uint64_t bytes per second */
	OPT_DURATION, /* uint64_t ns; OPTF_FOREVER admits "forever" */
	OPT_BOOL,     /* bool */
	OPT_UINT,     /* uint64_t */
	OPT_INT,      /* int; min and max hold (uint64_t)(int64_t) bounds, both required */
	OPT_ENUM,     /* int: index into choices ("a|b|c") */
	OPT_ARGV,     /* struct strlist: words split like a shell would, without a shell */
	OPT_LIST,     /* struct strlist: one item per occurrence (repeatable key) */
	OPT_COUNT,    /* int: how often a command-line flag was given (-vv = 2); no value */
	OPT_SIZE_SPEC,/* struct size_spec: a size, a percentage of a limit or limit-SIZE; min and
			 max bound the absolute form */
	OPT_PERCENT,  /* uint64_t thousandths of a percent ("40%" = 40000); min and max in the
			 same unit (max 0 = 100%) */
};

#define OPTF_REQUIRED 0x1
#define OPTF_FOREVER 0x2  /* duration may be "forever" */
#define OPTF_HIDDEN 0x4   /* not listed in help (internal plumbing) */
#define OPTF_STOP 0x8     /* CLI: --help, --version: required options are not required */

struct strlist {
	char **v; /* NULL-terminated */
	size_t n;
};

struct opt {
	const char *section; /* INI section, NULL for command-line options */
	const char *key;
	enum opt_type type;
	uint64_t min, max;   /* numeric range (max 0 = no upper bound); STRING: max length */
	const char *def;     /* default as text; NULL = none */
	const char *choices; /* OPT_ENUM: "keep|munmap|dontneed" */
	size_t offset;       /* where the value lives in the target struct */
	unsigned flags;
	const char *help;
	const char *arg;     /* CLI metavar, e.g. "SIZE"; NULL = derived from the type */
	char shortopt;       /* CLI: -x as well as --key; 0 = none */
	const char *bare;    /* CLI: the value of a bare --key (a value may still follow '=');
				NULL = a value is required (bool rows: "yes") */
};

bool opt_key_eq(const char *a, const char *b);

/* Finds a row by section and key (section may be NULL for CLI tables). */
const struct opt *opt_find(const struct opt *tab, size_t n, const char *section,
			   const char *key);

/* Parses `value` for row `o`, checks its range and stores it into base + o->offset.
 * Returns 0 or -EINVAL / -ERANGE with the reason in `why` (not naming the key: the caller
 * knows the file, line and key and prefixes them). */
int opt_set(const struct opt *o, void *base, const char *value, char *why, size_t whylen);

/* Stores the defaults of every row of `section` (all rows if section is NULL). */
int opt_defaults(const struct opt *tab, size_t n, const char *section, void *base, char *why,
		 size_t whylen);

/* Frees the owned strings and lists of every row. */
void opt_free(const struct opt *tab, size_t n, void *base);

/* The enum's choice text for index i, or NULL. */
const char *opt_choice(const struct opt *o, int i);

/* A row's default or type hint for help text ("SIZE", "keep|munmap|..."). */
const char *opt_metavar(const struct opt *o);

/* What a command line held besides its options: the words (scenario files, say), and after
 * a "--" the words of a command. */
struct cli_rest {
	struct strlist words;
	struct strlist command;
	bool dashdash;
};

/* Parses argv[1..argc-1] against the command-line rows of tab (section NULL): "--key VALUE",
 * "--key=VALUE", "-k VALUE", "-kVALUE", clusters of flags ("-vq", "-vv"), a bare "--flag" for
 * bool and count rows, "--key" alone for rows with a bare value; "--" ends the options.
 * Words that are not options go to rest (NULL: they are an error). Rows flagged
 * OPTF_REQUIRED must be given unless a row flagged OPTF_STOP (--help) was. Defaults are the
 * caller's to set first. Returns 0 or -EINVAL with "--key: reason" in why. */
int opt_parse_cli(const struct opt *tab, size_t n, int argc, char **argv, void *base,
		  struct cli_rest *rest, char *why, size_t whylen);

/* CLI help: "  -k, --key METAVAR  help (default: x)", wrapped to width columns. */
void opt_print_cli_help(FILE *f, const struct opt *tab, size_t n, int width);

/* Writes text wrapped to width, starting at column col; continuation lines are indented by
 * indent. Ends with a newline. */
void opt_wrap(FILE *f, const char *text, int col, int indent, int width);

/* INI help: "[section] key  type  range  default  help"; markdown=true gives a table. */
void opt_print_keys(FILE *f, const struct opt *tab, size_t n, bool markdown);

/* A row's words as the key reference prints them, for other renderings of it (the man
 * pages): its type ("size", "enum", ...), its range ("4 KiB..1 PiB", "keep|munmap|...", ""
 * when none), and its key spelled with sep ('_' in files, '-' on a command line). */
const char *opt_type_word(const struct opt *o);
const char *opt_range_words(const struct opt *o, char *buf, size_t len);
const char *opt_spell(const struct opt *o, char sep, char *buf, size_t len);

void strlist_push(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* Splits a command line into words: whitespace separates, '...' and "..." quote, backslash
 * escapes. Returns 0 or -EINVAL (unbalanced quote, empty) with the reason in why. */
int split_argv(const char *s, struct strlist *out, char *why, size_t whylen);

#endif
