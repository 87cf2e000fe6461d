/* The balloon's machine-readable progress stream: one JSON object per line, written by the
 * balloon and read by the runner. Both sides use this file, so the format lives here only.
 *
 *   {"event":"started","t":0.000,"pid":42,"size":268435456,"rate":0,"bytes":0,"kind":"anon"}
 *   {"event":"tick","t":0.100,"bytes":20971520,"shortfall":0}
 *   {"event":"inflated","t":1.402,"bytes":268435456,"shortfall":0}
 *   {"event":"released","t":1.403,"bytes":268435456,"how":"free"}
 *   {"event":"verified","t":9.000,"zero_pages":60000,"pattern_pages":5536,"other_pages":0}
 *   {"event":"exiting","t":9.001,"bytes":0,"status":0}
 *   {"event":"error","t":0.5,"message":"mmap 64 MiB: Cannot allocate memory"}
 *
 * "t" is seconds since the balloon started (CLOCK_MONOTONIC); "bytes" is what the balloon has
 * touched and still holds; "shortfall" is the bytes the pacing could not deliver on time. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Phase names, in the order a run passes through them. */
#define PROGRESS_STARTED "started"
#define PROGRESS_TICK "tick"
#define PROGRESS_INFLATED "inflated"
#define PROGRESS_HOLDING "holding"
#define PROGRESS_RELEASED "released"
#define PROGRESS_VERIFIED "verified"
#define PROGRESS_EXITING "exiting"
#define PROGRESS_ERROR "error"

/* A number field for progress_write(). */
struct progress_field {
	const char *name;
	uint64_t value;
};

/* Writes one line: {"event":EVENT,"t":T,<fields...>[,"how"|"message":TEXT]} to fd with a
 * single write(2), so lines never interleave. `text_name` / `text` may be NULL. Returns 0 or
 * -errno (EPIPE when the reader is gone). */
int progress_write(int fd, const char *event, double t, const struct progress_field *fields,
		   size_t nfields, const char *text_name, const char *text);

/* Reading side. */
struct progress_event {
	char event[16];
	double t;
	uint64_t bytes, size, shortfall;
	uint64_t zero_pages, pattern_pages, other_pages;
	char text[128]; /* "how", "message" or "kind" */
	bool has_bytes;
};

/* Parses one line; returns 0, or -EINVAL when it is not a progress line. */
int progress_parse(const char *line, struct progress_event *ev);

#endif
