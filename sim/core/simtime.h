/*
 * simtime.h - simulated time: signed 64-bit nanoseconds since the start of
 * the run (about +-292 years), never floating point.
 */
#ifndef MX_SIMTIME_H
#define MX_SIMTIME_H

#include <stdint.h>

typedef int64_t sim_time_t;

#define SIM_NS(x)  ((sim_time_t)(x))
#define SIM_US(x)  ((sim_time_t)(x)*1000)
#define SIM_MS(x)  ((sim_time_t)(x)*1000000)
#define SIM_S(x)   ((sim_time_t)(x)*1000000000)
#define SIM_MIN(x) (SIM_S(x) * 60)
#define SIM_H(x)   (SIM_S(x) * 3600)
#define SIM_DAY(x) (SIM_S(x) * 86400)

#define SIM_NEVER INT64_MAX

#endif
