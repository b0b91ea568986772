/*
 * dnsrec.h - the DNS workloads of mxbench (zoneload, dnsrec), and the few
 * helpers of bench.c they share with the other workloads.
 */
#ifndef MX_BENCH_DNSREC_H
#define MX_BENCH_DNSREC_H

#include <stdbool.h>
#include <stdint.h>

#define EXIT_USAGE 2

/* bench.c: the wall clock (seconds, monotonic), the peak resident set
 * (kB), a count option in [1, max], the "Try --help" line, and running a
 * job in a child process of its own. */
double wall_now(void);
long maxrss_kb(void);
int parse_count(const char *prog, const char *name, const char *s, uint64_t max,
    uint64_t *out);
int try_help(const char *cmd);
int run_isolated(int (*fn)(const void *arg), const void *arg);

/* The subcommands; argv[0] is "mxbench <name>". */
int cmd_zoneload(int argc, char *argv[]);
int cmd_dnsrec(int argc, char *argv[]);
/* sweep.c: the seeded sweep workload. */
int cmd_sweep(int argc, char *argv[]);

/* The runs of 'all': zoneload and dnsrec at their contract sizes, each in
 * a process of its own; files go to 'out'.  Returns 0 or 1. */
int dnsrec_all(const char *out, bool keep);

#endif
