/*
 * harness.h - running a scenario file inside a test and reading back what
 * happened: the trace records (kept in memory), the recipients' results
 * and the expectations' verdict.
 */
#ifndef MX_HARNESS_H
#define MX_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/simtime.h"
#include "mta/mta.h"
#include "report/report.h"
#include "world/world.h"

struct hrec {
	sim_time_t t; /* when */
	char *actor;  /* owned host label */
	char *type;   /* owned event type */
	char *text;   /* owned narrative text */
	char *fields; /* owned "k=v;k=v;" of the record's fields */
};

struct hrun {
	struct world w;            /* the scenario */
	struct world_run run;      /* the finished run */
	struct hrec *rec;          /* owned trace records */
	size_t nrec, caprec;       /* count and capacity */
	size_t nfail;              /* failed expectations */
	struct expect_result *res; /* owned expectation results */
};

/* Loads $MX_SOURCE_DIR/<rel> and runs it with 'seed' (0 = the scenario's
 * own).  Fails the test on a load error. */
struct hrun *h_run(const char *rel, uint64_t seed);
/* Writes 'text' to $MX_BINARY_DIR/tests/scenario-text/<name>.lua and
 * runs it like h_run(): scenarios a test generates.  'name' is a file
 * name (no '/'), unique among the tests that may run at once. */
struct hrun *h_run_text(const char *name, const char *text, uint64_t seed);
void h_free(struct hrun *h);

/* The n-th (from 0) record of 'type' by 'actor' (NULL = any), or NULL. */
const struct hrec *h_find(
    const struct hrun *h, const char *type, const char *actor, size_t n);
size_t h_count(const struct hrun *h, const char *type, const char *actor);

/* The value of field 'key' in a record ("" when absent); static buffer
 * owned by the record, valid until h_free. */
const char *h_field(
    const struct hrec *r, const char *key, char *buf, size_t len);

/* The result for 'rcpt' of message 'msg' (0 = the first one found). */
int h_result(const struct hrun *h, const char *rcpt, uint64_t msg,
    struct mta_rcpt_result *out);

/* "mx1:timeout,mx2:delivered" for that recipient. */
const char *h_attempts(const struct hrun *h, const char *rcpt, uint64_t msg,
    char *buf, size_t len);

#endif
