/* Reading the small text files of procfs and cgroupfs: one read loop for both programs. */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Reads a small file whole into buf (NUL-terminated, truncated to len - 1 bytes); returns
 * the length or -errno. */
ssize_t read_small_file(const char *path, char *buf, size_t len);

/* As read_small_file, for a file already open as fd (read again with pread from offset 0:
 * a procfs or cgroupfs file kept open shows its current contents). */
ssize_t read_open_file(int fd, char *buf, size_t len);

/* As read_open_file, for a file of one line (a counter, /proc/PID/statm): a read that ends
 * with its only newline is the whole file, and no second read looks for the end. */
ssize_t read_open_line(int fd, char *buf, size_t len);

#endif
