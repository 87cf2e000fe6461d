/* The stop flag set by SIGTERM/SIGINT, and the sleeps that wake when it is set. Every wait of
 * the balloon goes through here, so a stop request is seen within one pacing tick at most. */
#ifndef STOP_H
#define STOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Installs the SIGTERM/SIGINT handlers (without SA_RESTART, so sleeps return EINTR) and
 * ignores SIGPIPE (a vanished progress reader must not kill the balloon). Returns 0 or
 * -errno with the reason in why. */
int stop_install(char *why, size_t whylen);

/* The signal that asked us to stop, or 0. */
int stop_requested(void);

/* Its name for messages: "SIGTERM", "SIGINT" ("none" before a stop). */
const char *stop_signame(void);

/* Sleeps until the absolute deadline (clock_nanosleep TIMER_ABSTIME). Returns 0 at the
 * deadline, -EINTR when a stop was requested. For short pacing sleeps: a signal landing
 * between the flag check and the sleep is seen at the deadline. */
int stop_sleep_until(uint64_t deadline_ns);

/* Waits until the absolute deadline (DURATION_FOREVER: no deadline) or a stop request, with no
 * window in which a signal can be missed. Returns 0 at the deadline, -EINTR on a stop. */
int stop_wait_until(uint64_t deadline_ns);

#endif
