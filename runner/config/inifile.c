/* Reading INI files through an option table (see inifile.h). inih reads the key lines; the
 * pre-scan here covers what inih cannot report: it splits an overlong line silently, never
 * calls back for a section header, and a NUL byte would end the text early. */
#define INI_HANDLER_LINENO 1 /* before <ini.h>: the handler gets the line number */
#include <ini.h>

#include "inifile.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct load {
	const char *file;
	const struct inifile_schema *sch;
	void *base;
	struct inifile_seen *seen;
	char *err;
	size_t errlen;
	int ret;     /* first error found while parsing: stops the parse */
	int pending; /* error found by the pre-scan, reported unless the parse finds an earlier one */
};

static void vkey_errf(char *err, size_t errlen, const char *file, int line, const char *fmt,
		      va_list ap) __attribute__((format(printf, 5, 0)));

static void vkey_errf(char *err, size_t errlen, const char *file, int line, const char *fmt,
		      va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		errf(err, errlen, "%s:%d: %s", file, line, msg);
	else
		errf(err, errlen, "%s: %s", file, msg);
}

/* Records the first error at a line; returns 0, which tells inih the line failed. */
static int fail(struct load *ld, int line, int ret, const char *fmt, ...) PRINTF_LIKE(4, 5);

static int fail(struct load *ld, int line, int ret, const char *fmt, ...)
{
	va_list ap;

	if (ld->ret < 0)
		return 0;
	va_start(ap, fmt);
	vkey_errf(ld->err, ld->errlen, ld->file, line, fmt, ap);
	va_end(ap);
	ld->ret = ret;
	return 0;
}

void inifile_key_errf(char *err, size_t errlen, const char *file, int line,
		      const char *section, const char *key, const char *fmt, ...)
{
	char msg[1024], spelled[64];
	size_t i;
	va_list ap;

	for (i = 0; key[i] && i + 1 < sizeof(spelled); i++)
		spelled[i] = key[i] == '-' ? '_' : key[i];
	spelled[i] = '\0';
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0 && file)
		errf(err, errlen, "%s:%d: [%s] %s: %s", file, line, section, spelled, msg);
	else if (line == INIFILE_CLI || !file)
		errf(err, errlen, "%s%s[%s] %s (given on the command line): %s", file ? file : "",
		     file ? ": " : "", section, spelled, msg);
	else
		errf(err, errlen, "%s: [%s] %s: %s", file, section, spelled, msg);
}

int inifile_section_index(const struct inifile_schema *sch, const char *name)
{
	for (size_t i = 0; i < sch->nsections; i++)
		if (strcmp(sch->sections[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Edit distance, with case and the '-'/'_' difference ignored; names longer than 63 are
 * never close to anything. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, i, j;

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int x = tolower((unsigned char)(a[i - 1] == '-' ? '_' : a[i - 1]));
			int y = tolower((unsigned char)(b[j - 1] == '-' ? '_' : b[j - 1]));
			size_t best = prev + (x != y), cur = row[j];

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			prev = cur;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The visible key of `section` closest to `key`, if close enough to be a likely typo. */
static const struct opt *closest_key(const struct inifile_schema *sch, const char *section,
				     const char *key)
{
	const struct opt *best = NULL;
	size_t best_d = SIZE_MAX, limit = strlen(key) <= 4 ? 1 : 2;

	for (size_t i = 0; i < sch->n; i++) {
		const struct opt *o = &sch->tab[i];
		size_t d;

		if ((o->flags & OPTF_HIDDEN) || strcmp(o->section, section) != 0)
			continue;
		d = distance(key, o->key);
		if (d < best_d) {
			best_d = d;
			best = o;
		}
	}
	return best_d <= limit ? best : NULL;
}

/* The row of `key` in a section other than `section` (NULL: in any section). */
static const struct opt *key_elsewhere(const struct inifile_schema *sch, const char *section,
				       const char *key)
{
	for (size_t i = 0; i < sch->n; i++) {
		const struct opt *o = &sch->tab[i];

		if (!(o->flags & OPTF_HIDDEN) && opt_key_eq(o->key, key) &&
		    (!section || strcmp(o->section, section) != 0))
			return o;
	}
	return NULL;
}

/* " (did you mean x?)", " (it belongs in [s])" or " (known: a, b, c)" for an unknown key. */
static void unknown_key_hint(const struct inifile_schema *sch, const char *section,
			     const char *key, char *buf, size_t len)
{
	const struct opt *o = key_elsewhere(sch, section, key);
	size_t used;

	if (o) {
		snprintf(buf, len, " (it belongs in [%s])", o->section);
		return;
	}
	if (!section) {
		snprintf(buf, len, " (put it below a [section] header)");
		return;
	}
	o = closest_key(sch, section, key);
	if (o) {
		char spelled[64];
		size_t i;

		for (i = 0; o->key[i] && i + 1 < sizeof(spelled); i++)
			spelled[i] = o->key[i] == '-' ? '_' : o->key[i];
		spelled[i] = '\0';
		snprintf(buf, len, " (did you mean %s?)", spelled);
		return;
	}
	used = (size_t)snprintf(buf, len, " (known:");
	for (size_t i = 0; i < sch->n && used < len; i++) {
		o = &sch->tab[i];
		if (!(o->flags & OPTF_HIDDEN) && strcmp(o->section, section) == 0)
			used += (size_t)snprintf(buf + used, len - used, " %s", o->key);
	}
	if (used < len)
		snprintf(buf + used, len - used, ")");
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = '_';
}

static void section_list(const struct inifile_schema *sch, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sch->nsections && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 sch->sections[i].name);
}

/* The inih handler: looks the key up in the table and hands the value to the schema's setter. */
static int on_key(void *user, const char *section, const char *name, const char *value,
		  int lineno)
{
	struct load *ld = user;
	const struct inifile_schema *sch = ld->sch;
	const struct opt *o;
	char why[1024], hint[512];
	int r, first;

	if (!*name)
		return fail(ld, lineno, -EINVAL, "syntax error (no key before the '=')");
	if (!*section) {
		unknown_key_hint(sch, NULL, name, hint, sizeof(hint));
		return fail(ld, lineno, -EINVAL, "%s: key outside any section%s", name, hint);
	}
	if (inifile_section_index(sch, section) < 0) {
		/* The pre-scan stops before unknown sections; this is a safety net. */
		section_list(sch, hint, sizeof(hint));
		return fail(ld, lineno, -EINVAL, "[%s]: unknown section (known: %s)", section, hint);
	}
	o = opt_find(sch->tab, sch->n, section, name);
	if (!o || (o->flags & OPTF_HIDDEN)) {
		unknown_key_hint(sch, section, name, hint, sizeof(hint));
		return fail(ld, lineno, -EINVAL, "[%s] %s: unknown key%s", section, name, hint);
	}
	first = ld->seen->key_line[o - sch->tab];
	if (first && o->type != OPT_LIST)
		return fail(ld, lineno, -EINVAL, "[%s] %s: given twice (first at line %d)", section,
			    name, first);
	r = sch->set(o, ld->base, value, why, sizeof(why));
	if (r < 0)
		return fail(ld, lineno, r == -ENOMEM ? -ENOMEM : -EINVAL, "[%s] %s: %s", section,
			    name, why);
	if (!first)
		ld->seen->key_line[o - sch->tab] = lineno;
	return 1;
}

static void pend(struct load *ld, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void pend(struct load *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vkey_errf(ld->err, ld->errlen, ld->file, line, fmt, ap);
	va_end(ap);
	ld->pending = -EINVAL;
}

/* A section header on line `line` (p, len: the line without its end), parsed as inih does.
 * Records where the section starts; returns -EINVAL (error pending) for an unknown or repeated
 * section or text after the header. Lines inih will call a syntax error are left to it. */
static int scan_header(struct load *ld, const char *p, size_t len, int line)
{
	const char *e = p + len, *q = p, *r, *s;
	char known[256];
	int i;

	if (line == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		q += 3;
	while (q < e && isspace((unsigned char)*q))
		q++;
	if (q == e || *q != '[')
		return 0;
	for (r = q + 1; r < e && *r != ']'; r++)
		if (*r == ';' && isspace((unsigned char)r[-1]))
			return 0; /* inline comment before ']': inih's syntax error */
	if (r == e)
		return 0;
	for (s = r + 1; s < e && isspace((unsigned char)*s); s++)
		;
	if (s < e && *s != ';' && *s != '#') {
		pend(ld, line, "[%.*s]: text after the section header (each key goes on its own line)",
		     (int)(r - q - 1), q + 1);
		return -EINVAL;
	}
	for (i = 0; i < (int)ld->sch->nsections; i++) {
		const char *name = ld->sch->sections[i].name;

		if (strlen(name) == (size_t)(r - q - 1) && memcmp(name, q + 1, (size_t)(r - q - 1)) == 0)
			break;
	}
	if (i == (int)ld->sch->nsections) {
		section_list(ld->sch, known, sizeof(known));
		pend(ld, line, "[%.*s]: unknown section (known: %s)", (int)(r - q - 1 > 64 ? 64 : r - q - 1),
		     q + 1, known);
		return -EINVAL;
	}
	if (ld->seen->section_line[i]) {
		pend(ld, line, "[%s]: section given twice (first at line %d)",
		     ld->sch->sections[i].name, ld->seen->section_line[i]);
		return -EINVAL;
	}
	ld->seen->section_line[i] = line;
	return 0;
}

/* Checks every line before inih sees the text. Returns the length of the text inih may
 * parse: all of it, or up to the start of the first line with a problem (error pending). */
static size_t prescan(struct load *ld, const char *text, size_t textlen)
{
	const char *p = text, *end = text + textlen;
	int line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p), shown = len;

		line++;
		if (shown && p[shown - 1] == '\r')
			shown--;
		if (memchr(p, '\0', len)) {
			pend(ld, line, "contains a NUL byte (is this a text file?)");
			return (size_t)(p - text);
		}
		if (shown > INIFILE_LINE_MAX) {
			pend(ld, line, "line is %zu characters long (at most %d)", shown,
			     INIFILE_LINE_MAX);
			return (size_t)(p - text);
		}
		if (scan_header(ld, p, shown, line) < 0)
			return (size_t)(p - text);
		p = nl ? nl + 1 : end;
	}
	return textlen;
}

/* Reads the whole file into a NUL-terminated buffer. Returns 0 or -errno, message in err. */
static int read_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0, got;
	int ret = -EIO;

	if (!f) {
		ret = -errno;
		errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return ret;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 8192;
			grown = realloc(buf, cap + 1);
			if (!grown) {
				ret = -ENOMEM;
				errf(err, errlen, "%s: out of memory", path);
				goto cleanup;
			}
			buf = grown;
		}
		errno = 0;
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0 && len <= INIFILE_SIZE_MAX);
	if (ferror(f)) {
		ret = errno ? -errno : -EIO;
		errf(err, errlen, "%s: cannot read: %s", path, strerror(-ret));
		goto cleanup;
	}
	if (len > INIFILE_SIZE_MAX) {
		ret = -EINVAL;
		errf(err, errlen, "%s: larger than %d KiB: not a scenario or config file?", path,
		     INIFILE_SIZE_MAX / 1024);
		goto cleanup;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
	ret = 0;
cleanup:
	free(buf);
	fclose(f);
	return ret;
}

/* Required keys: missing from a present section (reported at its header) or from a required
 * section that is absent altogether (reported against the file). */
static int check_required(struct load *ld)
{
	const struct inifile_schema *sch = ld->sch;

	for (size_t i = 0; i < sch->n; i++) {
		const struct opt *o = &sch->tab[i];
		int s = inifile_section_index(sch, o->section);

		if (!(o->flags & OPTF_REQUIRED) || (o->flags & OPTF_HIDDEN) || ld->seen->key_line[i])
			continue;
		if (s < 0 || (!ld->seen->section_line[s] && !sch->sections[s].required))
			continue;
		if (!ld->file)
			inifile_key_errf(ld->err, ld->errlen, NULL, INIFILE_CLI, o->section, o->key,
					 "required: give it with --set %s.%s=VALUE", o->section,
					 o->key);
		else
			inifile_key_errf(ld->err, ld->errlen, ld->file, ld->seen->section_line[s],
					 o->section, o->key, "required key is missing");
		return -EINVAL;
	}
	return 0;
}

/* One override: "section.key=value" through the same lookup, setter and hints as a line of a
 * file; the section counts as present from then on. */
static int apply_override(struct load *ld, const struct inifile_override *in)
{
	const struct inifile_schema *sch = ld->sch;
	char origin[512];
	struct inifile_override o1 = { in->spec, origin }, *ov = &o1;
	const char *dot = strchr(ov->spec, '.'), *eq = strchr(ov->spec, '=');
	char section[64], key[64], why[1024], hint[512];
	const struct opt *o;
	int s, r;

	/* with a file: "x.ini: --set ...", so the error says which scenario it is about */
	snprintf(origin, sizeof(origin), "%s%s%s", ld->file ? ld->file : "", ld->file ? ": " : "",
		 in->origin);
	if (!dot || !eq || dot > eq || dot == ov->spec || eq == dot + 1 ||
	    (size_t)(dot - ov->spec) >= sizeof(section) || (size_t)(eq - dot - 1) >= sizeof(key)) {
		errf(ld->err, ld->errlen, "%s: expected SECTION.KEY=VALUE (e.g. "
		     "cgroup.memory_limit=512M)", ov->origin);
		return -EINVAL;
	}
	snprintf(section, sizeof(section), "%.*s", (int)(dot - ov->spec), ov->spec);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	s = inifile_section_index(sch, section);
	if (s < 0) {
		section_list(sch, hint, sizeof(hint));
		errf(ld->err, ld->errlen, "%s: [%s]: unknown section (known: %s)", ov->origin,
		     section, hint);
		return -EINVAL;
	}
	o = opt_find(sch->tab, sch->n, section, key);
	if (!o || (o->flags & OPTF_HIDDEN)) {
		unknown_key_hint(sch, section, key, hint, sizeof(hint));
		errf(ld->err, ld->errlen, "%s: [%s] %s: unknown key%s", ov->origin, section, key,
		     hint);
		return -EINVAL;
	}
	r = sch->set(o, ld->base, eq + 1, why, sizeof(why));
	if (r < 0) {
		errf(ld->err, ld->errlen, "%s: [%s] %s: %s", ov->origin, section, key, why);
		return r == -ENOMEM ? r : -EINVAL;
	}
	ld->seen->key_line[o - sch->tab] = INIFILE_CLI;
	if (!ld->seen->section_line[s])
		ld->seen->section_line[s] = INIFILE_CLI;
	return 0;
}

int inifile_load(const char *path, const struct inifile_schema *sch, void *base,
		 struct inifile_seen *seen, char *err, size_t errlen)
{
	return inifile_load_with(path, sch, base, seen, NULL, 0, err, errlen);
}

/* Parses the file's text into base. Returns 0 or -errno with err filled. */
static int parse_file(struct load *ld)
{
	char *text = NULL;
	size_t len = 0;
	int rc, ret;

	ret = read_file(ld->file, &text, &len, ld->err, ld->errlen);
	if (ret < 0)
		return ret;
	text[prescan(ld, text, len)] = '\0';

	/* inih's knobs are run-time globals in Debian's build (the compile-time macros do
	 * nothing). Room for "\r\n\0" after the longest line the pre-scan lets through, so
	 * inih never splits a line; an indented line is a line of its own, not a
	 * continuation of the previous value. */
	ini_max_line = INIFILE_LINE_MAX + 3;
	ini_stop_on_first_error = 1;
	ini_allow_multiline = 0;
	ini_allow_no_value = 0;
	rc = ini_parse_string(text, on_key, ld);
	if (ld->ret < 0) {
		ret = ld->ret;
	} else if (rc > 0) {
		errf(ld->err, ld->errlen, "%s:%d: syntax error (expected [section], key = value or "
		     "a ; comment)", ld->file, rc);
		ret = -EINVAL;
	} else if (rc < 0) {
		errf(ld->err, ld->errlen, "%s: out of memory", ld->file);
		ret = -ENOMEM;
	} else {
		ret = ld->pending; /* 0, or err already holds it */
	}
	free(text);
	return ret;
}

int inifile_load_with(const char *path, const struct inifile_schema *sch, void *base,
		      struct inifile_seen *seen, const struct inifile_override *ov, size_t nov,
		      char *err, size_t errlen)
{
	struct load ld = { path, sch, base, seen, err, errlen, 0, 0 };
	int ret = 0;

	memset(seen, 0, sizeof(*seen));
	seen->file = path;
	if (sch->n > INIFILE_MAX_ROWS || sch->nsections > INIFILE_MAX_SECTIONS) {
		errf(err, errlen, "%s: internal error: key table too large", path ? path : "");
		return -EINVAL;
	}
	if (path)
		ret = parse_file(&ld);
	for (size_t i = 0; ret == 0 && i < nov; i++)
		ret = apply_override(&ld, &ov[i]);
	if (ret == 0)
		ret = check_required(&ld);
	return ret;
}
