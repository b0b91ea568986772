/*
 * addr.h - IPv4 and IPv6 addresses as values, and their text forms.
 */
#ifndef MX_ADDR_H
#define MX_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_AF_INET  4
#define NET_AF_INET6 6

struct net_addr {
	uint8_t family; /* NET_AF_INET or NET_AF_INET6; 0 = unset */
	uint8_t b[16];  /* address bytes; IPv4 uses the first four */
};

#define NET_ADDR_STRLEN 46

/* Parses dotted-quad IPv4 or RFC 4291 IPv6 text; false when malformed. */
bool net_addr_parse(const char *s, struct net_addr *out);
char *net_addr_str(const struct net_addr *a, char *buf, size_t len);
bool net_addr_eq(const struct net_addr *a, const struct net_addr *b);

static inline size_t
net_addr_len(const struct net_addr *a)
{
	return a->family == NET_AF_INET ? 4 : 16;
}

#endif
