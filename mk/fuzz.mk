# Fuzzing (libFuzzer): the scenario/config loader and the progress-line reader, built with
# clang and ASan+UBSan into $(B)/fuzz/. `make fuzz` fuzzes each target FUZZ_SECONDS;
# `make fuzz-smoke` (CI) replays tests/fuzz/regressions/ and the seeds, then fuzzes each
# target FUZZ_SMOKE_SECONDS and prints one TAP-like line per target (tests/fuzz/run.sh).

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 300
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_DIR           := $(B)/fuzz
FUZZ_TARGETS       := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_DEPS          := $(FUZZ_DIR)/.deps-ok
# Every UBSan finding aborts, so libFuzzer records it as a crash instead of scrolling past.
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer

fuzz_obj = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(1))
FUZZ_LIB_OBJ := $(call fuzz_obj,$(COMMON_SRC) $(RUNNER_SRC))
FUZZ_BIN     := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-deps fuzz-dict
fuzz-deps: $(FUZZ_DEPS)
$(FUZZ_DEPS): tools/deps.sh
	@mkdir -p $(dir $@)
	@sh tools/deps.sh fuzz
	@touch $@

fuzz-build: $(FUZZ_BIN)

# The code under test: instrumented for coverage (fuzzer-no-link), not linked with a main.
$(FUZZ_DIR)/obj/%.o: %.c | $(DEPS) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(WARN) $(PKG_CFLAGS) \
		-fsanitize=fuzzer-no-link $(FUZZ_SAN) -MMD -MP -c $< -o $@

# An archive, so a target links only the objects it reaches.
$(FUZZ_DIR)/libfuzzed.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# A static pattern rule: the target's object is not an intermediate file make deletes.
$(FUZZ_BIN): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/libfuzzed.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $(LDFLAGS) -o $@ $^ \
		$(PKG_LIBS) -lm

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh fuzz $(B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh smoke $(B) $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

# Regenerates the scenario dictionary from the key table (commit the result).
fuzz-dict: $(B)/balloon-run
	@mkdir -p $(FUZZ_DIR)
	sh tests/fuzz/gen-dict.sh $(B) >$(FUZZ_DIR)/scenario.dict.new
	mv $(FUZZ_DIR)/scenario.dict.new tests/fuzz/scenario.dict

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/obj/*/*/*.d)
