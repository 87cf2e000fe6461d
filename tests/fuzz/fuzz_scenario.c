/* libFuzzer target for everything the runner reads from files it does not control: the input
 * is loaded as a scenario file (scenario_load: pre-scan, inih, key table, cross-key rules) and
 * as a harness config (config_load), and each of its lines is parsed as a balloon progress
 * line (progress_parse). The input lives in a memfd, so the loaders open it by path like any
 * file and nothing is written outside the process. Beyond the sanitizers, the loaders'
 * contracts are checked: an error names the file, a scenario that loads is complete and
 * consistent (scenario.h), and nothing stays allocated (LeakSanitizer). */
#include "progress.h"
#include "config/scenario.h"
#include "verdict/verdict.h"
#include "units.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken contract: say which, and crash so libFuzzer saves the input. */
static void broken(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void broken(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_scenario: contract broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Writes all of data to fd; returns 0 or -1. */
static int write_all(int fd, const uint8_t *data, size_t size)
{
	while (size > 0) {
		ssize_t w = write(fd, data, size);

		if (w <= 0)
			return -1;
		data += w;
		size -= (size_t)w;
	}
	return 0;
}

/* A failed load: a negative errno, a message that starts with the file's name. */
static void check_error(const char *what, int r, const char *path, const char *err)
{
	if (r >= 0)
		broken("%s returned %d", what, r);
	if (strncmp(err, path, strlen(path)) != 0)
		broken("%s error does not name the file: \"%s\"", what, err);
}

/* What scenario.h promises of a scenario that loads. */
static void check_scenario(const struct scenario *sc, const char *path)
{
	size_t namelen = sc->name ? strlen(sc->name) : 0;

	if (!sc->file || strcmp(sc->file, path) != 0)
		broken("file is \"%s\"", sc->file ? sc->file : "(null)");
	if (namelen < 1 || namelen > 64 || strchr(sc->name, '/'))
		broken("name \"%s\"", sc->name ? sc->name : "(null)");
	if (sc->command.n == 0 || sc->command.v[sc->command.n] || !sc->command_text)
		broken("command with %zu words", sc->command.n);
	if (sc->memory_limit < 8 * MiB || sc->memory_limit > (UINT64_C(1) << 50))
		broken("memory_limit %llu", (unsigned long long)sc->memory_limit);
	if (sc->memsw_limit && sc->memsw_limit < sc->memory_limit)
		broken("memsw_limit below memory_limit");
	if (sc->timeout < NSEC_PER_SEC || (sc->duration && sc->duration >= sc->timeout))
		broken("timeout %llu, duration %llu", (unsigned long long)sc->timeout,
		       (unsigned long long)sc->duration);
	if (sc->outcome < V_RECLAIMED || sc->outcome > V_THROTTLED)
		broken("outcome %d", sc->outcome);
	if (sc->ready == READY_LINE && (!sc->ready_line || !*sc->ready_line) &&
	    (!sc->ready_regex || !*sc->ready_regex))
		broken("ready = line without ready_line or ready_regex");
	if (sc->ready == READY_TCP && (!sc->ready_tcp || !*sc->ready_tcp))
		broken("ready = tcp without ready_tcp");
	if (sc->ready == READY_HTTP && (!sc->ready_url || !*sc->ready_url))
		broken("ready = http without ready_url");
	if (sc->ready == READY_FILE && (!sc->ready_file || !*sc->ready_file))
		broken("ready = file without ready_file");
	if (sc->ready == READY_EXEC && (!sc->ready_exec || !*sc->ready_exec))
		broken("ready = exec without ready_exec");
	if (sc->ready == READY_RSS && !sc->ready_rss)
		broken("ready = rss without ready_rss");
	/* an absolute size of at least a page; a share of the limit or limit-N leaves a page */
	if (sc->has_balloon ? (sc->balloon.size_spec.kind == SIZE_ABSOLUTE
			       ? sc->balloon.size < 4096 || sc->balloon.size != sc->balloon.size_spec.bytes
			       : sc->balloon.size != 0 ||
				 size_spec_bytes(&sc->balloon.size_spec, sc->memory_limit) < 4096)
			    : sc->balloon_args.n != 0)
		broken("balloon: has %d, size %llu, %zu args", sc->has_balloon,
		       (unsigned long long)sc->balloon.size, sc->balloon_args.n);
	if (sc->has_balloon && sc->balloon.dir && sc->balloon.dir[0] &&
	    !balloon_kind_dir(&sc->balloon))
		broken("balloon: dir with kind %d", sc->balloon.kind);
	if (sc->victim == VICTIM_BALLOON && !sc->has_balloon)
		broken("victim balloon without [balloon]");
	if (sc->outcome == V_HUNG && !sc->oom_kill_disable && sc->oom_score_adj != -1000)
		broken("outcome hung without oom_kill_disable or oom_score_adj -1000");
	if (sc->outcome == V_THROTTLED && !sc->memory_high)
		broken("outcome throttled without memory_high");
	if (sc->memory_high && sc->memory_high >= sc->memory_limit)
		broken("memory_high not below memory_limit");
}

static void check_config(const struct harness_config *cfg)
{
	/* output_dir "" is the user's state directory, resolved when a run starts (paths.c) */
	if (!cfg->output_dir || !cfg->parent_cgroup || !cfg->balloon_path)
		broken("config strings missing");
	if (cfg->sample_interval < 10 * NSEC_PER_MSEC || cfg->hang_after < 100 * NSEC_PER_MSEC)
		broken("config durations out of range");
}

/* Each line of the input (NUL bytes end a line early, as they would in a C string). */
static void parse_progress_lines(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *line, *save = NULL;
	struct progress_event ev;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		(void)progress_parse(line, &ev);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct harness_config cfg;
	char path[64], err[1024];
	int r, fd = memfd_create("fuzz-scenario", MFD_CLOEXEC);

	if (fd < 0) {
		perror("memfd_create");
		abort(); /* the harness itself is broken: stop rather than fuzz nothing */
	}
	if (write_all(fd, data, size) < 0) {
		perror("write to memfd");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	err[0] = '\0';
	r = scenario_load(path, &sc, err, sizeof(err));
	if (r == 0) {
		check_scenario(&sc, path);
		scenario_free(&sc);
	} else {
		check_error("scenario_load", r, path, err);
	}
	err[0] = '\0';
	r = config_load(path, &cfg, err, sizeof(err));
	if (r == 0) {
		check_config(&cfg);
		config_free(&cfg);
	} else {
		check_error("config_load", r, path, err);
	}
	close(fd);

	parse_progress_lines(data, size);
	return 0;
}
