/* Reads a --help text back into synopsis, description, exit codes and examples (helptext.h). */
#include "helptext.h"
#include "gendocs.h"
#include "msg.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum part { P_NONE, P_USAGE, P_DESC, P_OPTIONS, P_EXITS, P_EXAMPLES, P_OTHER };

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort(); /* a few kilobytes of help text: nothing sensible to do without memory */
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

/* *dst = *dst + sep + s (or s when *dst is NULL). */
static void append(char **dst, const char *sep, const char *s)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(sep), c = strlen(s);

	if (!*dst) {
		*dst = xstrdup(s);
		return;
	}
	*dst = xrealloc(*dst, a + b + c + 1);
	memcpy(*dst + a, sep, b);
	memcpy(*dst + a + b, s, c + 1);
}

static struct help_item *push_item(struct help_item **v, size_t *n, const char *head,
				   const char *text)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].head = xstrdup(head);
	(*v)[*n].text = text ? xstrdup(text) : NULL;
	return &(*v)[(*n)++];
}

/* A header: "Examples:" or "Options (note):" at column 0 after a blank line. Returns its part
 * and sets *note to the parenthesised note (malloc'd) if any. */
static enum part header(const char *line, char **note)
{
	size_t len = strlen(line);
	const char *paren = strchr(line, '(');
	size_t name = paren ? (size_t)(paren - line) : len - 1;

	*note = NULL;
	while (name && line[name - 1] == ' ')
		name--;
	if (paren && len >= 2 && line[len - 2] == ')') {
		*note = xstrdup(paren + 1);
		(*note)[len - 2 - (size_t)(paren + 1 - line)] = '\0';
	}
	if (name == 7 && strncmp(line, "Options", 7) == 0)
		return P_OPTIONS;
	if (name == 10 && strncmp(line, "Exit codes", 10) == 0)
		return P_EXITS;
	if (name == 8 && strncmp(line, "Examples", 8) == 0)
		return P_EXAMPLES;
	return P_OTHER;
}

/* One line of the exit-code block: "  N  meaning", "  (note)" or a continuation. */
static void exit_line(struct helptext *h, const char *body, int indent, bool *in_note)
{
	if (indent <= 2 && body[0] == '(') {
		size_t len = strlen(body);

		append(&h->exit_note, " ", body + 1);
		if (len >= 2 && body[len - 1] == ')')
			h->exit_note[strlen(h->exit_note) - 1] = '\0';
		*in_note = true;
	} else if (indent <= 2 && isdigit((unsigned char)body[0])) {
		size_t w = strcspn(body, " ");
		char head[32];

		snprintf(head, sizeof(head), "%.*s", (int)(w < sizeof(head) ? w : sizeof(head) - 1),
			 body);
		body += w;
		while (*body == ' ')
			body++;
		push_item(&h->exits, &h->nexits, head, body);
		*in_note = false;
	} else if (*in_note && h->exit_note) {
		append(&h->exit_note, " ", body);
	} else if (h->nexits) {
		append(&h->exits[h->nexits - 1].text, " ", body);
	}
}

static int read_lines(char *text, struct helptext *h, char *why, size_t whylen)
{
	enum part part = P_NONE;
	char prog[64] = "";
	bool blank_before = true, in_note = false, new_para = false;

	for (char *line = text, *next; line && *line; line = next) {
		int indent = 0;
		char *body, *note;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (line[indent] == ' ')
			indent++;
		body = line + indent;
		if (!*body) {
			blank_before = true;
			if (part == P_USAGE || part == P_DESC)
				part = P_NONE;
			new_para = h->description != NULL;
			continue;
		}
		if (indent == 0 && strncmp(body, "Usage: ", 7) == 0) {
			body += 7;
			snprintf(prog, sizeof(prog), "%.*s", (int)strcspn(body, " "), body);
			h->usage = xrealloc(h->usage, (h->nusage + 1) * sizeof(*h->usage));
			h->usage[h->nusage++] = xstrdup(body);
			part = P_USAGE;
		} else if (indent == 0 && blank_before && body[strlen(body) - 1] == ':') {
			part = header(body, &note);
			if (part == P_OPTIONS) {
				free(h->options_note);
				h->options_note = note;
			} else {
				free(note);
			}
			if (part == P_OTHER)
				gen_warn("%s --help has a part \"%s\" that no page shows "
					 "(tools/gendocs/helptext.c)", prog, body);
		} else if (part == P_USAGE) {
			size_t plen = strlen(prog);

			if (strncmp(body, prog, plen) == 0 && body[plen] == ' ') {
				h->usage = xrealloc(h->usage, (h->nusage + 1) * sizeof(*h->usage));
				h->usage[h->nusage++] = xstrdup(body);
			} else {
				append(&h->usage[h->nusage - 1], " ", body);
			}
		} else if ((part == P_NONE || part == P_DESC) && indent == 0) {
			append(&h->description, new_para ? "\n" : " ", body);
			new_para = false;
			part = P_DESC;
		} else if (part == P_EXITS) {
			exit_line(h, body, indent, &in_note);
		} else if (part == P_EXAMPLES) {
			if (indent <= 2)
				push_item(&h->examples, &h->nexamples, body, NULL);
			else if (h->nexamples)
				append(&h->examples[h->nexamples - 1].text, " ", body);
		}
		blank_before = false;
	}
	if (!h->nusage || !h->description || !h->nexits || !h->nexamples) {
		errf(why, whylen, "the --help text of %s has no %s (tools/gendocs/helptext.c reads "
		     "\"Usage:\", a description, \"Exit codes:\" and \"Examples:\")",
		     *prog ? prog : "the program", !h->nusage ? "Usage: line" :
		     !h->description ? "description" : !h->nexits ? "exit codes" : "examples");
		return -EINVAL;
	}
	return 0;
}

int helptext_read(void (*usage)(FILE *f), struct helptext *h, char *why, size_t whylen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	memset(h, 0, sizeof(*h));
	f = open_memstream(&text, &len);
	if (!f) {
		errf(why, whylen, "open_memstream: %s", strerror(errno));
		return -errno;
	}
	usage(f);
	if (fclose(f) != 0 || !text) {
		free(text);
		errf(why, whylen, "cannot capture the --help text");
		return -ENOMEM;
	}
	r = read_lines(text, h, why, whylen);
	free(text);
	return r;
}

static void free_items(struct help_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].head);
		free(v[i].text);
	}
	free(v);
}

void helptext_free(struct helptext *h)
{
	for (size_t i = 0; i < h->nusage; i++)
		free(h->usage[i]);
	free(h->usage);
	free(h->description);
	free(h->options_note);
	free_items(h->exits, h->nexits);
	free_items(h->examples, h->nexamples);
	free(h->exit_note);
	memset(h, 0, sizeof(*h));
}
