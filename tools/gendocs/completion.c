/* Bash completion for balloon and balloon-run, from their option tables (and, for --set, the
 * scenario key table): every long and short option, the choices of an option that has them,
 * files or directories where the argument is a FILE, DIR or PATH, SECTION.KEY= after --set,
 * and *.ini files and directories as balloon-run's words. The script needs bash only (not the
 * bash-completion package); the logic is one template, the data comes from the tables. */
#include "gendocs.h"

#include "../../runner/cli.h"
#include "../../runner/config/keys.h"
#include "balloon_conf.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

struct comp_prog {
	const char *name;      /* the command */
	const char *func;      /* the completion function: _ and the name, '-' as '_' */
	const char *sources;   /* for the header comment */
	const struct opt *tab;
	size_t n;
	bool scenario_words;   /* its words are scenario files and directories, "--" a command */
};

/* How an option's value is completed, from its row. */
enum value_kind { V_NONE, V_FILE, V_DIR, V_PATH, V_KEY, V_CHOICES };

static enum value_kind value_kind(const struct opt *o)
{
	const char *arg = o->arg ? o->arg : "";

	if (o->choices || o->type == OPT_BOOL)
		return V_CHOICES;
	if (strcmp(arg, "FILE") == 0)
		return V_FILE;
	if (strcmp(arg, "DIR") == 0)
		return V_DIR;
	if (strcmp(arg, "PATH") == 0)
		return V_PATH;
	if (strcmp(arg, "SECTION.KEY=VALUE") == 0)
		return V_KEY;
	return V_NONE;
}

/* Whether the row takes the next word as its value ("--config FILE"), not only "--key=". */
static bool takes_word(const struct opt *o)
{
	return o->type != OPT_BOOL && o->type != OPT_COUNT && !o->bare;
}

static bool visible(const struct opt *o)
{
	return !o->section && !(o->flags & OPTF_HIDDEN);
}

/* The choices "a|b|c" as "a b c". */
static void put_words(FILE *f, const char *choices)
{
	for (const char *p = choices; *p; p++)
		fputc(*p == '|' ? ' ' : *p, f);
}

/* "--key|-k" for a case pattern. */
static void put_pattern(FILE *f, const struct opt *o)
{
	char key[64];

	opt_spell(o, '-', key, sizeof(key));
	fprintf(f, "--%s", key);
	if (o->shortopt)
		fprintf(f, "|-%c", o->shortopt);
}

/* Writes the template, with @P@ as the function's name and @C@ as the command's. */
static void put_template(FILE *f, const struct comp_prog *p, const char *t)
{
	for (; *t; t++) {
		if (strncmp(t, "@P@", 3) == 0) {
			fputs(p->func, f);
			t += 2;
		} else if (strncmp(t, "@C@", 3) == 0) {
			fputs(p->name, f);
			t += 2;
		} else {
			fputc(*t, f);
		}
	}
}

static const char helpers[] =
	"# COMPREPLY: the words of $2 that start with $3, each after $1 (\"--opt=\" when the\n"
	"# option and its value share a word).\n"
	"@P@_reply()\n"
	"{\n"
	"\tlocal w\n"
	"\tCOMPREPLY=()\n"
	"\tfor w in $2; do\n"
	"\t\t[[ $w == \"$3\"* ]] && COMPREPLY+=(\"$1$w\")\n"
	"\tdone\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"# COMPREPLY: names that start with $2, after $3: $1 is file, dir, path (files and\n"
	"# directories), ini (*.ini files and directories) or command.\n"
	"@P@_files()\n"
	"{\n"
	"\tlocal name how=-f\n"
	"\tCOMPREPLY=()\n"
	"\tcase $1 in\n"
	"\tdir) how=-d ;;\n"
	"\tcommand) how=-c ;;\n"
	"\tesac\n"
	"\t[[ -z $3 && $1 != command ]] && compopt -o filenames 2>/dev/null\n"
	"\twhile IFS= read -r name; do\n"
	"\t\t[[ $1 == ini && ! -d $name && $name != *.ini ]] && continue\n"
	"\t\tCOMPREPLY+=(\"$3$name\")\n"
	"\tdone < <(compgen $how -- \"$2\")\n"
	"\treturn 0\n"
	"}\n"
	"\n";

/* @P@_value OPTION START PREFIX: the value of OPTION that starts with START. */
static void value_function(FILE *f, const struct comp_prog *p)
{
	put_template(f, p, "# The values of option $1 that start with $2, each after $3.\n"
		     "@P@_value()\n{\n\tcase $1 in\n");
	for (size_t i = 0; i < p->n; i++) {
		const struct opt *o = &p->tab[i];
		enum value_kind k = value_kind(o);

		/* --help=no would be a strange thing to type */
		if (!visible(o) || k == V_NONE || (o->flags & OPTF_STOP && o->type == OPT_BOOL))
			continue;
		fputc('\t', f);
		put_pattern(f, o);
		fputs(")\n", f);
		switch (k) {
		case V_CHOICES:
			put_template(f, p, "\t\t@P@_reply \"$3\" '");
			put_words(f, o->choices ? o->choices : "yes|no");
			put_template(f, p, "' \"$2\" ;;\n");
			break;
		case V_FILE:
		case V_DIR:
		case V_PATH:
			fprintf(f, "\t\t%s_files %s \"$2\" \"$3\" ;;\n", p->func,
				k == V_FILE ? "file" : k == V_DIR ? "dir" : "path");
			break;
		case V_KEY:
			put_template(f, p, "\t\tif [[ $2 == *=* ]]; then\n"
				     "\t\t\t@P@_keyvalue \"${2%%=*}\" \"${2#*=}\" \"$3${2%%=*}=\"\n"
				     "\t\telse\n"
				     "\t\t\t@P@_reply \"$3\" \"$(@P@_keys)\" \"$2\"\n"
				     "\t\t\tcompopt -o nospace 2>/dev/null\n"
				     "\t\tfi ;;\n");
			break;
		case V_NONE:
			break;
		}
	}
	fputs("\t*) COMPREPLY=() ;;\n\tesac\n\treturn 0\n}\n\n", f);
}

/* @P@_takes OPTION: whether OPTION takes the next word as its value. */
static void takes_function(FILE *f, const struct comp_prog *p)
{
	bool any = false;

	put_template(f, p, "# Whether option $1 takes the next word as its value.\n"
		     "@P@_takes()\n{\n\tcase $1 in\n\t");
	for (size_t i = 0; i < p->n; i++) {
		if (!visible(&p->tab[i]) || !takes_word(&p->tab[i]))
			continue;
		fputs(any ? "|" : "", f);
		put_pattern(f, &p->tab[i]);
		any = true;
	}
	fputs(any ? ") return 0 ;;\n" : "'') return 1 ;;\n", f);
	fputs("\tesac\n\treturn 1\n}\n\n", f);
}

/* The scenario keys for --set: @P@_keys prints SECTION.KEY= for each, @P@_keyvalue completes
 * the value of the enum and bool ones. */
static int key_functions(FILE *f, const struct comp_prog *p, char *why, size_t whylen)
{
	const struct opt *tab;
	char key[64];
	size_t n;

	if (keys_init() < 0) {
		errf(why, whylen, "keys_init: the scenario key table does not fit");
		return -ENOSPC;
	}
	tab = keys_scenario(&n);
	put_template(f, p, "# The scenario keys --set takes, as SECTION.KEY=.\n@P@_keys()\n{\n"
		     "\techo '");
	for (size_t i = 0; i < n; i++) {
		if (tab[i].flags & OPTF_HIDDEN)
			continue;
		opt_spell(&tab[i], '_', key, sizeof(key));
		fprintf(f, "%s%s.%s=", i ? " " : "", tab[i].section, key);
	}
	fputs("'\n}\n\n", f);
	put_template(f, p, "# The values of scenario key $1 that start with $2, each after $3.\n"
		     "@P@_keyvalue()\n{\n\tlocal words\n\tcase $1 in\n");
	for (size_t i = 0; i < n; i++) {
		const struct opt *o = &tab[i];
		char dash[64];

		if ((o->flags & OPTF_HIDDEN) || (!o->choices && o->type != OPT_BOOL))
			continue;
		opt_spell(o, '_', key, sizeof(key));
		opt_spell(o, '-', dash, sizeof(dash));
		fprintf(f, "\t%s.%s", o->section, key);
		if (strcmp(key, dash) != 0)
			fprintf(f, "|%s.%s", o->section, dash);
		fputs(") words='", f);
		put_words(f, o->choices ? o->choices : "yes|no");
		fputs("' ;;\n", f);
	}
	put_template(f, p, "\t*) COMPREPLY=(); return 0 ;;\n\tesac\n"
		     "\t@P@_reply \"$3\" \"$words\" \"$2\"\n}\n\n");
	return 0;
}

static const char main_head[] =
	"@P@()\n"
	"{\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= words i\n"
	"\t(( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tCOMPREPLY=()\n";

static const char main_dashdash[] =
	"\t# after \"--\": the one-line mode's command, then its arguments\n"
	"\tfor (( i = 1; i < COMP_CWORD; i++ )); do\n"
	"\t\tif [[ ${COMP_WORDS[i]} == -- ]]; then\n"
	"\t\t\t(( i == COMP_CWORD - 1 )) && words=command || words=path\n"
	"\t\t\t@P@_files $words \"$cur\" \"\"\n"
	"\t\t\treturn 0\n"
	"\t\tfi\n"
	"\tdone\n";

static const char main_values[] =
	"\t# --opt=VALUE as one word (no '=' in COMP_WORDBREAKS)\n"
	"\tif [[ $cur == --*=* ]]; then\n"
	"\t\t@P@_value \"${cur%%=*}\" \"${cur#*=}\" \"${cur%%=*}=\"\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\t# --opt=VALUE split at '=' into \"--opt\" \"=\" \"VALUE\" (bash's default)\n"
	"\tif [[ $cur == = && $prev == -* ]]; then\n"
	"\t\t@P@_value \"$prev\" \"\" \"\"\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tif [[ $prev == = ]] && (( COMP_CWORD > 1 )) && [[ ${COMP_WORDS[COMP_CWORD-2]} == -* ]]; then\n"
	"\t\t@P@_value \"${COMP_WORDS[COMP_CWORD-2]}\" \"$cur\" \"\"\n"
	"\t\treturn 0\n"
	"\tfi\n";

/* An option taking SECTION.KEY=VALUE, its key and value split at '=' too. */
static const char main_keyvalue[] =
	"\tif [[ $cur == = ]] && (( COMP_CWORD > 1 )) && @P@_keyopt \"${COMP_WORDS[COMP_CWORD-2]}\"; then\n"
	"\t\t@P@_keyvalue \"$prev\" \"\" \"\"\n"
	"\t\treturn 0\n"
	"\tfi\n"
	"\tif [[ $prev == = ]] && (( COMP_CWORD > 2 )) && @P@_keyopt \"${COMP_WORDS[COMP_CWORD-3]}\"; then\n"
	"\t\t@P@_keyvalue \"${COMP_WORDS[COMP_CWORD-2]}\" \"$cur\" \"\"\n"
	"\t\treturn 0\n"
	"\tfi\n";

static const char main_tail_options[] =
	"\tif @P@_takes \"$prev\"; then\n"
	"\t\t@P@_value \"$prev\" \"$cur\" \"\"\n"
	"\t\treturn 0\n"
	"\tfi\n";

/* The option list, then what a word that is no option completes to. */
static void main_function(FILE *f, const struct comp_prog *p, bool keys)
{
	char key[64];

	put_template(f, p, "# Completes the word COMP_WORDS[COMP_CWORD] of a @C@ command line.\n");
	put_template(f, p, main_head);
	if (p->scenario_words)
		put_template(f, p, main_dashdash);
	put_template(f, p, main_values);
	if (keys)
		put_template(f, p, main_keyvalue);
	put_template(f, p, main_tail_options);
	fputs("\tif [[ $cur == -* || -z $cur ]]; then\n\t\twords='", f);
	for (size_t i = 0, first = 1; i < p->n; i++) {
		const struct opt *o = &p->tab[i];

		if (!visible(o))
			continue;
		opt_spell(o, '-', key, sizeof(key));
		fprintf(f, "%s--%s", first ? "" : " ", key);
		if (o->shortopt)
			fprintf(f, " -%c", o->shortopt);
		first = 0;
	}
	fputs("'\n", f);
	if (p->scenario_words)
		put_template(f, p, "\t\tif [[ -z $cur ]]; then\n"
			     "\t\t\t@P@_files ini \"\" \"\"\n"
			     "\t\t\treturn 0\n"
			     "\t\tfi\n");
	put_template(f, p, "\t\t@P@_reply \"\" \"$words\" \"$cur\"\n"
		     "\t\treturn 0\n"
		     "\tfi\n");
	if (p->scenario_words)
		put_template(f, p, "\t@P@_files ini \"$cur\" \"\"\n");
	put_template(f, p, "\treturn 0\n}\n\ncomplete -F @P@ @C@\n");
}

/* @P@_keyopt OPTION: whether OPTION takes SECTION.KEY=VALUE. */
static void keyopt_function(FILE *f, const struct comp_prog *p)
{
	put_template(f, p, "# Whether option $1 takes SECTION.KEY=VALUE.\n@P@_keyopt()\n{\n"
		     "\tcase $1 in\n\t");
	for (size_t i = 0, first = 1; i < p->n; i++) {
		if (!visible(&p->tab[i]) || value_kind(&p->tab[i]) != V_KEY)
			continue;
		fputs(first ? "" : "|", f);
		put_pattern(f, &p->tab[i]);
		first = 0;
	}
	fputs(") return 0 ;;\n\tesac\n\treturn 1\n}\n\n", f);
}

static int completion(FILE *f, const struct comp_prog *p, char *why, size_t whylen)
{
	bool keys = false;

	for (size_t i = 0; i < p->n; i++)
		keys = keys || (visible(&p->tab[i]) && value_kind(&p->tab[i]) == V_KEY);
	fprintf(f, "# bash completion for %s: generated by build/tools/gendocs "
		"(tools/gendocs/completion.c)\n# from %s.\n"
		"# Do not edit: `make man` writes it again when the tables change.\n\n",
		p->name, p->sources);
	put_template(f, p, helpers);
	value_function(f, p);
	takes_function(f, p);
	if (keys) {
		keyopt_function(f, p);
		if (key_functions(f, p, why, whylen) < 0)
			return -ENOSPC;
	}
	main_function(f, p, keys);
	return ferror(f) ? -EIO : 0;
}

int gen_completion_balloon(FILE *f, char *why, size_t whylen)
{
	const struct comp_prog p = { "balloon", "_balloon", "balloon_opts[] (common/balloon_conf.c)",
				     balloon_opts, balloon_nopts, false };

	return completion(f, &p, why, whylen);
}

int gen_completion_runner(FILE *f, char *why, size_t whylen)
{
	const struct comp_prog p = { "balloon-run", "_balloon_run",
				     "runner_opts[] (runner/cli.c) and the scenario keys "
				     "(runner/config/keys.c)", runner_opts, runner_nopts, true };

	return completion(f, &p, why, whylen);
}
