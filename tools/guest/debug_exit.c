/* Ends the guest with a status the host sees: writes it to qemu's isa-debug-exit device
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04), and qemu exits with (status << 1) | 1.
 * The Debian cloud kernel has no /dev/port (CONFIG_DEVPORT unset), hence ioperm + outb.
 * usage: debug-exit STATUS (0..127). Returns only if the write did not end the machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/io.h>

#define DEBUG_EXIT_PORT 0xf4

int main(int argc, char **argv)
{
	char *end;
	long v = argc == 2 ? strtol(argv[1], &end, 10) : -1;

	if (argc != 2 || *end != '\0' || v < 0 || v > 127) {
		fprintf(stderr, "usage: debug-exit STATUS (0..127)\n");
		return 2;
	}
	if (ioperm(DEBUG_EXIT_PORT, 4, 1) != 0) {
		fprintf(stderr, "debug-exit: ioperm(0x%x): %s\n", DEBUG_EXIT_PORT, strerror(errno));
		return 1;
	}
	outb((unsigned char)v, DEBUG_EXIT_PORT);
	/* Without the device the write goes nowhere: say so, the caller falls back. */
	fprintf(stderr, "debug-exit: port 0x%x did not end the machine (no isa-debug-exit?)\n",
		DEBUG_EXIT_PORT);
	return 1;
}
