/*
 * zonefile.c - RFC 1035 §5 master files into a struct zone, parsed by
 * ldns.
 *
 * We do not parse master files ourselves: ldns_rr_new_frm_fp() reads one
 * entry at a time (a record, possibly spread over lines by parentheses,
 * or a $ORIGIN / $TTL directive) and keeps the current origin, the default
 * TTL and the previous owner (for records whose owner is left blank)
 * between calls.  This file only turns each ldns_rr into a 'struct
 * dns_rr' and checks what a zone here may hold:
 *  - class IN (RFC 1035 §3.2.4); the types SOA, NS, A, AAAA, MX, CNAME,
 *    TXT and PTR, each with the RDATA fields ldns must have produced;
 *  - an owner at or below the zone origin, at most one SOA, at the apex;
 *  - names in presentation form without the final dot, the root as "",
 *    written from the wire labels the way dns_msg_decode() writes them
 *    (letters, digits, '-' and '_' as they are, "\." for a dot, \DDD for
 *    any other byte), so a loaded name equals a decoded one byte for byte;
 *  - an MX exchange stays a name even when it reads like an address
 *    ("192.0.2.10." is four labels), and "MX 0 ." is the null MX of
 *    RFC 7505 (exchange "");
 *  - TXT keeps its raw RDATA, the length-prefixed <character-string>s
 *    of RFC 1035 §3.3.14, at most DNS_TXT_MAX bytes.
 * zone_finish() runs at the end: it supplies a SOA if the file had none
 * and checks the CNAME rule of RFC 1034 §3.6.2.
 *
 * Line numbers.  ldns counts the lines it consumed, which after a record
 * is its last line plus any blank lines after it, and before it any
 * comment lines; and it loses a newline that follows an unmatched ')'.
 * So the file is read into memory and parsed from an fmemopen() stream:
 * ftell() before and after each call gives the bytes ldns took, and the
 * record's line is that of the first of them that is neither blank nor
 * comment, counted by us.  That is the first line of a record spread over
 * several, the line a reader looks for.
 *
 * Messages read "<shown_name>:<line>: <what>", what ldns found wrong
 * being said in words (from ldns_get_errorstr_by_id() when no better
 * words are known) with the start of the offending line quoted.
 */
#include "zonefile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#define FILE_MAX  ((size_t)16 << 20) /* bytes read from one master file */
#define QUOTE_MAX 60                 /* characters of a line quoted */

/* One master file being loaded. */
struct load {
	struct zone *z;          /* borrowed: the zone being filled */
	const char *shown;       /* borrowed: the file's name in messages */
	char *buf;               /* owned: the whole file */
	size_t len;              /* bytes in 'buf' */
	size_t counted;          /* newlines are counted in buf[0, counted) */
	size_t line;             /* the line holding buf[counted], from 1 */
	size_t soa_line;         /* line of the SOA read, 0 before */
	size_t *lines;           /* owned: the line of each record added */
	size_t nlines, caplines; /* count and capacity */
	size_t base;             /* records in the zone before the file's */
	struct mx_err *err;      /* borrowed: where failures go */
};

/* ldns statuses a master file can produce, in words. */
static const struct {
	ldns_status status; /* the ldns code */
	const char *text;   /* what it means here */
} status_texts[] = {
    {LDNS_STATUS_SYNTAX_ERR, "cannot parse the record"},
    {LDNS_STATUS_SYNTAX_RDATA_ERR, "cannot parse the record data"},
    {LDNS_STATUS_SYNTAX_TYPE_ERR, "unknown record type"},
    {LDNS_STATUS_SYNTAX_CLASS_ERR, "unknown class"},
    {LDNS_STATUS_SYNTAX_TTL_ERR, "bad TTL"},
    {LDNS_STATUS_SYNTAX_DNAME_ERR, "bad domain name"},
    {LDNS_STATUS_SYNTAX_MISSING_VALUE_ERR, "record data missing"},
    {LDNS_STATUS_SYNTAX_SUPERFLUOUS_TEXT_ERR,
        "unexpected text after the record data"},
    {LDNS_STATUS_SYNTAX_INTEGER_OVERFLOW, "number too large"},
    {LDNS_STATUS_SYNTAX_BAD_ESCAPE, "bad escape sequence"},
    {LDNS_STATUS_SYNTAX_INCLUDE, "$INCLUDE is not supported"},
    {LDNS_STATUS_INVALID_INT, "number expected"},
    {LDNS_STATUS_INVALID_IP4, "bad IPv4 address"},
    {LDNS_STATUS_INVALID_IP6, "bad IPv6 address"},
    {LDNS_STATUS_INVALID_STR, "bad character string"},
    {LDNS_STATUS_EMPTY_LABEL, "empty label in a name"},
    {LDNS_STATUS_LABEL_OVERFLOW, "label longer than 63 bytes"},
    {LDNS_STATUS_DOMAINNAME_OVERFLOW, "name longer than 255 bytes"},
    {LDNS_STATUS_DDD_OVERFLOW, "\\DDD escape above 255"},
};

/* The words for 'st': ours, else ldns's own text without its "Syntax
 * error, " or "Conversion error, " and with a small first letter. */
static void
status_words(ldns_status st, char *out, size_t cap)
{
	static const char *const prefixes[] = {
	    "Syntax error, ", "Conversion error, "};
	const char *t;
	size_t i, n;

	for (i = 0; i < sizeof(status_texts) / sizeof(status_texts[0]); i++)
		if (status_texts[i].status == st) {
			snprintf(out, cap, "%s", status_texts[i].text);
			return;
		}
	t = ldns_get_errorstr_by_id(st);
	if (t == NULL) {
		snprintf(out, cap, "ldns error %d", (int)st);
		return;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(t, prefixes[i], n) == 0) {
			t += n;
			break;
		}
	}
	snprintf(out, cap, "%s", t);
	if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)(out[0] - 'A' + 'a');
}

static int fail(struct load *ld, size_t line, const char *fmt, ...)
    MX_PRINTF(3, 4);

/* Sets the error "<shown>:<line>: <what>" and returns its code. */
static int
fail(struct load *ld, size_t line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mx_err_set(
	    ld->err, MX_ESCRIPT, "%s:%zu: %s", ld->shown, line, msg);
}

/* The line holding buf[pos]; 'pos' never goes back between calls. */
static size_t
line_at(struct load *ld, size_t pos)
{
	for (; ld->counted < pos && ld->counted < ld->len; ld->counted++)
		if (ld->buf[ld->counted] == '\n')
			ld->line++;
	return ld->line;
}

/* The first byte in [from, to) that is neither white space nor part of a
 * comment: where ldns found the entry it read.  'to' when there is none. */
static size_t
entry_start(const struct load *ld, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		char c = ld->buf[i];

		if (c == ';') {
			while (i < to && ld->buf[i] != '\n')
				i++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		           c == '\f' || c == '\v' || c == '\0') {
			i++;
		} else
			break;
	}
	return i;
}

/* The line starting at 'pos' for a message: runs of blanks as one space,
 * other unprintable bytes as '?', at most QUOTE_MAX characters and "...";
 * 'cap' is at least QUOTE_MAX + 4. */
static void
quote_line(const struct load *ld, size_t pos, char *out, size_t cap)
{
	size_t n = 0, i;

	for (i = pos; i < ld->len && ld->buf[i] != '\n' && n + 4 <= cap; i++) {
		unsigned char c = (unsigned char)ld->buf[i];

		if (c == ' ' || c == '\t' || c == '\r') {
			if (n > 0 && out[n - 1] == ' ')
				continue;
			c = ' ';
		}
		if (n == QUOTE_MAX) {
			memcpy(out + n, "...", 3);
			n += 3;
			break;
		}
		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Appends label byte 'c' to 'out' the way dns_msg_decode() does. */
static bool
put_label_byte(char *out, size_t *o, uint8_t c)
{
	bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	             (c >= '0' && c <= '9') || c == '-' || c == '_';

	if (*o + (plain ? 1 : c == '.' ? 2 : 4) >= DNS_NAME_MAX)
		return false;
	if (plain)
		out[(*o)++] = (char)c;
	else if (c == '.') {
		out[(*o)++] = '\\';
		out[(*o)++] = '.';
	} else {
		out[(*o)++] = '\\';
		out[(*o)++] = (char)('0' + c / 100);
		out[(*o)++] = (char)('0' + c / 10 % 10);
		out[(*o)++] = (char)('0' + c % 10);
	}
	return true;
}

/* The name in 'f' (wire labels) in presentation form, into 'out'
 * (DNS_NAME_MAX bytes); false when 'f' is no name or it does not fit. */
static bool
rdf_name(const ldns_rdf *f, char *out)
{
	const uint8_t *w;
	size_t n, i = 0, o = 0, k, lab;

	if (f == NULL || ldns_rdf_get_type(f) != LDNS_RDF_TYPE_DNAME)
		return false;
	w = ldns_rdf_data(f);
	n = ldns_rdf_size(f);
	while (i < n && w[i] != 0) {
		lab = w[i];
		if (lab > 63 || lab > n - i - 1)
			return false;
		if (o > 0) {
			if (o + 1 >= DNS_NAME_MAX)
				return false;
			out[o++] = '.';
		}
		for (k = 1; k <= lab; k++)
			if (!put_label_byte(out, &o, w[i + k]))
				return false;
		i += 1 + lab;
	}
	out[o] = '\0';
	return dns_name_valid(out);
}

/* A 16- or 32-bit field. */
static bool
rdf_int(const ldns_rdf *f, size_t size, uint32_t *v)
{
	if (f == NULL || ldns_rdf_size(f) != size)
		return false;
	*v = size == 2 ? ldns_rdf2native_int16(f) : ldns_rdf2native_int32(f);
	return true;
}

/* Fills 'rr' (zeroed) with the RDATA of 'lr', whose type it has; false
 * when a field is not what the type needs, with '*what' saying why when
 * the cause is ours (a name or TXT data too long) rather than ldns's. */
static bool
convert_rdata(const ldns_rr *lr, struct dns_rr *rr, const char **what)
{
	size_t nf = ldns_rr_rd_count(lr), i, off;
	const ldns_rdf *f0 = nf > 0 ? ldns_rr_rdf(lr, 0) : NULL;
	struct dns_soa *soa = &rr->rd.soa;
	uint32_t v, *nums[5] = {&soa->serial, &soa->refresh, &soa->retry,
	                &soa->expire, &soa->minimum};

	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA: {
		size_t n = rr->type == DNS_T_A ? 4 : 16;

		if (nf != 1 || ldns_rdf_size(f0) != n)
			return false;
		memcpy(rr->type == DNS_T_A ? rr->rd.a : rr->rd.aaaa,
		    ldns_rdf_data(f0), n);
		return true;
	}
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		if (nf != 1)
			return false;
		*what = "bad or too long target name";
		return rdf_name(f0, rr->rd.target);
	case DNS_T_MX:
		if (nf != 2 || !rdf_int(f0, 2, &v))
			return false;
		rr->rd.mx.pref = (uint16_t)v;
		*what = "bad or too long MX exchange name";
		return rdf_name(ldns_rr_rdf(lr, 1), rr->rd.mx.exchange);
	case DNS_T_SOA:
		if (nf != 7)
			return false;
		*what = "bad or too long SOA name";
		if (!rdf_name(f0, soa->mname) ||
		    !rdf_name(ldns_rr_rdf(lr, 1), soa->rname))
			return false;
		*what = NULL;
		for (i = 0; i < 5; i++)
			if (!rdf_int(ldns_rr_rdf(lr, 2 + i), 4, nums[i]))
				return false;
		return true;
	case DNS_T_TXT:
		/* Each field is one <character-string>, its length first. */
		off = 0;
		for (i = 0; i < nf; i++) {
			const ldns_rdf *f = ldns_rr_rdf(lr, i);
			size_t n = ldns_rdf_size(f);

			if (ldns_rdf_get_type(f) != LDNS_RDF_TYPE_STR ||
			    n == 0 || ldns_rdf_data(f)[0] != n - 1)
				return false;
			if (n > DNS_TXT_MAX - off) {
				*what = "TXT data longer than 512 bytes";
				return false;
			}
			memcpy(rr->rd.raw.data + off, ldns_rdf_data(f), n);
			off += n;
		}
		rr->rd.raw.len = (uint16_t)off;
		return nf > 0;
	}
	return false;
}

/* Adds the record 'lr' read at 'line'. */
static int
add_record(struct load *ld, size_t line, const ldns_rr *lr)
{
	struct zone *z = ld->z;
	struct dns_rr rr;
	const char *what = NULL;
	char *s;
	int rc;

	memset(&rr, 0, sizeof(rr));
	if (ldns_rr_get_class(lr) != LDNS_RR_CLASS_IN) {
		s = ldns_rr_class2str(ldns_rr_get_class(lr));
		rc = fail(ld, line, "class %s is not supported (only IN)",
		    s != NULL ? s : "?");
		free(s);
		return rc;
	}
	switch (ldns_rr_get_type(lr)) {
	case LDNS_RR_TYPE_SOA:
	case LDNS_RR_TYPE_NS:
	case LDNS_RR_TYPE_A:
	case LDNS_RR_TYPE_AAAA:
	case LDNS_RR_TYPE_MX:
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_TXT:
	case LDNS_RR_TYPE_PTR:
		break;
	default:
		s = ldns_rr_type2str(ldns_rr_get_type(lr));
		rc = fail(ld, line, "unsupported record type %s",
		    s != NULL ? s : "?");
		free(s);
		return rc;
	}
	if (!rdf_name(ldns_rr_owner(lr), rr.name))
		return fail(ld, line, "bad or too long owner name");
	if (!dns_name_under(rr.name, z->origin))
		return fail(ld, line, "owner '%s' is outside the zone '%s'",
		    rr.name, z->origin);
	rr.type = (uint16_t)ldns_rr_get_type(lr);
	rr.rclass = DNS_CLASS_IN;
	rr.ttl = ldns_rr_ttl(lr);
	if (!convert_rdata(lr, &rr, &what)) {
		char tb[DNS_TYPE_STRLEN];

		if (what != NULL)
			return fail(ld, line, "%s", what);
		return fail(ld, line, "malformed %s data",
		    dns_type_name(rr.type, tb, sizeof(tb)));
	}
	if (rr.type == DNS_T_SOA) {
		if (!dns_name_eq(rr.name, z->origin))
			return fail(ld, line,
			    "SOA must be at the zone apex '%s'", z->origin);
		if (ld->soa_line != 0)
			return fail(ld, line,
			    "second SOA record (the first is on line %zu)",
			    ld->soa_line);
		if (z->soa != NULL)
			return fail(
			    ld, line, "zone '%s' already has a SOA", z->origin);
		ld->soa_line = line;
	}
	zone_add_rr(z, &rr);
	{
		void *v = ld->lines;

		mx_grow(&v, &ld->caplines, ld->nlines + 1, sizeof(*ld->lines));
		ld->lines = v;
		ld->lines[ld->nlines++] = line;
	}
	return 0;
}

struct owner_key {
	uint64_t hash;
	size_t idx;
};

static int
owner_key_cmp(const void *a, const void *b)
{
	const struct owner_key *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* RFC 1034 §3.6.2 (which zone_finish() checks too) with the lines of
 * both records: a name with a CNAME owns no other data.  Records are
 * sorted by the hash of their owner, so a CNAME is compared only with
 * the records whose owner may be its own (a big zone would otherwise
 * cost CNAMEs x records comparisons); within a hash the order is the
 * file's, so the pair named is the one a plain scan would name. */
static int
check_cnames(struct load *ld)
{
	const struct dns_rr *rr;
	struct owner_key *key;
	size_t *pos, i, j, n = ld->nlines;
	int rc = 0;

	if (n == 0)
		return 0; /* and z->rr may be NULL */
	rr = ld->z->rr + ld->base;
	key = calloc(n, sizeof(*key));
	pos = calloc(n, sizeof(*pos));
	if (key == NULL || pos == NULL) {
		free(key);
		free(pos);
		return mx_err_set(
		    ld->err, MX_ENOMEM, "%s: out of memory", ld->shown);
	}
	for (i = 0; i < n; i++)
		key[i] = (struct owner_key){zone_name_hash(rr[i].name), i};
	qsort(key, n, sizeof(*key), owner_key_cmp);
	for (i = 0; i < n; i++)
		pos[key[i].idx] = i;
	for (i = 0; i < n && rc == 0; i++) {
		size_t first;

		if (rr[i].type != DNS_T_CNAME)
			continue;
		for (first = pos[i];
		     first > 0 && key[first - 1].hash == key[pos[i]].hash;
		     first--)
			;
		for (j = first; j < n && key[j].hash == key[pos[i]].hash; j++) {
			size_t k = key[j].idx;

			if (k == i || !dns_name_eq(rr[k].name, rr[i].name))
				continue;
			rc = fail(ld, ld->lines[k > i ? k : i],
			    "'%s' has a CNAME and other data (line %zu; RFC "
			    "1034 §3.6.2 forbids it)",
			    rr[i].name, ld->lines[k > i ? i : k]);
			break;
		}
	}
	free(key);
	free(pos);
	return rc;
}

/* Parses ld->buf entry by entry. */
static int
load_entries(struct load *ld, uint32_t default_ttl)
{
	char otext[DNS_NAME_MAX + 1];
	ldns_rdf *origin, *prev;
	uint32_t ttl = default_ttl;
	FILE *m;
	int rc = 0;

	snprintf(otext, sizeof(otext), "%s.", ld->z->origin);
	origin = ldns_dname_new_frm_str(otext[1] == '\0' ? "." : otext);
	if (origin == NULL)
		return mx_err_set(ld->err, MX_EINVAL,
		    "%s: bad zone origin '%s'", ld->shown, ld->z->origin);
	prev = ldns_rdf_clone(origin);
	m = fmemopen(ld->buf, ld->len, "r");
	if (m == NULL) {
		rc = mx_err_set(ld->err, MX_EIO, "%s: cannot read: %s",
		    ld->shown, strerror(errno));
		goto out;
	}
	while (rc == 0 && !feof(m)) {
		ldns_rr *lr = NULL;
		long p0 = ftell(m), p1;
		ldns_status st;
		size_t start, line;
		char words[200], text[QUOTE_MAX + 4];

		st = ldns_rr_new_frm_fp(&lr, m, &ttl, &origin, &prev);
		p1 = ftell(m);
		if (p0 < 0 || p1 < p0) {
			ldns_rr_free(lr);
			rc = mx_err_set(ld->err, MX_EIO, "%s: cannot read: %s",
			    ld->shown, strerror(errno));
			break;
		}
		start = entry_start(ld, (size_t)p0, (size_t)p1);
		line = line_at(ld, start);
		switch (st) {
		case LDNS_STATUS_OK:
			rc = add_record(ld, line, lr);
			ldns_rr_free(lr);
			break;
		case LDNS_STATUS_SYNTAX_EMPTY:
		case LDNS_STATUS_SYNTAX_TTL:
		case LDNS_STATUS_SYNTAX_ORIGIN:
			break;
		default:
			status_words(st, words, sizeof(words));
			quote_line(ld, start, text, sizeof(text));
			rc = fail(ld, line, "%s in '%s'", words, text);
			break;
		}
		if (rc == 0 && p1 == p0 && !feof(m))
			rc = fail(ld, line, "ldns read nothing here");
	}
	fclose(m);
out:
	if (origin != NULL)
		ldns_rdf_deep_free(origin);
	if (prev != NULL)
		ldns_rdf_deep_free(prev);
	return rc;
}

int
zone_load_fp(struct zone *z, FILE *fp, const char *shown_name,
    uint32_t default_ttl, struct mx_err *err)
{
	struct load ld;
	struct mx_err fe;
	size_t cap = 0, n;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.z = z;
	ld.shown = shown_name;
	ld.line = 1;
	ld.base = z->nrr;
	ld.err = err;
	for (;;) {
		if (ld.len == cap) {
			if (cap == FILE_MAX && fgetc(fp) != EOF) {
				free(ld.buf);
				return mx_err_set(err, MX_ELIMIT,
				    "%s: the zone file is larger than 16 MiB",
				    shown_name);
			}
			if (cap == FILE_MAX)
				break;
			cap = cap ? cap * 2 : 8192;
			if (cap > FILE_MAX)
				cap = FILE_MAX;
			ld.buf = mx_xrealloc(ld.buf, cap);
		}
		n = fread(ld.buf + ld.len, 1, cap - ld.len, fp);
		ld.len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		free(ld.buf);
		return mx_err_set(
		    err, MX_EIO, "%s: cannot read the zone file", shown_name);
	}
	rc = ld.len > 0 ? load_entries(&ld, default_ttl) : 0;
	if (rc == 0)
		rc = check_cnames(&ld);
	free(ld.buf);
	free(ld.lines);
	if (rc != 0)
		return rc;
	mx_err_clear(&fe);
	rc = zone_finish(z, &fe);
	if (rc != 0)
		return mx_err_set(err, rc, "%s: %.400s", shown_name, fe.msg);
	return 0;
}

int
zone_load_file(struct zone *z, const char *path, const char *shown_name,
    uint32_t default_ttl, struct mx_err *err)
{
	FILE *fp = fopen(path, "rb");
	int rc;

	if (fp == NULL)
		return mx_err_set(err, MX_EIO,
		    "%s: cannot open the zone file: %s", shown_name,
		    strerror(errno));
	rc = zone_load_fp(z, fp, shown_name, default_ttl, err);
	fclose(fp);
	return rc;
}
