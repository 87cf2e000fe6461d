/* Loopback addresses as scenario files write them: "HOST:PORT" and "http://HOST[:PORT]/PATH".
 * Hosts are numeric (127.0.0.1, [::1]) or "localhost": a readiness probe never waits on a
 * name service. */
#ifndef NETADDR_H
#define NETADDR_H

#include <stddef.h>

struct netaddr {
	char host[64];   /* numeric: "127.0.0.1", "::1" */
	int port;        /* 1..65535 */
	char path[1024]; /* http: "/healthz" ("/" when none) */
};

/* "127.0.0.1:8080", "[::1]:8080", "localhost:8080", ":8080" (127.0.0.1). Returns 0 or
 * -EINVAL / -ERANGE with the reason. */
int parse_hostport(const char *s, struct netaddr *a, char *why, size_t whylen);

/* "http://127.0.0.1:8080/healthz" (port 80 when none). Only http. */
int parse_http_url(const char *s, struct netaddr *a, char *why, size_t whylen);

#endif
