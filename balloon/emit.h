/* What the balloon tells the world: JSON progress lines (format in common/progress.h) on
 * --progress-fd for the runner, and short human lines on stderr unless --quiet. */
#ifndef EMIT_H
#define EMIT_H

#include "msg.h"
#include "progress.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emit {
	int fd;       /* progress fd; -1 once its reader is gone */
	uint64_t t0;  /* ns (CLOCK_MONOTONIC) the balloon started: "t" counts from here */
	bool quiet;
};

void emit_init(struct emit *e, int fd, uint64_t t0, bool quiet);

/* One progress line; a reader that went away (EPIPE) silences further lines, nothing else. */
void emit_event(struct emit *e, const char *event, const struct progress_field *fields,
		size_t nfields, const char *text_name, const char *text);

/* "balloon: ..." on stderr unless quiet. */
void emit_say(const struct emit *e, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Seconds since t0, as the "t" field counts them. */
double emit_seconds(const struct emit *e, uint64_t now_ns);

#endif
