/* junit.xml in the form GitHub Actions' and GitLab's test report readers take: one testsuite,
 * one testcase per scenario; an unmet expectation is a <failure>, a broken harness or an
 * interrupted run an <error>, a scenario this machine cannot run <skipped>, each with its
 * reason; the TAP lines as system-out. Written by hand: the document has six element names and
 * a fixed shape, and every piece of free text goes through text_clean() first (valid UTF-8,
 * no control characters, which XML 1.0 cannot hold), so escaping the five markup characters is
 * all that is left. (libxml2's writer did this before; loading it and the ICU it links cost
 * the runner 3 MiB of RSS in every run for one file written at the end.) The tests validate
 * the result against tests/report/junit.xsd with libxml2 and xmllint. */
#include "report_int.h"
#include "msg.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Escaped for an attribute value or element content. In an attribute, a newline or tab
 * becomes a character reference: a reader normalises the literal ones to spaces. */
static int escaped(FILE *f, const char *s, bool in_attr)
{
	char *c = text_clean(s);

	if (!c)
		return -1;
	for (const char *p = c; *p; p++)
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs(in_attr ? "&quot;" : "\"", f); break;
		case '\n': fputs(in_attr ? "&#10;" : "\n", f); break;
		case '\t': fputs(in_attr ? "&#9;" : "\t", f); break;
		default: fputc(*p, f);
		}
	free(c);
	return 0;
}

static int attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	if (escaped(f, value, true))
		return -1;
	fputc('"', f);
	return 0;
}

static int attrf(FILE *f, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int attrf(FILE *f, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return attr(f, name, buf);
}

static int text(FILE *f, const char *s)
{
	return escaped(f, s, false);
}

/* What a testcase becomes over all its rounds: the worst round decides, so a soak that failed
 * once is a failure even when its last round passed. */
enum jcase { JC_PASS, JC_FAILURE, JC_ERROR, JC_SKIPPED };

static enum jcase jcase_of(const struct report_entry *e)
{
	if (e->count[RESULT_BROKEN] || e->count[RESULT_INTERRUPTED])
		return JC_ERROR;
	if (e->count[RESULT_NOT_MET])
		return JC_FAILURE;
	if (e->runs == 0 || e->count[RESULT_SKIPPED] == e->runs)
		return JC_SKIPPED;
	return JC_PASS;
}

/* "not met in 3 of 1000 rounds, first in round 17: why", or just why for one round. */
static void reason(const struct report_entry *e, const struct report_info *info, char *buf,
		   size_t len)
{
	unsigned bad = e->count[RESULT_NOT_MET] + e->count[RESULT_BROKEN] + e->count[RESULT_INTERRUPTED];

	if (e->runs == 0)
		snprintf(buf, len, "not run: the suite was interrupted by SIG%s first",
			 sigabbrev_np(info->interrupted) ? sigabbrev_np(info->interrupted) : "?");
	else if (e->count[RESULT_INTERRUPTED])
		snprintf(buf, len, "interrupted by SIG%s; everything was cleaned up",
			 sigabbrev_np(info->interrupted) ? sigabbrev_np(info->interrupted) : "?");
	else if (info->meta->rounds > 1 && bad)
		snprintf(buf, len, "%s in %u of %u rounds, first in round %u: %s",
			 e->count[RESULT_BROKEN] ? "broken or not met" : "not met", bad, e->runs,
			 e->first_bad_round, e->first_bad_why ? e->first_bad_why : "");
	else
		snprintf(buf, len, "%s", bad && e->first_bad_why ? e->first_bad_why :
			 e->why ? e->why : "");
	if (!*buf)
		snprintf(buf, len, "(no reason given)");
}

static int testcase(FILE *f, const struct report_entry *e, const struct report_info *info)
{
	static const char *const elem[] = { NULL, "failure", "error", "skipped" };
	static const char *const type[] = { NULL, "not_met", "broken", "skipped" };
	enum jcase jc = jcase_of(e);
	char why[1024], cls[300];
	const char *slash = strrchr(e->file, '/');

	/* classname: the scenario file's directory, so CI views group shipped and test
	 * scenarios apart */
	snprintf(cls, sizeof(cls), "balloon-run.%.*s", slash ? (int)(slash - e->file) : 9,
		 slash ? e->file : "scenarios");
	for (char *p = cls + strlen("balloon-run."); *p; p++)
		if (*p == '/')
			*p = '.';
	reason(e, info, why, sizeof(why));
	fputs("  <testcase", f);
	if (attr(f, "name", e->name) || attr(f, "classname", cls) || attr(f, "file", e->file) ||
	    attrf(f, "time", "%.3f", e->total_s))
		return -1;
	fputs(">\n", f);
	if (jc != JC_PASS) {
		fprintf(f, "   <%s", elem[jc]);
		if (attr(f, "message", why) ||
		    (jc != JC_SKIPPED && attr(f, "type", e->runs ? type[jc] : "not_run")))
			return -1;
		if (jc == JC_SKIPPED) {
			fputs("/>\n", f);
		} else {
			fputc('>', f);
			if (text(f, why) || text(f, "\nverdict: ") || text(f, e->verdict) ||
			    text(f, ", expected: ") || text(f, e->expected) || text(f, "\n"))
				return -1;
			fprintf(f, "</%s>\n", elem[jc]);
		}
	}
	fputs("   <system-out>", f);
	if (info->meta->rounds > 1) {
		char line[256];

		snprintf(line, sizeof(line), "# %u rounds: %u met, %u not met, %u broken, %u "
			 "skipped; the last one:\n", e->runs, e->count[RESULT_MET], e->count[RESULT_NOT_MET],
			 e->count[RESULT_BROKEN], e->count[RESULT_SKIPPED]);
		if (text(f, line))
			return -1;
	}
	if (text(f, e->tap ? e->tap : why))
		return -1;
	fputs("</system-out>\n  </testcase>\n", f);
	return 0;
}

static int property(FILE *f, const char *name, const char *value)
{
	fputs("   <property", f);
	if (attr(f, "name", name) || attr(f, "value", value))
		return -1;
	fputs("/>\n", f);
	return 0;
}

/* The counts and time of <testsuites> and <testsuite> alike. */
static int totals(FILE *f, size_t n, const unsigned cnt[4], const struct report_info *info)
{
	return attr(f, "name", "balloon-run") || attrf(f, "tests", "%zu", n) ||
	       attrf(f, "failures", "%u", cnt[JC_FAILURE]) || attrf(f, "errors", "%u", cnt[JC_ERROR]) ||
	       attrf(f, "skipped", "%u", cnt[JC_SKIPPED]) || attrf(f, "time", "%.3f", info->seconds);
}

static int document(FILE *f, const struct report_entry *e, size_t n,
		    const struct report_info *info)
{
	unsigned cnt[4] = { 0 };
	char rounds[16];

	for (size_t i = 0; i < n; i++)
		cnt[jcase_of(&e[i])]++;
	snprintf(rounds, sizeof(rounds), "%u", info->meta->rounds);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
	if (totals(f, n, cnt, info))
		return -1;
	fputs(">\n <testsuite", f);
	if (totals(f, n, cnt, info) || attr(f, "timestamp", info->started) ||
	    attr(f, "hostname", info->host))
		return -1;
	fputs(">\n  <properties>\n", f);
	if (property(f, "kernel", info->kernel) || property(f, "cgroup", info->meta->cgroup) ||
	    property(f, "harness_version", info->meta->version) || property(f, "rounds", rounds))
		return -1;
	fputs("  </properties>\n", f);
	for (size_t i = 0; i < n; i++)
		if (testcase(f, &e[i], info))
			return -1;
	fputs("  <system-out>", f);
	if (text(f, "# ") || text(f, info->summary) || text(f, "\n"))
		return -1;
	fputs("</system-out>\n </testsuite>\n</testsuites>\n", f);
	return 0;
}

int report_junit_write(const char *path, const struct report_entry *e, size_t n,
		       const struct report_info *info, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 64];
	FILE *f;
	int bad, en;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f) {
		errf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -errno;
	}
	bad = document(f, e, n, info);
	en = bad ? ENOMEM : ferror(f) ? EIO : 0; /* text_clean's malloc, or a write */
	if (fclose(f) != 0 && !en)
		en = errno;
	if (en) {
		unlink(tmp);
		errf(err, errlen, "cannot write %s: %s", tmp, strerror(en));
		return -en;
	}
	if (rename(tmp, path) < 0) {
		en = errno;
		unlink(tmp);
		errf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(en));
		return -en;
	}
	return 0;
}
