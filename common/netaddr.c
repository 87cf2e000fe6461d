/* Parsing of loopback addresses and http URLs for the readiness probes (see netaddr.h). */
#include "netaddr.h"
#include "msg.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* host (len bytes) into a->host, numeric or localhost. */
static int parse_host(const char *h, size_t len, const char *whole, struct netaddr *a,
		      char *why, size_t whylen)
{
	unsigned char buf[16];
	char tmp[64];

	if (len == 0 || (len == 9 && strncmp(h, "localhost", 9) == 0)) {
		snprintf(a->host, sizeof(a->host), "127.0.0.1");
		return 0;
	}
	if (len >= sizeof(tmp)) {
		errf(why, whylen, "\"%s\": the host is too long", whole);
		return -EINVAL;
	}
	memcpy(tmp, h, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, buf) != 1 && inet_pton(AF_INET6, tmp, buf) != 1) {
		errf(why, whylen, "\"%s\": the host must be a numeric address (127.0.0.1, [::1]) "
		     "or localhost", whole);
		return -EINVAL;
	}
	snprintf(a->host, sizeof(a->host), "%s", tmp);
	return 0;
}

static int parse_port(const char *p, const char *whole, struct netaddr *a, char *why,
		      size_t whylen)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*p)) {
		errf(why, whylen, "\"%s\": the port is not a number", whole);
		return -EINVAL;
	}
	errno = 0;
	v = strtol(p, &end, 10);
	if (*end) {
		errf(why, whylen, "\"%s\": the port is not a number", whole);
		return -EINVAL;
	}
	if (errno || v < 1 || v > 65535) {
		errf(why, whylen, "\"%s\": port %s is out of range (1 to 65535)", whole, p);
		return -ERANGE;
	}
	a->port = (int)v;
	return 0;
}

/* "host:port" or "[v6]:port" of hp (len bytes); default_port when no ":port" (0: needed). */
static int split(const char *hp, size_t len, const char *whole, int default_port,
		 struct netaddr *a, char *why, size_t whylen)
{
	const char *colon, *host = hp;
	size_t hlen;
	char port[16];

	if (len && hp[0] == '[') {
		const char *close = memchr(hp, ']', len);

		if (!close) {
			errf(why, whylen, "\"%s\": '[' without ']'", whole);
			return -EINVAL;
		}
		host = hp + 1;
		hlen = (size_t)(close - host);
		colon = close + 1 < hp + len && close[1] == ':' ? close + 1 : NULL;
		if (!colon && close + 1 != hp + len) {
			errf(why, whylen, "\"%s\": expected :PORT after ']'", whole);
			return -EINVAL;
		}
	} else {
		colon = memrchr(hp, ':', len);
		hlen = colon ? (size_t)(colon - hp) : len;
		if (colon && memchr(hp, ':', hlen)) {
			errf(why, whylen, "\"%s\": write an IPv6 address in brackets ([::1]:8080)",
			     whole);
			return -EINVAL;
		}
	}
	if (parse_host(host, hlen, whole, a, why, whylen) < 0)
		return -EINVAL;
	if (!colon) {
		if (!default_port) {
			errf(why, whylen, "\"%s\": no port (write HOST:PORT, e.g. 127.0.0.1:8080)",
			     whole);
			return -EINVAL;
		}
		a->port = default_port;
		return 0;
	}
	len -= (size_t)(colon + 1 - hp);
	if (len == 0 || len >= sizeof(port)) {
		errf(why, whylen, "\"%s\": %s", whole, len ? "the port is not a number" : "no port "
		     "after ':'");
		return -EINVAL;
	}
	memcpy(port, colon + 1, len);
	port[len] = '\0';
	return parse_port(port, whole, a, why, whylen);
}

int parse_hostport(const char *s, struct netaddr *a, char *why, size_t whylen)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->path, sizeof(a->path), "/");
	return split(s, strlen(s), s, 0, a, why, whylen);
}

int parse_http_url(const char *s, struct netaddr *a, char *why, size_t whylen)
{
	const char *rest, *slash;

	memset(a, 0, sizeof(*a));
	if (strncmp(s, "http://", 7) != 0) {
		errf(why, whylen, "\"%s\": only http:// URLs are probed (https needs a TLS client; "
		     "use ready = exec with curl for it)", s);
		return -EINVAL;
	}
	rest = s + 7;
	slash = strchr(rest, '/');
	if (split(rest, slash ? (size_t)(slash - rest) : strlen(rest), s, 80, a, why, whylen) < 0)
		return -EINVAL;
	if (slash && strlen(slash) >= sizeof(a->path)) {
		errf(why, whylen, "\"%.40s...\": the path is too long", s);
		return -EINVAL;
	}
	for (const char *p = slash; p && *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			errf(why, whylen, "\"%s\": a space or control character in the path (write "
			     "it %%-encoded)", s);
			return -EINVAL;
		}
	snprintf(a->path, sizeof(a->path), "%s", slash ? slash : "/");
	return 0;
}
