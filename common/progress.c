/* Writing and reading the balloon's JSON progress lines (format in progress.h). The reader
 * accepts only what the writer produces: flat objects of string and unsigned number fields. */
#include "progress.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies s into out as a JSON string body (quotes and control characters escaped). */
static size_t json_escape(const char *s, char *out, size_t len)
{
	size_t w = 0;

	for (; *s && w + 7 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[w++] = '\\';
			out[w++] = (char)c;
		} else if (c < 0x20) {
			w += (size_t)snprintf(out + w, len - w, "\\u%04x", c);
		} else {
			out[w++] = (char)c;
		}
	}
	out[w] = '\0';
	return w;
}

int progress_write(int fd, const char *event, double t, const struct progress_field *fields,
		   size_t nfields, const char *text_name, const char *text)
{
	char line[1024], esc[512];
	size_t w;
	ssize_t r;

	w = (size_t)snprintf(line, sizeof(line), "{\"event\":\"%s\",\"t\":%.3f", event, t);
	for (size_t i = 0; i < nfields && w < sizeof(line); i++)
		w += (size_t)snprintf(line + w, sizeof(line) - w, ",\"%s\":%llu", fields[i].name,
				      (unsigned long long)fields[i].value);
	if (text_name && text && w < sizeof(line)) {
		json_escape(text, esc, sizeof(esc));
		w += (size_t)snprintf(line + w, sizeof(line) - w, ",\"%s\":\"%s\"", text_name, esc);
	}
	if (w + 2 >= sizeof(line))
		w = sizeof(line) - 3;
	line[w++] = '}';
	line[w++] = '\n';
	do {
		r = write(fd, line, w);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return 0;
}

static void set_number(struct progress_event *ev, const char *name, size_t nlen, const char *v)
{
	static const struct {
		const char *name;
		size_t off;
	} nums[] = {
		{ "bytes", offsetof(struct progress_event, bytes) },
		{ "size", offsetof(struct progress_event, size) },
		{ "shortfall", offsetof(struct progress_event, shortfall) },
		{ "zero_pages", offsetof(struct progress_event, zero_pages) },
		{ "pattern_pages", offsetof(struct progress_event, pattern_pages) },
		{ "other_pages", offsetof(struct progress_event, other_pages) },
	};

	if (nlen == 1 && name[0] == 't') {
		ev->t = strtod(v, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strlen(nums[i].name) == nlen && strncmp(nums[i].name, name, nlen) == 0) {
			*(uint64_t *)((char *)ev + nums[i].off) = strtoull(v, NULL, 10);
			if (nums[i].off == offsetof(struct progress_event, bytes))
				ev->has_bytes = true;
		}
	}
}

/* Reads a JSON string body starting after the opening quote into out; returns the position
 * after the closing quote, or NULL. Escapes other than \" and \\ are kept verbatim. */
static const char *read_string(const char *p, char *out, size_t len)
{
	size_t w = 0;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (w + 1 < len)
			out[w++] = *p;
	}
	if (len)
		out[w] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

int progress_parse(const char *line, struct progress_event *ev)
{
	const char *p = line;
	char name[32], sval[128];

	memset(ev, 0, sizeof(*ev));
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '{')
		return -EINVAL;
	for (;;) {
		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '}')
			break;
		if (*p++ != '"' || !(p = read_string(p, name, sizeof(name))))
			return -EINVAL;
		while (isspace((unsigned char)*p))
			p++;
		if (*p++ != ':')
			return -EINVAL;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			if (!(p = read_string(p + 1, sval, sizeof(sval))))
				return -EINVAL;
			if (strcmp(name, "event") == 0) {
				if (strlen(sval) >= sizeof(ev->event))
					return -EINVAL; /* no event name is this long */
				memcpy(ev->event, sval, strlen(sval) + 1);
			} else if (strcmp(name, "how") == 0 || strcmp(name, "message") == 0 ||
				   strcmp(name, "kind") == 0) {
				memcpy(ev->text, sval, sizeof(ev->text));
			}
		} else if (isdigit((unsigned char)*p)) {
			/* Only unsigned numbers are written; a "-1" must not wrap to 2^64-1. */
			const char *start = p;

			while (*p && *p != ',' && *p != '}' && !isspace((unsigned char)*p))
				p++;
			char num[40];
			size_t l = (size_t)(p - start) < sizeof(num) - 1 ? (size_t)(p - start)
									  : sizeof(num) - 1;
			memcpy(num, start, l);
			num[l] = '\0';
			set_number(ev, name, strlen(name), num);
		} else {
			return -EINVAL;
		}
	}
	return ev->event[0] ? 0 : -EINVAL;
}
