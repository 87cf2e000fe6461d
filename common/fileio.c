/* Small procfs/cgroupfs files: opened, read whole, closed. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

ssize_t read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len) {
		n = read(fd, buf + total, len - 1 - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

/* pread from 0 until EOF or len - 1 bytes: a procfs or cgroupfs file read again whole. */
static ssize_t pread_whole(int fd, char *buf, size_t len)
{
	size_t total = 0;
	ssize_t n;

	while (total + 1 < len) {
		n = pread(fd, buf + total, len - 1 - total, (off_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		total += (size_t)n;
	}
	buf[total] = '\0';
	return (ssize_t)total;
}

ssize_t read_open_file(int fd, char *buf, size_t len)
{
	return len ? pread_whole(fd, buf, len) : -EINVAL;
}

ssize_t read_open_line(int fd, char *buf, size_t len)
{
	ssize_t n;

	if (len < 2)
		return -EINVAL;
	do
		n = pread(fd, buf, len - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/* a file of one line read up to its newline is read whole: no read for the end */
	if (n > 0 && buf[n - 1] == '\n' && memchr(buf, '\n', (size_t)n) == buf + n - 1)
		return n;
	return pread_whole(fd, buf, len);
}
