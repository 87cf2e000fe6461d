/* Sizes, rates and durations as people write them, parsed strictly: no silent
 * truncation, no wrap-around, and a reason that names the input when it is refused. */
#include "units.h"
#include "msg.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct unit {
	const char *name;
	uint64_t mult;
};

static const struct unit size_units[] = {
	{ "", 1 },          { "b", 1 },
	{ "k", KiB },       { "kb", KiB },       { "kib", KiB },
	{ "m", MiB },       { "mb", MiB },       { "mib", MiB },
	{ "g", GiB },       { "gb", GiB },       { "gib", GiB },
	{ "t", GiB * KiB }, { "tb", GiB * KiB }, { "tib", GiB * KiB },
	{ "p", GiB * MiB }, { "pb", GiB * MiB }, { "pib", GiB * MiB },
	/* Kubernetes' binary spellings (its decimal M, G are 1000-based: not these) */
	{ "ki", KiB },      { "mi", MiB },       { "gi", GiB },
	{ "ti", GiB * KiB }, { "pi", GiB * MiB },
};

static const struct unit time_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "ms", NSEC_PER_MSEC },
	{ "", NSEC_PER_SEC },
	{ "s", NSEC_PER_SEC },
	{ "sec", NSEC_PER_SEC },
	{ "m", 60 * NSEC_PER_SEC },
	{ "min", 60 * NSEC_PER_SEC },
	{ "h", 3600 * NSEC_PER_SEC },
};

/* A non-negative decimal "123" or "123.456": integer part and fraction as num/den.
 * Returns a pointer past the number, or NULL if there is none or it overflows. */
static const char *parse_decimal(const char *s, uint64_t *ip, uint64_t *fnum, uint64_t *fden,
				 int *overflow)
{
	const char *p = s;
	uint64_t v = 0, num = 0, den = 1;

	*overflow = 0;
	if (!isdigit((unsigned char)*p))
		return NULL;
	for (; isdigit((unsigned char)*p); p++) {
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *p - '0', &v))
			*overflow = 1;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		for (; isdigit((unsigned char)*p); p++) {
			/* Beyond 18 fractional digits nothing changes at byte or ns precision. */
			if (den < UINT64_C(1000000000000000000)) {
				num = num * 10 + (uint64_t)(*p - '0');
				den *= 10;
			}
		}
	}
	*ip = v;
	*fnum = num;
	*fden = den;
	return p;
}

static const struct unit *find_unit(const struct unit *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/* value = (ip + fnum/fden) * mult, rounded down; -ERANGE on overflow. */
static int scale(uint64_t ip, uint64_t fnum, uint64_t fden, uint64_t mult, uint64_t *out)
{
	uint64_t whole, frac;

	if (__builtin_mul_overflow(ip, mult, &whole))
		return -ERANGE;
	/* fnum < fden <= 1e18 and mult <= 2^50: use 128-bit to avoid overflow. */
	frac = (uint64_t)(((unsigned __int128)fnum * mult) / fden);
	if (__builtin_add_overflow(whole, frac, out))
		return -ERANGE;
	return 0;
}

static int parse_scaled(const char *s, const struct unit *tab, size_t n, uint64_t *out,
			const char *what, const char *hint, char *why, size_t whylen)
{
	uint64_t ip, fnum, fden;
	int overflow;
	const char *end;
	const struct unit *u;

	if (!s || !*s) {
		errf(why, whylen, "empty value is not %s (use %s)", what, hint);
		return -EINVAL;
	}
	if (*s == '-') {
		errf(why, whylen, "\"%s\": %s cannot be negative", s, what);
		return -EINVAL;
	}
	end = parse_decimal(s, &ip, &fnum, &fden, &overflow);
	if (!end || !(u = find_unit(tab, n, end))) {
		errf(why, whylen, "\"%s\" is not %s (use %s)", s, what, hint);
		return -EINVAL;
	}
	if (overflow || scale(ip, fnum, fden, u->mult, out) < 0) {
		errf(why, whylen, "\"%s\" is too large", s);
		return -ERANGE;
	}
	if (u->mult == 1 && fnum != 0) {
		if (*end)
			errf(why, whylen, "\"%s\": the smallest unit cannot be split (use a whole number)",
			     s);
		else
			errf(why, whylen, "\"%s\": a fraction needs a unit (use 1.5M, 0.5s)", s);
		return -EINVAL;
	}
	return 0;
}

int parse_size(const char *s, uint64_t *bytes, char *why, size_t whylen)
{
	return parse_scaled(s, size_units, sizeof(size_units) / sizeof(size_units[0]), bytes,
			    "a size", "512M, 2G, 4096", why, whylen);
}

int parse_size_spec(const char *s, struct size_spec *out, char *why, size_t whylen)
{
	const char *hint = "512M, 1Gi, 90%, limit-64M";
	size_t len = s ? strlen(s) : 0;
	uint64_t ip, fnum, fden;
	int overflow, r;
	const char *end;

	memset(out, 0, sizeof(*out));
	if (len > 6 && strncasecmp(s, "limit-", 6) == 0) {
		out->kind = SIZE_BELOW_LIMIT;
		r = parse_size(s + 6, &out->bytes, why, whylen);
		if (r < 0)
			errf(why, whylen, "\"%s\": after limit- comes a size (use %s)", s, hint);
		return r;
	}
	if (len < 2 || s[len - 1] != '%')
		return parse_size(s, &out->bytes, why, whylen);
	end = parse_decimal(s, &ip, &fnum, &fden, &overflow);
	if (!end || end != s + len - 1) {
		errf(why, whylen, "\"%s\" is not a percentage (use %s)", s, hint);
		return -EINVAL;
	}
	out->kind = SIZE_PERCENT;
	out->milli_pct = overflow || ip > 100 ? 100001 : ip * 1000 + fnum * 1000 / fden;
	if (out->milli_pct == 0 || out->milli_pct > 100000) {
		errf(why, whylen, "\"%s\" is out of range (above 0%% and at most 100%%)", s);
		return -ERANGE;
	}
	return 0;
}

int parse_percent(const char *s, uint64_t *milli_pct, char *why, size_t whylen)
{
	const char *hint = "40%, 12.5%";
	size_t len = s ? strlen(s) : 0;
	uint64_t ip, fnum, fden;
	int overflow;
	const char *end;

	if (len < 2 || s[len - 1] != '%' || !(end = parse_decimal(s, &ip, &fnum, &fden, &overflow)) ||
	    end != s + len - 1) {
		errf(why, whylen, "\"%s\" is not a percentage (use %s)", s ? s : "", hint);
		return -EINVAL;
	}
	if (overflow || ip > 100 || (ip == 100 && fnum)) {
		errf(why, whylen, "\"%s\" is out of range (0%% to 100%%)", s);
		return -ERANGE;
	}
	*milli_pct = ip * 1000 + fnum * 1000 / fden;
	return 0;
}

const char *fmt_percent(uint64_t milli_pct, char *buf, size_t len)
{
	snprintf(buf, len, "%g%%", (double)milli_pct / 1000);
	return buf;
}

uint64_t size_spec_bytes(const struct size_spec *s, uint64_t limit)
{
	switch (s->kind) {
	case SIZE_PERCENT:
		return (uint64_t)((unsigned __int128)limit * s->milli_pct / 100000);
	case SIZE_BELOW_LIMIT:
		return limit > s->bytes ? limit - s->bytes : 0;
	default:
		return s->bytes;
	}
}

const char *fmt_size_spec(const struct size_spec *s, char *buf, size_t len)
{
	char b[32];

	if (s->kind == SIZE_PERCENT)
		snprintf(buf, len, "%g%% of the limit", (double)s->milli_pct / 1000);
	else if (s->kind == SIZE_BELOW_LIMIT)
		snprintf(buf, len, "the limit less %s", fmt_size(s->bytes, b, sizeof(b)));
	else
		fmt_size(s->bytes, buf, len);
	return buf;
}

int parse_rate(const char *s, uint64_t *bytes_per_s, char *why, size_t whylen)
{
	char buf[64];
	size_t len;
	const char *hint = "100 (MiB/s), 100M/s, 512K/s";
	int bare = 1;

	if (!s || !*s) {
		errf(why, whylen, "empty value is not a rate (use %s)", hint);
		return -EINVAL;
	}
	len = strlen(s);
	if (len >= sizeof(buf)) {
		errf(why, whylen, "\"%.20s...\" is not a rate (use %s)", s, hint);
		return -EINVAL;
	}
	memcpy(buf, s, len + 1);
	if (len > 2 && strcasecmp(buf + len - 2, "/s") == 0)
		buf[len - 2] = '\0';
	for (const char *p = buf; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			bare = 0;
	if (bare && strcmp(buf, s) == 0) {
		/* A bare number is MiB/s, the unit the rate option is documented in. */
		uint64_t ip, fnum, fden;
		int overflow;
		const char *end = parse_decimal(buf, &ip, &fnum, &fden, &overflow);

		if (!end || *end) {
			errf(why, whylen, "\"%s\" is not a rate (use %s)", s, hint);
			return -EINVAL;
		}
		if (overflow || scale(ip, fnum, fden, MiB, bytes_per_s) < 0) {
			errf(why, whylen, "\"%s\" is too large", s);
			return -ERANGE;
		}
		return 0;
	}
	if (*buf == '-') {
		errf(why, whylen, "\"%s\": a rate cannot be negative", s);
		return -EINVAL;
	}
	if (bare) {
		/* "100/s" would read as 100 bytes/s while "100" is 100 MiB/s: refuse the trap. */
		errf(why, whylen, "\"%s\": give a unit before /s (100M/s, 512K/s, 100B/s) or a bare "
		     "number in MiB/s", s);
		return -EINVAL;
	}
	if (parse_scaled(buf, size_units, sizeof(size_units) / sizeof(size_units[0]), bytes_per_s,
			 "a rate", hint, why, whylen) < 0) {
		/* Re-word with the original text so the message quotes what was written. */
		uint64_t dummy;
		int r = parse_size(buf, &dummy, why, whylen);

		errf(why, whylen, "\"%s\" is %s (use %s)", s,
		     r == -ERANGE ? "too large" : "not a rate", hint);
		return r == -ERANGE ? -ERANGE : -EINVAL;
	}
	return 0;
}

int parse_duration(const char *s, int allow_forever, uint64_t *ns, char *why, size_t whylen)
{
	if (allow_forever && s && (strcasecmp(s, "forever") == 0 || strcasecmp(s, "inf") == 0)) {
		*ns = DURATION_FOREVER;
		return 0;
	}
	return parse_scaled(s, time_units, sizeof(time_units) / sizeof(time_units[0]), ns,
			    "a duration", allow_forever ? "2s, 500ms, 1m, forever" : "2s, 500ms, 1m",
			    why, whylen);
}

int parse_bool(const char *s, int *val, char *why, size_t whylen)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; s && i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*val = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*val = 0;
			return 0;
		}
	}
	errf(why, whylen, "\"%s\" is not a boolean (use yes or no)", s ? s : "");
	return -EINVAL;
}

int parse_uint(const char *s, uint64_t *val, char *why, size_t whylen)
{
	uint64_t ip, fnum, fden;
	int overflow;
	const char *end;

	if (s && *s == '-') {
		errf(why, whylen, "\"%s\": cannot be negative", s);
		return -EINVAL;
	}
	end = s ? parse_decimal(s, &ip, &fnum, &fden, &overflow) : NULL;
	if (!end || *end || fden != 1) {
		errf(why, whylen, "\"%s\" is not a whole number", s ? s : "");
		return -EINVAL;
	}
	if (overflow) {
		errf(why, whylen, "\"%s\" is too large", s);
		return -ERANGE;
	}
	*val = ip;
	return 0;
}

const char *fmt_size(uint64_t b, char *buf, size_t len)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned i = 0;
	uint64_t unit = 1;

	while (i + 1 < sizeof(names) / sizeof(names[0]) && b >= unit * 1024) {
		unit *= 1024;
		i++;
	}
	if (b % unit == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)(b / unit), names[i]);
	else
		snprintf(buf, len, "%.1f %s", (double)b / (double)unit, names[i]);
	return buf;
}

const char *fmt_duration(uint64_t ns, char *buf, size_t len)
{
	if (ns == DURATION_FOREVER)
		snprintf(buf, len, "forever");
	else if (ns < NSEC_PER_SEC)
		snprintf(buf, len, "%.0f ms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", (double)ns / 1e9);
	return buf;
}
