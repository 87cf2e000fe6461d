/* libFuzzer target for the balloon's progress lines (common/progress.c), which the runner reads
 * from a child it does not trust. The input is parsed as one line; then its text goes through
 * the writer and back through the reader, which must accept what the writer produced and give
 * back a plain message unchanged. */
#include "progress.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The writer's line for `text`, read back from a memfd into buf (NUL-terminated). */
static void write_and_read(const char *text, char *buf, size_t len)
{
	static const struct progress_field fields[] = { { "bytes", 4096 }, { "shortfall", 0 } };
	int fd = memfd_create("fuzz-progress", MFD_CLOEXEC);
	ssize_t got;

	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	if (progress_write(fd, PROGRESS_ERROR, 1.5, fields, 2, "message", text) < 0) {
		perror("progress_write to memfd");
		abort();
	}
	got = pread(fd, buf, len - 1, 0);
	close(fd);
	if (got <= 0)
		abort();
	buf[got] = '\0';
}

/* A message the reader must give back unchanged: short enough for ev.text, and without the
 * control characters the writer escapes as \u00XX (which the reader keeps verbatim). */
static bool plain_message(const char *s)
{
	if (strlen(s) >= sizeof(((struct progress_event *)0)->text))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct progress_event ev;
	char *line = malloc(size + 1), back[2048];

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)progress_parse(line, &ev);

	/* Round trip: whatever message the balloon reports, the runner must read the line. */
	write_and_read(line, back, sizeof(back));
	if (progress_parse(back, &ev) != 0 || strcmp(ev.event, PROGRESS_ERROR) != 0 ||
	    ev.bytes != 4096 || !ev.has_bytes) {
		fprintf(stderr, "progress line written but not read back: %s", back);
		abort();
	}
	if (plain_message(line) && strcmp(ev.text, line) != 0) {
		fprintf(stderr, "message \"%s\" read back as \"%s\" from %s", line, ev.text, back);
		abort();
	}
	free(line);
	return 0;
}
