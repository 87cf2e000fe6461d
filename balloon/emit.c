/* Progress lines and human messages of the balloon. */
#include "emit.h"
#include "clock.h"
#include "stop.h"
#include "units.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

void emit_init(struct emit *e, int fd, uint64_t t0, bool quiet)
{
	e->fd = fd;
	e->t0 = t0;
	e->quiet = quiet;
}

double emit_seconds(const struct emit *e, uint64_t now_ns)
{
	return now_ns > e->t0 ? (double)(now_ns - e->t0) / (double)NSEC_PER_SEC : 0.0;
}

void emit_event(struct emit *e, const char *event, const struct progress_field *fields,
		size_t nfields, const char *text_name, const char *text)
{
	int r;

	if (e->fd < 0)
		return;
	r = progress_write(e->fd, event, emit_seconds(e, now_ns()), fields, nfields,
			   text_name, text);
	/* The runner stopped reading (or closed the pipe): keep inflating, releasing and holding
	 * as asked, just without the commentary. SIGPIPE is ignored, so this is all it costs. */
	if (r == -EPIPE)
		e->fd = -1;
}

void emit_say(const struct emit *e, const char *fmt, ...)
{
	va_list ap;

	if (e->quiet)
		return;
	fprintf(stderr, "%s: ", msg_prog());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
