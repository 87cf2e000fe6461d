/* Token-bucket pacing arithmetic (contract in pace.h). All products go through 128 bits:
 * a rate parsed from "16E/s" times a tick count, or elapsed ns times hz, overflows 64. */
#include "pace.h"
#include "units.h"

typedef unsigned __int128 u128;

static uint64_t sat64(u128 v)
{
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Ramps longer than this many ticks (24 days at 1000 Hz) are cut to it: rate * k^2 must stay
 * below 2^128. */
#define RAMP_MAX_TICKS (UINT64_C(1) << 31)

/* Bytes granted by ticks 0..k-1 together (the formulas in pace.h). Can exceed 64 bits. */
static u128 cumulative(const struct pace *p, uint64_t k)
{
	u128 ramp_part, rest;

	if (p->ramp == 0)
		return (u128)p->rate * k / p->hz;
	if (k <= p->ramp)
		return (u128)p->rate * k * k / ((u128)2 * p->ramp * p->hz);
	ramp_part = (u128)p->rate * p->ramp / ((u128)2 * p->hz);
	rest = (u128)p->rate * (k - p->ramp) / p->hz;
	return rest > ~(u128)0 - ramp_part ? ~(u128)0 : ramp_part + rest;
}

void pace_init(struct pace *p, uint64_t rate, uint64_t hz, uint64_t t0_ns)
{
	p->rate = rate;
	p->hz = hz ? hz : 1;
	p->ramp = 0;
	p->t0 = t0_ns;
	p->tick = 0;
	p->debt = 0;
	p->shortfall = 0;
	p->credit = rate ? pace_tick_grant(p, 0) : 0;
}

void pace_set_ramp(struct pace *p, uint64_t ramp_ns)
{
	u128 ticks = ((u128)ramp_ns * p->hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;

	p->ramp = ticks > RAMP_MAX_TICKS ? RAMP_MAX_TICKS : (uint64_t)ticks;
	p->credit = p->rate ? pace_tick_grant(p, 0) : 0;
}

uint64_t pace_tick_grant(const struct pace *p, uint64_t k)
{
	/* At most ceil(rate / hz) (the ramp only ever grants less), so it fits in 64 bits; at
	 * the saturated end of time it is 0. */
	return sat64(cumulative(p, k + 1) - cumulative(p, k));
}

uint64_t pace_granted(const struct pace *p, uint64_t k)
{
	return sat64(cumulative(p, k));
}

uint64_t pace_tick_at(const struct pace *p, uint64_t now_ns)
{
	if (now_ns <= p->t0)
		return 0;
	return sat64((u128)(now_ns - p->t0) * p->hz / NSEC_PER_SEC);
}

uint64_t pace_grant(struct pace *p, uint64_t now_ns)
{
	uint64_t k, grant;

	if (p->rate == 0)
		return PACE_UNLIMITED;
	k = pace_tick_at(p, now_ns);
	if (k <= p->tick)
		return p->credit;
	/* The old tick's leftover and every tick skipped in between are lost, not carried. */
	p->shortfall = add_sat(p->shortfall, p->credit);
	p->shortfall = add_sat(p->shortfall, sat64(cumulative(p, k) - cumulative(p, p->tick + 1)));
	grant = pace_tick_grant(p, k);
	if (p->debt >= grant) {
		p->debt -= grant;
		p->credit = 0;
	} else {
		p->credit = grant - p->debt;
		p->debt = 0;
	}
	p->tick = k;
	return p->credit;
}

void pace_spend(struct pace *p, uint64_t bytes)
{
	if (p->rate == 0)
		return;
	if (bytes <= p->credit) {
		p->credit -= bytes;
	} else {
		p->debt = add_sat(p->debt, bytes - p->credit);
		p->credit = 0;
	}
}

uint64_t pace_next_deadline(const struct pace *p)
{
	u128 k = (u128)p->tick + 1;
	/* ceil(k * 1e9 / hz): the first ns at which pace_tick_at() reaches k. */
	u128 off = (k * NSEC_PER_SEC + p->hz - 1) / p->hz;

	if (p->rate == 0)
		return 0;
	return sat64(p->t0 + off);
}

uint64_t pace_shortfall(const struct pace *p)
{
	return p->shortfall;
}

uint64_t pace_next_multiple(uint64_t t0_ns, uint64_t period_ns, uint64_t now_ns)
{
	u128 n;

	if (period_ns == 0)
		period_ns = 1;
	n = now_ns < t0_ns ? 0 : (now_ns - t0_ns) / period_ns;
	return sat64((u128)t0_ns + (n + 1) * (u128)period_ns);
}
