/* The memory cgroup of a process, from the text of /proc/PID/cgroup: shared by the balloon
 * (which limit applies to it) and the runner (where its own cgroup is). */
#include "proc_cgroup.h"

#include <errno.h>
#include <string.h>

/* Whether the comma-separated controller list holds `name` as a whole word. */
static bool has_controller(const char *list, size_t len, const char *name)
{
	size_t nlen = strlen(name);

	for (const char *p = list, *end = list + len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t wlen = comma ? (size_t)(comma - p) : (size_t)(end - p);

		if (wlen == nlen && strncmp(p, name, nlen) == 0)
			return true;
		p += wlen + 1;
	}
	return false;
}

int proc_cgroup_path(const char *text, bool v2, char *path, size_t len)
{
	/* Lines are "hierarchy-id:controller-list:path"; the path may itself hold ':'. */
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *c1 = memchr(line, ':', (size_t)(end - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;

		if (c2) {
			bool match = v2 ? (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1)
					: has_controller(c1 + 1, (size_t)(c2 - c1 - 1), "memory");
			size_t plen = (size_t)(end - c2 - 1);

			if (match && plen > 0 && plen < len) {
				memcpy(path, c2 + 1, plen);
				path[plen] = '\0';
				return 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}
