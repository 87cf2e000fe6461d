# Memory-pressure test harness: build/balloon (the memory balloon) and build/balloon-run
# (the INI scenario runner). `make` builds them and installs (as root) only the build
# libraries; `make run` runs the shipped scenarios, `make test` the tests, each installing the
# Debian packages its part needs first (tools/deps.sh: build, test, workloads, ...).

PREFIX  ?= /usr/local
DESTDIR ?=
B       := build
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CPPFLAGS += -D_GNU_SOURCE -Icommon -Iballoon -Irunner
# Recursively expanded on purpose: pkg-config is asked only when a recipe runs, which is
# after $(DEPS) has installed the packages on a fresh machine. libsystemd gives only its
# headers: the runner loads it when it asks systemd for a scope (runner/cgroup/delegate.c).
PKG_CFLAGS = $(shell pkg-config --cflags inih libcgroup jansson libsystemd)
PKG_LIBS   = $(shell pkg-config --libs inih libcgroup jansson)
# The tests check junit.xml against its schema with libxml2.
TEST_PKG_CFLAGS = $(shell pkg-config --cflags libxml-2.0)
TEST_PKG_LIBS   = $(shell pkg-config --libs libxml-2.0)
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
DEPS    := $(B)/.deps-ok
# What the test binaries and the report tests add to the build's libraries (cmocka,
# xmllint, chromium): installed by the rules that build or run tests, never by `make`.
TEST_DEPS := $(B)/.deps-test-ok

COMMON_SRC  := $(wildcard common/*.c)
BALLOON_SRC := $(filter-out balloon/main.c,$(wildcard balloon/*.c))
RUNNER_SRC  := $(filter-out runner/main.c,$(wildcard runner/*.c runner/*/*.c))
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
INTEG_SRC   := $(wildcard tests/integration/test_*.c)

obj = $(patsubst %.c,$(B)/obj/%.o,$(1))
COMMON_OBJ  := $(call obj,$(COMMON_SRC))
BALLOON_OBJ := $(call obj,$(BALLOON_SRC))
RUNNER_OBJ  := $(call obj,$(RUNNER_SRC))
UNIT_BIN    := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
INTEG_BIN   := $(patsubst tests/integration/%.c,$(B)/tests/%,$(INTEG_SRC))

.PHONY: FORCE all run compare test test-counts bench bench-scale bench-docs clean keys deps deps-test
# Test objects are not intermediates to delete: keep them so reruns do not recompile.
.SECONDARY:
all: $(B)/balloon $(B)/balloon-run

deps: $(DEPS)
$(DEPS): tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh build
	@touch $@

deps-test: $(TEST_DEPS)
$(TEST_DEPS): tools/deps.sh | $(DEPS)
	@mkdir -p $(B)
	@sh tools/deps.sh test
	@touch $@

$(B)/obj/%.o: %.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/tests/%.o: tests/%.c | $(DEPS) $(TEST_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes $(PKG_CFLAGS) $(TEST_PKG_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -c $< -o $@

# Made afresh each time: an archive updated in place keeps members of deleted or moved files.
$(B)/libcommon.a: $(COMMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/libballoon.a: $(BALLOON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/librunner.a: $(RUNNER_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The balloon is linked static (a static PIE, so still randomised): it lives in the cgroup it
# measures, and every page it maps beside its payload is noise there. Static, it maps 0.8 MiB
# of its own file instead of 1.5 MiB of libc, libm and ld.so (make bench, footprint). It needs
# nothing from libc that a static link cannot give (no NSS, no dlopen). The sanitizers and
# valgrind's malloc checks need it dynamic: BALLOON_LDFLAGS= (mk/sanitize.mk). The flags are
# kept in a file so that a change of them relinks it.
BALLOON_LDFLAGS ?= -static-pie
$(B)/.balloon-ldflags: FORCE
	@mkdir -p $(B)
	@[ "$$(cat $@ 2>/dev/null)" = '$(BALLOON_LDFLAGS)' ] || echo '$(BALLOON_LDFLAGS)' >$@
$(B)/balloon: $(call obj,balloon/main.c) $(B)/libballoon.a $(B)/libcommon.a $(B)/.balloon-ldflags
	$(CC) $(CFLAGS) $(LDFLAGS) $(BALLOON_LDFLAGS) -o $@ $(filter-out %.balloon-ldflags,$^) -lm

$(B)/balloon-run: $(call obj,runner/main.c) $(B)/librunner.a $(B)/libcommon.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/obj/tests/testlib.o $(B)/librunner.a $(B)/libballoon.a \
		$(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS) $(TEST_PKG_LIBS) -lm

# Integration tests drive build/balloon-run as a program; they link only what they share.
$(INTEG_BIN): $(B)/tests/%: $(B)/obj/tests/integration/%.o $(B)/obj/tests/testlib.o \
		$(B)/librunner.a $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS) $(TEST_PKG_LIBS) -lm

# The README's first command: every shipped scenario, for real (needs root); the report
# lands in build/reports/index.html.
run: all workloads container-rootfs
	$(B)/balloon-run --config configs/harness.ini --report $(B)/reports scenarios/

# The MADV_FREE vs MADV_DONTNEED demo: both under the same balloon, charted side by side.
compare: all workloads container-rootfs
	$(B)/balloon-run --config configs/harness.ini --report $(B)/reports --compare \
		scenarios/madv_free_reclaimed.ini \
		scenarios/madv_dontneed.ini

# The README's second command, and all CI runs: unit tests and every scenario for real with
# its verdict asserted and nothing left behind; the same under ASan+UBSan (mk/sanitize.mk);
# then the fuzz smoke (mk/fuzz.mk). One closing line counts them all (tests/all.sh).
test: all $(TEST_DEPS) $(UNIT_BIN) $(INTEG_BIN) workloads container-rootfs sanitize-build
	@sh tests/all.sh $(B) $(SAN_B)

# How many tests each stage ran, as the last make test wrote it (tests/all.sh), into
# docs/testing.md between its markers: make test fails while the two differ.
test-counts:
	@test -f $(B)/test-counts.md || { echo "no $(B)/test-counts.md: run make test first" >&2; exit 1; }
	@sh tools/doc-block.sh put docs/testing.md test-counts $(B)/test-counts.md
	@echo "docs/testing.md: the test counts are now $(B)/test-counts.md"

# Figures only, no assertions (needs root): the balloon's inflate speed against one
# MADV_POPULATE_WRITE, stress-ng and memhog in turns, its pacing at 10/100/1000 MiB/s and a
# ramp, the harness's footprint, the runner's OOM-kill-to-verdict latency over 60 kills, its
# hang verdict and recovery (C and Go targets), and its CPU per sample (bench/sample_cost.sh);
# one table at the end, also in $(B)/bench/figures.md, the inflate curves in
# $(B)/bench/inflate.html, every run's raw data under $(B)/bench/. Knobs: BENCH_SIZE,
# BENCH_ROUNDS, BENCH_PARTS, BENCH_BASELINE, BENCH_RATES, BENCH_RAMP, BENCH_OOM_KILLS, ...
# (bench/bench.sh). bench-scale: a 16 GiB balloon (BENCH_SCALE) beside an 8 GiB MADV_FREE
# target as a scenario, alone; bench-docs: the table into docs/benchmarks.md between its bench
# markers, its headlines into the README's Performance table. gohog (the Go hang) comes from the workload pack: without Go its row says skipped.
BENCH_BIN := $(B)/bench/populate $(B)/bench/watch
bench: all $(BENCH_BIN) $(B)/.deps-bench-ok $(B)/workloads/gohog
	@sh bench/bench.sh $(B)

bench-scale: all $(BENCH_BIN) $(B)/.deps-bench-ok
	@BENCH_PARTS=scale sh bench/bench.sh $(B)

bench-docs:
	@test -f $(B)/bench/figures.md || { echo "no $(B)/bench/figures.md: run make bench first" >&2; exit 1; }
	@test -f $(B)/bench/summary.md || { echo "no $(B)/bench/summary.md: run make bench first" >&2; exit 1; }
	@python3 -B bench/report.py --docs docs/benchmarks.md README.md $(B)/bench

$(B)/.deps-bench-ok: tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh bench
	@touch $@

$(B)/bench/populate: $(call obj,bench/populate.c) $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm

$(B)/bench/watch: $(call obj,bench/watch.c) $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lm

# The key reference in docs/keys.md is generated from the key table (test_docs checks it).
keys: $(B)/balloon-run
	@$(B)/balloon-run --list-keys=markdown

clean:
	rm -rf $(B)

# Further concerns (fuzzing, sanitizers, soak, install and the .deb, CI) keep their rules in
# mk/, one file each.
# workloads.mk first: its programs are prerequisites of other parts (the guest image); then
# install.mk and deb.mk: the .deb is a prerequisite of the systemd lane's image.
FIRST_MK := mk/workloads.mk mk/man.mk mk/install.mk mk/deb.mk
include $(FIRST_MK)
include $(filter-out $(FIRST_MK),$(wildcard mk/*.mk))

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
