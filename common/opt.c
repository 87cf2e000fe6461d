/* The option-table engine: typed parsing with ranges, defaults and help, all from one table.
 * See opt.h for the row format. */
#include "opt.h"
#include "msg.h"
#include "units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(base, o, type) ((type *)((char *)(base) + (o)->offset))

/* Keys compare with '-' and '_' as the same letter: the balloon's --release-after is the
 * scenario file's release_after. */
bool opt_key_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

const struct opt *opt_find(const struct opt *tab, size_t n, const char *section,
			   const char *key)
{
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];

		if ((section == NULL) != (o->section == NULL))
			continue;
		if (section && strcmp(section, o->section) != 0)
			continue;
		if (opt_key_eq(key, o->key))
			return o;
	}
	return NULL;
}

const char *opt_choice(const struct opt *o, int i)
{
	/* Returns a pointer into a static rotating buffer holding the i-th choice. */
	static char bufs[4][64];
	static int next;
	const char *p = o->choices;
	char *buf = bufs[next++ % 4];

	if (!p || i < 0)
		return NULL;
	for (int k = 0; k < i; k++) {
		p = strchr(p, '|');
		if (!p)
			return NULL;
		p++;
	}
	size_t len = strcspn(p, "|");
	if (len >= sizeof(bufs[0]))
		len = sizeof(bufs[0]) - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

static int enum_index(const struct opt *o, const char *v)
{
	const char *p = o->choices;
	size_t vlen = strlen(v);

	for (int i = 0; p && *p; i++) {
		size_t len = strcspn(p, "|");

		if (len == vlen && strncmp(p, v, len) == 0)
			return i;
		p += len;
		if (*p == '|')
			p++;
	}
	return -1;
}

static int check_range(const struct opt *o, uint64_t v, const char *value, char *why,
		       size_t whylen)
{
	char a[32], b[32];

	if (o->type == OPT_INT) {
		if ((int64_t)v >= (int64_t)o->min && (int64_t)v <= (int64_t)o->max)
			return 0;
		errf(why, whylen, "\"%s\" is out of range (%lld to %lld)", value,
		     (long long)(int64_t)o->min, (long long)(int64_t)o->max);
		return -ERANGE;
	}
	if (v >= o->min && (o->max == 0 || v <= o->max))
		return 0;
	switch (o->type) {
	case OPT_SIZE:
	case OPT_SIZE_SPEC:
	case OPT_RATE:
		fmt_size(o->min, a, sizeof(a));
		fmt_size(o->max, b, sizeof(b));
		break;
	case OPT_DURATION:
		fmt_duration(o->min, a, sizeof(a));
		fmt_duration(o->max, b, sizeof(b));
		break;
	case OPT_PERCENT:
		fmt_percent(o->min, a, sizeof(a));
		fmt_percent(o->max, b, sizeof(b));
		break;
	default:
		snprintf(a, sizeof(a), "%llu", (unsigned long long)o->min);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)o->max);
	}
	if (o->max == 0)
		errf(why, whylen, "\"%s\" is out of range (at least %s%s)", value, a,
		     o->type == OPT_RATE ? "/s" : "");
	else
		errf(why, whylen, "\"%s\" is out of range (%s%s to %s%s)", value, a,
		     o->type == OPT_RATE ? "/s" : "", b, o->type == OPT_RATE ? "/s" : "");
	return -ERANGE;
}

int opt_set(const struct opt *o, void *base, const char *value, char *why, size_t whylen)
{
	uint64_t v = 0;
	int r, b;
	size_t maxlen;

	switch (o->type) {
	case OPT_STRING:
		maxlen = o->max ? o->max : 4096;
		if (strlen(value) > maxlen) {
			errf(why, whylen, "value is %zu characters long (at most %zu)",
			     strlen(value), maxlen);
			return -ERANGE;
		}
		if (o->min && strlen(value) < o->min) {
			errf(why, whylen, "value must not be empty");
			return -EINVAL;
		}
		free(*FIELD(base, o, char *));
		*FIELD(base, o, char *) = strdup(value);
		return *FIELD(base, o, char *) ? 0 : -ENOMEM;
	case OPT_SIZE:
		r = parse_size(value, &v, why, whylen);
		break;
	case OPT_RATE:
		r = parse_rate(value, &v, why, whylen);
		break;
	case OPT_DURATION:
		r = parse_duration(value, !!(o->flags & OPTF_FOREVER), &v, why, whylen);
		if (r == 0 && v == DURATION_FOREVER) {
			*FIELD(base, o, uint64_t) = v;
			return 0;
		}
		break;
	case OPT_UINT:
		r = parse_uint(value, &v, why, whylen);
		break;
	case OPT_PERCENT:
		r = parse_percent(value, &v, why, whylen);
		break;
	case OPT_INT: {
		char *end;
		long long n;

		errno = 0;
		n = strtoll(value, &end, 10);
		if (end == value || *end || errno) {
			errf(why, whylen, "\"%s\" is not an integer", value);
			return -EINVAL;
		}
		r = check_range(o, (uint64_t)(int64_t)n, value, why, whylen);
		if (r == 0)
			*FIELD(base, o, int) = (int)n;
		return r;
	}
	case OPT_BOOL:
		r = parse_bool(value, &b, why, whylen);
		if (r == 0)
			*FIELD(base, o, bool) = b;
		return r;
	case OPT_SIZE_SPEC: {
		struct size_spec sp;

		r = parse_size_spec(value, &sp, why, whylen);
		if (r == 0 && sp.kind == SIZE_ABSOLUTE) {
			r = check_range(o, sp.bytes, value, why, whylen);
		}
		if (r == 0)
			*FIELD(base, o, struct size_spec) = sp;
		return r;
	}
	case OPT_COUNT:
		r = parse_uint(value, &v, why, whylen);
		if (r == 0)
			*FIELD(base, o, int) = v > 1000 ? 1000 : (int)v;
		return r;
	case OPT_ENUM:
		b = enum_index(o, value);
		if (b < 0) {
			errf(why, whylen, "\"%s\" is not one of %s", value, o->choices);
			return -EINVAL;
		}
		*FIELD(base, o, int) = b;
		return 0;
	case OPT_ARGV: {
		struct strlist l = { 0 };

		r = split_argv(value, &l, why, whylen);
		if (r < 0)
			return r;
		strlist_free(FIELD(base, o, struct strlist));
		*FIELD(base, o, struct strlist) = l;
		return 0;
	}
	case OPT_LIST:
		if (o->choices && enum_index(o, value) < 0) {
			errf(why, whylen, "\"%s\" is not one of %s", value, o->choices);
			return -EINVAL;
		}
		if (o->max && FIELD(base, o, struct strlist)->n >= o->max) {
			errf(why, whylen, "given more than %llu times", (unsigned long long)o->max);
			return -ERANGE;
		}
		strlist_push(FIELD(base, o, struct strlist), value);
		return 0;
	default:
		errf(why, whylen, "internal error: unknown option type");
		return -EINVAL;
	}
	if (r < 0)
		return r;
	r = check_range(o, v, value, why, whylen);
	if (r < 0)
		return r;
	*FIELD(base, o, uint64_t) = v;
	return 0;
}

int opt_defaults(const struct opt *tab, size_t n, const char *section, void *base, char *why,
		 size_t whylen)
{
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];
		char inner[256];

		if (section && (!o->section || strcmp(section, o->section) != 0))
			continue;
		if (!o->def)
			continue;
		if (opt_set(o, base, o->def, inner, sizeof(inner)) < 0) {
			errf(why, whylen, "internal error: default of %s: %s", o->key, inner);
			return -EINVAL;
		}
	}
	return 0;
}

void opt_free(const struct opt *tab, size_t n, void *base)
{
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];

		if (o->type == OPT_STRING) {
			free(*FIELD(base, o, char *));
			*FIELD(base, o, char *) = NULL;
		} else if (o->type == OPT_ARGV || o->type == OPT_LIST) {
			strlist_free(FIELD(base, o, struct strlist));
		}
	}
}

const char *opt_metavar(const struct opt *o)
{
	if (o->arg)
		return o->arg;
	switch (o->type) {
	case OPT_STRING: return "TEXT";
	case OPT_SIZE: return "SIZE";
	case OPT_RATE: return "RATE";
	case OPT_DURATION: return (o->flags & OPTF_FOREVER) ? "DURATION|forever" : "DURATION";
	case OPT_BOOL: return "yes|no";
	case OPT_UINT:
	case OPT_INT: return "N";
	case OPT_COUNT: return "";
	case OPT_SIZE_SPEC: return "SIZE|N%|limit-SIZE";
	case OPT_PERCENT: return "N%";
	case OPT_ENUM: return o->choices;
	case OPT_ARGV: return "COMMAND";
	case OPT_LIST: return "TEXT";
	}
	return "VALUE";
}

static const char *type_name(const struct opt *o)
{
	switch (o->type) {
	case OPT_STRING: return "string";
	case OPT_SIZE: return "size";
	case OPT_SIZE_SPEC: return "size or %";
	case OPT_PERCENT: return "percent";
	case OPT_RATE: return "rate";
	case OPT_DURATION: return "duration";
	case OPT_BOOL: return "bool";
	case OPT_UINT:
	case OPT_INT:
	case OPT_COUNT: return "integer";
	case OPT_ENUM: return "enum";
	case OPT_ARGV: return "command";
	case OPT_LIST: return "list";
	}
	return "?";
}

/* The allowed range of a row in words ("4 MiB..1 PiB", "keep|munmap", ""). */
static const char *range_text(const struct opt *o, char *buf, size_t len)
{
	char a[32], b[32];

	buf[0] = '\0';
	switch (o->type) {
	case OPT_SIZE_SPEC:
		snprintf(buf, len, "%s..%s, 0-100%%, limit-SIZE", fmt_size(o->min, a, sizeof(a)),
			 o->max ? fmt_size(o->max, b, sizeof(b)) : "");
		break;
	case OPT_SIZE:
	case OPT_RATE:
		snprintf(buf, len, "%s%s..%s%s", fmt_size(o->min, a, sizeof(a)),
			 o->type == OPT_RATE ? "/s" : "",
			 o->max ? fmt_size(o->max, b, sizeof(b)) : "", o->max && o->type == OPT_RATE ? "/s" : "");
		break;
	case OPT_DURATION:
		snprintf(buf, len, "%s..%s", fmt_duration(o->min, a, sizeof(a)),
			 (o->flags & OPTF_FOREVER) ? "forever"
			 : o->max ? fmt_duration(o->max, b, sizeof(b)) : "");
		break;
	case OPT_PERCENT:
		snprintf(buf, len, "%s..%s", fmt_percent(o->min, a, sizeof(a)),
			 fmt_percent(o->max ? o->max : 100000, b, sizeof(b)));
		break;
	case OPT_UINT:
		if (o->max)
			snprintf(buf, len, "%llu..%llu", (unsigned long long)o->min,
				 (unsigned long long)o->max);
		else
			snprintf(buf, len, "%llu..", (unsigned long long)o->min);
		break;
	case OPT_INT:
		snprintf(buf, len, "%lld..%lld", (long long)(int64_t)o->min,
			 (long long)(int64_t)o->max);
		break;
	case OPT_ENUM:
		snprintf(buf, len, "%s", o->choices);
		break;
	case OPT_LIST:
		if (o->choices)
			snprintf(buf, len, "%s", o->choices);
		break;
	case OPT_BOOL:
		snprintf(buf, len, "yes|no");
		break;
	case OPT_STRING:
		snprintf(buf, len, "%s%llu chars", o->min ? "1.." : "up to ",
			 (unsigned long long)(o->max ? o->max : 4096));
		break;
	default:
		break;
	}
	return buf;
}

/* The key as written on a command line ('-') or in an INI file ('_'). */
static const char *spell_key(const char *key, char sep, char *buf, size_t len)
{
	size_t i;

	for (i = 0; key[i] && i + 1 < len; i++)
		buf[i] = (key[i] == '-' || key[i] == '_') ? sep : key[i];
	buf[i] = '\0';
	return buf;
}

void opt_wrap(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text;

	while (*p) {
		size_t word = strcspn(p, " ");

		if (col > indent && col + 1 + (int)word > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += (int)word;
		p += word;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

#define HELP_COL 30 /* where the help text of an option starts */

void opt_print_cli_help(FILE *f, const struct opt *tab, size_t n, int width)
{
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];
		char lhs[128], key[64], text[1024];
		int len;

		if (o->flags & OPTF_HIDDEN)
			continue;
		spell_key(o->key, '-', key, sizeof(key));
		len = snprintf(lhs, sizeof(lhs), "  %s%c%s--%s", o->shortopt ? "-" : "",
			       o->shortopt ? o->shortopt : ' ', o->shortopt ? ", " : "   ", key);
		if (!o->shortopt)
			len = snprintf(lhs, sizeof(lhs), "      --%s", key);
		if (o->type != OPT_BOOL && o->type != OPT_COUNT) {
			if (o->bare)
				len += snprintf(lhs + len, sizeof(lhs) - (size_t)len, "[=%s]",
						opt_metavar(o));
			else
				len += snprintf(lhs + len, sizeof(lhs) - (size_t)len, " %s",
						opt_metavar(o));
		}
		fputs(lhs, f);
		if (len >= HELP_COL - 1) {
			fprintf(f, "\n%*s", HELP_COL, "");
		} else {
			fprintf(f, "%*s", HELP_COL - len, "");
		}
		if (o->flags & OPTF_REQUIRED)
			snprintf(text, sizeof(text), "%s (required)", o->help);
		else if (o->def && o->type != OPT_BOOL && o->type != OPT_COUNT && !(o->flags & OPTF_STOP) &&
			 !(o->type == OPT_UINT && strcmp(o->def, "0") == 0 && o->min == 0))
			snprintf(text, sizeof(text), "%s (default: %s)", o->help, o->def);
		else
			snprintf(text, sizeof(text), "%s", o->help);
		opt_wrap(f, text, HELP_COL, HELP_COL, width);
	}
}

static const struct opt *find_short(const struct opt *tab, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (!tab[i].section && tab[i].shortopt == c)
			return &tab[i];
	return NULL;
}

/* Stores one option's value; "--key: reason" on error. */
static int cli_set(const struct opt *o, void *base, const char *value, char *why,
		   size_t whylen)
{
	char inner[512], key[64];
	int r;

	if (o->type == OPT_COUNT)
		r = value ? opt_set(o, base, value, inner, sizeof(inner)) :
		    (*FIELD(base, o, int) += 1, 0);
	else
		r = opt_set(o, base, value, inner, sizeof(inner));
	if (r < 0) {
		spell_key(o->key, '-', key, sizeof(key));
		errf(why, whylen, "--%s: %s", key, inner);
	}
	return r;
}

/* The value a row takes when given without one, or NULL when it needs one. */
static const char *bare_value(const struct opt *o)
{
	if (o->bare)
		return o->bare;
	return o->type == OPT_BOOL ? "yes" : NULL;
}

/* One "-xyz" word: flags, and at most one option that takes the rest or the next word. */
static int parse_short(const struct opt *tab, size_t n, int argc, char **argv, int *i,
		       void *base, bool *seen_row, char *why, size_t whylen)
{
	const char *p = argv[*i] + 1;

	for (; *p; p++) {
		const struct opt *o = find_short(tab, n, *p);

		if (!o) {
			errf(why, whylen, "unknown option -%c (see --help)", *p);
			return -EINVAL;
		}
		seen_row[o - tab] = true;
		if (o->type == OPT_COUNT || bare_value(o)) {
			if (cli_set(o, base, o->type == OPT_COUNT ? NULL : bare_value(o), why,
				    whylen) < 0)
				return -EINVAL;
			continue;
		}
		if (p[1])
			return cli_set(o, base, p + 1, why, whylen);
		if (*i + 1 >= argc) {
			errf(why, whylen, "-%c needs a value (%s)", *p, opt_metavar(o));
			return -EINVAL;
		}
		return cli_set(o, base, argv[++*i], why, whylen);
	}
	return 0;
}

static int parse_long(const struct opt *tab, size_t n, int argc, char **argv, int *i,
		      void *base, bool *seen_row, char *why, size_t whylen)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '='), *value;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt *o = NULL;
	char key[64];

	if (len < sizeof(key)) {
		memcpy(key, arg, len);
		key[len] = '\0';
		o = opt_find(tab, n, NULL, key);
	}
	if (!o) {
		errf(why, whylen, "unknown option --%.*s (see --help)", (int)len, arg);
		return -EINVAL;
	}
	seen_row[o - tab] = true;
	if (eq)
		value = eq + 1;
	else if (o->type == OPT_COUNT)
		value = NULL;
	else if (bare_value(o))
		value = bare_value(o);
	else if (*i + 1 < argc)
		value = argv[++*i];
	else {
		errf(why, whylen, "--%s needs a value (%s)", key, opt_metavar(o));
		return -EINVAL;
	}
	return cli_set(o, base, value, why, whylen);
}

int opt_parse_cli(const struct opt *tab, size_t n, int argc, char **argv, void *base,
		  struct cli_rest *rest, char *why, size_t whylen)
{
	bool *seen = calloc(n ? n : 1, sizeof(*seen)), stop = false;
	int r = 0;

	if (!seen)
		return -ENOMEM;
	for (int i = 1; i < argc && r == 0; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			if (!rest) {
				errf(why, whylen, "unexpected \"--\" (see --help)");
				r = -EINVAL;
				break;
			}
			rest->dashdash = true;
			for (i++; i < argc; i++)
				strlist_push(&rest->command, argv[i]);
			break;
		}
		if (strncmp(a, "--", 2) == 0 && a[2] && a[2] != '=')
			r = parse_long(tab, n, argc, argv, &i, base, seen, why, whylen);
		else if (a[0] == '-' && a[1])
			r = parse_short(tab, n, argc, argv, &i, base, seen, why, whylen);
		else if (rest)
			strlist_push(&rest->words, a);
		else {
			errf(why, whylen, "unexpected argument \"%s\" (options start with - or --; "
			     "see --help)", a);
			r = -EINVAL;
		}
	}
	for (size_t k = 0; r == 0 && k < n; k++)
		if (seen[k] && (tab[k].flags & OPTF_STOP))
			stop = true;
	for (size_t k = 0; r == 0 && !stop && k < n; k++)
		if ((tab[k].flags & OPTF_REQUIRED) && !tab[k].section && !seen[k]) {
			char key[64];

			spell_key(tab[k].key, '-', key, sizeof(key));
			errf(why, whylen, "--%s is required (see --help)", key);
			r = -EINVAL;
		}
	free(seen);
	return r;
}

/* A markdown table cell: '|' inside a cell would split it. */
static void put_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

void opt_print_keys(FILE *f, const struct opt *tab, size_t n, bool markdown)
{
	char range[96], key[64];

	if (markdown) {
		fprintf(f, "| section | key | type | range | default | meaning |\n");
		fprintf(f, "|---|---|---|---|---|---|\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];
		const char *def = (o->flags & OPTF_REQUIRED) ? "(required)" : o->def ? o->def : "";

		if (o->flags & OPTF_HIDDEN)
			continue;
		range_text(o, range, sizeof(range));
		spell_key(o->key, '_', key, sizeof(key));
		if (markdown) {
			fprintf(f, "| `[%s]` | `%s` | %s | ", o->section ? o->section : "", key,
				type_name(o));
			put_cell(f, range);
			fprintf(f, " | %s", *def ? "`" : "");
			put_cell(f, def);
			fprintf(f, "%s | ", *def ? "`" : "");
			put_cell(f, o->help);
			fprintf(f, " |\n");
		} else {
			fprintf(f, "[%s] %-18s %-8s %-24s %-12s %s\n", o->section ? o->section : "",
				key, type_name(o), range, def, o->help);
		}
	}
}

void strlist_push(struct strlist *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 2) * sizeof(*v));

	if (!v)
		abort(); /* out of memory while building a few words: nothing sensible to do */
	l->v = v;
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		abort();
	l->n++;
	l->v[l->n] = NULL;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int split_argv(const char *s, struct strlist *out, char *why, size_t whylen)
{
	size_t len = strlen(s);
	char *word = malloc(len + 1);
	size_t w = 0;
	int in_word = 0;
	char quote = 0;

	if (!word)
		return -ENOMEM;
	for (const char *p = s;; p++) {
		char c = *p;

		if (c == '\0') {
			if (quote) {
				errf(why, whylen, "unbalanced %c quote", quote);
				goto fail;
			}
			break;
		}
		if (quote) {
			if (c == quote) {
				quote = 0;
			} else if (c == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\')) {
				word[w++] = *++p;
			} else {
				word[w++] = c;
			}
			continue;
		}
		if (c == ' ' || c == '\t') {
			if (in_word) {
				word[w] = '\0';
				strlist_push(out, word);
				w = 0;
				in_word = 0;
			}
			continue;
		}
		in_word = 1;
		if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '\\' && p[1]) {
			word[w++] = *++p;
		} else {
			word[w++] = c;
		}
	}
	if (in_word) {
		word[w] = '\0';
		strlist_push(out, word);
	}
	free(word);
	if (out->n == 0) {
		errf(why, whylen, "empty command");
		return -EINVAL;
	}
	return 0;
fail:
	free(word);
	strlist_free(out);
	return -EINVAL;
}

/* The key reference's own words, so that the man pages say exactly what --list-keys says. */
const char *opt_type_word(const struct opt *o)
{
	return type_name(o);
}

const char *opt_range_words(const struct opt *o, char *buf, size_t len)
{
	return range_text(o, buf, len);
}

const char *opt_spell(const struct opt *o, char sep, char *buf, size_t len)
{
	return spell_key(o->key, sep, buf, len);
}
