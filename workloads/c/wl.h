/* What the C workloads share: Go-log-style lines on stderr, machine-readable lines on stdout
 * (flushed at once, for a runner waiting on them), option values as people write them
 * (bad ones exit 2), and a SIGTERM/SIGINT flag that every wait checks. */
#ifndef WL_H
#define WL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define WL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Exit codes of every C workload. */
enum { WL_EXIT_OK = 0, WL_EXIT_FAIL = 1, WL_EXIT_USAGE = 2 };

/* Set by SIGTERM or SIGINT (the signal number) once wl_init() has run. */
extern volatile sig_atomic_t wl_stop;

/* Names the program for messages and catches SIGTERM/SIGINT without SA_RESTART, so a
 * blocking call returns EINTR and the caller sees wl_stop. Returns 0 or -errno. */
int wl_init(const char *name);

/* "2006/01/02 15:04:05 name: message" on stderr, like Go's log package. */
void wl_log(const char *fmt, ...) WL_PRINTF(1, 2);

/* "name: message" on stdout, flushed. */
void wl_say(const char *fmt, ...) WL_PRINTF(1, 2);

/* "name: message (see --help)" on stderr, then exit 2. */
void wl_usage_error(const char *fmt, ...) WL_PRINTF(1, 2) __attribute__((noreturn));

/* For getopt_long's '?' and ':' (an optstring starting with ':', opterr = 0): names the
 * unknown option or the one missing its value, then exits 2. */
void wl_bad_option(int c, char **argv) __attribute__((noreturn));

/* Option values; a bad one is a usage error naming the option (exit 2). */
uint64_t wl_size_opt(const char *opt, const char *arg);
uint64_t wl_duration_opt(const char *opt, const char *arg, int allow_forever);
uint64_t wl_uint_opt(const char *opt, const char *arg, uint64_t min, uint64_t max);

/* Sleeps ns (UINT64_MAX: until a signal); returns 0 when the time ran out, -1 when
 * SIGTERM/SIGINT came first. */
int wl_sleep(uint64_t ns);

/* Writes one byte in every page of [p, p + len), so the kernel backs and charges all of it. */
void wl_touch(void *p, size_t len);

/* Seconds since an arbitrary start (CLOCK_MONOTONIC). */
double wl_now(void);

#endif
