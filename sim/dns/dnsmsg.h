/*
 * dnsmsg.h - DNS messages (RFC 1035 §4) as values, and their wire format.
 *
 * Pure codec: no 'struct sim'.  Names are kept in presentation form,
 * without the final dot ("mx1.example.test"; the root is ""), with the
 * case they were given; comparisons elsewhere are case-insensitive
 * (RFC 4343).  Labels hold letters, digits, '-' and '_' as they are;
 * any other byte is written as \DDD in presentation form (RFC 1035 §5.1).
 *
 * Encoding compresses names (RFC 1035 §4.1.4) in the owner names and in
 * the RDATA of the types RFC 3597 §4 allows (NS, CNAME, PTR, MX, SOA),
 * pointing only backwards.  Decoding checks every count, length and
 * pointer and refuses loops, so it is safe on hostile input.
 */
#ifndef MX_DNSMSG_H
#define MX_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 256 /* presentation form of a name, with NUL */
#define DNS_TXT_MAX  512 /* TXT RDATA: length-prefixed strings */

enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_OPT = 41,
	DNS_T_ANY = 255,
};

enum dns_rcode {
	DNS_R_NOERROR = 0,
	DNS_R_FORMERR = 1,
	DNS_R_SERVFAIL = 2,
	DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4,
	DNS_R_REFUSED = 5,
};

#define DNS_CLASS_IN 1

struct dns_soa {
	char mname[DNS_NAME_MAX]; /* primary server */
	char rname[DNS_NAME_MAX]; /* mailbox, as a name */
	uint32_t serial, refresh, retry, expire, minimum;
};

struct dns_rr {
	char name[DNS_NAME_MAX]; /* owner */
	uint16_t type;           /* enum dns_type or any other */
	uint16_t rclass;         /* DNS_CLASS_IN; for OPT: UDP size */
	uint32_t ttl;            /* for OPT: ext-rcode, version, DO */
	union {
		uint8_t a[4];              /* A */
		uint8_t aaaa[16];          /* AAAA */
		char target[DNS_NAME_MAX]; /* NS, CNAME, PTR */
		struct {
			uint16_t pref; /* preference, lower first */
			char exchange[DNS_NAME_MAX]; /* "" = null MX */
		} mx;                                /* MX */
		struct dns_soa soa;                  /* SOA */
		struct {
			uint16_t len;              /* bytes in 'data' */
			uint8_t data[DNS_TXT_MAX]; /* raw RDATA */
		} raw; /* TXT, OPT and unknown types */
	} rd;
};

struct dns_question {
	char name[DNS_NAME_MAX]; /* QNAME */
	uint16_t qtype;          /* QTYPE */
	uint16_t qclass;         /* QCLASS */
};

#define DNS_SECTION_MAX 64 /* RRs kept per section by the decoder */

struct dns_msg {
	uint16_t id;              /* query ID, echoed in the response */
	bool qr;                  /* response */
	uint8_t opcode;           /* 0 = QUERY */
	bool aa, tc, rd, ra;      /* header flags */
	uint8_t rcode;            /* low 4 bits of the response code */
	size_t nq, nan, nns, nar; /* RRs in each section */
	struct dns_question q[1]; /* the question (QDCOUNT <= 1 here) */
	struct dns_rr an[DNS_SECTION_MAX]; /* answer section */
	struct dns_rr ns[DNS_SECTION_MAX]; /* authority section */
	struct dns_rr ar[DNS_SECTION_MAX]; /* additional, OPT included */
};

/* Resets 'm' to an empty message (all counts zero). */
void dns_msg_init(struct dns_msg *m);

/* As dns_msg_init() for a message about to be filled: clears the header,
 * the counts and the question, not the 150 kB of sections.  Each section
 * entry is written whole before a count covers it, and nothing (the
 * encoder included) reads past a count, so the bytes sent are the same;
 * clearing them all, three times per recursive question, took a fifth of
 * the time of a recursive run (docs/performance.md, dnsrec). */
void dns_msg_clear(struct dns_msg *m);

/* Whether 'm' is the response to our query 'id' for 'name'/'type': QR
 * set, our ID, and our question echoed (RFC 5452 §4.1; names compared
 * without regard to case, RFC 4343). */
bool dns_msg_is_reply(
    const struct dns_msg *m, uint16_t id, const char *name, uint16_t type);

/* Encodes 'm' into 'out' (capacity 'cap'); returns the length, or 0 when it
 * does not fit or a name is invalid (label > 63 bytes, name > 255). */
size_t dns_msg_encode(const struct dns_msg *m, uint8_t *out, size_t cap);

/* Decodes 'len' bytes; false on any malformation (truncated data, bad
 * pointer or loop, RDLENGTH disagreeing with the RDATA, more than one
 * question or more RRs than DNS_SECTION_MAX in a section). */
bool dns_msg_decode(const uint8_t *p, size_t len, struct dns_msg *m);

/* Follows the CNAME chain that starts at 'name' through the answer
 * section (RFC 1034 §3.6.2: a resolver restarts at the alias's target),
 * at most 'max_hops' links; writes the last name reached into 'out' and
 * returns the number of links followed, or -1 when the chain is longer or
 * loops. */
int dns_msg_chase(const struct dns_msg *m, const char *name, int max_hops,
    char *out, size_t len);

/* Case-insensitive name equality (RFC 4343). */
bool dns_name_eq(const char *a, const char *b);
/* True when 'name' equals 'zone' or lies below it. */
bool dns_name_under(const char *name, const char *zone);
/* Checks a presentation name: labels 1-63 bytes, total <= 255 on the wire.
 * "" (the root) is valid. */
bool dns_name_valid(const char *name);

/* "MX" for the types named in enum dns_type, from a constant table;
 * otherwise "TYPE99" (RFC 3597 §5) written into 'buf', which is returned.
 * DNS_TYPE_STRLEN bytes always suffice. */
#define DNS_TYPE_STRLEN 10 /* "TYPE65535" with NUL */
const char *dns_type_name(uint16_t type, char *buf, size_t len);
bool dns_type_parse(const char *s, uint16_t *out);
const char *dns_rcode_name(uint8_t rcode); /* "NXDOMAIN" */

/* One RR's data in presentation form ("10 mx1.example.test."), for
 * narratives and tests. */
char *dns_rr_str(const struct dns_rr *rr, char *buf, size_t len);

#endif
