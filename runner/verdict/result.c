/* Result classes: their names and the one precedence rule between them. */
#include "result.h"

static const char *const names[RESULT_N] = {
	[RESULT_NOT_RUN] = "not_run",   [RESULT_MET] = "met",
	[RESULT_NOT_MET] = "not_met",   [RESULT_BROKEN] = "broken",
	[RESULT_SKIPPED] = "skipped",   [RESULT_INTERRUPTED] = "interrupted",
};

const char *result_name(enum result r)
{
	return (unsigned)r < RESULT_N ? names[r] : "?";
}

enum result result_classify(bool interrupted, bool skipped, bool broken, bool met)
{
	if (interrupted)
		return RESULT_INTERRUPTED;
	if (skipped)
		return RESULT_SKIPPED;
	if (broken)
		return RESULT_BROKEN;
	return met ? RESULT_MET : RESULT_NOT_MET;
}
