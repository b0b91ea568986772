/*
 * fault.c - lookups in an outage schedule.
 *
 * Schedules are short (a handful of windows per host), so a linear scan in
 * declaration order is both the fastest and the easiest to explain: when
 * two windows overlap, the one declared first wins.
 */
#include "fault.h"

#include <math.h>

#include <string.h>

static const struct {
	const char *name;
	enum fault_layer layer;
} kinds[] = {
#define XX(id, name, layer) {name, layer},
    FAULT_KIND_MAP(XX)
#undef XX
};

static const char *const phases[] = {
#define XX(id, name) name,
    SMTP_PHASE_MAP(XX)
#undef XX
};

static const char *const svcs[] = {"host", "smtp", "dns"};

const char *
fault_kind_name(enum fault_kind k)
{
	return (unsigned)k < FAULT_NKINDS ? kinds[k].name : "?";
}

enum fault_layer
fault_kind_layer(enum fault_kind k)
{
	return kinds[k].layer;
}

bool
fault_kind_parse(const char *s, enum fault_kind *out)
{
	int i;

	for (i = 0; i < FAULT_NKINDS; i++)
		if (strcmp(s, kinds[i].name) == 0) {
			*out = (enum fault_kind)i;
			return true;
		}
	return false;
}

const char *
fault_svc_name(enum fault_service s)
{
	return svcs[s];
}

bool
fault_svc_parse(const char *s, enum fault_service *out)
{
	if (strcmp(s, "smtp") == 0)
		*out = FAULT_SVC_SMTP;
	else if (strcmp(s, "dns") == 0)
		*out = FAULT_SVC_DNS;
	else
		return false;
	return true;
}

const char *
smtp_phase_name(enum smtp_phase p)
{
	return (unsigned)p < SMTP_NPHASES ? phases[p] : "?";
}

bool
smtp_phase_parse(const char *s, enum smtp_phase *out)
{
	int i;

	for (i = 0; i < SMTP_NPHASES; i++)
		if (strcmp(s, phases[i]) == 0) {
			*out = (enum smtp_phase)i;
			return true;
		}
	return false;
}

const struct fault *
fault_net(const struct fault_sched *s, enum fault_service svc, uint8_t family,
    sim_time_t t)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct fault *f = &s->v[i];

		if (kinds[f->kind].layer != FAULT_LAYER_NET ||
		    !fault_active(f, t))
			continue;
		if (f->family != 0 && f->family != family)
			continue;
		if (f->svc == FAULT_SVC_ANY || f->svc == svc)
			return f;
	}
	return NULL;
}

const struct fault *
fault_link(const struct fault_sched *s, uint8_t family, sim_time_t t)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct fault *f = &s->v[i];

		if (kinds[f->kind].layer == FAULT_LAYER_LINK &&
		    fault_active(f, t) &&
		    (f->family == 0 || f->family == family))
			return f;
	}
	return NULL;
}

bool
fault_smtp_drawn(const struct fault *f)
{
	return kinds[f->kind].layer == FAULT_LAYER_SMTP && f->probability > 0 &&
	       f->probability < 1;
}

const struct fault *
fault_smtp_among(const struct fault_sched *s, enum smtp_phase at, sim_time_t t,
    const uint8_t *mask)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct fault *f = &s->v[i];

		if (kinds[f->kind].layer != FAULT_LAYER_SMTP || f->at != at ||
		    !fault_active(f, t))
			continue;
		if (mask == NULL || (mask[i / 8] >> (i % 8) & 1))
			return f;
	}
	return NULL;
}

const struct fault *
fault_dns(const struct fault_sched *s, sim_time_t t)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct fault *f = &s->v[i];

		if (kinds[f->kind].layer == FAULT_LAYER_DNS &&
		    f->kind != FAULT_NOTCP && fault_active(f, t))
			return f;
	}
	return NULL;
}

const struct fault *
fault_of_kind(const struct fault_sched *s, enum fault_kind kind, sim_time_t t)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < s->n; i++)
		if (s->v[i].kind == kind && fault_active(&s->v[i], t))
			return &s->v[i];
	return NULL;
}

/* An exponential draw of mean 'mean', in whole milliseconds (windows
 * read "44m25.574s" in the narrative), at least 1 ms. */
static sim_time_t
draw_exp(struct rng *r, sim_time_t mean)
{
	double u = rng_unit(r), d;

	/* rng_unit() is in [0, 1): 1 - u is never 0. */
	d = -log(1.0 - u) * (double)mean / 1e6;
	if (d >= 9.0e12)
		return SIM_NEVER;
	return d < 1 ? SIM_MS(1) : SIM_MS((sim_time_t)d);
}

void
fault_random_windows(struct rng *r, sim_time_t from, sim_time_t end,
    sim_time_t open_to, sim_time_t mtbf, sim_time_t mttr, fault_window_fn *fn,
    void *ctx)
{
	sim_time_t t = from;

	for (;;) {
		sim_time_t up = draw_exp(r, mtbf), down;

		if (up >= end - t)
			return;
		t += up;
		down = draw_exp(r, mttr);
		if (down >= end - t) {
			fn(ctx, t, open_to);
			return;
		}
		fn(ctx, t, t + down);
		t += down;
	}
}
