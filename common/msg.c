/* Messages shared by balloon and runner; only the programs' main() decides to exit. */
#include "msg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static const char *prog = "balloon";
static void (*before)(void);

void msg_set_before(void (*fn)(void))
{
	before = fn;
}

void msg_set_prog(const char *name)
{
	prog = name;
}

const char *msg_prog(void)
{
	return prog;
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (before)
		before();
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	errno = saved;
}

void errf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	errno = saved;
}
