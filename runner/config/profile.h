/* Profiles: the cgroup values a node agent derives from a workload's request and limit, so a
 * scenario can say "a pod with request 256Mi and limit 512Mi" instead of three cgroup files.
 * Pure arithmetic, unit-tested (tests/unit/test_profile.c). */
#ifndef PROFILE_H
#define PROFILE_H

#include "scenario.h"

#include <stdint.h>

struct profile_values {
	uint64_t min, low, high; /* bytes; 0 = leave unset */
};

/* What the kubelet's MemoryQoS (KEP-2570, cgroup v2) writes for a container with this request
 * and limit (bytes), reservation (enum reservation) and throttling factor (thousandths of a
 * percent; 0 = none), with pages of page bytes:
 *   memory.min or memory.low = request (reservation min / low; none: neither);
 *   memory.high = floor((request + factor * (limit - request)) / page) * page, set only when
 *   request < limit (a Guaranteed pod gets none) and the result lies above the request.
 * request 0 stands for the limit (the API server's default). */
void profile_kubernetes(uint64_t limit, uint64_t request, int reservation, uint64_t factor_milli,
			uint64_t page, struct profile_values *out);

/* Fills sc->memory_min/low/high from its profile (nothing for profile none). Call once the
 * keys are checked (keys_check_scenario refuses those keys beside a profile). */
void profile_apply(struct scenario *sc);

#endif
