/*
 * sweep.h - seeded sweeps: one scenario under many seeds (and a grid of
 * variants), in worker processes, sliced into shards for batch systems,
 * summarised as delivery probabilities and latency percentiles.
 *
 *   mxsim sweep FILE --runs N [options]     docs/sweep.md
 *   mxsim merge SHARD... [options]
 *
 * The engine is here (not in a library) because it forks and reads the
 * wall clock for its progress bar, which the simulator layers never do.
 */
#ifndef MX_SWEEP_H
#define MX_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

/* The subcommands; argv[0] is the command word.  Return the exit status:
 * 0 done, 2 bad input or an output that could not be written. */
int sweep_main(int argc, char **argv);
int merge_main(int argc, char **argv);

/* For the benchmark: runs 'runs' seeds of 'file' (from its own seed) in
 * 'jobs' worker processes with nothing printed, and returns 0 with the
 * number of recipients' outcomes collected, the number delivered and the
 * largest peak resident set of a worker (kB), or -1 (message printed). */
int sweep_bench(const char *file, uint64_t runs, int jobs, uint64_t *outcomes,
    uint64_t *delivered, long *worker_rss_kb);

#endif
