/* Parsing and printing of sizes, rates and durations, shared by balloon and runner.
 * Every parser returns 0, or -EINVAL / -ERANGE with a one-line reason in `why`
 * that quotes the input and says what would have been accepted. */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>
#include <stdint.h>

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define NSEC_PER_SEC UINT64_C(1000000000)
#define NSEC_PER_MSEC UINT64_C(1000000)
#define DURATION_FOREVER UINT64_MAX

/* "256M", "1.5G", "4096", "64KiB": binary units (K = KiB = 1024), a bare number is bytes. */
int parse_size(const char *s, uint64_t *bytes, char *why, size_t whylen);

/* A size that may depend on a limit known only later: "512M" (absolute), "90%" (of the
 * limit), "limit-64M" (the limit less 64 MiB). */
enum size_kind { SIZE_ABSOLUTE, SIZE_PERCENT, SIZE_BELOW_LIMIT };
struct size_spec {
	int kind;            /* enum size_kind */
	uint64_t bytes;      /* ABSOLUTE: the size; BELOW_LIMIT: what stays free */
	uint64_t milli_pct;  /* PERCENT: thousandths of a percent, 1..100000 */
};
int parse_size_spec(const char *s, struct size_spec *out, char *why, size_t whylen);
/* The size for a limit of limit bytes (an absolute size ignores it; below-limit saturates
 * at 0). */
uint64_t size_spec_bytes(const struct size_spec *s, uint64_t limit);
/* "256 MiB", "90% of the limit", "the limit less 64 MiB". */
const char *fmt_size_spec(const struct size_spec *s, char *buf, size_t len);

/* A share: "40%", "12.5%" (the '%' is required, so a share is never mistaken for a count):
 * result in thousandths of a percent, 0..100000. */
int parse_percent(const char *s, uint64_t *milli_pct, char *why, size_t whylen);
/* "40%", "12.5%": the inverse of parse_percent. */
const char *fmt_percent(uint64_t milli_pct, char *buf, size_t len);

/* "100" (bare number = MiB/s), "100M/s", "512K/s", "1.5G/s": result in bytes per second. */
int parse_rate(const char *s, uint64_t *bytes_per_s, char *why, size_t whylen);

/* "2s", "500ms", "1.5m", "250us", "1h", bare number = seconds: result in nanoseconds.
 * With allow_forever, "forever" (or "inf") gives DURATION_FOREVER. */
int parse_duration(const char *s, int allow_forever, uint64_t *ns, char *why, size_t whylen);

/* "yes/no/true/false/on/off/1/0". */
int parse_bool(const char *s, int *val, char *why, size_t whylen);

/* Plain unsigned decimal integer, no unit. */
int parse_uint(const char *s, uint64_t *val, char *why, size_t whylen);

/* Human forms for messages: "256 MiB", "1.5 GiB", "1.40 s", "250 ms", "forever". */
const char *fmt_size(uint64_t bytes, char *buf, size_t len);
const char *fmt_duration(uint64_t ns, char *buf, size_t len);

/* Whole MiB, rounded to nearest, for compact figures. */
static inline uint64_t to_mib(uint64_t bytes) { return (bytes + MiB / 2) / MiB; }

#endif
