/* The documentation stays true: docs/keys.md's key reference is exactly what the key table
 * prints, configs/harness.ini holds exactly the built-in defaults, and every relative link of
 * the shipped Markdown files reaches an existing file and, with #anchor, a heading in it. Run
 * from the top of the source tree (make test does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/scenario.h"
#include "../testlib.h"

#define KEYS_DOC "docs/keys.md"

static void test_keys_doc(void **state)
{
	char *readme = slurp(KEYS_DOC), *table = NULL, *begin, *end;
	size_t len = 0;
	FILE *mem = open_memstream(&table, &len);

	(void)state;
	assert_non_null(readme);
	assert_non_null(mem);
	keys_print(mem, true);
	fclose(mem);
	begin = strstr(readme, "<!-- keys:begin -->\n");
	end = strstr(readme, "<!-- keys:end -->");
	assert_non_null(begin);
	assert_non_null(end);
	begin += strlen("<!-- keys:begin -->\n");
	*end = '\0';
	if (strcmp(begin, table) != 0) {
		print_message(KEYS_DOC "'s key reference differs from `balloon-run "
			      "--list-keys=markdown`: paste the new output between the markers\n");
		fail();
	}
	free(table);
	free(readme);
}

static void test_config_file_is_defaults(void **state)
{
	struct harness_config def = { 0 }, file = { 0 };
	char err[512];

	(void)state;
	assert_int_equal(config_load(NULL, &def, err, sizeof(err)), 0);
	if (config_load("configs/harness.ini", &file, err, sizeof(err)) != 0) {
		print_message("configs/harness.ini: %s\n", err);
		fail();
	}
	assert_int_equal(def.sample_interval, file.sample_interval);
	assert_int_equal(def.hang_after, file.hang_after);
	assert_int_equal(def.recovery_timeout, file.recovery_timeout);
	assert_int_equal(def.stop_grace, file.stop_grace);
	assert_string_equal(def.parent_cgroup, file.parent_cgroup);
	assert_string_equal(def.output_dir, file.output_dir);
	assert_string_equal(def.balloon_path, file.balloon_path);
	config_free(&def);
	config_free(&file);
}

static void test_shipped_scenarios_load(void **state)
{
	static const char *const files[] = {
		"scenarios/madv_free_reclaimed.ini", "scenarios/madv_dontneed.ini",
		"scenarios/oom_killed.ini", "scenarios/oom_kill_disable_hang.ini",
		"scenarios/container_limit_ok.ini", "scenarios/crash_not_oom.ini",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct scenario sc = { 0 };
		char err[512];

		if (scenario_load(files[i], &sc, err, sizeof(err)) != 0) {
			print_message("%s\n", err);
			fail();
		}
		/* every shipped scenario says what it demonstrates */
		assert_non_null(sc.description);
		assert_true(strlen(sc.description) > 10);
		scenario_free(&sc);
	}
}

/* ---- links --------------------------------------------------------------------------------
 * The Markdown files whose relative links are checked: the README, everything in docs/, and
 * the READMEs of the parts that have one. */
static const char *const md_globs[] = { "README.md", "docs/*.md", "workloads/README.md",
					"tests/fuzz/README.md" };

#define MAX_ANCHORS 512
#define MAX_PROBLEMS 20

struct anchors {
	char *slug[MAX_ANCHORS]; /* the anchor, numbered when its heading's text repeats */
	char *base[MAX_ANCHORS]; /* the heading's text as an anchor, before numbering */
	size_t n;
};

/* Whether line opens or closes a fenced code block (``` or ~~~, indented up to 3 spaces). */
static bool is_fence(const char *line)
{
	while (*line == ' ')
		line++;
	return strncmp(line, "```", 3) == 0 || strncmp(line, "~~~", 3) == 0;
}

/* GitHub's anchor for a heading's text: lower case; letters, digits, '_' and '-' kept, each
 * space a '-', every other character dropped (backticks, punctuation, the dashes and quotes
 * of U+2000..U+206F); other UTF-8 (letters) kept as it is. */
static void slug_of(const char *text, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == 0xe2 && i + 2 < len && ((unsigned char)text[i + 1] == 0x80 ||
						 (unsigned char)text[i + 1] == 0x81)) {
			i += 2;
		} else if (c >= 0x80 || isalnum(c) || c == '_' || c == '-') {
			out[o++] = (char)(c < 0x80 ? tolower(c) : c);
		} else if (c == ' ') {
			out[o++] = '-';
		}
	}
	out[o] = '\0';
}

/* The anchors of a Markdown file's headings (ATX, outside code blocks), duplicates numbered
 * as GitHub does (x, x-1, x-2). Returns false when the file cannot be read. */
static bool anchors_load(const char *path, struct anchors *a)
{
	char *text = slurp(path), *line, *next;
	bool fence = false;

	a->n = 0;
	if (!text)
		return false;
	for (line = text; line && *line; line = next) {
		size_t len = strcspn(line, "\n"), h = 0, dup = 0;
		char slug[512], numbered[540];

		next = line[len] ? line + len + 1 : NULL;
		if (is_fence(line)) {
			fence = !fence;
			continue;
		}
		while (h < len && line[h] == '#')
			h++;
		if (fence || h == 0 || h > 6 || h >= len || line[h] != ' ')
			continue;
		while (len > h && (line[len - 1] == ' ' || line[len - 1] == '#'))
			len--;
		slug_of(line + h + 1, len - h - 1, slug, sizeof(slug));
		for (size_t i = 0; i < a->n; i++)
			dup += strcmp(a->base[i], slug) == 0;
		if (dup)
			snprintf(numbered, sizeof(numbered), "%s-%zu", slug, dup);
		else
			snprintf(numbered, sizeof(numbered), "%s", slug);
		if (a->n < MAX_ANCHORS) {
			a->slug[a->n] = strdup(numbered);
			a->base[a->n++] = strdup(slug);
		}
	}
	free(text);
	return true;
}

static void anchors_free(struct anchors *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->slug[i]);
		free(a->base[i]);
	}
	a->n = 0;
}

static bool anchors_have(const struct anchors *a, const char *slug)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->slug[i], slug) == 0)
			return true;
	return false;
}

/* Checks one link target of file:lineno; a problem goes to print_message. Returns 1 for a
 * broken link, else 0. */
static int check_target(const char *file, int lineno, const char *target, size_t len)
{
	char path[1024], anchor[512], dir[512];
	const char *hash = memchr(target, '#', len), *slash = strrchr(file, '/');
	size_t plen = hash ? (size_t)(hash - target) : len;
	struct anchors a;
	struct stat st;
	bool found;

	anchor[0] = '\0';
	if (hash)
		snprintf(anchor, sizeof(anchor), "%.*s", (int)(len - plen - 1), hash + 1);
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file + 1) : 0, file);
	if (plen == 0)
		snprintf(path, sizeof(path), "%s", file);
	else
		snprintf(path, sizeof(path), "%s%.*s", dir, (int)plen, target);
	if (stat(path, &st) != 0) {
		print_message("%s:%d: link to %.*s: no such file %s\n", file, lineno, (int)len, target,
			      path);
		return 1;
	}
	if (!anchor[0])
		return 0;
	if (strlen(path) < 3 || strcmp(path + strlen(path) - 3, ".md") != 0) {
		print_message("%s:%d: link to %.*s: an anchor into a file that is not Markdown\n",
			      file, lineno, (int)len, target);
		return 1;
	}
	assert_true(anchors_load(path, &a));
	found = anchors_have(&a, anchor);
	anchors_free(&a);
	if (!found)
		print_message("%s:%d: link to %.*s: %s has no heading with the anchor #%s\n", file,
			      lineno, (int)len, target, path, anchor);
	return !found;
}

/* Every [text](target) and ![alt](target) of one file outside code (fenced blocks and
 * `spans`), except URLs with a scheme. Adds the broken ones to *broken, the links seen to
 * *seen. */
static void check_file(const char *file, int *broken, int *seen)
{
	char *text = slurp(file), *line, *next;
	bool fence = false;
	int lineno = 0;

	if (!text) {
		print_message("%s: cannot read it\n", file);
		(*broken)++;
		return;
	}
	for (line = text; line && *line; line = next) {
		size_t len = strcspn(line, "\n");

		next = line[len] ? line + len + 1 : NULL;
		line[len] = '\0';
		lineno++;
		if (is_fence(line)) {
			fence = !fence;
			continue;
		}
		if (fence)
			continue;
		/* blank out code spans: what is in them is code, not a link */
		for (char *p = line; (p = strchr(p, '`')) != NULL;) {
			size_t ticks = strspn(p, "`");
			char *close = p + ticks;

			while ((close = strchr(close, '`')) != NULL && strspn(close, "`") != ticks)
				close += strspn(close, "`");
			if (!close)
				break;
			memset(p, ' ', (size_t)(close + ticks - p));
			p = close + ticks;
		}
		for (char *p = line; (p = strstr(p, "](")) != NULL; p += 2) {
			const char *target = p + 2;
			size_t tlen = strcspn(target, ") ");

			if (target[tlen] != ')' && target[tlen] != ' ')
				continue;
			(*seen)++;
			if (memmem(target, tlen, "://", 3) || strncmp(target, "mailto:", 7) == 0)
				continue;
			if (*broken < MAX_PROBLEMS)
				*broken += check_target(file, lineno, target, tlen);
		}
	}
	free(text);
}

static void test_links(void **state)
{
	int broken = 0, seen = 0, files = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(md_globs) / sizeof(md_globs[0]); i++) {
		glob_t g;

		if (glob(md_globs[i], 0, NULL, &g) != 0) {
			print_message("%s: no such file\n", md_globs[i]);
			fail();
		}
		for (size_t j = 0; j < g.gl_pathc; j++, files++)
			check_file(g.gl_pathv[j], &broken, &seen);
		globfree(&g);
	}
	if (broken) {
		print_message("%d broken link(s) in %d Markdown files (%d links)\n", broken, files,
			      seen);
		fail();
	}
	/* the README alone links every file of docs/: fewer links means the scan lost its way */
	assert_true(seen >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_doc),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_config_file_is_defaults),
		cmocka_unit_test(test_shipped_scenarios_load),
	};

	return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
