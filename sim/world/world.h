/*
 * world.h - the plain C description of a scenario, and a run built from it.
 *
 * The scenario script (Lua) produces a 'struct world': hosts, zones,
 * outages, messages and expectations, each item carrying the file and line
 * it was declared at.  Nothing here knows Lua, so tests build worlds in C
 * and other front ends could too.  world_check() validates the whole
 * description (cross references, addresses, kinds) with messages naming
 * file and line; world_run_*() turns a valid world into a running
 * simulation and runs it.
 */
#ifndef MX_WORLD_H
#define MX_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/sim.h"
#include "../dns/recursor.h"
#include "../dns/zone.h"
#include "../fault/fault.h"
#include "../mta/mta.h"
#include "../mta/profile.h"
#include "../net/net.h"
#include "../net/tcp.h"
#include "../smtp/mailbox.h"

struct srcloc {
	const char *file; /* borrowed from 'struct world' */
	int line;         /* 1-based; 0 = unknown */
};

/* Properties of a link as declared; unset ones take the defaults. */
struct world_linkp {
	bool has_latency, has_jitter, has_loss, has_bandwidth; /* given */
	sim_time_t latency; /* one-way propagation delay */
	sim_time_t jitter;  /* extra delay, uniform in [0, jitter] */
	double loss;        /* probability that a frame is lost */
	uint64_t bandwidth; /* bits per second, 0 = unlimited */
};

struct world_row {        /* one zone record as declared */
	struct srcloc at; /* where */
	int index;        /* 1-based position in the zone */
	char *owner;      /* owned */
	char *type;       /* owned */
	char **rdata;     /* owned array of owned strings */
	size_t nrdata;    /* how many */
	bool has_ttl;     /* a TTL was given for this row */
	uint32_t ttl;     /* that TTL */
};

struct world_zone {
	struct srcloc at;       /* declaration */
	char *origin;           /* owned, no final dot */
	uint32_t ttl;           /* default TTL of its records */
	struct world_row *rows; /* owned records */
	size_t nrows;           /* how many */
	char *file;             /* owned master file path, or NULL */
	struct dns_rr *frr;     /* owned: the file's records (world_check) */
	size_t nfrr;            /* how many */
};

struct world_host {
	struct srcloc at; /* declaration */
	char *name;       /* owned label */
	char *hostname;   /* owned FQDN (derived if not given) */
	struct net_addr addr[NET_MAX_ADDRS]; /* addresses */
	size_t naddr;                        /* how many */
	bool dns;                            /* authoritative server role */
	char **serves;                       /* owned zones it serves */
	size_t nserves;                      /* how many */
	bool smtp;                           /* mail exchanger role */
	bool relay;              /* backup MX: forwards what it stores */
	char **mailboxes;        /* owned known recipients (0 = all) */
	size_t nmailboxes;       /* how many */
	size_t size_limit;       /* 0 = default */
	int max_conns;           /* 0 = default */
	bool sender;             /* sending MTA role */
	struct mta_profile prof; /* resolved profile with overrides */
	char **resolvers;        /* owned host labels of nameservers */
	size_t nresolvers;       /* how many */
	struct srcloc sender_at; /* where the sender role was declared */
	struct world_linkp link; /* its access link */
	bool has_tcp;            /* TCP knobs given */
	struct tcp_params tcp;   /* its stack's knobs (Linux defaults) */
	const char *site;        /* borrowed site name, NULL = none */
	bool recursive;          /* recursive resolver role */
	char **roots;            /* owned: root hint hosts (0 = auto) */
	size_t nroots;           /* how many */
	sim_time_t rec_timeout;  /* its per-server timeout, 0 = default */
};

struct world_site {
	struct srcloc at;        /* declaration */
	char *name;              /* owned; its router's name too */
	char **hosts;            /* owned labels of its hosts */
	size_t nhosts;           /* how many */
	struct world_linkp link; /* its uplink to the internet */
	struct net_addr router[NET_MAX_ADDRS]; /* its router's addresses */
	size_t nrouter;                        /* how many were given */
};

/* A change to a zone at a time: records added and removed. */
struct world_change {
	struct srcloc at;      /* declaration */
	sim_time_t t;          /* when */
	char *zone;            /* owned origin of the zone */
	struct world_row *add; /* owned rows to add */
	size_t nadd;           /* how many */
	struct world_row *del; /* owned rows to remove */
	size_t ndel;           /* how many */
};

struct world_outage {
	struct srcloc at; /* declaration */
	char *host;       /* owned label of the host */
	bool on_site;     /* 'host' names a site (its uplink) */
	struct fault f;   /* the window; f.reply_text owned */
	bool random;      /* model "random": windows drawn in [from, to) */
	sim_time_t mtbf;  /* its mean time between failures */
	sim_time_t mttr;  /* its mean time to repair */
};

/* One outage window of a run: a declared outage, or one drawn from a
 * random model. */
struct world_window {
	const struct world_outage *o; /* borrowed declaration */
	struct fault f;               /* the window */
};

struct world_message {
	struct srcloc at; /* declaration */
	sim_time_t t;     /* when it is queued */
	char *from;       /* owned envelope sender */
	char **to;        /* owned recipients */
	size_t nto;       /* how many */
	char *sender;     /* owned label of the sending host */
	size_t size;      /* approximate size in bytes, 0 = small */
	char *subject;    /* owned, or NULL */
};

struct world_expect {
	struct srcloc at;           /* declaration */
	char *to;                   /* owned recipient */
	int msg;                    /* message number, 0 = every one to 'to' */
	bool has_outcome;           /* 'outcome' given */
	enum mta_outcome outcome;   /* expected outcome */
	char *via;                  /* owned, or NULL */
	char *host;                 /* owned, or NULL */
	bool has_before, has_after; /* time bounds given */
	sim_time_t before, after;   /* outcome time < before, >= after */
	char **attempts;            /* owned exact "host:result" list */
	size_t nattempts;           /* how many */
	bool has_attempts;          /* an exact list was given */
	bool has_range;             /* a { min, max } was given */
	int amin, amax;             /* bounds on the number of attempts */
	bool dsn; /* 'to' is a message's sender: about its DSN (derived) */
};

struct world {
	char *file;               /* owned path of the scenario */
	char *name;               /* owned scenario name */
	char *description;        /* owned, or NULL */
	uint64_t seed;            /* default 1 */
	sim_time_t stop_at;       /* horizon */
	sim_time_t latency;       /* one-way latency of the segment */
	int64_t epoch;            /* calendar time of t = 0 */
	struct srcloc at;         /* the scenario declaration */
	struct world_zone *zones; /* owned */
	size_t nzones, capzones;
	struct world_host *hosts; /* owned */
	size_t nhosts, caphosts;
	struct world_outage *outages; /* owned */
	size_t noutages, capoutages;
	struct world_site *sites; /* owned */
	size_t nsites, capsites;
	struct world_change *changes; /* owned */
	size_t nchanges, capchanges;
	struct world_message *msgs; /* owned */
	size_t nmsgs, capmsgs;
	struct world_expect *expects; /* owned */
	size_t nexpects, capexpects;
};

/* Defaults for a scenario that says nothing: seed 1, stop_at 1 day,
 * latency 200 us (host to host: each access link takes half), epoch
 * 2024-01-01. */
void world_init(struct world *w);
void world_free(struct world *w);

/* Appenders returning a zeroed item to fill. */
struct world_zone *world_add_zone(struct world *w);
struct world_host *world_add_host(struct world *w);
struct world_outage *world_add_outage(struct world *w);
struct world_site *world_add_site(struct world *w);
struct world_change *world_add_change(struct world *w);
struct world_message *world_add_message(struct world *w);
struct world_expect *world_add_expect(struct world *w);

const struct world_host *world_host_find(
    const struct world *w, const char *name);
const struct world_site *world_site_find(
    const struct world *w, const char *name);

/* The closest host label to 'name' (edit distance), for "did you mean"
 * hints, or NULL. */
const char *world_host_suggest(const struct world *w, const char *name);

/* Validates cross references and the zones' contents; fills derived
 * fields (host names, defaults).  Errors start with "file:line: ". */
int world_check(struct world *w, struct mx_err *err) MX_NODISCARD;

/* --- a run ---------------------------------------------------------------- */

struct world_run_host {
	const struct world_host *wh; /* borrowed description */
	struct net_host *nh;         /* borrowed from the net */
	struct fault *faults;        /* owned outage schedule */
	size_t nfaults;              /* how many */
	struct dnssrv *dns;          /* owned, or NULL */
	struct smtpsrv *smtp;        /* owned, or NULL */
	struct mailbox mb;           /* what it stored */
	struct mta *mta;             /* owned, or NULL */
	struct recursor *rec;        /* owned recursion engine, or NULL */
	struct zone **served;        /* owned array of borrowed zones */
	size_t nserved;              /* how many */
	char **domains;              /* owned: the domains it is MX for */
	size_t ndomains, capdomains; /* count and capacity */
};

struct world_run {
	const struct world *w;        /* borrowed description */
	struct sim sim;               /* the simulation */
	struct net net;               /* its network */
	struct zone *zones;           /* owned zones */
	size_t nzones;                /* how many */
	struct world_run_host *hosts; /* owned, parallel to w->hosts */
	size_t nhosts;                /* how many */
	struct net_host *internet;    /* borrowed: the core router */
	struct net_link **host_link;  /* owned array: each host's access link */
	struct net_link **site_link;  /* owned array: each site's uplink */
	struct fault **site_faults;   /* owned: each site's outages */
	struct change_ctx *change_ctx; /* owned: one per zone change */
	struct world_window *win;      /* owned: every outage window */
	size_t nwin, capwin;           /* count and capacity */
	bool ran;                      /* world_run_go() has finished */
};

/* Builds the run (nothing happens until world_run_go()).  'seed' replaces
 * the scenario's seed.  Subscribe to sim_trace(&run->sim) and add net taps
 * between init and go. */
int world_run_init(struct world_run *run, const struct world *w, uint64_t seed,
    struct mx_err *err) MX_NODISCARD;
/* Runs until the scenario's stop_at. */
void world_run_go(struct world_run *run);
void world_run_fini(struct world_run *run);

/* Steps the run by at most one event, for tests interleaving two runs;
 * returns false when nothing is left before stop_at. */
bool world_run_step(struct world_run *run);

/* True when the scenario gives message 'msg' to host 'h' (an index in
 * run->hosts) to send: not a copy a backup MX forwards, nor a DSN. */
bool world_run_sent_by(const struct world_run *run, size_t h, uint64_t msg);

/* The label of the host whose mailbox finally holds message 'msg' for
 * 'rcpt' (the last one to store it), or NULL. */
const char *world_run_final_host(const struct world_run *run, uint64_t msg,
    const char *rcpt, sim_time_t *when);

#endif
