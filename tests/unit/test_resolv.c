/*
 * test_resolv.c - the stub resolver (sim/dns/resolv.c): whom it asks,
 * when, from which port, what it sends, and which answers it takes.
 *
 * The lab: the sender "mta" (198.51.100.7) and three nameservers ns1
 * (192.0.2.53), ns2 (192.0.2.54) and ns3 (203.0.113.53), each joined to
 * the router r1 by a link of 1 ms one way, so host to host is 2 ms one
 * way and 4 ms there and back (RTT).  The nameservers are scripted here:
 * silent, answering with a given RCODE or with TC set, answering late,
 * referring to another server, answering over TCP (with a given RCODE,
 * or never, or after a message with another ID), sending forged answers
 * first, or not listening at all (the host then answers ICMP port
 * unreachable, as Linux does).  A whole-network tap records every frame
 * as its origin sends it; the queries are read back from those bytes
 * (Ethernet, IPv4, UDP, TCP or ICMP decoded here by hand).
 *
 * Sources for the expected behaviour, glibc 2.26 and later,
 * resolv/res_send.c:
 *  - __res_context_send(): 'retry' rounds (RES_DFLRETRY 2) over the
 *    servers in order, from the offset nameserver_offset() gives with
 *    RES_ROTATE ("unsigned int ns = ns_shift + ns_offset; if (ns >=
 *    statp->nscount) ns -= statp->nscount;"), the offset coming from
 *    random_bits(); after a TC answer the query stays on TCP ("if
 *    (v_circuit) goto same_ns", then "try = statp->retry" before each
 *    send_vc()): one TCP try for each remaining server of the round and
 *    no further round; when every server failed errno is ECONNREFUSED
 *    only if no try timed out ('gotsomewhere' clear), ETIMEDOUT
 *    otherwise, and the TCP error ('terrno') once on TCP;
 *  - send_dg(): the wait is "int seconds = (statp->retrans << ns); if (ns
 *    > 0) seconds /= statp->nscount; if (seconds <= 0) seconds = 1;", 'ns'
 *    being the index of the server asked, whatever the round: one server
 *    5 + 5 s, two 5 + 5 s per round, three 5 + 3 + 6 s per round (the
 *    round-based reading of /work/shared/reference/mta-behavior.md §4.3,
 *    15 s and 24 s, contradicts the line it quotes; we follow the code);
 *    the same bytes go again from the socket of that server
 *    (EXT(statp).nssocks[ns], opened by reopen() only when it is -1, so
 *    kept across rounds); SERVFAIL, NOTIMP and REFUSED end the try with
 *    "return close_and_return_error (statp, resplen2)", which closes
 *    every socket (__res_iclose()); an ICMP error too (POLLERR, the same
 *    return), and a "referred query" ("anhp->rcode == NOERROR &&
 *    anhp->ancount == 0 && anhp->aa == 0 && anhp->ra == 0 &&
 *    anhp->arcount == 0", goto next_ns); then, and only then, a TC
 *    answer ("!(statp->options & RES_IGNTC) && anhp->tc") sets *v_circuit,
 *    closes the UDP sockets ("__res_iclose (statp, false)") and returns
 *    for send_vc() to the same server; the query's end closes the sockets
 *    (__res_iclose() after the loop or before returning the answer);
 *  - send_vc(): a blocking connect() with no timeout of its own, so a
 *    server that drops SYNs costs the kernel's tcp_syn_retries (6: SYNs
 *    at 0, 1, 3, 7, 15, 31, 63 s, failure at 127 s, RFC 6298 §5.5
 *    doubling from 1 s); a failed connect() sets "*terrno = errno" and is
 *    "close_and_return_error", the next server; the length and the same
 *    query bytes (RFC 1035 §4.2.2, RFC 7766 §8: in one segment); any
 *    complete answer, SERVFAIL or REFUSED too, ends the query ("All is
 *    well, or the error is fatal.  Signal that the next nameserver ought
 *    not be tried."), but a message with another ID is dropped and the
 *    next one read from the same connection ("hp->id != anhp->id ...
 *    goto read_len"); a failed read sets "*terrno = errno" too;
 *  - RFC 5452 §9.1 and send_dg() (res_ourserver_p(), res_queriesmatch(),
 *    the ID check): an answer counts only if it comes from the address and
 *    port asked, with our ID and our question (names compared without
 *    regard to case, RFC 4343 §3); RFC 5452 §9.2 and Linux: an unbound
 *    socket's port is random in ip_local_port_range (32768-60999);
 *  - RFC 792 and RFC 1122 §4.1.3.1: a datagram for a closed port draws
 *    ICMP port unreachable (type 3, code 3) with the offending IP header
 *    and the first 8 bytes of its data;
 *  - RFC 1034 §3.6.2: an alias's answer is the CNAME chain, the asker
 *    restarts at its end.
 * The model's one deviation (resolv.h): once connected over TCP it waits
 * the UDP try's time for the answer, where glibc's read() blocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "dns/dnssrv.h"
#include "dns/resolv.h"
#include "dns/zone.h"
#include "fault/fault.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define L   SIM_MS(1) /* one link, one way */
#define OW  (2 * L)   /* host to host through r1, one way */
#define RTT (2 * OW)  /* there and back */

#define NSRV  3
#define NHELD 4 /* answers a server may hold back at once */

/* --- wire reading, independent of the simulator --------------------------- */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The Internet checksum of 'n' bytes (RFC 1071): 0 when they carry a
 * correct one. */
static uint16_t
inet_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += be16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One IPv4 packet seen by the tap, decoded. */
struct pkt {
	sim_time_t t;    /* when its origin sent it */
	uint8_t proto;   /* 6 TCP, 17 UDP, 1 ICMP */
	uint8_t src[4];  /* IPv4 source */
	uint8_t dst[4];  /* IPv4 destination */
	uint8_t iph[20]; /* the IPv4 header as sent */
	uint8_t l4h[8];  /* the first 8 bytes of the IP payload */
	uint16_t sport;  /* transport ports (0 for ICMP) */
	uint16_t dport;  /* */
	uint8_t tflags;  /* TCP flags */
	size_t plen;     /* transport payload length (ICMP: the message) */
	uint8_t p[1500]; /* transport payload (ICMP: the whole message) */
};

/* --- the scripted nameservers ----------------------------------------------
 */

enum smode {
	S_SILENT, /* receives, never answers */
	S_ANSWER, /* answers with 'rcode' and, for NOERROR, one A record */
	S_TC,     /* answers with TC set, RCODE 'rcode', no record */
	S_FORGED, /* forged answers first, the right one 1 ms later */
	S_LATE,   /* answers NOERROR 'delay' after each query */
	S_NOBIND, /* port 53 closed: ICMP port unreachable */
	S_REFER,  /* a referral: NOERROR, no answer, an NS record (below) */
};

/* How a server that listens on TCP 53 answers there. */
enum tmode {
	T_ANSWER, /* the answer, RCODE 'tcp_rcode' */
	T_SILENT, /* reads the query, never answers */
	T_STRAY,  /* a message with another ID, the answer 1 ms later */
	T_STRAY1, /* the same two messages in one segment */
};

struct lab;
struct srv;

/* An answer held back, sent by an event of its own. */
struct held {
	struct srv *s;        /* borrowed: the server sending it */
	uint8_t b[512];       /* the answer */
	size_t n;             /* its length */
	struct udp_from from; /* where it goes */
};

struct srv {
	struct lab *lab;         /* borrowed */
	int i;                   /* index: ns1 = 0 */
	enum smode mode;         /* how it answers over UDP */
	uint8_t rcode;           /* S_ANSWER, S_TC: the RCODE */
	bool tc_noaa;            /* S_TC: AA clear (else set) */
	bool tc_ra;              /* S_TC: RA set (else clear) */
	sim_time_t delay;        /* S_LATE: how long it holds an answer */
	bool tcp;                /* listens on TCP 53 and answers in full */
	uint8_t tcp_rcode;       /* the RCODE of its TCP answers */
	enum tmode tmode;        /* how it answers over TCP */
	struct tcp_conn *tconn;  /* its connection, until closed */
	uint8_t tlater[2 + 512]; /* T_STRAY: the answer held back */
	size_t ntlater;          /* its length */
	bool ref_aa;             /* S_REFER: AA set */
	bool ref_ra;             /* S_REFER: RA set */
	bool ref_glue;           /* S_REFER: the NS's address as additional */
	int nudp;                /* UDP queries received */
	int ntcp;                /* TCP queries answered */
	uint8_t tin[1024];       /* bytes received over TCP */
	size_t ntin;             /* their number */
	struct held held[NHELD]; /* answers held back */
	int nheld;               /* how many were */
};

struct lab {
	struct sim sim;
	struct net net;
	struct net_host *mta, *r1, *ns[NSRV]; /* borrowed from 'net' */
	struct net_addr mta_a, ns_a[NSRV];    /* their addresses */
	struct srv srv[NSRV];                 /* the scripted servers */
	struct pkt *pk;                       /* owned: packets seen */
	size_t npk, cappk;
	struct resolv *res; /* owned */
	struct dnssrv *ds;  /* owned, when a test uses a real server */
	struct zone zone;   /* its zone */
	struct zone *zp;    /* the array dnssrv_new() borrows */
};

/* What the resolver reported for one query. */
struct result {
	struct lab *lab;
	int calls;             /* callbacks: exactly one expected */
	sim_time_t at;         /* when */
	enum resolv_status st; /* outcome */
	int tries;             /* UDP and TCP tries made */
	bool tcp;              /* decided over TCP */
	int rcode;             /* the deciding answer's RCODE, -1: none */
	char cname[DNS_NAME_MAX];
	size_t nan;       /* records in the deciding answer */
	uint8_t a[4];     /* its first A record */
	uint32_t nextq;   /* a query started from inside the callback */
	bool then_query;  /* start one */
	size_t nan_after; /* a->msg->nan after starting it */
};

static uint64_t
tap_frame(void *ctx, const struct net_frame *nf)
{
	struct lab *lab = ctx;
	const uint8_t *ip = nf->data + 14;
	struct pkt *p;
	size_t ihl, l4len;

	if (be16(nf->data + 12) != 0x0800)
		return 0;
	if (lab->npk == lab->cappk) {
		lab->cappk = lab->cappk ? lab->cappk * 2 : 32;
		lab->pk = realloc(lab->pk, lab->cappk * sizeof(*lab->pk));
		assert_non_null(lab->pk);
	}
	p = &lab->pk[lab->npk++];
	memset(p, 0, sizeof(*p));
	p->t = nf->t;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	assert_int_equal(ihl, 20);
	p->proto = ip[9];
	memcpy(p->src, ip + 12, 4);
	memcpy(p->dst, ip + 16, 4);
	memcpy(p->iph, ip, 20);
	l4len = be16(ip + 2) - ihl;
	assert_true(l4len >= 8 && l4len <= sizeof(p->p));
	memcpy(p->l4h, ip + ihl, 8);
	if (p->proto == 17) {
		p->sport = be16(ip + ihl);
		p->dport = be16(ip + ihl + 2);
		assert_int_equal(be16(ip + ihl + 4), l4len);
		p->plen = l4len - 8;
		memcpy(p->p, ip + ihl + 8, p->plen);
	} else if (p->proto == 6) {
		const uint8_t *t = ip + ihl;
		size_t off = (size_t)(t[12] >> 4) * 4;

		p->sport = be16(t);
		p->dport = be16(t + 2);
		p->tflags = t[13];
		p->plen = l4len - off;
		memcpy(p->p, t + off, p->plen);
	} else if (p->proto == 1) {
		p->plen = l4len;
		memcpy(p->p, ip + ihl, l4len);
	}
	return lab->npk;
}

static const struct net_tap_ops tap_ops = {
    .frame = tap_frame, .note = NULL, .done = NULL};

/* The i-th UDP datagram (from 0) the sender sent to port 53, or NULL. */
static const struct pkt *
query(const struct lab *lab, int n)
{
	size_t i;

	for (i = 0; i < lab->npk; i++) {
		const struct pkt *p = &lab->pk[i];

		if (p->proto == 17 && p->dport == 53 &&
		    memcmp(p->src, lab->mta_a.b, 4) == 0 && n-- == 0)
			return p;
	}
	return NULL;
}

static int
nqueries(const struct lab *lab)
{
	int n = 0;

	while (query(lab, n) != NULL)
		n++;
	return n;
}

/* The n-th (from 0) TCP segment from the sender with exactly the flags
 * 'flags' (0x02: a SYN), or NULL. */
static const struct pkt *
segment(const struct lab *lab, uint8_t flags, int n)
{
	size_t i;

	for (i = 0; i < lab->npk; i++) {
		const struct pkt *p = &lab->pk[i];

		if (p->proto == 6 && p->tflags == flags &&
		    memcmp(p->src, lab->mta_a.b, 4) == 0 && n-- == 0)
			return p;
	}
	return NULL;
}

static int
nsyns(const struct lab *lab)
{
	int n = 0;

	while (segment(lab, 0x02, n) != NULL)
		n++;
	return n;
}

/* The n-th (from 0) ICMP message the sender sent, or NULL. */
static const struct pkt *
icmp_from_mta(const struct lab *lab, int n)
{
	size_t i;

	for (i = 0; i < lab->npk; i++) {
		const struct pkt *p = &lab->pk[i];

		if (p->proto == 1 && memcmp(p->src, lab->mta_a.b, 4) == 0 &&
		    n-- == 0)
			return p;
	}
	return NULL;
}

/* The n-th (from 0) ICMP message sent to the sender, or NULL. */
static const struct pkt *
icmp_to_mta(const struct lab *lab, int n)
{
	size_t i;

	for (i = 0; i < lab->npk; i++) {
		const struct pkt *p = &lab->pk[i];

		if (p->proto == 1 && memcmp(p->dst, lab->mta_a.b, 4) == 0 &&
		    n-- == 0)
			return p;
	}
	return NULL;
}

/* The n-th (from 0) packet of protocol 'proto' from nameserver 'i' to
 * the sender that carries a payload (a DNS message, or TCP data), or
 * NULL. */
static const struct pkt *
from_ns(const struct lab *lab, uint8_t proto, int i, int n)
{
	size_t k;

	for (k = 0; k < lab->npk; k++) {
		const struct pkt *p = &lab->pk[k];

		if (p->proto == proto && p->plen > 0 &&
		    memcmp(p->src, lab->ns_a[i].b, 4) == 0 &&
		    memcmp(p->dst, lab->mta_a.b, 4) == 0 && n-- == 0)
			return p;
	}
	return NULL;
}

/* The number of UDP ports the sender has bound now. */
static int
nbound(const struct lab *lab)
{
	const struct udp_bind *b;
	int n = 0;

	for (b = lab->mta->udp; b != NULL; b = b->next)
		n++;
	return n;
}

/* Whether the sender has UDP port 'port' bound now. */
static bool
bound(const struct lab *lab, uint16_t port)
{
	const struct udp_bind *b;

	for (b = lab->mta->udp; b != NULL; b = b->next)
		if (b->port == port)
			return true;
	return false;
}

/* The time of the last packet the sender sent, of any kind. */
static sim_time_t
last_from_mta(const struct lab *lab)
{
	sim_time_t t = -1;
	size_t i;

	for (i = 0; i < lab->npk; i++)
		if (memcmp(lab->pk[i].src, lab->mta_a.b, 4) == 0)
			t = lab->pk[i].t;
	return t;
}

/* Which nameserver a packet went to: 0, 1, 2, or -1. */
static int
to_ns(const struct lab *lab, const struct pkt *p)
{
	int i;

	for (i = 0; i < NSRV; i++)
		if (memcmp(p->dst, lab->ns_a[i].b, 4) == 0)
			return i;
	return -1;
}

/* Builds the answer to 'q' into 'out': RCODE 'rcode', TC as given, and
 * for a NOERROR answer one A record 'addr' at the question's name. */
static size_t
build_answer(const struct dns_msg *q, uint8_t rcode, bool tc, const char *addr,
    uint8_t *out, size_t cap)
{
	struct dns_msg *r = calloc(1, sizeof(*r));
	struct net_addr a;
	size_t n;

	assert_non_null(r);
	dns_msg_init(r);
	r->id = q->id;
	r->qr = true;
	r->aa = true;
	r->rd = q->rd;
	r->tc = tc;
	r->rcode = rcode;
	r->nq = 1;
	r->q[0] = q->q[0];
	if (rcode == DNS_R_NOERROR && !tc && addr != NULL) {
		assert_true(net_addr_parse(addr, &a));
		snprintf(r->an[0].name, DNS_NAME_MAX, "%s", q->q[0].name);
		r->an[0].type = DNS_T_A;
		r->an[0].rclass = DNS_CLASS_IN;
		r->an[0].ttl = 300;
		memcpy(r->an[0].rd.a, a.b, 4);
		r->nan = 1;
	}
	n = dns_msg_encode(r, out, cap);
	assert_true(n > 0);
	free(r);
	return n;
}

/* Builds into 'out' what a server that does not recurse answers about a
 * zone it has delegated (RFC 1034 §4.3.1 step 3b, the referral of §6.2.6):
 * NOERROR, no answer record, "example.test NS ns9.example.test" in the
 * authority section; AA, RA and the glue record (ns9's A) as 's' says. */
static size_t
build_referral(
    const struct srv *s, const struct dns_msg *q, uint8_t *out, size_t cap)
{
	struct dns_msg *r = calloc(1, sizeof(*r));
	struct net_addr glue;
	size_t n;

	assert_non_null(r);
	dns_msg_init(r);
	r->id = q->id;
	r->qr = true;
	r->aa = s->ref_aa;
	r->ra = s->ref_ra;
	r->rd = q->rd;
	r->rcode = DNS_R_NOERROR;
	r->nq = 1;
	r->q[0] = q->q[0];
	snprintf(r->ns[0].name, DNS_NAME_MAX, "example.test");
	r->ns[0].type = DNS_T_NS;
	r->ns[0].rclass = DNS_CLASS_IN;
	r->ns[0].ttl = 3600;
	snprintf(r->ns[0].rd.target, DNS_NAME_MAX, "ns9.example.test");
	r->nns = 1;
	if (s->ref_glue) {
		snprintf(r->ar[0].name, DNS_NAME_MAX, "ns9.example.test");
		r->ar[0].type = DNS_T_A;
		r->ar[0].rclass = DNS_CLASS_IN;
		r->ar[0].ttl = 3600;
		assert_true(net_addr_parse("192.0.2.99", &glue));
		memcpy(r->ar[0].rd.a, glue.b, 4);
		r->nar = 1;
	}
	n = dns_msg_encode(r, out, cap);
	assert_true(n > 0);
	free(r);
	return n;
}

/* Builds into 'out' the truncated answer of 's' to 'q' (RFC 1035
 * §4.1.1: TC set): RCODE 's->rcode', no record in any section, AA set
 * unless 's->tc_noaa', RA clear unless 's->tc_ra'. */
static size_t
build_tc(const struct srv *s, const struct dns_msg *q, uint8_t *out, size_t cap)
{
	struct dns_msg *r = calloc(1, sizeof(*r));
	size_t n;

	assert_non_null(r);
	dns_msg_init(r);
	r->id = q->id;
	r->qr = true;
	r->aa = !s->tc_noaa;
	r->ra = s->tc_ra;
	r->rd = q->rd;
	r->tc = true;
	r->rcode = s->rcode;
	r->nq = 1;
	r->q[0] = q->q[0];
	n = dns_msg_encode(r, out, cap);
	assert_true(n > 0);
	free(r);
	return n;
}

static void
send_back(
    struct srv *s, const struct udp_from *from, const uint8_t *m, size_t n)
{
	udp_send(
	    s->lab->ns[s->i], &from->dst, 53, &from->src, from->sport, m, n);
}

static void
release_held(struct sim *sim, void *arg)
{
	struct held *hd = arg;

	(void)sim;
	send_back(hd->s, &hd->from, hd->b, hd->n);
}

/* Holds the answer to 'q' (NOERROR, one A record, the question as
 * given) and sends it 'delay' later. */
static void
hold(struct srv *s, const struct udp_from *from, const struct dns_msg *q,
    sim_time_t delay)
{
	struct held *hd;

	assert_true(s->nheld < NHELD);
	hd = &s->held[s->nheld++];
	hd->s = s;
	hd->n = build_answer(
	    q, DNS_R_NOERROR, false, "192.0.2.10", hd->b, sizeof(hd->b));
	hd->from = *from;
	sim_after(&s->lab->sim, delay, release_held, hd);
}

/* S_FORGED: answers that RFC 5452 §9.1 says to drop, then the right one
 * (with the question in upper case: names match without case, RFC 4343
 * §3) 1 ms later. */
static void
forge(struct srv *s, const struct udp_from *from, struct dns_msg *q)
{
	struct lab *lab = s->lab;
	struct dns_msg *f = calloc(1, sizeof(*f));
	uint8_t out[512];
	size_t n, k;

	assert_non_null(f);
	/* From ns2's address, port 53: not the server asked. */
	*f = *q;
	n = build_answer(
	    f, DNS_R_NOERROR, false, "203.0.113.66", out, sizeof(out));
	udp_send(
	    lab->ns[1], &lab->ns_a[1], 53, &from->src, from->sport, out, n);
	/* From the right address but port 5353. */
	udp_send(
	    lab->ns[s->i], &from->dst, 5353, &from->src, from->sport, out, n);
	/* A wrong ID. */
	*f = *q;
	f->id = (uint16_t)(q->id + 1);
	n = build_answer(
	    f, DNS_R_NOERROR, false, "203.0.113.66", out, sizeof(out));
	send_back(s, from, out, n);
	/* Another name. */
	*f = *q;
	snprintf(f->q[0].name, DNS_NAME_MAX, "mx2.example.test");
	n = build_answer(
	    f, DNS_R_NOERROR, false, "203.0.113.66", out, sizeof(out));
	send_back(s, from, out, n);
	/* Another type. */
	*f = *q;
	f->q[0].qtype = DNS_T_MX;
	n = build_answer(
	    f, DNS_R_NOERROR, false, "203.0.113.66", out, sizeof(out));
	send_back(s, from, out, n);
	/* QR clear: a query, not an answer. */
	*f = *q;
	n = build_answer(
	    f, DNS_R_NOERROR, false, "203.0.113.66", out, sizeof(out));
	out[2] &= 0x7f;
	send_back(s, from, out, n);
	/* The right one, held back 1 ms. */
	*f = *q;
	for (k = 0; f->q[0].name[k] != '\0'; k++)
		if (f->q[0].name[k] >= 'a' && f->q[0].name[k] <= 'z')
			f->q[0].name[k] = (char)(f->q[0].name[k] - 32);
	hold(s, from, f, SIM_MS(1));
	free(f);
}

static void
srv_udp(void *ctx, struct net_host *h, const struct udp_from *from,
    const uint8_t *data, size_t len)
{
	struct srv *s = ctx;
	struct dns_msg *q = calloc(1, sizeof(*q));
	uint8_t out[512];
	size_t n;

	(void)h;
	assert_non_null(q);
	assert_true(dns_msg_decode(data, len, q));
	s->nudp++;
	switch (s->mode) {
	case S_SILENT:
	case S_NOBIND:
		break;
	case S_ANSWER:
		n = build_answer(
		    q, s->rcode, false, "192.0.2.10", out, sizeof(out));
		send_back(s, from, out, n);
		break;
	case S_TC:
		n = build_tc(s, q, out, sizeof(out));
		send_back(s, from, out, n);
		break;
	case S_FORGED:
		forge(s, from, q);
		break;
	case S_REFER:
		n = build_referral(s, q, out, sizeof(out));
		send_back(s, from, out, n);
		break;
	case S_LATE:
		hold(s, from, q, s->delay);
		break;
	}
	free(q);
}
/* Frames the answer to 'q' with ID 'id' for TCP (RFC 1035 §4.2.2: a
 * two-byte length first) into 'out'; returns the framed length. */
static size_t
frame_answer(const struct srv *s, const struct dns_msg *q, uint16_t id,
    const char *addr, uint8_t *out, size_t cap)
{
	struct dns_msg *f = calloc(1, sizeof(*f));
	size_t alen;

	assert_non_null(f);
	*f = *q;
	f->id = id;
	alen = build_answer(f, s->tcp_rcode, false, addr, out + 2, cap - 2);
	out[0] = (uint8_t)(alen >> 8);
	out[1] = (uint8_t)alen;
	free(f);
	return alen + 2;
}

/* T_STRAY: the held answer leaves, in a segment of its own. */
static void
release_tcp(struct sim *sim, void *arg)
{
	struct srv *s = arg;

	(void)sim;
	if (s->tconn == NULL)
		return;
	tcp_send(s->tconn, s->tlater, s->ntlater);
	s->ntcp++;
}

static void
srv_tcp_data(void *ctx, struct tcp_conn *c, const uint8_t *p, size_t n)
{
	struct srv *s = ctx;
	struct dns_msg *q;
	uint8_t out[2 * (2 + 512)];
	size_t mlen, len;

	assert_true(s->ntin + n <= sizeof(s->tin));
	memcpy(s->tin + s->ntin, p, n);
	s->ntin += n;
	if (s->ntin < 2 || s->ntin < 2 + (size_t)be16(s->tin))
		return;
	mlen = be16(s->tin);
	q = calloc(1, sizeof(*q));
	assert_non_null(q);
	assert_true(dns_msg_decode(s->tin + 2, mlen, q));
	switch (s->tmode) {
	case T_ANSWER:
		len = frame_answer(
		    s, q, q->id, "192.0.2.10", out, sizeof(out) / 2);
		tcp_send(c, out, len);
		s->ntcp++;
		break;
	case T_SILENT:
		break;
	case T_STRAY:
	case T_STRAY1:
		/* Another ID (and another address, so that taking it
		 * would show), then ours: sent in one call, they share a
		 * segment; the held one leaves 1 ms later in its own. */
		len = frame_answer(s, q, (uint16_t)(q->id + 1), "203.0.113.66",
		    out, sizeof(out) / 2);
		s->ntlater = frame_answer(
		    s, q, q->id, "192.0.2.10", s->tlater, sizeof(s->tlater));
		if (s->tmode == T_STRAY1) {
			memcpy(out + len, s->tlater, s->ntlater);
			tcp_send(c, out, len + s->ntlater);
			s->ntcp++;
		} else {
			tcp_send(c, out, len);
			sim_after(&s->lab->sim, SIM_MS(1), release_tcp, s);
		}
		break;
	}
	free(q);
}

static void
srv_tcp_eof(void *ctx, struct tcp_conn *c)
{
	(void)ctx;
	tcp_close(c);
}

static void
srv_tcp_closed(void *ctx, struct tcp_conn *c, enum tcp_end why, int code)
{
	struct srv *s = ctx;

	(void)why;
	(void)code;
	if (s->tconn == c)
		s->tconn = NULL;
}

static const struct tcp_cb srv_tcp_cb = {
    NULL, srv_tcp_data, srv_tcp_eof, srv_tcp_closed};

static bool
srv_accept(
    void *ctx, struct tcp_conn *c, const struct tcp_cb **cb, void **cbctx)
{
	struct srv *s = ctx;

	s->tconn = c;
	*cb = &srv_tcp_cb;
	*cbctx = ctx;
	return true;
}

/* --- the lab ----------------------------------------------------------------
 */

static struct net_addr
addr(const char *s)
{
	struct net_addr a;

	assert_true(net_addr_parse(s, &a));
	return a;
}

static void
trace_sink(void *ctx, const struct trace_rec *rec)
{
	/* Tracing on: the resolver's trace lines are formatted too. */
	(void)ctx;
	(void)rec;
}

/* The lab with server modes 'm' and TCP listeners 'tcp' (NULL: none),
 * its simulation seeded with 'seed'. */
static struct lab *
lab_new_seed(const enum smode m[NSRV], const bool *tcp, uint64_t seed)
{
	static const struct net_link_params link = {L, 0, 0, 0};
	static const char *const names[NSRV] = {"ns1", "ns2", "ns3"};
	static const char *const addrs[NSRV] = {
	    "192.0.2.53", "192.0.2.54", "203.0.113.53"};
	struct lab *lab = calloc(1, sizeof(*lab));
	int i;

	assert_non_null(lab);
	sim_init(&lab->sim, seed);
	assert_int_equal(
	    trace_subscribe(sim_trace(&lab->sim), trace_sink, NULL), 0);
	net_init(&lab->net, &lab->sim);
	lab->mta = net_host_add(&lab->net, "mta");
	lab->r1 = net_router_add(&lab->net, "r1");
	lab->mta_a = addr("198.51.100.7");
	assert_int_equal(net_host_addr_add(lab->mta, &lab->mta_a), 0);
	assert_non_null(net_link_add(&lab->net, lab->mta, lab->r1, &link));
	for (i = 0; i < NSRV; i++) {
		lab->ns[i] = net_host_add(&lab->net, names[i]);
		lab->ns_a[i] = addr(addrs[i]);
		assert_int_equal(
		    net_host_addr_add(lab->ns[i], &lab->ns_a[i]), 0);
		assert_non_null(
		    net_link_add(&lab->net, lab->ns[i], lab->r1, &link));
	}
	assert_int_equal(net_finalize(&lab->net), 0);
	assert_int_equal(net_tap_add(&lab->net, NULL, &tap_ops, lab), 0);
	for (i = 0; i < NSRV; i++) {
		struct srv *s = &lab->srv[i];

		s->lab = lab;
		s->i = i;
		s->mode = m != NULL ? m[i] : S_SILENT;
		if (s->mode != S_NOBIND)
			assert_int_not_equal(
			    udp_bind(lab->ns[i], 53, srv_udp, NULL, s), 0);
		if (tcp != NULL && tcp[i]) {
			s->tcp = true;
			assert_int_equal(
			    tcp_listen(lab->ns[i], 53, srv_accept, s), 0);
		}
	}
	return lab;
}

static struct lab *
lab_new(const enum smode m[NSRV], const bool *tcp)
{
	return lab_new_seed(m, tcp, 7);
}

/* The resolver of "mta" with 'nns' of the servers, in order. */
static void
lab_resolver(struct lab *lab, size_t nns, int attempts, bool rotate)
{
	struct resolv_params p;
	size_t i;

	resolv_params_default(&p);
	/* glibc RES_TIMEOUT 5 s, RES_DFLRETRY 2 (resolv.h). */
	assert_int_equal(p.timeout, SIM_S(5));
	assert_int_equal(p.attempts, 2);
	assert_false(p.rotate);
	for (i = 0; i < nns; i++)
		p.ns[i] = lab->ns_a[i];
	p.nns = nns;
	if (attempts > 0)
		p.attempts = attempts;
	p.rotate = rotate;
	lab->res = resolv_new(lab->mta, &p);
	assert_non_null(lab->res);
}

static void
lab_free(struct lab *lab)
{
	resolv_free(lab->res);
	sim_fini(&lab->sim);
	dnssrv_free(lab->ds);
	net_fini(&lab->net);
	if (lab->zp != NULL)
		zone_fini(&lab->zone);
	free(lab->pk);
	free(lab);
}

static void
on_done(void *ctx, const struct resolv_answer *a)
{
	struct result *res = ctx;
	size_t i;

	res->calls++;
	res->at = sim_now(&res->lab->sim);
	res->st = a->status;
	res->tries = a->tries;
	res->tcp = a->tcp;
	snprintf(res->cname, sizeof(res->cname), "%s", a->cname);
	res->nan = a->msg != NULL ? a->msg->nan : 0;
	res->rcode = a->msg != NULL ? a->msg->rcode : -1;
	if (a->msg != NULL)
		for (i = 0; i < a->msg->nan; i++)
			if (a->msg->an[i].type == DNS_T_A) {
				memcpy(res->a, a->msg->an[i].rd.a, 4);
				break;
			}
	if (res->then_query) {
		/* As the MTA does: the next lookup from inside the
		 * callback, then more reading of this answer. */
		res->then_query = false;
		res->nextq = resolv_query(res->lab->res, "other.example.test",
		    DNS_T_AAAA, on_done, res);
		res->nan_after = a->msg != NULL ? a->msg->nan : 0;
	}
}

static void
ask(struct lab *lab, struct result *res, const char *name, uint16_t type)
{
	memset(res, 0, sizeof(*res));
	res->lab = lab;
	assert_int_not_equal(
	    resolv_query(lab->res, name, type, on_done, res), 0);
}

/* The query bytes of 'p' against what a stub sends: our ID, RD set, one
 * question 'name' IN 'type', nothing else (RFC 1035 §4.1.1). */
static void
assert_query_bytes(
    const struct pkt *p, uint16_t id, const char *name, uint16_t type)
{
	struct dns_msg *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	assert_true(dns_msg_decode(p->p, p->plen, m));
	assert_int_equal(be16(p->p), id);
	assert_int_equal(p->p[2], 0x01); /* QR 0, opcode 0, RD */
	assert_int_equal(p->p[3], 0x00);
	assert_int_equal(be16(p->p + 4), 1);
	assert_int_equal(be16(p->p + 6), 0);
	assert_int_equal(be16(p->p + 8), 0);
	assert_int_equal(be16(p->p + 10), 0);
	assert_string_equal(m->q[0].name, name);
	assert_int_equal(m->q[0].qtype, type);
	assert_int_equal(m->q[0].qclass, DNS_CLASS_IN);
	free(m);
}

/* --- timing and ports --------------------------------------------------------
 */

static void
test_resolv_one_silent_server_retries_at_5s_gives_up_at_10s(void **state)
{
	struct lab *lab = lab_new(NULL, NULL);
	struct result res;
	const struct pkt *q0, *q1;

	(void)state;
	lab_resolver(lab, 1, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));

	/* send_dg(): server 0 waits retrans << 0 = 5 s in every round:
	 * tries at 0 and 5 s, the end at 10 s. */
	assert_int_equal(nqueries(lab), 2);
	q0 = query(lab, 0);
	q1 = query(lab, 1);
	assert_int_equal(q0->t, 0);
	assert_int_equal(q1->t, SIM_S(5));
	assert_int_equal(to_ns(lab, q0), 0);
	assert_int_equal(to_ns(lab, q1), 0);
	/* send_dg() resends the same bytes from the same socket (a timeout
	 * returns 0 without closing it, reopen() keeps it): same ID, same
	 * source port, one of Linux's ephemeral range. */
	assert_query_bytes(q0, be16(q0->p), "mx1.example.test", DNS_T_A);
	assert_int_equal(q0->plen, q1->plen);
	assert_memory_equal(q0->p, q1->p, q0->plen);
	assert_int_equal(q0->sport, q1->sport);
	assert_in_range(q0->sport, 32768, 60999);
	assert_int_equal(lab->srv[0].nudp, 2);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(10));
	assert_int_equal(res.tries, 2);
	assert_string_equal(resolv_status_name(res.st), "timeout");
	/* The query's end closes the socket (__res_iclose()). */
	assert_null(lab->mta->udp);
	lab_free(lab);
}

static void
test_resolv_two_silent_servers_wait_5s_each_per_round(void **state)
{
	struct lab *lab = lab_new(NULL, NULL);
	struct result res;
	int i;

	(void)state;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	/* send_dg(): server 0 waits 5 s, server 1 (5 << 1) / 2 = 5 s, in
	 * both rounds: ns1 ns2 ns1 ns2 at 0 5 10 15, the end at 20 s. */
	assert_int_equal(nqueries(lab), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(query(lab, i)->t, SIM_S(5) * i);
		assert_int_equal(to_ns(lab, query(lab, i)), i % 2);
		/* One message for every server and round: the same ID. */
		assert_memory_equal(
		    query(lab, i)->p, query(lab, 0)->p, query(lab, 0)->plen);
	}
	/* EXT(statp).nssocks[ns]: a socket, so a port, per server, kept
	 * into the second round. */
	assert_int_not_equal(query(lab, 0)->sport, query(lab, 1)->sport);
	assert_int_equal(query(lab, 2)->sport, query(lab, 0)->sport);
	assert_int_equal(query(lab, 3)->sport, query(lab, 1)->sport);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(20));
	assert_int_equal(res.tries, 4);
	assert_null(lab->mta->udp);
	lab_free(lab);
}

static void
test_resolv_three_silent_servers_wait_5_3_6_seconds(void **state)
{
	static const sim_time_t want[6] = {
	    0, SIM_S(5), SIM_S(8), SIM_S(14), SIM_S(19), SIM_S(22)};
	struct lab *lab = lab_new(NULL, NULL);
	struct result res;
	int i;

	(void)state;
	lab_resolver(lab, 3, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_MX);
	sim_run(&lab->sim, SIM_S(60));

	/* send_dg(): 5 s for server 0, (5 << 1) / 3 = 3 s for server 1,
	 * (5 << 2) / 3 = 6 s for server 2 (int seconds), in each round:
	 * ns1 ns2 ns3 ns1 ns2 ns3 at 0 5 8 14 19 22, the end at 28 s. */
	assert_int_equal(nqueries(lab), 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(query(lab, i)->t, want[i]);
		assert_int_equal(to_ns(lab, query(lab, i)), i % 3);
		assert_memory_equal(
		    query(lab, i)->p, query(lab, 0)->p, query(lab, 0)->plen);
		/* The retry to a server comes from that server's port. */
		assert_int_equal(
		    query(lab, i)->sport, query(lab, i % 3)->sport);
	}
	/* Three sockets open at once: three ports. */
	assert_int_not_equal(query(lab, 0)->sport, query(lab, 1)->sport);
	assert_int_not_equal(query(lab, 1)->sport, query(lab, 2)->sport);
	assert_int_not_equal(query(lab, 0)->sport, query(lab, 2)->sport);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(28));
	assert_int_equal(res.tries, 6);
	assert_null(lab->mta->udp);
	lab_free(lab);
}

static void
test_resolv_three_rounds_repeat_the_same_waits(void **state)
{
	struct lab *lab = lab_new(NULL, NULL);
	struct result res;
	int i;

	(void)state;
	/* attempts:3 (resolv.conf(5)): the wait depends on the server, not
	 * the round (send_dg()), so every round takes 5 + 3 + 6 = 14 s. */
	lab_resolver(lab, 3, 3, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(100));
	assert_int_equal(nqueries(lab), 9);
	assert_int_equal(query(lab, 6)->t, SIM_S(28));
	assert_int_equal(query(lab, 7)->t, SIM_S(33));
	assert_int_equal(query(lab, 8)->t, SIM_S(36));
	for (i = 6; i < 9; i++) {
		assert_int_equal(to_ns(lab, query(lab, i)), i - 6);
		assert_int_equal(
		    query(lab, i)->sport, query(lab, i - 6)->sport);
	}
	assert_int_equal(res.at, SIM_S(42));
	assert_int_equal(res.tries, 9);
	lab_free(lab);
}

static void
test_resolv_timeout_and_attempts_are_capped_as_glibc_does(void **state)
{
	struct lab *lab = lab_new(NULL, NULL);
	struct resolv_params p;
	struct result res;
	int i;

	(void)state;
	/* resolv.conf(5): timeout "silently capped to 30" (RES_MAXRETRANS),
	 * attempts "silently capped to 5" (RES_MAXRETRY).  One server:
	 * five tries 30 s apart, the end at 150 s. */
	resolv_params_default(&p);
	p.ns[0] = lab->ns_a[0];
	p.nns = 1;
	p.timeout = SIM_S(60);
	p.attempts = 1000000;
	lab->res = resolv_new(lab->mta, &p);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(2000));
	assert_int_equal(nqueries(lab), 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(query(lab, i)->t, SIM_S(30) * i);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(150));
	lab_free(lab);

	/* Three servers, the capped 30 s shifted by the index: 30, (30 <<
	 * 1) / 3 = 20 and (30 << 2) / 3 = 40 s; five rounds of 90 s. */
	lab = lab_new(NULL, NULL);
	p.ns[1] = lab->ns_a[1];
	p.ns[2] = lab->ns_a[2];
	p.nns = 3;
	lab->res = resolv_new(lab->mta, &p);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(2000));
	assert_int_equal(nqueries(lab), 15);
	assert_int_equal(query(lab, 1)->t, SIM_S(30));
	assert_int_equal(query(lab, 2)->t, SIM_S(50));
	assert_int_equal(query(lab, 3)->t, SIM_S(90));
	assert_int_equal(query(lab, 14)->t, SIM_S(4 * 90 + 50));
	assert_int_equal(res.at, SIM_S(450));
	lab_free(lab);
}

/* --- rotate ------------------------------------------------------------------
 */

static void
test_resolv_rotate_walks_the_list_from_its_start_with_waits_by_index(
    void **state)
{
	static const sim_time_t wait[NSRV] = {SIM_S(5), SIM_S(3), SIM_S(6)};
	struct lab *lab = lab_new(NULL, NULL);
	struct result res;
	int i, k, s;

	(void)state;
	/* __res_context_send(): "ns = ns_shift + ns_offset", wrapping at
	 * nscount; send_dg() gets that index, so the wait belongs to the
	 * server asked, not to its place in this query's walk. */
	lab_resolver(lab, 3, 1, true);
	for (i = 0; i < 8; i++) {
		ask(lab, &res, "mx1.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(20) * (i + 1));
		assert_int_equal(res.calls, 1);
		assert_int_equal(res.st, RESOLV_TIMEOUT);
		assert_int_equal(res.tries, 3);
		s = to_ns(lab, query(lab, 3 * i));
		assert_in_range(s, 0, 2);
		assert_int_equal(query(lab, 3 * i)->t, SIM_S(20) * i);
		for (k = 0; k < 3; k++) {
			const struct pkt *q = query(lab, 3 * i + k);
			sim_time_t next =
			    k < 2 ? query(lab, 3 * i + k + 1)->t : res.at;

			assert_int_equal(to_ns(lab, q), (s + k) % 3);
			assert_int_equal(next - q->t, wait[(s + k) % 3]);
		}
		/* 5 + 3 + 6 whatever the start. */
		assert_int_equal(res.at, SIM_S(20) * i + SIM_S(14));
	}
	assert_int_equal(nqueries(lab), 24);
	lab_free(lab);
}

/* The first server of each of 'n' queries with rotate on, 'nns' servers
 * that answer at once, the simulation seeded with 'seed'. */
static void
rotate_starts(uint64_t seed, size_t nns, int *start, int n)
{
	static const enum smode m[NSRV] = {S_ANSWER, S_ANSWER, S_ANSWER};
	struct lab *lab = lab_new_seed(m, NULL, seed);
	struct result res;
	int i;

	lab_resolver(lab, nns, 0, true);
	for (i = 0; i < n; i++) {
		ask(lab, &res, "mx1.example.test", DNS_T_A);
		sim_run(&lab->sim, sim_now(&lab->sim) + SIM_S(1));
		assert_int_equal(res.st, RESOLV_OK);
		assert_int_equal(res.tries, 1);
		start[i] = to_ns(lab, query(lab, i));
	}
	assert_int_equal(nqueries(lab), n);
	lab_free(lab);
}

static void
test_resolv_rotate_starts_at_a_server_drawn_at_random(void **state)
{
	enum { N = 30, SEEDS = 40 };
	int a[N], b[N], first[NSRV] = {0, 0, 0}, i;
	uint64_t seed;

	(void)state;
	/* glibc 2.26+ nameserver_offset(): with RES_ROTATE the process's
	 * first query starts at random_bits() % nscount, and each later
	 * query one server further, wrapping.  The draw comes from the
	 * host's seeded stream: the same seed, the same starts. */
	rotate_starts(7, 3, a, N);
	rotate_starts(7, 3, b, N);
	assert_memory_equal(a, b, sizeof(a));
	for (i = 1; i < N; i++)
		assert_int_equal(a[i], (a[0] + i) % 3);
	/* Over seeds, every server is drawn as the first start. */
	for (seed = 1; seed <= SEEDS; seed++) {
		rotate_starts(seed, 3, a, 1);
		assert_in_range(a[0], 0, 2);
		first[a[0]]++;
	}
	for (i = 0; i < NSRV; i++)
		assert_true(first[i] > 0);
	/* Two servers listed: the walk alternates and never reaches the
	 * third, which exists on the network. */
	rotate_starts(7, 2, a, N);
	for (i = 0; i < N; i++) {
		assert_in_range(a[i], 0, 1);
		assert_int_equal(a[i], (a[0] + i) % 2);
	}
}

/* --- answers that move on
 * ------------------------------------------------------ */

static void
test_resolv_servfail_and_refused_move_to_the_next_server_at_once(void **state)
{
	static const enum smode m[NSRV] = {S_ANSWER, S_ANSWER, S_ANSWER};
	struct lab *lab = lab_new(m, NULL);
	struct result res;

	(void)state;
	lab->srv[0].rcode = DNS_R_SERVFAIL;
	lab->srv[1].rcode = DNS_R_REFUSED;
	lab->srv[2].rcode = DNS_R_NOERROR;
	lab_resolver(lab, 3, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	/* send_dg(): SERVFAIL, NOTIMP, REFUSED: the next server, no wait. */
	assert_int_equal(nqueries(lab), 3);
	assert_int_equal(query(lab, 0)->t, 0);
	assert_int_equal(query(lab, 1)->t, RTT);
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	assert_int_equal(query(lab, 2)->t, 2 * RTT);
	assert_int_equal(to_ns(lab, query(lab, 2)), 2);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 3 * RTT);
	assert_int_equal(res.tries, 3);
	assert_false(res.tcp);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	/* The answer ends the query: no socket left. */
	assert_null(lab->mta->udp);
	lab_free(lab);
}

static void
test_resolv_all_servfail_or_all_refused_after_every_try(void **state)
{
	static const enum smode m[NSRV] = {S_ANSWER, S_ANSWER, S_ANSWER};
	static const uint8_t rc[3] = {
	    DNS_R_SERVFAIL, DNS_R_REFUSED, DNS_R_NOTIMP};
	static const enum resolv_status want[3] = {
	    RESOLV_SERVFAIL, RESOLV_REFUSED, RESOLV_REFUSED};
	int k, i;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct lab *lab = lab_new(m, NULL);
		struct result res;

		lab->srv[0].rcode = lab->srv[1].rcode = rc[k];
		lab_resolver(lab, 2, 0, false);
		ask(lab, &res, "mx1.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(60));
		/* Two rounds of two servers, each failing in one round
		 * trip: ns1 ns2 ns1 ns2, then the end. */
		assert_int_equal(nqueries(lab), 4);
		assert_int_equal(to_ns(lab, query(lab, 2)), 0);
		assert_int_equal(query(lab, 3)->t, 3 * RTT);
		for (i = 0; i < 4; i++)
			assert_memory_equal(query(lab, i)->p, query(lab, 0)->p,
			    query(lab, 0)->plen);
		/* close_and_return_error() closed every socket: in round
		 * two each server is asked from a fresh port (a silent
		 * server keeps its port, see the tests above). */
		assert_int_not_equal(
		    query(lab, 2)->sport, query(lab, 0)->sport);
		assert_int_not_equal(
		    query(lab, 3)->sport, query(lab, 1)->sport);
		assert_int_equal(res.st, want[k]);
		assert_int_equal(res.at, 4 * RTT);
		assert_int_equal(res.tries, 4);
		assert_null(lab->mta->udp);
		lab_free(lab);
	}
}

static void
test_resolv_icmp_moves_on_and_alone_means_unreachable(void **state)
{
	static const enum smode closed[NSRV] = {S_NOBIND, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(closed, NULL);
	struct result res;
	const struct pkt *icmp = NULL;
	size_t i;

	(void)state;
	/* One server, port 53 closed: ICMP port unreachable each time,
	 * send_dg() moves on at once (POLLERR); with no timeout at all,
	 * glibc reports ECONNREFUSED.  (close_and_return_error() there
	 * also gives the next try a fresh port: the ports are pinned in
	 * test_resolv_icmp_closes_every_socket_round_two_on_fresh_ports.) */
	lab_resolver(lab, 1, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(query(lab, 1)->t, RTT);
	for (i = 0; i < lab->npk; i++)
		if (lab->pk[i].proto == 1 && icmp == NULL)
			icmp = &lab->pk[i];
	assert_non_null(icmp);
	assert_int_equal(icmp->t, OW);
	assert_int_equal(res.st, RESOLV_UNREACHABLE);
	assert_int_equal(res.at, 2 * RTT);
	assert_int_equal(res.tries, 2);
	lab_free(lab);

	/* ns1 closed, ns2 silent: the ICMP moves on at once, but a try
	 * timed out ('gotsomewhere' set): ETIMEDOUT, a timeout.  ns2, the
	 * server of index 1, waits (5 << 1) / 2 = 5 s in each round. */
	lab = lab_new(closed, NULL);
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 4);
	assert_int_equal(query(lab, 1)->t, RTT);
	assert_int_equal(query(lab, 2)->t, RTT + SIM_S(5));
	assert_int_equal(query(lab, 3)->t, 2 * RTT + SIM_S(5));
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, 2 * RTT + SIM_S(10));
	lab_free(lab);
}

static void
test_resolv_icmp_closes_every_socket_round_two_on_fresh_ports(void **state)
{
	static const enum smode m[NSRV] = {S_NOBIND, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(m, NULL);
	struct result res;
	const struct pkt *q[4];
	int i;

	(void)state;
	/* send_dg(): an ICMP error makes poll() report POLLERR, and
	 * "return close_and_return_error (statp, resplen2)" runs
	 * __res_iclose(), which closes the sockets of every server
	 * (EXT(statp).nssocks[]), as for SERVFAIL; reopen() opens a fresh
	 * one for the next try.  ns1's port 53 is closed, ns2 is silent;
	 * two servers, two rounds. */
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	/* Just after the ICMP (back at RTT) and the datagram to ns2 that
	 * followed at once: ns1's socket is gone, ns2's is the only one. */
	sim_run(&lab->sim, RTT + 1);
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(nbound(lab), 1);
	assert_true(bound(lab, query(lab, 1)->sport));
	assert_false(bound(lab, query(lab, 0)->sport));
	sim_run(&lab->sim, SIM_S(60));

	/* ns1 ns2 ns1 ns2: each ICMP moves on at once, ns2 (index 1)
	 * waits (5 << 1) / 2 = 5 s. */
	assert_int_equal(nqueries(lab), 4);
	for (i = 0; i < 4; i++) {
		q[i] = query(lab, i);
		assert_int_equal(to_ns(lab, q[i]), i % 2);
		assert_in_range(q[i]->sport, 32768, 60999);
		assert_memory_equal(q[i]->p, q[0]->p, q[0]->plen);
	}
	assert_int_equal(q[1]->t, RTT);
	assert_int_equal(q[2]->t, RTT + SIM_S(5));
	assert_int_equal(q[3]->t, 2 * RTT + SIM_S(5));
	/* Round two asks ns1 from a fresh port; and ns2 too: ns2 only
	 * timed out, which keeps a socket, but ns1's second ICMP closed
	 * every socket of the query, ns2's included. */
	assert_int_not_equal(q[2]->sport, q[0]->sport);
	assert_int_not_equal(q[3]->sport, q[1]->sport);
	assert_int_not_equal(q[3]->sport, q[2]->sport);
	/* One port unreachable for each datagram to ns1. */
	assert_int_equal(icmp_to_mta(lab, 0)->t, OW);
	assert_int_equal(icmp_to_mta(lab, 1)->t, RTT + SIM_S(5) + OW);
	assert_null(icmp_to_mta(lab, 2));
	/* A try timed out ('gotsomewhere'): ETIMEDOUT. */
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, 2 * RTT + SIM_S(10));
	assert_int_equal(res.tries, 4);
	assert_null(lab->mta->udp);
	lab_free(lab);

	/* One server: its second try, after the ICMP, is from a fresh
	 * port too. */
	lab = lab_new(m, NULL);
	lab_resolver(lab, 1, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	assert_int_not_equal(query(lab, 1)->sport, query(lab, 0)->sport);
	assert_int_equal(res.st, RESOLV_UNREACHABLE);
	assert_int_equal(res.at, 2 * RTT);
	lab_free(lab);
}

static void
test_resolv_referral_without_glue_or_ra_is_no_answer(void **state)
{
	static const enum smode one[NSRV] = {S_REFER, S_ANSWER, S_SILENT};
	static const enum smode both[NSRV] = {S_REFER, S_REFER, S_SILENT};
	struct lab *lab = lab_new(one, NULL);
	struct result res;
	int k;

	(void)state;
	/* send_dg(): "if (anhp->rcode == NOERROR && anhp->ancount == 0
	 * && anhp->aa == 0 && anhp->ra == 0 && anhp->arcount == 0) goto
	 * next_ns;" (a "referred query" in older glibc's debug output):
	 * the way of SERVFAIL, close_and_return_error() and the next
	 * server at once.  ns1 refers, ns2 answers. */
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, RTT + 1);
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(query(lab, 1)->t, RTT);
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	/* __res_iclose(): ns1's socket is closed. */
	assert_int_equal(nbound(lab), 1);
	assert_false(bound(lab, query(lab, 0)->sport));
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 2 * RTT);
	assert_int_equal(res.tries, 2);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	lab_free(lab);

	/* Every server refers: ns1 ns2 ns1 ns2, one round trip each, each
	 * round-two try from a fresh port; glibc then fails the query
	 * (-1, h_errno TRY_AGAIN), which resolv.h names servfail. */
	lab = lab_new(both, NULL);
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 4);
	for (k = 0; k < 4; k++) {
		assert_int_equal(query(lab, k)->t, RTT * k);
		assert_int_equal(to_ns(lab, query(lab, k)), k % 2);
	}
	assert_int_not_equal(query(lab, 2)->sport, query(lab, 0)->sport);
	assert_int_not_equal(query(lab, 3)->sport, query(lab, 1)->sport);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_SERVFAIL);
	assert_int_equal(res.at, 4 * RTT);
	assert_int_equal(res.tries, 4);
	assert_int_equal(res.rcode, -1);
	assert_null(lab->mta->udp);
	lab_free(lab);

	/* The same referral with glue (ARCOUNT 1), with RA set, or with
	 * AA set fails the test above: it is the answer, NOERROR and no
	 * record of the type, NODATA (RFC 2308 §2.2); ns2 is not asked. */
	for (k = 0; k < 3; k++) {
		lab = lab_new(one, NULL);
		lab->srv[0].ref_glue = k == 0;
		lab->srv[0].ref_ra = k == 1;
		lab->srv[0].ref_aa = k == 2;
		lab_resolver(lab, 2, 0, false);
		ask(lab, &res, "mx1.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(60));
		assert_int_equal(nqueries(lab), 1);
		assert_int_equal(lab->srv[1].nudp, 0);
		assert_int_equal(res.calls, 1);
		assert_int_equal(res.st, RESOLV_NODATA);
		assert_int_equal(res.at, RTT);
		assert_int_equal(res.tries, 1);
		assert_int_equal(res.rcode, DNS_R_NOERROR);
		assert_int_equal(res.nan, 0);
		lab_free(lab);
	}
}

/* The ICMP message 'ic' reports the datagram 'dg' as undeliverable to a
 * closed port (RFC 792: type 3 code 3, the original IP header and the
 * first 64 bits of its data). */
static void
assert_port_unreachable_for(const struct pkt *ic, const struct pkt *dg)
{
	const uint8_t *m = ic->p;

	assert_int_equal(ic->proto, 1);
	assert_memory_equal(ic->dst, dg->src, 4);
	assert_memory_equal(ic->src, dg->dst, 4);
	assert_int_equal(ic->plen, 8 + 20 + 8);
	assert_int_equal(m[0], 3); /* destination unreachable */
	assert_int_equal(m[1], 3); /* port unreachable */
	assert_int_equal(inet_sum(m, ic->plen), 0);
	assert_int_equal(be16(m + 4), 0); /* unused */
	assert_int_equal(be16(m + 6), 0);
	/* The header as it arrived: r1 took one off the TTL (RFC 1812
	 * §5.3.1) and fixed the header checksum; the rest as sent. */
	assert_memory_equal(m + 8, dg->iph, 8);
	assert_int_equal(m[8 + 8], dg->iph[8] - 1);
	assert_int_equal(m[8 + 9], 17);
	assert_memory_equal(m + 8 + 12, dg->iph + 12, 8);
	assert_int_equal(inet_sum(m + 8, 20), 0);
	/* The UDP header: ports, length, checksum. */
	assert_memory_equal(m + 28, dg->l4h, 8);
}

static void
test_resolv_late_answer_after_the_end_draws_port_unreachable(void **state)
{
	static const enum smode m[NSRV] = {S_LATE, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(m, NULL);
	struct result res;
	const struct pkt *late[2] = {NULL, NULL};
	size_t i;
	int n = 0;

	(void)state;
	/* ns1 answers each datagram 11 s after it arrives: too late for
	 * both tries (5 + 5 s).  The query's end closed its socket
	 * (__res_iclose()), so each answer meets a closed port and Linux
	 * answers ICMP port unreachable (RFC 1122 §4.1.3.1). */
	lab->srv[0].delay = SIM_S(11);
	lab_resolver(lab, 1, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(10));
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(query(lab, 1)->sport, query(lab, 0)->sport);
	assert_null(lab->mta->udp);
	for (i = 0; i < lab->npk; i++)
		if (lab->pk[i].proto == 17 && lab->pk[i].sport == 53 &&
		    memcmp(lab->pk[i].src, lab->ns_a[0].b, 4) == 0) {
			assert_true(n < 2);
			late[n++] = &lab->pk[i];
		}
	assert_int_equal(n, 2);
	assert_int_equal(late[0]->t, OW + SIM_S(11));
	assert_int_equal(late[1]->t, SIM_S(5) + OW + SIM_S(11));
	for (i = 0; i < 2; i++) {
		const struct pkt *ic = icmp_from_mta(lab, (int)i);

		assert_non_null(ic);
		assert_int_equal(ic->t, late[i]->t + OW);
		assert_int_equal(to_ns(lab, ic), 0);
		/* The answer went to the port the query came from. */
		assert_int_equal(late[i]->dport, query(lab, 0)->sport);
		assert_port_unreachable_for(ic, late[i]);
	}
	assert_null(icmp_from_mta(lab, 2));
	assert_int_equal(res.calls, 1);
	lab_free(lab);
}

/* --- TCP after TC ------------------------------------------------------------
 */

static void
test_resolv_truncated_answer_is_asked_again_over_tcp(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_SILENT};
	static const bool tcp[NSRV] = {true, false, false};
	struct lab *lab = lab_new(m, tcp);
	struct result res;
	const struct pkt *q0, *syn;
	size_t i;

	(void)state;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));

	/* send_dg(): TC set -> send_vc() to the same server, at once. */
	assert_int_equal(nqueries(lab), 1);
	q0 = query(lab, 0);
	assert_int_equal(nsyns(lab), 1);
	syn = segment(lab, 0x02, 0);
	assert_int_equal(syn->t, RTT);
	assert_int_equal(syn->dport, 53);
	assert_int_equal(to_ns(lab, syn), 0);
	/* RFC 1035 §4.2.2: the two-byte length, then the same query bytes
	 * (glibc sends the same buffer: the same ID). */
	assert_int_equal(lab->srv[0].ntin, 2 + q0->plen);
	assert_int_equal(be16(lab->srv[0].tin), q0->plen);
	assert_memory_equal(lab->srv[0].tin + 2, q0->p, q0->plen);
	assert_int_equal(lab->srv[0].ntcp, 1);
	/* RFC 7766 §8: length and message in one segment. */
	for (i = 0; i < lab->npk; i++)
		if (lab->pk[i].proto == 6 && lab->pk[i].plen > 0 &&
		    memcmp(lab->pk[i].src, lab->mta_a.b, 4) == 0) {
			assert_int_equal(lab->pk[i].plen, 2 + q0->plen);
			break;
		}
	/* SYN at RTT, SYN-ACK back at 2 RTT, the query reaches ns1 at
	 * 2 RTT + OW, the answer is back at 3 RTT.  'tries' counts the
	 * datagram and the TCP try. */
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 3 * RTT);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 2);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	assert_int_equal(lab->srv[1].nudp, 0);
	assert_null(lab->mta->udp);
	lab_free(lab);
}

/* The header of the truncated answer 'p' (RFC 1035 §4.1.1): QR, TC and
 * RD set, AA and RA as given, RCODE 'rcode', one question, no record. */
static void
assert_tc_header(const struct pkt *p, bool aa, bool ra, uint8_t rcode)
{
	assert_non_null(p);
	assert_int_equal(p->p[2], 0x80 | (aa ? 0x04 : 0) | 0x02 | 0x01);
	assert_int_equal(p->p[3], (ra ? 0x80 : 0) | rcode);
	assert_int_equal(be16(p->p + 4), 1);
	assert_int_equal(be16(p->p + 6), 0);
	assert_int_equal(be16(p->p + 8), 0);
	assert_int_equal(be16(p->p + 10), 0);
}

static void
test_resolv_udp_tests_rcode_then_referral_then_tc(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_SILENT};
	static const bool tcp[NSRV] = {true, true, false};
	static const uint8_t rc[3] = {
	    DNS_R_SERVFAIL, DNS_R_NOTIMP, DNS_R_REFUSED};
	struct lab *lab;
	struct result res;
	int k;

	(void)state;
	/* glibc 2.26+ send_dg() tests an answer in this order: "if
	 * (anhp->rcode == SERVFAIL || anhp->rcode == NOTIMP ||
	 * anhp->rcode == REFUSED)" (next_ns: __res_iclose(), return 0),
	 * then the "referred query" ("anhp->rcode == NOERROR &&
	 * anhp->ancount == 0 && anhp->aa == 0 && anhp->ra == 0 &&
	 * anhp->arcount == 0", goto next_ns), and only then "if
	 * (!(statp->options & RES_IGNTC) && anhp->tc)" (*v_circuit = 1).
	 * ns1 and ns2 both listen on TCP: a TC taken too early would show
	 * as a SYN.
	 *
	 * A truncated answer of the referral's shape: NOERROR, AA and RA
	 * clear, no record in any section.  It is a referred query: the
	 * next server, over UDP, at once. */
	lab = lab_new(m, tcp);
	lab->srv[0].tc_noaa = true;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, RTT + 1);
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(query(lab, 1)->t, RTT);
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	/* next_ns: __res_iclose() closed ns1's socket. */
	assert_int_equal(nbound(lab), 1);
	assert_false(bound(lab, query(lab, 0)->sport));
	sim_run(&lab->sim, SIM_S(60));
	assert_tc_header(from_ns(lab, 17, 0, 0), false, false, DNS_R_NOERROR);
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(nsyns(lab), 0);
	assert_int_equal(lab->srv[0].ntcp + lab->srv[1].ntcp, 0);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 2 * RTT);
	assert_int_equal(res.tries, 2);
	assert_false(res.tcp);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	assert_null(lab->mta->udp);
	lab_free(lab);

	/* SERVFAIL, NOTIMP or REFUSED with TC set (and AA set, so not the
	 * referral's shape): the RCODE test comes first, the next server
	 * over UDP, from a fresh port. */
	for (k = 0; k < 3; k++) {
		lab = lab_new(m, tcp);
		lab->srv[0].rcode = rc[k];
		lab_resolver(lab, 2, 0, false);
		ask(lab, &res, "big.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(60));
		assert_tc_header(from_ns(lab, 17, 0, 0), true, false, rc[k]);
		assert_int_equal(nqueries(lab), 2);
		assert_int_equal(query(lab, 1)->t, RTT);
		assert_int_equal(to_ns(lab, query(lab, 1)), 1);
		assert_int_equal(nsyns(lab), 0);
		assert_int_equal(lab->srv[0].ntcp + lab->srv[1].ntcp, 0);
		assert_int_equal(res.calls, 1);
		assert_int_equal(res.st, RESOLV_OK);
		assert_int_equal(res.at, 2 * RTT);
		assert_int_equal(res.tries, 2);
		assert_false(res.tcp);
		assert_null(lab->mta->udp);
		lab_free(lab);
	}

	/* The referral test needs AA, RA and ARCOUNT all clear: with AA
	 * set, or RA set, the truncated NOERROR answer passes it and TC
	 * sends the query to send_vc(), to ns1, at once. */
	for (k = 0; k < 2; k++) {
		lab = lab_new(m, tcp);
		lab->srv[0].tc_noaa = k == 1;
		lab->srv[0].tc_ra = k == 1;
		lab_resolver(lab, 2, 0, false);
		ask(lab, &res, "big.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(60));
		assert_tc_header(
		    from_ns(lab, 17, 0, 0), k == 0, k == 1, DNS_R_NOERROR);
		assert_int_equal(nqueries(lab), 1);
		assert_int_equal(nsyns(lab), 1);
		assert_int_equal(segment(lab, 0x02, 0)->t, RTT);
		assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 0);
		assert_int_equal(lab->srv[0].ntcp, 1);
		assert_int_equal(lab->srv[1].nudp + lab->srv[1].ntcp, 0);
		assert_int_equal(res.calls, 1);
		assert_int_equal(res.st, RESOLV_OK);
		assert_int_equal(res.at, 3 * RTT);
		assert_int_equal(res.tries, 2);
		assert_true(res.tcp);
		lab_free(lab);
	}
}

static void
test_resolv_tcp_refused_asks_the_next_server_over_tcp(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_SILENT};
	static const bool tcp[NSRV] = {false, true, false};
	struct lab *lab = lab_new(m, tcp);
	struct result res;

	(void)state;
	/* ns1 has no TCP listener: RST to the SYN (RFC 9293 §3.10.7.1);
	 * send_vc()'s connect() fails, the next server is asked, and over
	 * TCP: v_circuit stays set for the rest of the query. */
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(nsyns(lab), 2);
	/* TC back at RTT, SYN to ns1, RST back at 2 RTT, SYN to ns2. */
	assert_int_equal(segment(lab, 0x02, 0)->t, RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 0);
	assert_int_equal(segment(lab, 0x02, 1)->t, 2 * RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 1)), 1);
	assert_int_equal(lab->srv[1].nudp, 0);
	assert_int_equal(lab->srv[1].ntcp, 1);
	assert_memory_equal(
	    lab->srv[1].tin + 2, query(lab, 0)->p, query(lab, 0)->plen);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 4 * RTT);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 3);
	lab_free(lab);
}

static void
test_resolv_after_tc_no_udp_and_no_further_round(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(m, NULL);
	struct result res;

	(void)state;
	/* Neither server takes TCP.  After ns1's TC: TCP to ns1 (RST),
	 * TCP to ns2 (RST), and the end: "try = statp->retry" left no
	 * second round, though 'attempts' is 2.  glibc's errno is then
	 * the TCP error, ECONNREFUSED: unreachable, no timeout. */
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(lab->srv[0].nudp, 1);
	assert_int_equal(lab->srv[1].nudp, 0);
	assert_int_equal(nsyns(lab), 2);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 0);
	assert_int_equal(segment(lab, 0x02, 1)->t, 2 * RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 1)), 1);
	assert_int_equal(last_from_mta(lab), 2 * RTT);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_UNREACHABLE);
	assert_int_equal(res.at, 3 * RTT);
	assert_int_equal(res.tries, 3);
	assert_null(lab->mta->udp);
	lab_free(lab);
}

static void
test_resolv_tc_mid_round_goes_on_over_tcp_with_the_rest(void **state)
{
	static const enum smode m[NSRV] = {S_SILENT, S_TC, S_SILENT};
	static const bool tcp[NSRV] = {false, false, true};
	struct lab *lab = lab_new(m, tcp);
	struct result res;

	(void)state;
	/* ns1 silent (5 s), ns2 truncates and refuses TCP, ns3 answers
	 * over TCP.  The TCP tries go to the servers left in this round,
	 * ns2 then ns3; ns1, already asked, is not asked over TCP. */
	lab_resolver(lab, 3, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	assert_int_equal(query(lab, 1)->t, SIM_S(5));
	assert_int_equal(nsyns(lab), 2);
	assert_int_equal(segment(lab, 0x02, 0)->t, SIM_S(5) + RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 1);
	assert_int_equal(segment(lab, 0x02, 1)->t, SIM_S(5) + 2 * RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 1)), 2);
	assert_int_equal(lab->srv[2].nudp, 0);
	assert_int_equal(lab->srv[2].ntcp, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, SIM_S(5) + 4 * RTT);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 4);
	lab_free(lab);
}

static void
test_resolv_tcp_server_dropping_syns_costs_127s(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_SILENT};
	static const bool tcp[NSRV] = {true, true, false};
	/* Linux tcp_syn_retries 6: the SYN at 0, retransmissions after 1,
	 * 2, 4, 8, 16, 32 s (RFC 6298 §5.5), connect() fails 64 s after
	 * the last. */
	static const sim_time_t synat[7] = {
	    0, SIM_S(1), SIM_S(3), SIM_S(7), SIM_S(15), SIM_S(31), SIM_S(63)};
	const struct fault notcp = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_NOTCP,
	    .svc = FAULT_SVC_ANY,
	    .index = 0};
	struct lab *lab = lab_new(m, tcp);
	struct result res;
	const struct pkt *s0;
	int i;

	(void)state;
	/* A firewall drops TCP to port 53 of ns1.  send_vc()'s connect()
	 * has no timeout of its own: the resolver waits for the kernel to
	 * give up (127 s), then asks ns2, over TCP. */
	net_host_set_faults(lab->ns[0], &notcp, 1);
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(200));
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(nsyns(lab), 8);
	s0 = segment(lab, 0x02, 0);
	for (i = 0; i < 7; i++) {
		const struct pkt *s = segment(lab, 0x02, i);

		assert_int_equal(s->t, RTT + synat[i]);
		assert_int_equal(to_ns(lab, s), 0);
		/* A retransmission repeats the SYN: ports and sequence
		 * number. */
		assert_memory_equal(s->l4h, s0->l4h, 8);
	}
	assert_int_equal(segment(lab, 0x02, 7)->t, RTT + SIM_S(127));
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 7)), 1);
	assert_int_equal(lab->srv[0].ntcp, 0);
	assert_int_equal(lab->srv[1].nudp, 0);
	assert_int_equal(lab->srv[1].ntcp, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, SIM_S(127) + 3 * RTT);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 3);
	lab_free(lab);
}

static void
test_resolv_servfail_or_refused_over_tcp_ends_the_query(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_ANSWER};
	static const bool tcp[NSRV] = {true, true, true};
	static const uint8_t rc[3] = {
	    DNS_R_SERVFAIL, DNS_R_REFUSED, DNS_R_NOTIMP};
	static const enum resolv_status want[3] = {
	    RESOLV_SERVFAIL, RESOLV_REFUSED, RESOLV_REFUSED};
	int k;

	(void)state;
	/* send_vc() hands back any complete answer, whatever its RCODE:
	 * "All is well, or the error is fatal.  Signal that the next
	 * nameserver ought not be tried."  __res_context_send() returns
	 * it, and the query ends with it (unlike send_dg(), which moves
	 * on after SERVFAIL, REFUSED and NOTIMP).  ns1 truncates, then
	 * fails over TCP; ns2 and ns3, which would answer, are not
	 * asked. */
	for (k = 0; k < 3; k++) {
		struct lab *lab = lab_new(m, tcp);
		struct result res;

		lab->srv[0].tcp_rcode = rc[k];
		lab_resolver(lab, 3, 0, false);
		ask(lab, &res, "big.example.test", DNS_T_A);
		sim_run(&lab->sim, SIM_S(60));
		assert_int_equal(nqueries(lab), 1);
		assert_int_equal(nsyns(lab), 1);
		assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 0);
		assert_int_equal(lab->srv[0].ntcp, 1);
		assert_int_equal(lab->srv[1].nudp + lab->srv[1].ntcp, 0);
		assert_int_equal(lab->srv[2].nudp + lab->srv[2].ntcp, 0);
		assert_int_equal(res.calls, 1);
		assert_int_equal(res.st, want[k]);
		assert_int_equal(res.rcode, rc[k]);
		assert_int_equal(res.nan, 0);
		assert_int_equal(res.at, 3 * RTT);
		assert_true(res.tcp);
		/* resolv_answer.tries: the datagram and the TCP try. */
		assert_int_equal(res.tries, 2);
		assert_null(lab->mta->udp);
		lab_free(lab);
	}
}

static void
test_resolv_tcp_reads_past_a_message_with_another_id(void **state)
{
	static const enum smode m[NSRV] = {S_TC, S_ANSWER, S_SILENT};
	static const bool tcp[NSRV] = {true, false, false};
	struct lab *lab;
	struct result res;
	const struct pkt *d0, *d1, *q0;
	size_t l0;

	(void)state;
	/* glibc 2.26+ send_vc(), after reading one message: "if
	 * ((recvresp1 || hp->id != anhp->id) && (recvresp2 || hp2->id !=
	 * anhp->id)) { ... ";; old answer (unexpected)" ... goto read_len;
	 * }": a message with another ID is dropped and the next one read
	 * from the same connection; the next server is not tried.  ns1
	 * truncates, then over TCP sends a message with our question and
	 * ID + 1 (A 203.0.113.66), and 1 ms later, in a segment of its
	 * own, the answer (A 192.0.2.10).  ns2 answers over UDP only. */
	lab = lab_new(m, tcp);
	lab->srv[0].tmode = T_STRAY;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	q0 = query(lab, 0);
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(nsyns(lab), 1);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 0);
	/* The query reaches ns1 at 2 RTT + OW; the stray message leaves
	 * then, the answer 1 ms later. */
	d0 = from_ns(lab, 6, 0, 0);
	d1 = from_ns(lab, 6, 0, 1);
	assert_non_null(d0);
	assert_non_null(d1);
	assert_null(from_ns(lab, 6, 0, 2));
	assert_int_equal(d0->t, 2 * RTT + OW);
	assert_int_equal(d1->t, 2 * RTT + OW + SIM_MS(1));
	assert_int_equal(d0->plen, 2 + (size_t)be16(d0->p));
	assert_int_equal(be16(d0->p + 2), (uint16_t)(be16(q0->p) + 1));
	assert_int_equal(d1->plen, 2 + (size_t)be16(d1->p));
	assert_int_equal(be16(d1->p + 2), be16(q0->p));
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 3 * RTT + SIM_MS(1));
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 2);
	/* The connection stayed open through the stray message: the
	 * sender's FIN comes with the answer, not before. */
	assert_non_null(segment(lab, 0x11, 0));
	assert_int_equal(segment(lab, 0x11, 0)->t, res.at);
	assert_int_equal(lab->srv[1].nudp + lab->srv[1].ntcp, 0);
	assert_null(lab->mta->udp);
	lab_free(lab);

	/* The two messages in one segment: read_len finds the second in
	 * what the kernel already holds; the answer at 3 RTT. */
	lab = lab_new(m, tcp);
	lab->srv[0].tmode = T_STRAY1;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	q0 = query(lab, 0);
	assert_int_equal(nsyns(lab), 1);
	d0 = from_ns(lab, 6, 0, 0);
	assert_non_null(d0);
	assert_null(from_ns(lab, 6, 0, 1));
	assert_int_equal(d0->t, 2 * RTT + OW);
	l0 = 2 + (size_t)be16(d0->p);
	assert_true(d0->plen > l0 + 2);
	assert_int_equal(d0->plen, l0 + 2 + be16(d0->p + l0));
	assert_int_equal(be16(d0->p + 2), (uint16_t)(be16(q0->p) + 1));
	assert_int_equal(be16(d0->p + l0 + 2), be16(q0->p));
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, 3 * RTT);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 2);
	assert_int_equal(lab->srv[1].nudp + lab->srv[1].ntcp, 0);
	lab_free(lab);
}

static void
test_resolv_tc_closes_udp_so_a_late_answer_draws_icmp(void **state)
{
	static const enum smode m[NSRV] = {S_LATE, S_TC, S_SILENT};
	static const bool tcp[NSRV] = {false, true, false};
	const sim_time_t delay = SIM_S(5) + SIM_MS(1);
	struct lab *lab = lab_new(m, tcp);
	struct result res;
	const struct pkt *late = NULL, *ic, *syn;
	size_t i;

	(void)state;
	/* send_dg() at a TC answer: "*v_circuit = 1; __res_iclose
	 * (statp, false);" before send_vc(): every UDP socket is closed.
	 * ns1 answers 5 s + 1 ms after each query: too late for its try
	 * (5 s), and arriving while the query is over TCP with ns2; the
	 * port it goes to is closed, so Linux answers ICMP port
	 * unreachable (RFC 1122 §4.1.3.1). */
	lab->srv[0].delay = delay;
	lab_resolver(lab, 2, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	/* ns2's TC came back at 5 s + RTT: no UDP socket is left. */
	sim_run(&lab->sim, SIM_S(5) + RTT + 1);
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	assert_int_equal(nbound(lab), 0);
	sim_run(&lab->sim, SIM_S(60));

	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(nsyns(lab), 1);
	syn = segment(lab, 0x02, 0);
	assert_int_equal(syn->t, SIM_S(5) + RTT);
	assert_int_equal(to_ns(lab, syn), 1);
	for (i = 0; i < lab->npk; i++)
		if (lab->pk[i].proto == 17 && lab->pk[i].sport == 53 &&
		    memcmp(lab->pk[i].src, lab->ns_a[0].b, 4) == 0) {
			assert_null(late);
			late = &lab->pk[i];
		}
	assert_non_null(late);
	assert_int_equal(late->t, OW + delay);
	assert_int_equal(late->dport, query(lab, 0)->sport);
	ic = icmp_from_mta(lab, 0);
	assert_non_null(ic);
	assert_null(icmp_from_mta(lab, 1));
	assert_int_equal(ic->t, late->t + OW);
	assert_int_equal(to_ns(lab, ic), 0);
	assert_port_unreachable_for(ic, late);
	/* It came during the TCP exchange, which went on unharmed. */
	assert_true(ic->t > syn->t);
	assert_int_equal(lab->srv[1].ntcp, 1);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_true(ic->t < res.at);
	assert_int_equal(res.at, SIM_S(5) + 3 * RTT);
	assert_true(res.tcp);
	assert_int_equal(res.tries, 3);
	lab_free(lab);
}

/* The lab for the 'terrno' cases: ns1 silent, ns2 truncates, neither ns2
 * nor ns3 listens on TCP; 'drop' (-1 none) drops TCP to port 53 of that
 * server instead of answering RST. */
static struct lab *
lab_tcp_errors(int drop)
{
	static const enum smode m[NSRV] = {S_SILENT, S_TC, S_SILENT};
	static const struct fault notcp = {.from = 0,
	    .to = SIM_NEVER,
	    .kind = FAULT_NOTCP,
	    .svc = FAULT_SVC_ANY,
	    .index = 0};
	struct lab *lab = lab_new(m, NULL);

	if (drop >= 0)
		net_host_set_faults(lab->ns[drop], &notcp, 1);
	lab_resolver(lab, 3, 0, false);
	return lab;
}

static void
test_resolv_on_tcp_the_status_is_the_last_tcp_error(void **state)
{
	struct lab *lab = lab_tcp_errors(-1);
	struct result res;
	int i;

	(void)state;
	/* __res_context_send() after the loop: "if (!v_circuit) { ...
	 * ECONNREFUSED or ETIMEDOUT by gotsomewhere } else __set_errno
	 * (terrno);", and send_vc() sets "*terrno = errno" when connect()
	 * fails: ECONNREFUSED for an RST (unreachable), ETIMEDOUT when the
	 * kernel's SYN retries run out (timeout).  ns1 times out over UDP
	 * (5 s), ns2 truncates at 5 s + RTT; TCP to ns2 and to ns3 is
	 * refused.  Over UDP the timeout would make it ETIMEDOUT; on TCP
	 * the last error counts: unreachable. */
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	assert_int_equal(query(lab, 1)->t, SIM_S(5));
	assert_int_equal(to_ns(lab, query(lab, 1)), 1);
	assert_int_equal(nsyns(lab), 2);
	assert_int_equal(segment(lab, 0x02, 0)->t, SIM_S(5) + RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 1);
	assert_int_equal(segment(lab, 0x02, 1)->t, SIM_S(5) + 2 * RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 1)), 2);
	assert_int_equal(lab->srv[2].nudp, 0);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_UNREACHABLE);
	assert_int_equal(res.at, SIM_S(5) + 3 * RTT);
	/* Two datagrams and two TCP tries. */
	assert_int_equal(res.tries, 4);
	assert_int_equal(res.rcode, -1);
	lab_free(lab);

	/* ns2 refuses, ns3 drops the SYNs: connect() fails 127 s after
	 * the first (tcp_syn_retries 6), the last error is ETIMEDOUT. */
	lab = lab_tcp_errors(2);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(nsyns(lab), 8);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 1);
	for (i = 1; i < 8; i++)
		assert_int_equal(to_ns(lab, segment(lab, 0x02, i)), 2);
	assert_int_equal(segment(lab, 0x02, 1)->t, SIM_S(5) + 2 * RTT);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(5) + 2 * RTT + SIM_S(127));
	assert_int_equal(res.tries, 4);
	lab_free(lab);

	/* The other way round: ns2 drops the SYNs (127 s), then ns3
	 * refuses: the last error is ECONNREFUSED again. */
	lab = lab_tcp_errors(1);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(300));
	assert_int_equal(nsyns(lab), 8);
	for (i = 0; i < 7; i++)
		assert_int_equal(to_ns(lab, segment(lab, 0x02, i)), 1);
	assert_int_equal(segment(lab, 0x02, 7)->t, SIM_S(5) + RTT + SIM_S(127));
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 7)), 2);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_UNREACHABLE);
	assert_int_equal(res.at, SIM_S(5) + 2 * RTT + SIM_S(127));
	assert_int_equal(res.tries, 4);
	lab_free(lab);
}

static void
test_resolv_on_tcp_a_read_timeout_is_the_last_error(void **state)
{
	static const enum smode m[NSRV] = {S_SILENT, S_TC, S_SILENT};
	static const bool tcp[NSRV] = {false, false, true};
	struct lab *lab = lab_new(m, tcp);
	struct result res;
	const struct pkt *q1, *rst;

	(void)state;
	/* __res_context_send() ends a query that went to TCP with
	 * "__set_errno (terrno)", the error of the last send_vc(); a
	 * failed read sets it too ("*terrno = errno;" after read_len's
	 * read()).  ns1 is silent over UDP (5 s), ns2 truncates
	 * at 5 s + RTT and refuses TCP (RST: ECONNREFUSED), ns3 accepts
	 * TCP and never answers.  glibc's read() would block; the model
	 * waits the UDP try's time instead (resolv.h), for ns3 (index 2)
	 * (5 << 2) / 3 = 6 s from sending the query, then gives up.  That
	 * wait is the last error: a timeout, not ns2's refusal. */
	lab->srv[2].tmode = T_SILENT;
	lab_resolver(lab, 3, 0, false);
	ask(lab, &res, "big.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 2);
	q1 = query(lab, 1);
	assert_int_equal(q1->t, SIM_S(5));
	assert_int_equal(to_ns(lab, q1), 1);
	assert_int_equal(nsyns(lab), 2);
	assert_int_equal(segment(lab, 0x02, 0)->t, SIM_S(5) + RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 0)), 1);
	assert_int_equal(segment(lab, 0x02, 1)->t, SIM_S(5) + 2 * RTT);
	assert_int_equal(to_ns(lab, segment(lab, 0x02, 1)), 2);
	/* ns3 got the query (RFC 1035 §4.2.2 framing) and kept quiet. */
	assert_int_equal(lab->srv[2].ntin, 2 + q1->plen);
	assert_memory_equal(lab->srv[2].tin + 2, q1->p, q1->plen);
	assert_int_equal(lab->srv[2].nudp + lab->srv[2].ntcp, 0);
	assert_null(from_ns(lab, 6, 2, 0));
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_TIMEOUT);
	assert_int_equal(res.at, SIM_S(5) + 3 * RTT + SIM_S(6));
	assert_true(res.tcp);
	assert_int_equal(res.tries, 4);
	assert_int_equal(res.rcode, -1);
	/* Giving up closes the socket on an established connection: RST
	 * (with ACK) to ns3 then, and nothing after. */
	rst = segment(lab, 0x14, 0);
	assert_non_null(rst);
	assert_int_equal(rst->t, res.at);
	assert_int_equal(to_ns(lab, rst), 2);
	assert_int_equal(last_from_mta(lab), res.at);
	assert_null(lab->mta->udp);
	lab_free(lab);
}

/* --- which answers count -----------------------------------------------------
 */

static void
test_resolv_ignores_forged_answers(void **state)
{
	static const enum smode m[NSRV] = {S_FORGED, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(m, NULL);
	struct result res;

	(void)state;
	/* RFC 5452 §9.1, send_dg(): wrong source address, wrong source
	 * port, wrong ID, wrong name, wrong type and a non-answer all go
	 * unheeded; the right answer, 1 ms later, is taken. */
	lab_resolver(lab, 1, 0, false);
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(60));
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, RTT + SIM_MS(1));
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	assert_int_equal(res.tries, 1);
	lab_free(lab);
}

/* --- statuses, from a real authoritative server
 * ------------------------------- */

static void
zone_row(struct zone *z, const char *owner, const char *type, const char *a,
    const char *b)
{
	const char *rd[2] = {a, b};
	struct mx_err err;

	mx_err_clear(&err);
	if (zone_add_text(z, owner, type, rd, b ? 2 : 1, 3600, &err) != 0)
		fail_msg("%s %s: %s", owner, type, err.msg);
}

static struct lab *
lab_with_dnssrv(void)
{
	static const enum smode m[NSRV] = {S_NOBIND, S_SILENT, S_SILENT};
	struct lab *lab = lab_new(m, NULL);
	struct mx_err err;

	zone_init(&lab->zone, "example.test", 3600);
	zone_row(&lab->zone, "@", "NS", "ns1", NULL);
	zone_row(&lab->zone, "@", "MX", "10", "mx1");
	zone_row(&lab->zone, "ns1", "A", "192.0.2.53", NULL);
	zone_row(&lab->zone, "mx1", "A", "192.0.2.10", NULL);
	zone_row(&lab->zone, "www", "CNAME", "mx1", NULL);
	zone_row(&lab->zone, "alias", "CNAME", "alias2", NULL);
	zone_row(&lab->zone, "alias2", "CNAME", "mail.other.test.", NULL);
	assert_int_equal(zone_finish(&lab->zone, &err), 0);
	lab->zp = &lab->zone;
	lab->ds = dnssrv_new(lab->ns[0], &lab->zp, 1, NULL);
	assert_non_null(lab->ds);
	lab_resolver(lab, 1, 0, false);
	return lab;
}

static void
test_resolv_statuses_ok_nodata_nxdomain_cname(void **state)
{
	struct lab *lab = lab_with_dnssrv();
	struct result res;

	(void)state;
	/* NOERROR with records of the type: ok. */
	ask(lab, &res, "mx1.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(1));
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.at, RTT);
	assert_int_equal(res.nan, 1);
	/* A CNAME and its target's records in one answer: ok too (RFC
	 * 1034 §3.6.2: the server follows the alias in its zone). */
	ask(lab, &res, "www.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(2));
	assert_int_equal(res.st, RESOLV_OK);
	assert_int_equal(res.nan, 2);
	assert_memory_equal(res.a, addr("192.0.2.10").b, 4);
	/* RFC 2308 §2.2: NOERROR and no record of the type: nodata. */
	ask(lab, &res, "mx1.example.test", DNS_T_AAAA);
	sim_run(&lab->sim, SIM_S(3));
	assert_int_equal(res.st, RESOLV_NODATA);
	/* RFC 2308 §2.1: nxdomain. */
	ask(lab, &res, "nosuch.example.test", DNS_T_A);
	sim_run(&lab->sim, SIM_S(4));
	assert_int_equal(res.st, RESOLV_NXDOMAIN);
	assert_int_equal(res.tries, 1);
	/* Only the alias chain (its end lies in another zone): cname, and
	 * 'cname' is where the chain ends, for the caller to ask again. */
	ask(lab, &res, "alias.example.test", DNS_T_MX);
	sim_run(&lab->sim, SIM_S(5));
	assert_int_equal(res.st, RESOLV_CNAME);
	assert_int_equal(res.nan, 2);
	assert_string_equal(res.cname, "mail.other.test");
	lab_free(lab);
}

static void
test_resolv_answer_stays_readable_when_callback_asks_again(void **state)
{
	struct lab *lab = lab_with_dnssrv();
	struct result res;

	(void)state;
	/* The MTA starts its next lookup from inside the callback (an MX
	 * answer, then the exchanges' addresses): the answer it holds must
	 * not change under it. */
	ask(lab, &res, "www.example.test", DNS_T_A);
	res.then_query = true;
	sim_run(&lab->sim, SIM_MS(100));
	assert_int_equal(res.calls, 2);
	assert_int_not_equal(res.nextq, 0);
	assert_int_equal(res.nan_after, 2);
	lab_free(lab);
}

static void
test_resolv_cancel_and_free_leave_nothing(void **state)
{
	struct lab *lab = lab_new(NULL, NULL);
	struct result a, b;
	uint32_t h;

	(void)state;
	lab_resolver(lab, 2, 0, false);
	/* Cancelled before its first datagram: nothing is sent. */
	memset(&a, 0, sizeof(a));
	a.lab = lab;
	h = resolv_query(lab->res, "mx1.example.test", DNS_T_A, on_done, &a);
	resolv_cancel(lab->res, h);
	sim_run(&lab->sim, SIM_S(30));
	assert_int_equal(nqueries(lab), 0);
	assert_int_equal(a.calls, 0);
	assert_null(lab->mta->udp);
	/* Cancelled while waiting: no more tries, no callback. */
	memset(&b, 0, sizeof(b));
	b.lab = lab;
	h = resolv_query(lab->res, "mx1.example.test", DNS_T_A, on_done, &b);
	sim_run(&lab->sim, SIM_S(32));
	resolv_cancel(lab->res, h);
	sim_run(&lab->sim, SIM_S(90));
	assert_int_equal(nqueries(lab), 1);
	assert_int_equal(b.calls, 0);
	assert_null(lab->mta->udp);
	/* A query still pending when the resolver goes (ASan checks). */
	assert_int_not_equal(
	    resolv_query(lab->res, "mx1.example.test", DNS_T_A, on_done, &b),
	    0);
	sim_run(&lab->sim, SIM_S(91));
	lab_free(lab);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_resolv_one_silent_server_retries_at_5s_gives_up_at_10s),
	    cmocka_unit_test(
	        test_resolv_two_silent_servers_wait_5s_each_per_round),
	    cmocka_unit_test(
	        test_resolv_three_silent_servers_wait_5_3_6_seconds),
	    cmocka_unit_test(test_resolv_three_rounds_repeat_the_same_waits),
	    cmocka_unit_test(
	        test_resolv_timeout_and_attempts_are_capped_as_glibc_does),
	    cmocka_unit_test(
	        test_resolv_rotate_walks_the_list_from_its_start_with_waits_by_index),
	    cmocka_unit_test(
	        test_resolv_rotate_starts_at_a_server_drawn_at_random),
	    cmocka_unit_test(
	        test_resolv_servfail_and_refused_move_to_the_next_server_at_once),
	    cmocka_unit_test(
	        test_resolv_all_servfail_or_all_refused_after_every_try),
	    cmocka_unit_test(
	        test_resolv_icmp_moves_on_and_alone_means_unreachable),
	    cmocka_unit_test(
	        test_resolv_icmp_closes_every_socket_round_two_on_fresh_ports),
	    cmocka_unit_test(
	        test_resolv_referral_without_glue_or_ra_is_no_answer),
	    cmocka_unit_test(
	        test_resolv_late_answer_after_the_end_draws_port_unreachable),
	    cmocka_unit_test(
	        test_resolv_truncated_answer_is_asked_again_over_tcp),
	    cmocka_unit_test(test_resolv_udp_tests_rcode_then_referral_then_tc),
	    cmocka_unit_test(
	        test_resolv_tcp_refused_asks_the_next_server_over_tcp),
	    cmocka_unit_test(test_resolv_after_tc_no_udp_and_no_further_round),
	    cmocka_unit_test(
	        test_resolv_tc_mid_round_goes_on_over_tcp_with_the_rest),
	    cmocka_unit_test(test_resolv_tcp_server_dropping_syns_costs_127s),
	    cmocka_unit_test(
	        test_resolv_servfail_or_refused_over_tcp_ends_the_query),
	    cmocka_unit_test(
	        test_resolv_tcp_reads_past_a_message_with_another_id),
	    cmocka_unit_test(
	        test_resolv_tc_closes_udp_so_a_late_answer_draws_icmp),
	    cmocka_unit_test(
	        test_resolv_on_tcp_the_status_is_the_last_tcp_error),
	    cmocka_unit_test(
	        test_resolv_on_tcp_a_read_timeout_is_the_last_error),
	    cmocka_unit_test(test_resolv_ignores_forged_answers),
	    cmocka_unit_test(test_resolv_statuses_ok_nodata_nxdomain_cname),
	    cmocka_unit_test(
	        test_resolv_answer_stays_readable_when_callback_asks_again),
	    cmocka_unit_test(test_resolv_cancel_and_free_leave_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
