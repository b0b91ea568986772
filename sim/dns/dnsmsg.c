/*
 * dnsmsg.c - DNS messages between struct dns_msg and the RFC 1035 §4 wire
 * format.
 *
 * A message is a 12-byte header (§4.1.1), at most one question (§4.1.2;
 * nobody answers several, RFC 9619) and three sections of resource
 * records (§4.1.3).  A name is a sequence of labels of 1 to 63 bytes
 * ending with the empty root label, at most 255 bytes on the wire
 * (§2.3.4).
 *
 * Encoding.  Every name goes through one function that turns the
 * presentation form into uncompressed wire form (parsing the \DDD and \X
 * escapes of §5.1), then looks for the longest suffix of it that is
 * already in the message.  'struct enc' remembers the offset of every
 * label it has written below 0x4000, the reach of a 14-bit pointer
 * (§4.1.4); a suffix matches an offset when the labels found there,
 * pointers followed, are equal ignoring ASCII case (RFC 4343 §3).  So
 * pointers only ever point backwards, to labels this encoder wrote.  Only
 * the question name, owner names and the names inside NS, CNAME, PTR, MX
 * and SOA RDATA are written, and compressed, as names (RFC 3597 §4); TXT,
 * OPT and other types are raw bytes.  As matching ignores case, a name can
 * come back from the decoder in the case of an earlier name sharing its
 * suffix.
 *
 * Decoding.  Every read is checked against the end of the message and,
 * inside RDATA, against RDLENGTH, which A, AAAA, NS, CNAME, PTR, MX and
 * SOA must consume exactly; TXT must be one or more <character-string>s
 * (§3.3.14) and OPT a sequence of options (RFC 6891 §6.1.2), each filling
 * RDLENGTH exactly.  A compression pointer must point after the header and
 * strictly before the place where the labels being read began, so every
 * jump goes to a smaller offset and no loop can run; a hop limit bounds
 * the work besides.  Label types 01 (extended, RFC 6891 §5) and 10
 * (reserved) are refused.  Also refused: a name whose presentation form
 * does not fit DNS_NAME_MAX (possible with many \DDD escapes), raw RDATA
 * longer than DNS_TXT_MAX, an OPT outside the additional section, not
 * owned by the root or not alone (RFC 6891 §6.1.1), more records than
 * DNS_SECTION_MAX in a section, and bytes after the last record.
 *
 * Presentation form.  A label keeps letters, digits, '-' and '_' as they
 * are; a '.' inside a label is written "\." and any other byte "\DDD".  On
 * input any byte but '.' and '\' may also stand for itself.  The root is
 * "" and there is no final dot; dns_rr_str() alone prints the dot, as
 * zone files do.
 *
 * The codec keeps no state between calls and never allocates: a call uses
 * its arguments and under two kilobytes of stack.  A refused message is
 * left with all its counts zero.
 */
#include "dnsmsg.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../core/bytes.h"

#define HDR_LEN       12     /* RFC 1035 §4.1.1 */
#define RR_FIXED      10     /* TYPE, CLASS, TTL, RDLENGTH */
#define WIRE_NAME_MAX 255    /* RFC 1035 §2.3.4, with the root label */
#define LABEL_MAX     63     /* RFC 1035 §2.3.4 */
#define LABELS_MAX    127    /* labels in 255 bytes, the root aside */
#define PTR_MAX       0x3fff /* largest offset a pointer reaches */
#define HOPS_MAX      128    /* pointers followed within one name */
#define CTAB_MAX      512    /* label offsets kept for compression */

/* Header flag bits (RFC 1035 §4.1.1). */
#define F_QR 0x8000
#define F_AA 0x0400
#define F_TC 0x0200
#define F_RD 0x0100
#define F_RA 0x0080

static const struct {
	uint16_t type;    /* the number */
	const char *name; /* its mnemonic */
} type_names[] = {
    {DNS_T_A, "A"},
    {DNS_T_NS, "NS"},
    {DNS_T_CNAME, "CNAME"},
    {DNS_T_SOA, "SOA"},
    {DNS_T_PTR, "PTR"},
    {DNS_T_MX, "MX"},
    {DNS_T_TXT, "TXT"},
    {DNS_T_AAAA, "AAAA"},
    {DNS_T_OPT, "OPT"},
    {DNS_T_ANY, "ANY"},
};

/*
 * Every RCODE a uint8_t can hold has its name in this table, so that
 * dns_rcode_name() needs neither a buffer nor mutable storage.
 */
#define RC10(p)                                                                \
	"RCODE" p "0", "RCODE" p "1", "RCODE" p "2", "RCODE" p "3",            \
	    "RCODE" p "4", "RCODE" p "5", "RCODE" p "6", "RCODE" p "7",        \
	    "RCODE" p "8", "RCODE" p "9"

static const char *const rcode_names[] = {
    "NOERROR",
    "FORMERR",
    "SERVFAIL",
    "NXDOMAIN",
    "NOTIMP",
    "REFUSED",
    "RCODE6",
    "RCODE7",
    "RCODE8",
    "RCODE9",
    RC10("1"),
    RC10("2"),
    RC10("3"),
    RC10("4"),
    RC10("5"),
    RC10("6"),
    RC10("7"),
    RC10("8"),
    RC10("9"),
    RC10("10"),
    RC10("11"),
    RC10("12"),
    RC10("13"),
    RC10("14"),
    RC10("15"),
    RC10("16"),
    RC10("17"),
    RC10("18"),
    RC10("19"),
    RC10("20"),
    RC10("21"),
    RC10("22"),
    RC10("23"),
    RC10("24"),
    "RCODE250",
    "RCODE251",
    "RCODE252",
    "RCODE253",
    "RCODE254",
    "RCODE255",
};

_Static_assert(sizeof(rcode_names) / sizeof(rcode_names[0]) == 256,
    "one name for every uint8_t RCODE");

/* The message being written. */
struct enc {
	uint8_t *out;           /* borrowed: the caller's buffer */
	size_t cap;             /* bytes 'out' holds */
	size_t len;             /* bytes written so far */
	bool ok;                /* false once a thing did not fit or was bad */
	uint16_t tab[CTAB_MAX]; /* offsets of labels written, < 0x4000 */
	size_t ntab;            /* entries used in 'tab' */
};

/* A bounded string being built by dns_rr_str(). */
struct sbuf {
	char *p;    /* borrowed: the caller's buffer */
	size_t cap; /* its size, > 0 */
	size_t len; /* characters written, < cap */
};

static uint8_t
lc(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Letters, digits, '-' and '_': label bytes shown as they are. */
static bool
is_plain(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '-' || c == '_';
}

/*
 * Turns the presentation name 's' into uncompressed wire form in 'w'
 * (WIRE_NAME_MAX bytes) and sets '*wlen'.  False when the text is longer
 * than DNS_NAME_MAX - 1 characters, a label is empty or longer than 63
 * bytes, an escape is malformed, or the wire form is over 255 bytes.
 */
static bool
name_to_wire(const char *s, uint8_t *w, size_t *wlen)
{
	const char *start = s;
	size_t n, lab; /* bytes in 'w'; where the label starts */
	int c, v;

	if (*s == '\0') {
		w[0] = 0;
		*wlen = 1;
		return true;
	}
	lab = 0;
	n = 1;
	for (;;) {
		if (s - start >= DNS_NAME_MAX - 1 && *s != '\0')
			return false;
		c = (unsigned char)*s;
		if (c == '\0' || c == '.') {
			if (n - lab - 1 == 0 || n - lab - 1 > LABEL_MAX)
				return false;
			w[lab] = (uint8_t)(n - lab - 1);
			if (c == '\0')
				break;
			s++;
			if (n >= WIRE_NAME_MAX - 1)
				return false;
			lab = n++;
			continue;
		}
		s++;
		if (c == '\\') {
			if (is_digit(s[0]) && is_digit(s[1]) &&
			    is_digit(s[2])) {
				v = (s[0] - '0') * 100 + (s[1] - '0') * 10 +
				    (s[2] - '0');
				if (v > 255)
					return false;
				c = v;
				s += 3;
			} else if (*s == '\0' || is_digit(*s)) {
				return false;
			} else {
				c = (unsigned char)*s++;
			}
		}
		/* Keep the last byte for the root label. */
		if (n >= WIRE_NAME_MAX - 1)
			return false;
		w[n++] = (uint8_t)c;
	}
	w[n++] = 0;
	*wlen = n;
	return true;
}

/* Equality of two uncompressed wire names of length 'n', ignoring case.
 * Length bytes (0-63) are never letters, so they compare exactly. */
static bool
wire_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lc(a[i]) != lc(b[i]))
			return false;
	return true;
}

bool
dns_name_eq(const char *a, const char *b)
{
	uint8_t wa[WIRE_NAME_MAX], wb[WIRE_NAME_MAX];
	size_t la, lb;

	if (name_to_wire(a, wa, &la) && name_to_wire(b, wb, &lb))
		return la == lb && wire_eq(wa, wb, la);
	/* Not names: compare the text, ignoring ASCII case. */
	for (; *a != '\0' && lc((uint8_t)*a) == lc((uint8_t)*b); a++, b++)
		;
	return *a == *b;
}

int
dns_msg_chase(const struct dns_msg *m, const char *name, int max_hops,
    char *out, size_t len)
{
	char cur[DNS_NAME_MAX];
	size_t i;
	int hops;

	snprintf(cur, sizeof(cur), "%s", name);
	for (hops = 0;; hops++) {
		for (i = 0; i < m->nan; i++)
			if (m->an[i].type == DNS_T_CNAME &&
			    dns_name_eq(m->an[i].name, cur))
				break;
		if (i == m->nan)
			break;
		if (hops == max_hops) {
			hops = -1;
			break;
		}
		snprintf(cur, sizeof(cur), "%s", m->an[i].rd.target);
	}
	snprintf(out, len, "%s", cur);
	return hops;
}

bool
dns_name_under(const char *name, const char *zone)
{
	uint8_t wn[WIRE_NAME_MAX], wz[WIRE_NAME_MAX];
	size_t ln, lz, off;

	if (!name_to_wire(name, wn, &ln) || !name_to_wire(zone, wz, &lz))
		return false;
	for (off = 0; ln - off >= lz; off += 1 + (size_t)wn[off]) {
		if (ln - off == lz && wire_eq(wn + off, wz, lz))
			return true;
		if (wn[off] == 0)
			break;
	}
	return false;
}

bool
dns_name_valid(const char *name)
{
	uint8_t w[WIRE_NAME_MAX];
	size_t n;

	return name_to_wire(name, w, &n);
}

/* --- encoding ------------------------------------------------------------ */

static void
enc_bytes(struct enc *e, const void *p, size_t n)
{
	if (!e->ok)
		return;
	if (n > e->cap - e->len) {
		e->ok = false;
		return;
	}
	if (n > 0)
		memcpy(e->out + e->len, p, n);
	e->len += n;
}

static void
enc_u16(struct enc *e, uint16_t v)
{
	uint8_t b[2];

	put_be16(b, v);
	enc_bytes(e, b, 2);
}

static void
enc_u32(struct enc *e, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	enc_bytes(e, b, 4);
}

/*
 * True when the name written at 'off' in our own output, pointers
 * followed, equals the uncompressed wire name 'w' ignoring case.  The
 * output holds only what enc_name() wrote, so its pointers are sound; the
 * hop limit is a guard, not a necessity.
 */
static bool
enc_match(const struct enc *e, size_t off, const uint8_t *w)
{
	const uint8_t *o = e->out;
	int hops = 0;
	size_t i;

	for (;;) {
		if ((o[off] & 0xc0) == 0xc0) {
			if (++hops > HOPS_MAX)
				return false;
			off = (size_t)(o[off] & 0x3f) << 8 | o[off + 1];
			continue;
		}
		if (o[off] != *w)
			return false;
		if (*w == 0)
			return true;
		for (i = 1; i <= *w; i++)
			if (lc(o[off + i]) != lc(w[i]))
				return false;
		off += 1 + (size_t)*w;
		w += 1 + (size_t)*w;
	}
}

/* Writes 'name', compressed against the labels written before it. */
static void
enc_name(struct enc *e, const char *name)
{
	uint8_t w[WIRE_NAME_MAX];
	uint8_t lab[LABELS_MAX]; /* offset in 'w' of each label */
	size_t wlen, nlab = 0, i, j = 0, k, start, off;

	if (!e->ok)
		return;
	if (!name_to_wire(name, w, &wlen)) {
		e->ok = false;
		return;
	}
	for (off = 0; w[off] != 0; off += 1 + (size_t)w[off])
		lab[nlab++] = (uint8_t)off;
	/* The longest suffix already present; i == nlab when none is. */
	for (i = 0; i < nlab; i++) {
		for (j = 0; j < e->ntab; j++)
			if (enc_match(e, e->tab[j], w + lab[i]))
				break;
		if (j < e->ntab)
			break;
	}
	start = e->len;
	if (i < nlab) {
		enc_bytes(e, w, lab[i]);
		enc_u16(e, (uint16_t)(0xc000 | e->tab[j]));
	} else
		enc_bytes(e, w, wlen);
	if (!e->ok)
		return;
	for (k = 0; k < i; k++) {
		off = start + lab[k];
		if (off > PTR_MAX || e->ntab == CTAB_MAX)
			break;
		e->tab[e->ntab++] = (uint16_t)off;
	}
}

/* TXT RDATA: one or more <character-string>s, exactly (RFC 1035 §3.3.14). */
static bool
txt_ok(const uint8_t *p, size_t n)
{
	size_t off = 0;

	if (n == 0)
		return false;
	while (off < n) {
		if (p[off] > n - off - 1)
			return false;
		off += 1 + (size_t)p[off];
	}
	return true;
}

/* OPT RDATA: {OPTION-CODE, OPTION-LENGTH, data}*, exactly (RFC 6891
 * §6.1.2). */
static bool
opt_ok(const uint8_t *p, size_t n)
{
	size_t off = 0, olen;

	while (off < n) {
		if (n - off < 4)
			return false;
		olen = get_be16(p + off + 2);
		if (olen > n - off - 4)
			return false;
		off += 4 + olen;
	}
	return true;
}

static void
enc_rr(struct enc *e, const struct dns_rr *rr)
{
	size_t at, rdstart;

	enc_name(e, rr->name);
	enc_u16(e, rr->type);
	enc_u16(e, rr->rclass);
	enc_u32(e, rr->ttl);
	at = e->len;
	enc_u16(e, 0); /* RDLENGTH, filled in below */
	rdstart = e->len;
	switch (rr->type) {
	case DNS_T_A:
		enc_bytes(e, rr->rd.a, sizeof(rr->rd.a));
		break;
	case DNS_T_AAAA:
		enc_bytes(e, rr->rd.aaaa, sizeof(rr->rd.aaaa));
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		enc_name(e, rr->rd.target);
		break;
	case DNS_T_MX:
		enc_u16(e, rr->rd.mx.pref);
		enc_name(e, rr->rd.mx.exchange); /* "" -> one 0 byte */
		break;
	case DNS_T_SOA:
		enc_name(e, rr->rd.soa.mname);
		enc_name(e, rr->rd.soa.rname);
		enc_u32(e, rr->rd.soa.serial);
		enc_u32(e, rr->rd.soa.refresh);
		enc_u32(e, rr->rd.soa.retry);
		enc_u32(e, rr->rd.soa.expire);
		enc_u32(e, rr->rd.soa.minimum);
		break;
	default:
		if (rr->rd.raw.len > DNS_TXT_MAX ||
		    (rr->type == DNS_T_TXT &&
		        !txt_ok(rr->rd.raw.data, rr->rd.raw.len)) ||
		    (rr->type == DNS_T_OPT &&
		        !opt_ok(rr->rd.raw.data, rr->rd.raw.len))) {
			e->ok = false;
			return;
		}
		enc_bytes(e, rr->rd.raw.data, rr->rd.raw.len);
		break;
	}
	if (!e->ok)
		return;
	if (e->len - rdstart > UINT16_MAX) {
		e->ok = false;
		return;
	}
	put_be16(e->out + at, (uint16_t)(e->len - rdstart));
}

/* An OPT only in the additional section, owned by the root, at most one
 * (RFC 6891 §6.1.1). */
static bool
opt_placed_ok(const struct dns_rr *sec, size_t n, bool additional)
{
	size_t i, nopt = 0;

	for (i = 0; i < n; i++) {
		if (sec[i].type != DNS_T_OPT)
			continue;
		if (!additional || sec[i].name[0] != '\0' || ++nopt > 1)
			return false;
	}
	return true;
}

void
dns_msg_init(struct dns_msg *m)
{
	memset(m, 0, sizeof(*m));
}

/* Nothing but padding after the additional section. */
_Static_assert(
    offsetof(struct dns_msg, an) < offsetof(struct dns_msg, ns) &&
        offsetof(struct dns_msg, ns) < offsetof(struct dns_msg, ar) &&
        offsetof(struct dns_msg, ar) + sizeof(((struct dns_msg *)NULL)->ar) +
                _Alignof(struct dns_msg) >
            sizeof(struct dns_msg),
    "the three sections come last in struct dns_msg");

void
dns_msg_clear(struct dns_msg *m)
{
	memset(m, 0, offsetof(struct dns_msg, an));
}

bool
dns_msg_is_reply(
    const struct dns_msg *m, uint16_t id, const char *name, uint16_t type)
{
	return m->qr && m->id == id && m->nq == 1 && m->q[0].qtype == type &&
	       dns_name_eq(m->q[0].name, name);
}

size_t
dns_msg_encode(const struct dns_msg *m, uint8_t *out, size_t cap)
{
	struct enc e;
	uint16_t flags;
	size_t i;

	if (m->nq > 1 || m->nan > DNS_SECTION_MAX || m->nns > DNS_SECTION_MAX ||
	    m->nar > DNS_SECTION_MAX || m->opcode > 15 || m->rcode > 15 ||
	    !opt_placed_ok(m->an, m->nan, false) ||
	    !opt_placed_ok(m->ns, m->nns, false) ||
	    !opt_placed_ok(m->ar, m->nar, true))
		return 0;
	e.out = out;
	e.cap = cap;
	e.len = 0;
	e.ok = true;
	e.ntab = 0;

	flags = (uint16_t)((unsigned)m->opcode << 11 | m->rcode);
	if (m->qr)
		flags |= F_QR;
	if (m->aa)
		flags |= F_AA;
	if (m->tc)
		flags |= F_TC;
	if (m->rd)
		flags |= F_RD;
	if (m->ra)
		flags |= F_RA;
	enc_u16(&e, m->id);
	enc_u16(&e, flags);
	enc_u16(&e, (uint16_t)m->nq);
	enc_u16(&e, (uint16_t)m->nan);
	enc_u16(&e, (uint16_t)m->nns);
	enc_u16(&e, (uint16_t)m->nar);
	if (m->nq == 1) {
		enc_name(&e, m->q[0].name);
		enc_u16(&e, m->q[0].qtype);
		enc_u16(&e, m->q[0].qclass);
	}
	for (i = 0; i < m->nan; i++)
		enc_rr(&e, &m->an[i]);
	for (i = 0; i < m->nns; i++)
		enc_rr(&e, &m->ns[i]);
	for (i = 0; i < m->nar; i++)
		enc_rr(&e, &m->ar[i]);
	return e.ok ? e.len : 0;
}

/* --- decoding ------------------------------------------------------------ */

/* Appends the presentation form of label byte 'c' to 'out'; false when
 * it does not fit with the final NUL. */
static bool
put_label_byte(char *out, size_t *o, uint8_t c)
{
	if (is_plain(c)) {
		if (*o + 1 >= DNS_NAME_MAX)
			return false;
		out[(*o)++] = (char)c;
	} else if (c == '.') {
		if (*o + 2 >= DNS_NAME_MAX)
			return false;
		out[(*o)++] = '\\';
		out[(*o)++] = '.';
	} else {
		if (*o + 4 >= DNS_NAME_MAX)
			return false;
		out[(*o)++] = '\\';
		out[(*o)++] = (char)('0' + c / 100);
		out[(*o)++] = (char)('0' + c / 10 % 10);
		out[(*o)++] = (char)('0' + c % 10);
	}
	return true;
}

/*
 * Reads the name at '*pos' of the 'len'-byte message 'p' into 'out'
 * (DNS_NAME_MAX bytes).  Its bytes before any pointer must lie below
 * 'end'; on success '*pos' moves past them.  See the top of the file for
 * the rules on pointers.
 */
static bool
dec_name(const uint8_t *p, size_t len, size_t *pos, size_t end, char *out)
{
	size_t cur = *pos; /* byte being read */
	size_t seg = *pos; /* where the current run of labels began */
	size_t lim = end;  /* reads stay below this */
	size_t after = 0;  /* '*pos' to be, once a pointer was taken */
	size_t wire = 0;   /* uncompressed length so far */
	size_t o = 0;      /* characters in 'out' */
	size_t t, i;
	int hops = 0;
	uint8_t b;

	for (;;) {
		if (cur >= lim)
			return false;
		b = p[cur];
		if ((b & 0xc0) == 0xc0) {
			if (lim - cur < 2)
				return false;
			t = (size_t)(b & 0x3f) << 8 | p[cur + 1];
			if (t < HDR_LEN || t >= seg || ++hops > HOPS_MAX)
				return false;
			if (after == 0)
				after = cur + 2;
			cur = seg = t;
			lim = len;
			continue;
		}
		if ((b & 0xc0) != 0)
			return false;
		if (b == 0)
			break;
		if (lim - cur - 1 < b)
			return false;
		wire += 1 + (size_t)b;
		if (wire + 1 > WIRE_NAME_MAX)
			return false;
		if (o > 0) {
			if (o + 1 >= DNS_NAME_MAX)
				return false;
			out[o++] = '.';
		}
		for (i = 1; i <= b; i++)
			if (!put_label_byte(out, &o, p[cur + i]))
				return false;
		cur += 1 + (size_t)b;
	}
	out[o] = '\0';
	*pos = after != 0 ? after : cur + 1;
	return true;
}

static bool
dec_rr(const uint8_t *p, size_t len, size_t *pos, struct dns_rr *rr)
{
	size_t at = *pos, rdlen, end;

	if (!dec_name(p, len, &at, len, rr->name))
		return false;
	if (len - at < RR_FIXED)
		return false;
	rr->type = get_be16(p + at);
	rr->rclass = get_be16(p + at + 2);
	rr->ttl = get_be32(p + at + 4);
	rdlen = get_be16(p + at + 8);
	at += RR_FIXED;
	if (len - at < rdlen)
		return false;
	end = at + rdlen;
	switch (rr->type) {
	case DNS_T_A:
		if (rdlen != sizeof(rr->rd.a))
			return false;
		memcpy(rr->rd.a, p + at, rdlen);
		break;
	case DNS_T_AAAA:
		if (rdlen != sizeof(rr->rd.aaaa))
			return false;
		memcpy(rr->rd.aaaa, p + at, rdlen);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		if (!dec_name(p, len, &at, end, rr->rd.target) || at != end)
			return false;
		break;
	case DNS_T_MX:
		if (rdlen < 3)
			return false;
		rr->rd.mx.pref = get_be16(p + at);
		at += 2;
		if (!dec_name(p, len, &at, end, rr->rd.mx.exchange) ||
		    at != end)
			return false;
		break;
	case DNS_T_SOA:
		if (!dec_name(p, len, &at, end, rr->rd.soa.mname) ||
		    !dec_name(p, len, &at, end, rr->rd.soa.rname) ||
		    end - at != 20)
			return false;
		rr->rd.soa.serial = get_be32(p + at);
		rr->rd.soa.refresh = get_be32(p + at + 4);
		rr->rd.soa.retry = get_be32(p + at + 8);
		rr->rd.soa.expire = get_be32(p + at + 12);
		rr->rd.soa.minimum = get_be32(p + at + 16);
		break;
	default:
		if (rdlen > DNS_TXT_MAX ||
		    (rr->type == DNS_T_TXT && !txt_ok(p + at, rdlen)) ||
		    (rr->type == DNS_T_OPT && !opt_ok(p + at, rdlen)))
			return false;
		memcpy(rr->rd.raw.data, p + at, rdlen);
		rr->rd.raw.len = (uint16_t)rdlen;
		break;
	}
	*pos = end;
	return true;
}

static bool
dec_section(
    const uint8_t *p, size_t len, size_t *pos, struct dns_rr *sec, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!dec_rr(p, len, pos, &sec[i]))
			return false;
	return true;
}

static bool
dec_msg(const uint8_t *p, size_t len, struct dns_msg *m)
{
	uint16_t flags;
	size_t pos = HDR_LEN, nq, nan, nns, nar;

	if (len < HDR_LEN)
		return false;
	nq = get_be16(p + 4);
	nan = get_be16(p + 6);
	nns = get_be16(p + 8);
	nar = get_be16(p + 10);
	if (nq > 1 || nan > DNS_SECTION_MAX || nns > DNS_SECTION_MAX ||
	    nar > DNS_SECTION_MAX)
		return false;
	m->id = get_be16(p);
	flags = get_be16(p + 2);
	m->qr = (flags & F_QR) != 0;
	m->opcode = (uint8_t)(flags >> 11 & 0x0f);
	m->aa = (flags & F_AA) != 0;
	m->tc = (flags & F_TC) != 0;
	m->rd = (flags & F_RD) != 0;
	m->ra = (flags & F_RA) != 0;
	m->rcode = (uint8_t)(flags & 0x0f);
	if (nq == 1) {
		if (!dec_name(p, len, &pos, len, m->q[0].name) || len - pos < 4)
			return false;
		m->q[0].qtype = get_be16(p + pos);
		m->q[0].qclass = get_be16(p + pos + 2);
		pos += 4;
	}
	if (!dec_section(p, len, &pos, m->an, nan) ||
	    !dec_section(p, len, &pos, m->ns, nns) ||
	    !dec_section(p, len, &pos, m->ar, nar) || pos != len ||
	    !opt_placed_ok(m->an, nan, false) ||
	    !opt_placed_ok(m->ns, nns, false) ||
	    !opt_placed_ok(m->ar, nar, true))
		return false;
	m->nq = nq;
	m->nan = nan;
	m->nns = nns;
	m->nar = nar;
	return true;
}

bool
dns_msg_decode(const uint8_t *p, size_t len, struct dns_msg *m)
{
	dns_msg_init(m);
	/* The counts are set last, so a refused message has none. */
	return dec_msg(p, len, m);
}

/* --- names of things ----------------------------------------------------- */

const char *
dns_type_name(uint16_t type, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	if (len > 0)
		snprintf(buf, len, "TYPE%u", (unsigned)type);
	return buf;
}

bool
dns_type_parse(const char *s, uint16_t *out)
{
	size_t i, j;
	unsigned long v = 0;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
		const char *n = type_names[i].name;

		for (j = 0;
		     n[j] != '\0' && lc((uint8_t)s[j]) == lc((uint8_t)n[j]);
		     j++)
			;
		if (n[j] == '\0' && s[j] == '\0') {
			*out = type_names[i].type;
			return true;
		}
	}
	/* RFC 3597 §5: "TYPE" and the decimal number. */
	for (j = 0; j < 4; j++)
		if (lc((uint8_t)s[j]) != "type"[j])
			return false;
	s += 4;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!is_digit(*s))
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > UINT16_MAX)
			return false;
	}
	*out = (uint16_t)v;
	return true;
}

const char *
dns_rcode_name(uint8_t rcode)
{
	return rcode_names[rcode];
}

/* --- presentation of RDATA ----------------------------------------------- */

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len)
		b->len = b->cap - 1; /* truncated */
	else
		b->len += (size_t)n;
}

/* A name as in a zone file: with the final dot, the root as ".". */
static void
sb_name(struct sbuf *b, const char *name)
{
	sb_printf(b, "%s.", name[0] == '\0' ? "" : name);
}

/* RFC 3597 §5: "\# <length> <hex>". */
static void
sb_generic(struct sbuf *b, const uint8_t *p, size_t n)
{
	size_t i;

	sb_printf(b, "\\# %zu", n);
	if (n > 0)
		sb_printf(b, " ");
	for (i = 0; i < n; i++)
		sb_printf(b, "%02x", p[i]);
}

/* Quoted <character-string>s (RFC 1035 §5.1). */
static void
sb_txt(struct sbuf *b, const uint8_t *p, size_t n)
{
	size_t off = 0, i;
	uint8_t c;

	while (off < n) {
		if (off > 0)
			sb_printf(b, " ");
		sb_printf(b, "\"");
		for (i = 1; i <= p[off]; i++) {
			c = p[off + i];
			if (c == '"' || c == '\\')
				sb_printf(b, "\\%c", c);
			else if (c >= 0x20 && c < 0x7f)
				sb_printf(b, "%c", c);
			else
				sb_printf(b, "\\%03u", c);
		}
		sb_printf(b, "\"");
		off += 1 + (size_t)p[off];
	}
}

char *
dns_rr_str(const struct dns_rr *rr, char *buf, size_t len)
{
	struct sbuf b;
	char a6[INET6_ADDRSTRLEN];
	size_t n;

	if (len == 0)
		return buf;
	b.p = buf;
	b.cap = len;
	b.len = 0;
	buf[0] = '\0';
	switch (rr->type) {
	case DNS_T_A:
		sb_printf(&b, "%u.%u.%u.%u", rr->rd.a[0], rr->rd.a[1],
		    rr->rd.a[2], rr->rd.a[3]);
		break;
	case DNS_T_AAAA:
		/* RFC 5952 text, as the C library writes it. */
		if (inet_ntop(AF_INET6, rr->rd.aaaa, a6, sizeof(a6)) != NULL)
			sb_printf(&b, "%s", a6);
		break;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		sb_name(&b, rr->rd.target);
		break;
	case DNS_T_MX:
		sb_printf(&b, "%u ", rr->rd.mx.pref);
		sb_name(&b, rr->rd.mx.exchange);
		break;
	case DNS_T_SOA:
		sb_name(&b, rr->rd.soa.mname);
		sb_printf(&b, " ");
		sb_name(&b, rr->rd.soa.rname);
		sb_printf(&b, " %lu %lu %lu %lu %lu",
		    (unsigned long)rr->rd.soa.serial,
		    (unsigned long)rr->rd.soa.refresh,
		    (unsigned long)rr->rd.soa.retry,
		    (unsigned long)rr->rd.soa.expire,
		    (unsigned long)rr->rd.soa.minimum);
		break;
	case DNS_T_TXT:
		n = rr->rd.raw.len;
		if (n <= DNS_TXT_MAX && txt_ok(rr->rd.raw.data, n))
			sb_txt(&b, rr->rd.raw.data, n);
		else
			sb_generic(&b, rr->rd.raw.data,
			    n <= DNS_TXT_MAX ? n : DNS_TXT_MAX);
		break;
	case DNS_T_OPT:
		/* RFC 6891 §6.1.3: the TTL holds EXTENDED-RCODE, VERSION,
		 * DO and Z. */
		sb_printf(&b, "udp=%u ext-rcode=%lu version=%lu do=%d",
		    rr->rclass, (unsigned long)(rr->ttl >> 24),
		    (unsigned long)(rr->ttl >> 16 & 0xff),
		    (rr->ttl & 0x8000) != 0);
		n = rr->rd.raw.len <= DNS_TXT_MAX ? rr->rd.raw.len
		                                  : DNS_TXT_MAX;
		if (n > 0) {
			sb_printf(&b, " ");
			sb_generic(&b, rr->rd.raw.data, n);
		}
		break;
	default:
		sb_generic(&b, rr->rd.raw.data,
		    rr->rd.raw.len <= DNS_TXT_MAX ? rr->rd.raw.len
		                                  : DNS_TXT_MAX);
		break;
	}
	return buf;
}
