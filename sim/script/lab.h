/*
 * lab.h - a classroom lab's data file (labs/NN-name/lab.lua) in the
 * sandbox: the per-student params, the questions, the key and the marking
 * (labs/README.md).  The Lua side is lua/lab.lua; this is its C face, so
 * sim/cli/lab.c never touches a lua_State.
 */
#ifndef MX_LAB_H
#define MX_LAB_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "sandbox.h"

struct mxl_lab {
	struct mxl_sandbox sb; /* owns the Lua state */
	int mod;               /* registry ref: lua/lab.lua's table */
	int lab;               /* registry ref: the lab { ... } table */
	char *title;           /* owned: the lab's title */
	char *scenario;        /* owned: its scenario file, in the lab folder */
	char **names;          /* owned: drawn params, declaration order */
	char **values;         /* owned: their values, as -D texts */
	size_t nparams;        /* how many */
	char **runs;           /* owned: the lab's extra runs, by name */
	char **rundefs;        /* owned: each one's -D texts, '\n' between */
	size_t nruns;          /* how many */
	char **sweep;          /* owned: 'mxsim sweep' options, or none */
	size_t nsweep;         /* how many words */
};

/* Reads 'path' (a lab.lua), checks it and draws the params from 'seed'
 * (sim/cli/lab.c: the hash of lab and student).  On error the lab is
 * closed and 'err' says why, naming the file. */
int mxl_lab_open(struct mxl_lab *lab, const char *path, uint64_t seed,
    struct mx_err *err) MX_NODISCARD;
void mxl_lab_close(struct mxl_lab *lab);

/* The scenario's text with the drawn values as its params' defaults,
 * after 'header' (comments); '*out' is owned by the caller. */
int mxl_lab_bake(struct mxl_lab *lab, const char *text, const char *header,
    char **out, struct mx_err *err) MX_NODISCARD;

/* Evaluates every question over the run's JSON Lines trace ('jsonl',
 * docs/trace.md, then one "pkt" line per captured frame; each extra run's
 * lines follow a {"run":"NAME"} line; a {"type":"sweep.csv","text":...}
 * line anywhere carries the lab's sweep, docs/sweep.md's CSV); '*key' (owned by
 * the caller) is the key's text, one "N: answer" line per question, "# capture
 * ..." lines before capture questions.  The key stays in the lab for
 * mxl_lab_mark(). */
int mxl_lab_key(struct mxl_lab *lab, const char *jsonl, size_t len,
    const char *header, char **key, struct mx_err *err) MX_NODISCARD;

/* Marks a student's answers against the key: '*report' (owned by the
 * caller) says right or wrong with a hint per question, '*wrong' counts
 * the wrong ones.  Malformed answers: MX_EINVAL. */
int mxl_lab_mark(struct mxl_lab *lab, const char *answers, size_t len,
    char **report, size_t *wrong, struct mx_err *err) MX_NODISCARD;

#endif
