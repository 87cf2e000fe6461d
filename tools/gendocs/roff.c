/* man(7) escaping for the generated pages (see roff.h). */
#include "roff.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#define PROG_RUNNER "balloon-run"

/* Writes the UTF-8 sequence at s as \[uXXXX]; returns the bytes it took (at least 1). */
static size_t put_utf8(FILE *f, const unsigned char *s)
{
	unsigned cp;
	size_t len, i;

	if (s[0] >= 0xf0 && s[0] < 0xf8)
		len = 4, cp = s[0] & 0x07;
	else if (s[0] >= 0xe0)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xc0)
		len = 2, cp = s[0] & 0x1f;
	else
		len = 0, cp = 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			break;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (len == 0 || i < len) {
		fputc('?', f); /* not UTF-8: a visible stand-in rather than a broken page */
		return 1;
	}
	fprintf(f, "\\[u%04X]", cp);
	return len;
}

/* One character of plain text; returns the bytes it took. */
static size_t put_char(FILE *f, const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (c == '\\')
		fputs("\\e", f);
	else if (c >= 0x80)
		return put_utf8(f, (const unsigned char *)s);
	else if (c >= 0x20 && c != 0x7f)
		fputc(c, f);
	else if (c == '\t')
		fputc(' ', f);
	return 1;
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* The text from p up to end, every '-' as \- (typed as it reads). */
static void put_literal(FILE *f, const char *p, const char *end)
{
	while (p < end) {
		if (*p == '-') {
			fputs("\\-", f);
			p++;
		} else {
			p += put_char(f, p);
		}
	}
}

/* The end of the option word starting at p. */
static const char *word_end(const char *p)
{
	while (word_char(*p))
		p++;
	return p;
}

/* Where an option word may start: at the start of the text or after a blank or an opening
 * bracket or quote ("(--verify)", "\"-vv\""), never inside a word (pseudo-random). */
static bool option_start(const char *s, const char *p)
{
	if (p[0] != '-' || !(p[1] == '-' || isalnum((unsigned char)p[1])))
		return false;
	return p == s || strchr(" ([\"'`,", p[-1]) != NULL;
}

/* Whether the blank-delimited word from p to end reads as code (an option, a path, a file or
 * key name: "--verify", "/sys/fs/cgroup/PATH", "index.html", "oom_kill", "a=b"): hyphenating
 * it would change what it says. */
static bool code_word(const char *s, const char *p, const char *end)
{
	for (const char *q = p; q < end; q++) {
		if (option_start(s, q) || strncmp(q, PROG_RUNNER, strlen(PROG_RUNNER)) == 0)
			return true;
		/* not a sentence's last full stop */
		if (strchr("/_.=", *q) && q + 1 < end)
			return true;
	}
	return false;
}

void roff_inline(FILE *f, const char *s)
{
	const char *p = s;
	size_t plen = strlen(PROG_RUNNER);

	while (*p) {
		if (*p == ' ' || *p == '\n') {
			fputc(' ', f);
			p++;
			continue;
		}
		/* a word: kept whole (\%) when it is code, its option hyphens as \- */
		const char *end = p + strcspn(p, " \n");

		if (code_word(s, p, end))
			fputs("\\%", f);
		while (p < end) {
			if (option_start(s, p)) {
				const char *w = word_end(p);

				put_literal(f, p, w < end ? w : end);
				p = w < end ? w : end;
			} else if (strncmp(p, PROG_RUNNER, plen) == 0) {
				fputs("balloon\\-run", f);
				p += plen;
			} else {
				p += put_char(f, p);
			}
		}
	}
}

void roff_text(FILE *f, const char *s)
{
	while (*s) {
		size_t len = strcspn(s, "\n");
		char line[4096];

		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, s, len);
		line[len] = '\0';
		if (len) {
			if (line[0] == '.' || line[0] == '\'')
				fputs("\\&", f);
			roff_inline(f, line);
			fputc('\n', f);
		}
		s += len;
		if (*s == '\n')
			s++;
	}
}

void roff_code(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	put_literal(f, s, s + strlen(s));
	fputc('\n', f);
}

void roff_syntax(FILE *f, const char *s)
{
	const char *p = s;
	int depth = 0; /* brackets: "[--rate RATE]" is broken across lines only as a whole */

	fputs("\\%", f);
	while (*p) {
		const char *q = p;

		if (*p == ' ') {
			/* a break only between groups; after it, a group never hyphenated */
			fputs(depth > 0 || strncmp(p + 1, "...", 3) == 0 ? "\\ " : " \\%", f);
			p++;
		} else if (*p == '-' && (p == s || strchr(" [|(", p[-1])) &&
			   (p[1] == '-' || isalpha((unsigned char)p[1]))) {
			/* an option: bold */
			fputs("\\fB", f);
			put_literal(f, p, word_end(p));
			fputs("\\fR", f);
			p = word_end(p);
		} else if (isupper((unsigned char)*p)) {
			/* a metavariable: italic */
			while (isupper((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_')
				q++;
			fprintf(f, "\\fI%.*s\\fR", (int)(q - p), p);
			p = q;
		} else if (islower((unsigned char)*p)) {
			/* a literal word (forever, markdown, balloon-run), a placeholder (options)
			 * or a file name's suffix (SCENARIO.ini) */
			while (islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_' ||
			       (*q == '-' && islower((unsigned char)q[1])))
				q++;
			bool placeholder = (q - p == 6 && strncmp(p, "option", 6) == 0) ||
					   (q - p == 7 && strncmp(p, "options", 7) == 0);
			bool suffix = p > s && p[-1] == '.';

			fputs(placeholder ? "\\fI" : suffix ? "" : "\\fB", f);
			put_literal(f, p, q);
			fputs(suffix ? "" : "\\fR", f);
			p = q;
		} else {
			depth += *p == '[' ? 1 : *p == ']' && depth > 0 ? -1 : 0;
			if (*p == '-')
				fputs("\\-", f);
			else
				put_char(f, p);
			p++;
		}
	}
}

void roff_nobreak(FILE *f, const char *s)
{
	char word[256];

	while (*s) {
		size_t len = strcspn(s, " ");

		snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) ? len : sizeof(word) - 1),
			 s);
		roff_inline(f, word);
		s += len;
		for (; *s == ' '; s++)
			fputs("\\ ", f);
	}
}

void roff_arg(FILE *f, const char *s)
{
	char part[1024];

	fputc('"', f);
	while (*s) {
		size_t len = strcspn(s, "\"");

		if (len >= sizeof(part))
			len = sizeof(part) - 1;
		memcpy(part, s, len);
		part[len] = '\0';
		roff_inline(f, part);
		s += len;
		if (*s == '"') {
			fputs("\\(dq", f);
			s++;
		}
	}
	fputc('"', f);
}
