/*
 * addr.c - address values.  Text conversion uses the C library's
 * inet_pton/inet_ntop, which are pure functions of their input.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <string.h>

bool
net_addr_parse(const char *s, struct net_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = NET_AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->b) == 1) {
		out->family = NET_AF_INET6;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

char *
net_addr_str(const struct net_addr *a, char *buf, size_t len)
{
	if (a->family == NET_AF_INET)
		inet_ntop(AF_INET, a->b, buf, (socklen_t)len);
	else if (a->family == NET_AF_INET6)
		inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
	else if (len > 0)
		strncpy(buf, "?", len);
	return buf;
}

bool
net_addr_eq(const struct net_addr *a, const struct net_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->b, b->b, net_addr_len(a)) == 0;
}
