/* The balloon's pacing: a token bucket refilled on absolute tick deadlines. Pure arithmetic on
 * nanosecond timestamps handed in by the caller, so it is unit-tested without a kernel.
 *
 * Tick k starts at t0 + ceil(k * 1e9 / hz) and grants floor(rate*(k+1)/hz) - floor(rate*k/hz)
 * bytes, so any hz ticks grant exactly `rate` bytes even when rate is not a multiple of hz.
 * The bucket holds one tick's grant only: whatever is still unspent when the next tick starts,
 * and the whole grant of ticks that passed unseen (the caller overran them), is added to
 * `shortfall` instead of being spent later in a burst.
 *
 * With a ramp of R ticks (pace_set_ramp) the rate climbs linearly from 0 to `rate` over the
 * first R ticks, then stays: ticks 0..k-1 together grant floor(rate * k^2 / (2 R hz)) for
 * k <= R (the integral of the ramp up to k / hz), and that plus floor(rate * (k - R) / hz)
 * after it. The grants stay exact over any span of ticks, on the ramp and after it. */
#ifndef PACE_H
#define PACE_H

#include <stdint.h>

/* pace_grant()'s answer when rate is 0: no limit at all. */
#define PACE_UNLIMITED UINT64_MAX

struct pace {
	uint64_t rate;      /* bytes per second; 0 = unlimited */
	uint64_t hz;        /* ticks per second, >= 1 */
	uint64_t ramp;      /* ticks the rate takes to climb from 0 to `rate`; 0 = no ramp */
	uint64_t t0;        /* ns: start of tick 0 */
	uint64_t tick;      /* the tick whose grant the bucket holds */
	uint64_t credit;    /* bytes still spendable in this tick */
	uint64_t debt;      /* bytes spent beyond the credit (a whole page for a sub-page grant),
			       paid out of the next grant so the long-run rate stays exact */
	uint64_t shortfall; /* bytes granted but not spent within their tick */
};

/* Starts pacing at t0_ns with tick 0's grant in the bucket. hz 0 is taken as 1. */
void pace_init(struct pace *p, uint64_t rate, uint64_t hz, uint64_t t0_ns);

/* Makes the rate climb linearly from 0 over ramp_ns (rounded up to whole ticks; 0 = no
 * ramp), counted from t0. Call it right after pace_init(), before the first pace_grant(). */
void pace_set_ramp(struct pace *p, uint64_t ramp_ns);

/* Moves the bucket to the tick that contains now_ns and returns the bytes that may be spent
 * now (PACE_UNLIMITED when rate is 0). Never more than one tick's grant. */
uint64_t pace_grant(struct pace *p, uint64_t now_ns);

/* Records bytes spent in the current tick. Spending more than the credit (rounding up to a
 * page) is allowed; the excess is owed to the next tick, not taken from shortfall. */
void pace_spend(struct pace *p, uint64_t bytes);

/* Absolute ns at which the next tick starts (the bucket refills); 0 when unlimited. */
uint64_t pace_next_deadline(const struct pace *p);

/* Bytes granted but lost because they could not be spent within their tick. */
uint64_t pace_shortfall(const struct pace *p);

/* Bytes tick k grants, the bytes ticks 0..k-1 grant together (saturated at UINT64_MAX), and
 * the tick that contains now_ns. Exposed for the tests. */
uint64_t pace_tick_grant(const struct pace *p, uint64_t k);
uint64_t pace_granted(const struct pace *p, uint64_t k);
uint64_t pace_tick_at(const struct pace *p, uint64_t now_ns);

/* Absolute ns of the first t0 + n*period (n >= 1) strictly after now_ns: where a periodic
 * event resumes after it was missed, without catching up. period 0 is taken as 1 ns. */
uint64_t pace_next_multiple(uint64_t t0_ns, uint64_t period_ns, uint64_t now_ns);

#endif
