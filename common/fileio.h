/* Reading the small text files of procfs and cgroupfs: one read loop for both programs. */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Reads a small file whole into buf (NUL-terminated, truncated to len - 1 bytes); returns
 * the length or -errno. */
ssize_t read_small_file(const char *path, char *buf, size_t len);

/* As read_small_file, for a file read over and over (/proc/vmstat, /proc/pressure/memory):
 * opened once into *fd (-1: not yet; left open for the process's life) and read again with
 * pread from offset 0. */
ssize_t read_kept_file(int *fd, const char *path, char *buf, size_t len);
/* The same for a file already open as fd. */
ssize_t read_open_file(int fd, char *buf, size_t len);

#endif
