/* balloon-run.ini(5): the scenario file format and the harness config, every key of every
 * section from the key tables (runner/config/keys.c: keys_scenario, keys_config and their
 * sections), with the words --list-keys uses for type, range and default. The example
 * scenario is loaded by scenario_load when the page is made, so it cannot go stale. */
#include "gendocs.h"
#include "roff.h"
#include "manpage.h"

#include "../../runner/config/keys.h"
#include "../../runner/config/scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What each section is for: not a fact of any row, so kept here; a new section without a
 * line here gets a plain one and a warning. */
static const struct { const char *name, *text; } section_texts[] = {
	{ "scenario", "What the scenario is called, how long it may take and what the machine "
		      "must offer." },
	{ "cgroup", "The memory cgroup the runner creates below its own for the run: the target "
		    "and the balloon run in it." },
	{ "target", "The workload under test: its command, environment, user, an optional "
		    "container, and when it counts as ready." },
	{ "balloon", "A memory balloon (balloon(1)) started beside the target once it is ready: "
		     "the balloon's options under their own names (release_after for "
		     "--release-after), and where it runs. Without this section there is no "
		     "balloon." },
	{ "load", "A load generator started once the target is ready, in a cgroup of its own "
		  "without a limit; when it ends, the run ends. Optional." },
	{ "expect", "What must happen for the scenario to pass, and the checks along the way." },
	{ "search", "How balloon-run --find-limit searches memory_limit; read only with "
		    "--find-limit (the options --low, --high, --repeats, --resolution and "
		    "--max-time override them)." },
	{ "harness", "The harness settings, from the file given with --config." },
};

/* How a value of each type is written, by the type word --list-keys prints. */
static const struct { const char *type, *text; } type_texts[] = {
	{ "size", "bytes, with a binary unit or none: 4096, 512K, 256M, 1.5G, 2T (K, M, G, T and "
		  "P are powers of 1024; KiB, Ki and KB mean the same)." },
	{ "size or %", "a size, a share such as 80% of the limit the key names, or limit-SIZE "
		       "(that limit less SIZE)." },
	{ "percent", "a share with its % sign: 40%, 12.5%." },
	{ "rate", "bytes per second: 100M/s, 512K/s, or a bare number in MiB/s (100 is 100 "
		  "MiB/s)." },
	{ "duration", "a number and a unit: ns, us, ms, s, m (or min), h; a bare number is "
		      "seconds: 500ms, 2s, 1.5m. Some keys also take forever." },
	{ "bool", "yes, true, on or 1; no, false, off or 0." },
	{ "integer", "a whole number in decimal." },
	{ "enum", "one of the words the key lists." },
	{ "list", "one item per line; repeat the key for more." },
	{ "command", "a command line, split into words as a shell would (quotes, backslashes) "
		     "but started without a shell." },
	{ "string", "the text to the end of the line." },
};

/* The shipped scenarios/madv_free_reclaimed.ini, shortened. */
static const char example[] =
	"; MADV_FREE pages reclaimed under pressure: the target touches 256 MiB and\n"
	"; MADV_FREEs it; a balloon inflating beside it in the same 400 MiB group\n"
	"; makes the kernel reclaim them instead of OOM-killing anything.\n"
	"[scenario]\n"
	"name = madv_free_reclaimed\n"
	"timeout = 60s\n"
	"\n"
	"[cgroup]\n"
	"memory_limit = 400M\n"
	"\n"
	"[target]\n"
	"command = balloon --size 256M --release free --hold forever --verify --quiet\n"
	"ready = line\n"
	"ready_line = \"event\":\"released\"\n"
	"\n"
	"[balloon]\n"
	"size = 300M\n"
	"rate = 200\n"
	"hold = 1s\n"
	"\n"
	"[expect]\n"
	"outcome = reclaimed\n"
	"min_reclaimed = 128M\n";

static const char *section_text(const char *name)
{
	for (size_t i = 0; i < sizeof(section_texts) / sizeof(section_texts[0]); i++)
		if (strcmp(section_texts[i].name, name) == 0)
			return section_texts[i].text;
	gen_warn("section [%s] has no description (tools/gendocs/man_ini.c: section_texts)", name);
	return "Keys of this section.";
}

static const char *type_text(const char *type)
{
	for (size_t i = 0; i < sizeof(type_texts) / sizeof(type_texts[0]); i++)
		if (strcmp(type_texts[i].type, type) == 0)
			return type_texts[i].text;
	gen_warn("key type \"%s\" has no description (tools/gendocs/man_ini.c: type_texts)", type);
	return "see the key.";
}

/* One key: "name = type", its help, then required, default, range or choices. */
static void key_entry(FILE *f, const struct opt *o)
{
	char key[64], range[128];
	const char *type = opt_type_word(o);

	opt_spell(o, '_', key, sizeof(key));
	opt_range_words(o, range, sizeof(range));
	fputs(".TP\n\\fB", f);
	roff_inline(f, key);
	fputs("\\fR = \\fI", f);
	roff_inline(f, type);
	fputs("\\fR\n", f);
	roff_text(f, o->help);
	if (o->flags & OPTF_REQUIRED)
		fputs("Required.\n", f);
	else if (o->def && *o->def) {
		fputs("Default: \\fB", f);
		roff_inline(f, o->def);
		fputs("\\fR.\n", f);
	}
	if (o->choices) {
		fputs(o->type == OPT_LIST ? "Each item one of: " : "One of: ", f);
		man_choices(f, o->choices);
		fputs(".\n", f);
	} else if (o->type == OPT_STRING && *range) {
		fputs("Length: ", f);
		roff_nobreak(f, range);
		fputs(".\n", f);
	} else {
		man_range(f, o);
	}
	if (o->type == OPT_LIST && (o->flags & KEYF_WORDS))
		fputs("Several items may share a line, separated by commas or blanks.\n", f);
}

/* Every section of a table, in the table's order of sections, each with its keys. */
static void sections(FILE *f, const struct opt *tab, size_t n,
		     const struct inifile_section *secs, size_t nsecs)
{
	for (size_t s = 0; s < nsecs; s++) {
		fprintf(f, ".SS [%s]\n", secs[s].name);
		roff_text(f, section_text(secs[s].name));
		if (secs[s].required)
			fputs("The section is required.\n", f);
		for (size_t i = 0; i < n; i++)
			if (strcmp(tab[i].section, secs[s].name) == 0 &&
			    !(tab[i].flags & OPTF_HIDDEN))
				key_entry(f, &tab[i]);
	}
}

/* VALUES: how each type used by a table is written, in the order of first use. */
static void value_types(FILE *f, const struct opt *a, size_t na, const struct opt *b,
			size_t nb)
{
	const char *seen[32];
	size_t nseen = 0;

	fputs(".SS Values\n", f);
	for (size_t i = 0; i < na + nb; i++) {
		const struct opt *o = i < na ? &a[i] : &b[i - na];
		const char *type = opt_type_word(o);
		size_t k;

		if (o->flags & OPTF_HIDDEN)
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], type) != 0; k++)
			;
		if (k < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = type;
		fputs(".TP\n.I ", f);
		roff_arg(f, type);
		fputc('\n', f);
		roff_text(f, type_text(type));
	}
}

/* Loads the example as a scenario file; a key it uses that the table lost fails here. */
static int check_example(char *why, size_t whylen)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096], err[1024];
	struct scenario sc;
	int fd, r;

	snprintf(path, sizeof(path), "%s/gendocs-example-XXXXXX.ini", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemps(path, 4);
	if (fd < 0) {
		r = -errno;
		errf(why, whylen, "%s: %s", path, strerror(errno));
		return r;
	}
	r = write(fd, example, sizeof(example) - 1) == (ssize_t)(sizeof(example) - 1) ? 0 : -EIO;
	close(fd);
	if (r == 0) {
		memset(&sc, 0, sizeof(sc));
		r = scenario_load(path, &sc, err, sizeof(err));
		if (r < 0)
			errf(why, whylen, "the example scenario of balloon-run.ini(5) does not load "
			     "(tools/gendocs/man_ini.c): %s", err);
		scenario_free(&sc);
	} else {
		errf(why, whylen, "%s: cannot write the example", path);
	}
	unlink(path);
	return r;
}

static void description(FILE *f)
{
	fputs(".SH DESCRIPTION\n"
	      "A scenario file tells \\fB\\%balloon\\-run\\fR(1) what to run in a memory cgroup and "
	      "what must happen; the harness config sets how the runner watches it. Both are INI "
	      "files: a \\fB[section]\\fR header on its own line, then \\fIkey\\fR = "
	      "\\fIvalue\\fR lines. Lines that start with ; or # are comments. In key names, "
	      "\\- and _ are the same letter (\\fBrelease\\-after\\fR = \\fBrelease_after\\fR).\n"
	      ".PP\n"
	      "An unknown section or key, a key given twice (but for lists), a missing required "
	      "key, a value out of its range or keys that contradict each other are errors that "
	      "name the file, the line, the section and the key, and the reason: then nothing "
	      "runs (exit status 2).\n"
	      ".PP\n"
	      "\\fB\\%balloon\\-run \\%\\-\\-set\\fR \\fISECTION\\fR.\\fIKEY\\fR=\\fIVALUE\\fR sets a "
	      "key of every scenario over what its file says; the one-line mode "
	      "\\%(\\fBballoon\\-run \\%\\-\\-limit\\fR \\fISIZE\\fR \\fB\\-\\-\\fR \\fICMD\\fR) builds "
	      "a scenario from the command line alone. "
	      "\\fB\\%balloon\\-run \\%\\-\\-list\\-keys\\fR prints the keys below as a table.\n", f);
}

int gen_runner_ini_5(FILE *f, char *why, size_t whylen)
{
	static const char *const see[] = { "balloon-run(1)", "balloon(1)", "cgroups(7)", NULL };
	size_t ns, nss, nc, ncs;
	const struct opt *scen, *cfg;
	const struct inifile_section *scen_secs, *cfg_secs;
	int r = keys_init();

	if (r < 0) {
		errf(why, whylen, "keys_init: the scenario key table does not fit");
		return r;
	}
	r = check_example(why, whylen);
	if (r < 0)
		return r;
	scen = keys_scenario(&ns);
	scen_secs = keys_scenario_sections(&nss);
	cfg = keys_config(&nc);
	cfg_secs = keys_config_sections(&ncs);

	man_header(f, "balloon-run.ini", 5, "the key tables (runner/config/keys.c, with the "
		   "[balloon] rows of common/balloon_conf.c)");
	man_name(f, "balloon-run.ini", "scenario files and the harness config of balloon-run");
	fputs(".SH SYNOPSIS\n"
	      ".SY balloon\\-run\n\\fIscenario\\fR.ini\n.YS\n"
	      ".SY balloon\\-run\n\\fB\\-\\-config\\fR \\fIharness\\fR.ini "
	      "\\fIscenario\\fR.ini\n.YS\n", f);
	description(f);
	value_types(f, scen, ns, cfg, nc);
	fputs(".SH SCENARIO FILES\n"
	      "The sections may come in any order; each at most once.\n", f);
	sections(f, scen, ns, scen_secs, nss);
	fputs(".SH HARNESS CONFIG\n"
	      "The file given with \\fB\\%balloon\\-run \\%\\-\\-config\\fR; without one, the "
	      "defaults below apply (they are the values of the shipped "
	      "\\fIconfigs/harness.ini\\fR).\n", f);
	sections(f, cfg, nc, cfg_secs, ncs);
	fputs(".SH EXAMPLE\n.EX\n", f);
	for (const char *p = example; *p;) {
		size_t len = strcspn(p, "\n");
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		roff_code(f, line);
		p += len + (p[len] == '\n');
	}
	fputs(".EE\n", f);
	man_see_also(f, see);
	return ferror(f) ? -EIO : 0;
}
