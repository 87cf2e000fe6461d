# `make sanitize`: everything (balloon, balloon-run, every test binary) built with ASan+UBSan
# into build-san/ by this Makefile's own rules, then the whole suite (tests/run.sh: unit
# tests and every scenario for real) with any sanitizer report failing it (tools/sanitize.sh).
# `make valgrind`: memcheck over balloon-run on scenarios/ and over the balloon on its own,
# in a limited cgroup (tools/valgrind.sh). Both need root for the scenarios.

SAN_B       := build-san
# UBSan stops at the first finding instead of printing and going on; -Werror keeps the
# sanitized build at zero warnings (-O1 lets GCC see more than -O0 would).
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_CFLAGS  := -O1 -g -fno-omit-frame-pointer $(SAN_FLAGS) -Werror
# Both runtimes linked in statically: shared, GCC's UBSan runtime never reads log_path and
# writes to stderr (which the runner drops for the balloon), and with only UBSan static,
# ASan's report bodies go to stderr too. Static, they share one copy of sanitizer_common
# and every report goes to UBSAN/ASAN_OPTIONS log_path (tools/sanitize.sh).
SAN_LDFLAGS := $(SAN_FLAGS) -static-libasan -static-libubsan

.PHONY: sanitize sanitize-build sanitize-bins valgrind
sanitize: sanitize-build
	@sh tools/sanitize.sh $(SAN_B)

# A sub-make: the same rules and variables, another build directory and flags. Make does
# not track flags: a build-san made with other ones is started afresh.
# The workload pack is the workload, not the harness: the sanitized runner runs the same
# programs as the normal one (instrumented, their memory would change the verdicts).
sanitize-build: workloads
	@f='$(SAN_CFLAGS) | $(SAN_LDFLAGS)'; \
	[ "$$(cat $(SAN_B)/.flags 2>/dev/null)" = "$$f" ] || rm -rf $(SAN_B); \
	mkdir -p $(SAN_B) && echo "$$f" >$(SAN_B)/.flags
	@ln -sfn ../$(B)/workloads $(SAN_B)/workloads
	@$(MAKE) --no-print-directory B=$(SAN_B) CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_LDFLAGS)' \
		BALLOON_LDFLAGS= sanitize-bins

# What `make test` builds, without running it (called in the sub-make, $(B) = build-san).
sanitize-bins: all $(UNIT_BIN) $(INTEG_BIN)

# The balloon dynamic, so that memcheck replaces its malloc too; a later make links it static
# again ($(B)/.balloon-ldflags).
valgrind:
	@$(MAKE) --no-print-directory BALLOON_LDFLAGS= all
	@sh tools/valgrind.sh $(B)

.PHONY: sanitize-clean
clean: sanitize-clean
sanitize-clean:
	rm -rf $(SAN_B)
