# The cgroup v2 guest lane: this host runs cgroup v1, so v2 is tested in a qemu TCG guest
# booting Debian's cloud kernel with a busybox initramfs (tools/guest/). Everything it fetches
# or builds lives in $(GUEST_DIR); the kernel .deb is downloaded once, never installed.
# `make test-v2`: the unit tests and the v2 scenario suite in the guest, one ok/not ok line
#   per test and the closing line of tests/run.sh (tests/all.sh runs it as a stage).
# `make guest-shell CMD='balloon-run -v scenarios/oom_killed.ini'`: one command in the guest's
#   repo mirror, its output and exit status (a boot costs ~3 s).
# `make test-v2-selftest`: proves the lane fails on a panic, a failing test and a timeout.
# Knobs: GUEST_TIMEOUT (s, default 900), GUEST_MEM (MiB, default 2048), GUEST_CGROUP (/NAME:
#   run from a nested cgroup instead of the root), GUEST_SWAP (a zram swap device of that size,
#   default 512M; 0 = none): test-v2 runs everything without swap first, then, with swap on,
#   the scenarios that require it; guest-shell has it ready but off (`swapon /dev/zram0`).

GUEST_DIR     := $(B)/guest
GUEST_DEPS    := $(GUEST_DIR)/.deps-ok
GUEST_TIMEOUT ?= 900
GUEST_MEM     ?= 2048
GUEST_CGROUP  ?=
GUEST_SWAP    ?= 512M
GUEST_RUN      = sh tools/guest/run.sh --timeout $(GUEST_TIMEOUT) --mem $(GUEST_MEM) \
		 $(if $(GUEST_CGROUP),--cgroup $(GUEST_CGROUP)) --swap $(GUEST_SWAP)
# What the guest's tests open by relative path: a change to any of them rebuilds the image.
GUEST_FILES   := $(wildcard scenarios/*.ini configs/*.ini tests/scenarios/* tests/configs/*) \
		 README.md $(wildcard docs/*) workloads/README.md tests/fuzz/README.md \
		 tools/guest/init.sh tools/guest/mkinitramfs.sh

.PHONY: test-v2 test-v2-selftest guest-shell guest-build guest-deps guest-clean
# apt runs one at a time: under make -j, the build's install, this one and the kernel's
# download (which may update the package lists) would fight over apt's locks.
guest-deps: $(GUEST_DEPS)
$(GUEST_DEPS): tools/deps.sh | $(DEPS)
	@mkdir -p $(dir $@)
	@sh tools/deps.sh guest
	@touch $@

# Only an order-only prerequisite: once there, the kernel is never fetched again (guest-clean).
$(GUEST_DIR)/vmlinuz: | $(GUEST_DEPS)
	@sh tools/guest/fetch.sh $(GUEST_DIR)

# Static: it runs in the guest before anything else and needs no loader.
$(GUEST_DIR)/debug-exit: tools/guest/debug_exit.c | $(DEPS)
	@mkdir -p $(dir $@)
	$(CC) -static -O2 $(WARN) -o $@ $<

# The guest's CPU is qemu's default model: code built for this host's CPU could fault there.
$(GUEST_DIR)/initramfs.cpio: $(B)/balloon $(B)/balloon-run $(UNIT_BIN) $(INTEG_BIN) \
		$(GUEST_DIR)/debug-exit $(GUEST_FILES) $(WL_BIN) | $(GUEST_DEPS)
	@case ' $(CFLAGS) ' in *' -march=native '*) \
		echo 'guest: CFLAGS has -march=native; build the guest binaries without it' >&2; \
		exit 1;; esac
	@sh tools/guest/mkinitramfs.sh $(B) $(GUEST_DIR)

guest-build: $(GUEST_DIR)/vmlinuz $(GUEST_DIR)/initramfs.cpio
# make test runs the lane as its last stage (tests/all.sh).
test: guest-build

# The lane's own failure paths: a panic, a failing, crashing or cut-short test, a hang past
# the timeout must each fail it; only an all-passing guest may pass (~25 s).
test-v2-selftest: guest-build
	@sh tools/guest/selftest.sh $(GUEST_DIR)

test-v2: guest-build
	@$(GUEST_RUN) $(GUEST_DIR)

# CMD reaches the shell unexpanded by make ($$?, quotes and all) through the environment.
guest-shell: export GUEST_CMD := $(value CMD)
guest-shell: guest-build
	@[ -n "$$GUEST_CMD" ] || { echo "usage: make guest-shell CMD='shell command'" >&2; exit 2; }
	@$(GUEST_RUN) --cmd "$$GUEST_CMD" $(GUEST_DIR)

guest-clean:
	rm -rf $(GUEST_DIR)
