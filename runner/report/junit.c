/* junit.xml in the form GitHub Actions' and GitLab's test report readers take: one testsuite,
 * one testcase per scenario; an unmet expectation is a <failure>, a broken harness or an
 * interrupted run an <error>, a scenario this machine cannot run <skipped>, each with its
 * reason; the TAP lines as system-out. Written with libxml2's xmlwriter (it escapes); text is
 * cleaned first because XML 1.0 cannot hold control characters at all. */
#include "report_int.h"
#include "msg.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlwriter.h>

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

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *c = text_clean(value);
	int rc = c ? xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST c) : -1;

	free(c);
	return rc < 0 ? -1 : 0;
}

static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int attrf(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return attr(w, name, buf);
}

static int text(xmlTextWriterPtr w, const char *s)
{
	char *c = text_clean(s);
	int rc = c ? xmlTextWriterWriteString(w, BAD_CAST c) : -1;

	free(c);
	return rc < 0 ? -1 : 0;
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

static int testcase(xmlTextWriterPtr w, const struct report_entry *e,
		    const struct report_info *info)
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
	if (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 || attr(w, "name", e->name) ||
	    attr(w, "classname", cls) || attr(w, "file", e->file) ||
	    attrf(w, "time", "%.3f", e->total_s))
		return -1;
	if (jc != JC_PASS) {
		if (xmlTextWriterStartElement(w, BAD_CAST elem[jc]) < 0 ||
		    attr(w, "message", why) ||
		    (jc != JC_SKIPPED && attr(w, "type", e->runs ? type[jc] : "not_run")))
			return -1;
		if (jc != JC_SKIPPED &&
		    (text(w, why) || text(w, "\nverdict: ") || text(w, e->verdict) ||
		     text(w, ", expected: ") || text(w, e->expected) || text(w, "\n")))
			return -1;
		if (xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	if (xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0)
		return -1;
	if (info->meta->rounds > 1) {
		char line[256];

		snprintf(line, sizeof(line), "# %u rounds: %u met, %u not met, %u broken, %u "
			 "skipped; the last one:\n", e->runs, e->count[RESULT_MET], e->count[RESULT_NOT_MET],
			 e->count[RESULT_BROKEN], e->count[RESULT_SKIPPED]);
		if (text(w, line))
			return -1;
	}
	if (text(w, e->tap ? e->tap : why) || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

static int property(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterStartElement(w, BAD_CAST "property") < 0 || attr(w, "name", name) ||
	       attr(w, "value", value) || xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int document(xmlTextWriterPtr w, const struct report_entry *e, size_t n,
		   const struct report_info *info)
{
	unsigned cnt[4] = { 0 };
	char rounds[16];

	for (size_t i = 0; i < n; i++)
		cnt[jcase_of(&e[i])]++;
	snprintf(rounds, sizeof(rounds), "%u", info->meta->rounds);
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0 ||
	    attr(w, "name", "balloon-run") || attrf(w, "tests", "%zu", n) ||
	    attrf(w, "failures", "%u", cnt[JC_FAILURE]) || attrf(w, "errors", "%u", cnt[JC_ERROR]) ||
	    attrf(w, "skipped", "%u", cnt[JC_SKIPPED]) || attrf(w, "time", "%.3f", info->seconds) ||
	    xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 ||
	    attr(w, "name", "balloon-run") || attrf(w, "tests", "%zu", n) ||
	    attrf(w, "failures", "%u", cnt[JC_FAILURE]) || attrf(w, "errors", "%u", cnt[JC_ERROR]) ||
	    attrf(w, "skipped", "%u", cnt[JC_SKIPPED]) || attrf(w, "time", "%.3f", info->seconds) ||
	    attr(w, "timestamp", info->started) || attr(w, "hostname", info->host) ||
	    xmlTextWriterStartElement(w, BAD_CAST "properties") < 0 ||
	    property(w, "kernel", info->kernel) || property(w, "cgroup", info->meta->cgroup) ||
	    property(w, "harness_version", info->meta->version) ||
	    property(w, "rounds", rounds) || xmlTextWriterEndElement(w) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (testcase(w, &e[i], info))
			return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0 || text(w, "# ") ||
	    text(w, info->summary) || text(w, "\n") || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndDocument(w) < 0)
		return -1;
	return 0;
}

int report_junit_write(const char *path, const struct report_entry *e, size_t n,
		       const struct report_info *info, char *err, size_t errlen)
{
	char tmp[PATH_MAX + 64];
	xmlTextWriterPtr w;
	int bad;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	w = xmlNewTextWriterFilename(tmp, 0);
	if (!w) {
		errf(err, errlen, "cannot write %s: %s", tmp, strerror(errno ? errno : EIO));
		return -EIO;
	}
	bad = document(w, e, n, info);
	/* xmlFreeTextWriter flushes and closes; a failed flush shows only in xmlTextWriterFlush */
	if (!bad && xmlTextWriterFlush(w) < 0)
		bad = -1;
	xmlFreeTextWriter(w);
	if (bad) {
		unlink(tmp);
		errf(err, errlen, "cannot write %s: the XML writer failed (disk full?)", tmp);
		return -EIO;
	}
	if (rename(tmp, path) < 0) {
		int en = errno;

		unlink(tmp);
		errf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(en));
		return -en;
	}
	return 0;
}
