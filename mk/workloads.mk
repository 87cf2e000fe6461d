# The workload pack (workloads/, its README says what each program replays): `make workloads`
# builds every program into $(B)/workloads/NAME -- Go ones (standard library only, never a
# module download) with golang-go, gocrash with cgo, C ones with $(CC), jhog with the JDK.
# With a toolchain missing (as non-root, tools/deps.sh workloads only names the packages),
# that program is skipped with a one-line note and NAME.skip holds the reason; the rest build.
# `make test-workloads`: their smoke test (tests/workloads.sh; the run checks need root).

WL_DIR     := $(B)/workloads
WL_GO      := goheap gohog matrix gocrash
WL_C       := poolsrv httpload spinwait stepfree hotset
WL_GO_BIN  := $(addprefix $(WL_DIR)/,$(WL_GO))
WL_C_BIN   := $(addprefix $(WL_DIR)/,$(WL_C))
WL_BIN     := $(WL_GO_BIN) $(WL_C_BIN) $(WL_DIR)/jhog
WL_DEPS    := $(WL_DIR)/.deps-ok
# Shared by the Go programs / by the C programs (units.c parses sizes as the harness does).
WL_GO_LIB  := workloads/go/go.mod $(wildcard workloads/go/internal/*/*.go)
WL_C_LIB   := workloads/c/wl.c workloads/c/wl.h common/units.c common/msg.c

# Everything go writes stays in the build directory: no proxy, no VCS stamping, no
# configuration file or cache under $HOME.
WL_GOENV = GOPROXY=off GOFLAGS='-mod=mod -buildvcs=false' GOENV=off GOTOOLCHAIN=local \
	   GO111MODULE=on GOCACHE=$(abspath $(WL_DIR))/.go/cache \
	   GOPATH=$(abspath $(WL_DIR))/.go/path

# Tools are looked up when a recipe runs, after $(WL_DEPS) may have installed them.
# $(call wl_missing,CMD:PACKAGE ...): the first pair whose command is not on PATH, or nothing.
wl_missing = $(firstword $(foreach p,$(1),$(if $(shell command -v \
	$(firstword $(subst :, ,$(p))) 2>/dev/null),,$(p))))
wl_why = $(firstword $(subst :, ,$(1))) not found (Debian package $(lastword $(subst :, ,$(1))))
# $(call wl_build,NAME,CMD:PACKAGE ...,COMMAND): the recipe line that runs COMMAND; with a tool
# missing, one note instead and NAME.skip with the reason (scenarios can SKIP with it).
wl_build = $(if $(call wl_missing,$(2)),@echo "workloads: $(1) skipped: $(call wl_why,$(call \
	wl_missing,$(2)))"; echo "$(call wl_why,$(call wl_missing,$(2)))" >$(WL_DIR)/$(1).skip,\
	rm -f $(WL_DIR)/$(1).skip && $(3))

.PHONY: workloads test-workloads workloads-deps
workloads: $(WL_BIN)

# As root the missing toolchains are installed; otherwise deps.sh names them and each
# program's own check skips it.
workloads-deps: $(WL_DEPS)
$(WL_DEPS): tools/deps.sh
	@mkdir -p $(WL_DIR)
	@sh tools/deps.sh workloads && touch $@ || true

# Pure Go, linked statically (CGO_ENABLED=0): they need no C compiler.
$(filter-out %/gocrash,$(WL_GO_BIN)): $(WL_DIR)/%: workloads/go/%/main.go $(WL_GO_LIB) | $(WL_DEPS)
	$(call wl_build,$*,go:golang-go,cd workloads/go && $(WL_GOENV) CGO_ENABLED=0 \
		go build -trimpath -o $(abspath $@) ./$*)

# cgo: the C part must be clean with $(WARN) on its own (cgo's generated glue is not).
$(WL_DIR)/gocrash: workloads/go/gocrash/main.go workloads/go/gocrash/crash.c \
		workloads/go/gocrash/crash.h $(WL_GO_LIB) | $(WL_DEPS)
	$(call wl_build,gocrash,go:golang-go $(CC):gcc,\
		$(CC) $(CPPFLAGS) $(WARN) -fsyntax-only workloads/go/gocrash/crash.c && \
		cd workloads/go && $(WL_GOENV) CGO_ENABLED=1 CC='$(CC)' \
		go build -trimpath -o $(abspath $@) ./gocrash)

$(WL_C_BIN): $(WL_DIR)/%: workloads/c/%.c $(WL_C_LIB) | $(WL_DEPS)
	$(call wl_build,$*,$(CC):gcc,$(CC) $(CPPFLAGS) -Iworkloads/c $(CFLAGS) $(WARN) \
		$(LDFLAGS) -o $@ $(filter %.c,$^) -pthread)

# A jar and a launcher (java must be on PATH when it runs; the launcher says so if not).
$(WL_DIR)/jhog: workloads/java/JHog.java workloads/java/jhog.sh | $(WL_DEPS)
	$(call wl_build,jhog,javac:default-jdk-headless jar:default-jdk-headless,\
		rm -rf $(WL_DIR)/jhog.classes && \
		javac -Xlint:all -Werror -d $(WL_DIR)/jhog.classes workloads/java/JHog.java && \
		jar --create --file $(WL_DIR)/jhog.jar -C $(WL_DIR)/jhog.classes . && \
		install -m 755 workloads/java/jhog.sh $@)

test-workloads: workloads
	@sh tests/workloads.sh $(B)
