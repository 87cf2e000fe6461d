/* Messages: one prefix ("balloon: ", "balloon-run: ") for everything printed to stderr,
 * and errf() for filling the error buffers that library functions hand back. */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

void msg_set_prog(const char *name);
const char *msg_prog(void);

/* "prog: message\n" on stderr. */
void warnmsg(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Called before each message is written (the runner erases its live status line). */
void msg_set_before(void (*fn)(void));

/* snprintf into an error buffer; safe with buf == NULL. Never fails. */
void errf(char *buf, size_t len, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
