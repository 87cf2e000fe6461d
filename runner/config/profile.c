/* Profiles (profile.h). The kubelet's arithmetic, as Kubernetes documents it:
 *  - memory.min = requests.memory, memory.high by the formula below with
 *    memoryThrottlingFactor 0.9 by default: "Kubernetes 1.27: Quality-of-Service for Memory
 *    Resources (alpha)", kubernetes.io/blog/2023/05/05/qos-memory-resources/, and
 *    KEP-2570 (kubernetes/enhancements keps/sig-node/2570-memory-qos), section Mapping Rules;
 *  - memoryReservationPolicy (None by default; TieredReservation: Guaranteed pods memory.min,
 *    Burstable pods memory.low): kubernetes.io/blog/2026/04/29/kubernetes-v1-36-memory-qos-
 *    tiered-protection/;
 *  - v1.37 (beta, on by default) leaves memoryThrottlingFactor null, so no memory.high unless
 *    configured: kubernetes.io/blog/2026/09/14/kubernetes-v1-37-memory-qos-graduates-to-beta/.
 * Guaranteed pods (request = limit) get no memory.high: throttling below the limit would only
 * slow a pod that asked for all of it. */
#include "profile.h"

#include <unistd.h>

void profile_kubernetes(uint64_t limit, uint64_t request, int reservation, uint64_t factor_milli,
			uint64_t page, struct profile_values *out)
{
	*out = (struct profile_values){ 0 };
	if (!request || request > limit)
		request = limit;
	if (reservation == RESERVE_MIN)
		out->min = request;
	else if (reservation == RESERVE_LOW)
		out->low = request;
	if (request < limit && factor_milli && page) {
		/* integer arithmetic: (limit - request) * factor fits 128 bits, floored as the
		 * kubelet's math.Floor on float64 does for sizes below 2^53 */
		unsigned __int128 extra = (unsigned __int128)(limit - request) * factor_milli / 100000;
		uint64_t high = (request + (uint64_t)extra) / page * page;

		if (high > request && high < limit)
			out->high = high;
	}
}

void profile_apply(struct scenario *sc)
{
	struct profile_values v;

	if (sc->profile != PROFILE_KUBERNETES)
		return;
	profile_kubernetes(sc->memory_limit, sc->request, sc->reservation, sc->throttling_factor,
			   (uint64_t)sysconf(_SC_PAGESIZE), &v);
	sc->memory_min = v.min;
	sc->memory_low = v.low;
	sc->memory_high = v.high;
}
