/* Live status on the terminal. State is the terminal's (one per process): whether a line is
 * drawn and when it was drawn, so the rest of the runner only calls status_clear() before
 * printing a line of its own. */
#include "status.h"
#include "clock.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TTY_EVERY   (200 * 1000 * 1000ull)  /* redraw at most 5 times a second */
#define PLAIN_EVERY (1000 * 1000 * 1000ull) /* a plain line once a second ... */
#define BAR 20

static enum status_mode mode = STATUS_PLAIN;
static bool drawn;
static uint64_t last_draw;
static char last_phase[24];

enum status_mode status_mode_for(int fd, bool quiet)
{
	const char *term = getenv("TERM");

	if (quiet)
		return STATUS_QUIET;
	if (isatty(fd) && !(term && strcmp(term, "dumb") == 0))
		return STATUS_TTY;
	return STATUS_PLAIN;
}

void status_init(enum status_mode m)
{
	mode = m;
	drawn = false;
	last_draw = 0;
	last_phase[0] = '\0';
}

static int term_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void status_format(char *buf, size_t len, int width, const char *name, uint64_t elapsed,
		   const char *phase, const struct sample *s)
{
	char bar[BAR + 3] = "";
	size_t w = 0;
	int fill = 0;

	if (s->limit && s->limit < (uint64_t)1 << 62) {
		fill = (int)((double)s->usage / (double)s->limit * BAR + 0.5);
		if (fill > BAR)
			fill = BAR;
		bar[0] = '[';
		memset(bar + 1, '#', (size_t)fill);
		memset(bar + 1 + fill, '-', (size_t)(BAR - fill));
		bar[BAR + 1] = ']';
		bar[BAR + 2] = '\0';
	}
#define PUT(...) (w += (size_t)snprintf(buf + w, w < len ? len - w : 0, __VA_ARGS__))
	PUT("%s %6.1fs %-16s", name, (double)elapsed / 1e9, phase && *phase ? phase : "starting");
	if (bar[0])
		PUT(" %s %llu/%llu MiB", bar, (unsigned long long)to_mib(s->usage),
		    (unsigned long long)to_mib(s->limit));
	else
		PUT(" usage %llu MiB", (unsigned long long)to_mib(s->usage));
	PUT("  LazyFree %llu MiB", (unsigned long long)to_mib(s->target_lazyfree));
	if (s->balloon_bytes)
		PUT("  balloon %llu MiB", (unsigned long long)to_mib(s->balloon_bytes));
	if (s->oom_kill)
		PUT("  oom_kill %llu", (unsigned long long)s->oom_kill);
#undef PUT
	/* the terminal must never wrap: a wrapped line cannot be redrawn in place */
	if (width > 1 && len > (size_t)width - 1)
		buf[width - 1] = '\0';
}

void status_show(const char *name, uint64_t elapsed, const char *phase, const struct sample *s)
{
	uint64_t now = now_ns();
	bool new_phase = strncmp(last_phase, phase ? phase : "", sizeof(last_phase) - 1) != 0;
	char line[512];

	if (mode == STATUS_QUIET)
		return;
	if (!new_phase && now - last_draw < (mode == STATUS_TTY ? TTY_EVERY : PLAIN_EVERY))
		return;
	snprintf(last_phase, sizeof(last_phase), "%s", phase ? phase : "");
	last_draw = now;
	if (mode == STATUS_PLAIN) {
		status_format(line, sizeof(line), 0, name, elapsed, phase, s);
		printf("# %s\n", line);
		fflush(stdout);
		return;
	}
	status_format(line, sizeof(line), term_width(), name, elapsed, phase, s);
	printf("\r\033[K%s", line);
	fflush(stdout);
	drawn = true;
}

void status_clear(void)
{
	if (!drawn)
		return;
	printf("\r\033[K");
	fflush(stdout);
	drawn = false;
}
