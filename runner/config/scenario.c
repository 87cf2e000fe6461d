/* Loading a scenario file: defaults from the key table, the file through inih (inifile.c),
 * then the rules between keys. A scenario that loads is complete and consistent; the runner
 * checks only what depends on the machine. */
#include "scenario.h"
#include "keys.h"
#include "profile.h"
#include "units.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The inifile setter: the key table's rules, and for the balloon's own keys an argument
 * "--key=value" (dashes, the value as written) for the balloon's command line. */
static int scenario_set(const struct opt *o, void *base, const char *value, char *why,
			size_t whylen)
{
	struct scenario *sc = base;
	char arg[INIFILE_LINE_MAX + 80];
	size_t i, len = 2;
	int r = keys_set(o, base, value, why, whylen);

	if (r < 0 || !(o->flags & KEYF_BALLOON_ARG))
		return r;
	memcpy(arg, "--", 2);
	for (i = 0; o->key[i] && len < sizeof(arg) - 1; i++)
		arg[len++] = o->key[i] == '_' ? '-' : o->key[i];
	snprintf(arg + len, sizeof(arg) - len, "=%s", value);
	strlist_push(&sc->balloon_args, arg);
	return 0;
}

/* A name not given defaults to the file's name without ".ini", under the same rules. */
static int default_name(struct scenario *sc, char *err, size_t errlen)
{
	size_t n;
	const struct opt *tab = keys_scenario(&n);
	const struct opt *row = opt_find(tab, n, "scenario", "name");
	const char *base = strrchr(sc->file, '/');
	char *name, why[256];
	size_t len;
	int r;

	base = base ? base + 1 : sc->file;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	name = strndup(base, len);
	if (!name) {
		errf(err, errlen, "%s: out of memory", sc->file);
		return -ENOMEM;
	}
	r = row ? keys_set(row, sc, name, why, sizeof(why)) : -EINVAL;
	if (r < 0) {
		if (!row)
			snprintf(why, sizeof(why), "internal error: no name row");
		inifile_key_errf(err, errlen, sc->file, 0, "scenario", "name",
				 "taken from the file name: %s; give one with name = in [scenario]",
				 why);
	}
	free(name);
	return r < 0 ? (r == -ENOMEM ? r : -EINVAL) : 0;
}

/* Maxima whose 0 is a limit of its own ("never stalled", "no high event"), not "unchecked":
 * whether each was given, from the lines the file (or the command line) gave them on. */
static const struct {
	const char *section, *key;
	size_t given;
} given_flags[] = {
	{ "expect", "max_stall_some", offsetof(struct scenario, max_stall_some_given) },
	{ "expect", "max_stall_full", offsetof(struct scenario, max_stall_full_given) },
	{ "expect", "max_high_events", offsetof(struct scenario, max_high_events_given) },
	{ "expect", "max_max_events", offsetof(struct scenario, max_max_events_given) },
	{ "expect", "max_refaults", offsetof(struct scenario, max_refaults_given) },
};

static void set_given(struct scenario *sc, const struct inifile_schema *sch,
		      const struct inifile_seen *seen)
{
	for (size_t i = 0; i < sizeof(given_flags) / sizeof(given_flags[0]); i++) {
		const struct opt *o = opt_find(sch->tab, sch->n, given_flags[i].section,
					       given_flags[i].key);

		*(bool *)((char *)sc + given_flags[i].given) = o && seen->key_line[o - sch->tab];
	}
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return scenario_load_with(path, NULL, 0, sc, err, errlen);
}

/* The one-line mode says how long to observe, rarely how long it may take in all: give the
 * run a minute beyond its duration unless the timeout was set too. */
static void oneline_timeout(struct scenario *sc, const struct inifile_schema *sch,
			    const struct inifile_seen *seen)
{
	const struct opt *t = opt_find(sch->tab, sch->n, "scenario", "timeout");

	if (sc->duration && t && !seen->key_line[t - sch->tab])
		sc->timeout = sc->duration + 60 * NSEC_PER_SEC;
}

int scenario_load_with(const char *path, const struct inifile_override *ov, size_t nov,
		       struct scenario *sc, char *err, size_t errlen)
{
	struct inifile_schema sch = { .set = scenario_set };
	struct inifile_seen seen;
	const char *label = path ? path : "command line";
	char why[512];
	int ret = keys_init(), b;

	memset(sc, 0, sizeof(*sc));
	if (ret < 0) {
		errf(err, errlen, "%s: internal error: the scenario key table does not fit", label);
		return ret;
	}
	sch.tab = keys_scenario(&sch.n);
	sch.sections = keys_scenario_sections(&sch.nsections);
	sc->file = strdup(label);
	if (!sc->file) {
		errf(err, errlen, "%s: out of memory", label);
		return -ENOMEM;
	}
	ret = keys_defaults(sch.tab, sch.n, sc, why, sizeof(why));
	if (ret < 0) {
		errf(err, errlen, "%s: %s", label, why);
		goto fail;
	}
	ret = inifile_load_with(path, &sch, sc, &seen, ov, nov, err, errlen);
	if (ret < 0)
		goto fail;
	b = inifile_section_index(&sch, "balloon");
	sc->has_balloon = b >= 0 && seen.section_line[b] != 0;
	b = inifile_section_index(&sch, "load");
	sc->has_load = b >= 0 && seen.section_line[b] != 0;
	if (!path)
		oneline_timeout(sc, &sch, &seen);
	if (!sc->name) {
		ret = default_name(sc, err, errlen);
		if (ret < 0)
			goto fail;
	}
	/* an absolute --size in bytes, as the balloon's own parser leaves it; 0 = relative to
	 * the limit, resolved by the balloon */
	sc->balloon.size = sc->balloon.size_spec.kind == SIZE_ABSOLUTE ? sc->balloon.size_spec.bytes
								     : 0;
	ret = keys_check_scenario(sc, &seen, err, errlen);
	if (ret < 0)
		goto fail;
	set_given(sc, &sch, &seen);
	profile_apply(sc);
	return 0;
fail:
	scenario_free(sc);
	return ret;
}

void scenario_free(struct scenario *sc)
{
	size_t n;
	const struct opt *tab = keys_scenario(&n);

	opt_free(tab, n, sc);
	strlist_free(&sc->balloon_args);
	free(sc->file);
	memset(sc, 0, sizeof(*sc));
}
