/*
 * fuzz_zonefile.c - libFuzzer target for master files
 * (sim/dns/zonefile.c, through ldns).
 *
 * Any bytes are read as a master file for the zone example.test.  A file
 * that loads must give a zone whose every record our encoder writes and
 * our decoder reads back (zone data is always sendable); a file that
 * does not load must say where, "fuzz.zone:" first.  Otherwise abort().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/zonefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record of 'z' as the answer of a response, encoded and decoded
 * in 'm'. */
static void
check_records(const struct zone *z, struct dns_msg *m)
{
	uint8_t wire[2048];
	size_t i, n;

	for (i = 0; i < z->nrr; i++) {
		dns_msg_init(m);
		m->qr = m->aa = true;
		m->an[0] = z->rr[i];
		m->nan = 1;
		n = dns_msg_encode(m, wire, sizeof(wire));
		if (n == 0 || !dns_msg_decode(wire, n, m) || m->nan != 1 ||
		    m->an[0].type != z->rr[i].type) {
			fprintf(stderr,
			    "fuzz_zonefile: record %zu of %s does "
			    "not round-trip\n",
			    i, z->rr[i].name);
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Reused by every input, as a 150 KB allocation per input slows the
	 * run down; never freed, so never a leak. */
	static struct dns_msg *m;
	struct zone z;
	struct mx_err err;
	FILE *fp;

	if (m == NULL)
		m = malloc(sizeof(*m));
	fp = fmemopen((void *)data, size, "r");
	if (m == NULL || fp == NULL) {
		if (fp != NULL)
			fclose(fp);
		return 0;
	}
	zone_init(&z, "example.test", 3600);
	mx_err_clear(&err);
	if (zone_load_fp(&z, fp, "fuzz.zone", 3600, &err) == 0)
		check_records(&z, m);
	else if (strncmp(err.msg, "fuzz.zone:", 10) != 0) {
		fprintf(stderr, "fuzz_zonefile: message without the file: %s\n",
		    err.msg);
		abort();
	}
	fclose(fp);
	zone_fini(&z);
	return 0;
}
