/* The terminal: on a TTY one live status line for the running scenario (phase, elapsed,
 * usage/limit bar, LazyFree, balloon), redrawn in place; without a TTY (CI logs) a plain
 * progress line, a TAP comment, once a second and on each new phase; nothing when quiet. */
#ifndef STATUS_H
#define STATUS_H

#include "timeline.h"

#include <stdbool.h>
#include <stdint.h>

enum status_mode { STATUS_QUIET, STATUS_PLAIN, STATUS_TTY };

/* TTY when stdout is a terminal (and TERM is not "dumb"), else plain; quiet wins. */
enum status_mode status_mode_for(int fd, bool quiet);
void status_init(enum status_mode mode);

/* The state of the running scenario after a sample; drawn when due. */
void status_show(const char *name, uint64_t elapsed, const char *phase, const struct sample *s);

/* Erases a drawn status line: call before printing anything else on stdout or stderr. */
void status_clear(void);

/* The status line text (no escapes), for width columns; exposed for the tests. */
void status_format(char *buf, size_t len, int width, const char *name, uint64_t elapsed,
		   const char *phase, const struct sample *s);

#endif
