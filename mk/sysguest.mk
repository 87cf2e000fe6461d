# The systemd cgroup v2 lane: the harness as its users run it on a systemd v2 host. A Debian 12
# root file system with systemd as PID 1 (mmdebstrap from the configured mirror, packed as an
# ext4 image), booted under qemu TCG with the busybox lane's cloud kernel (mk/guest.mk) as a
# virtio disk (snapshot=on: each boot starts from the same image). A small initramfs loads the
# virtio modules, copies the lane and the repo mirror /work over the root, and switch_roots
# to systemd; its driver unit runs each stage in its context (tools/sysguest/driver.sh):
#   session  root's logind login session on ttyS0 (session-N.scope, beside the login shell,
#            login and a sleep), service  lane.service (a system service, no Delegate=),
#   user     tester (uid 1000) in its own session (su -l), its lingering user@1000.service
#            (Debian 12 delegates "pids memory cpu" to it) reachable over the user bus.
# `make sysguest-build`: the image (cached: rebuilt only when tools/sysguest/packages, the
#   image scripts or the kernel's modules change) and the initramfs with the repo mirror
#   (rebuilt in seconds when the binaries or test files change).
# `make sysguest-shell CTX=session|service|user CMD='cat /proc/self/cgroup'`: one command in
#   one context, from the repo mirror; its output and exit status (a boot costs ~25 s).
# `make test-systemd`: the stages of SYSGUEST_STAGES (tools/sysguest/stages: for now a probe in
#   each context: its cgroup, who shares it, its controllers, delegation and the user bus), one
#   ok/not ok line each and the closing line of tests/run.sh. Stage service:deb installs the
#   .deb (make deb) and runs the installed runner; stage service:ci runs ci/commands.txt (its
#   build lines on the host first: make ci-build); listed, they make the lane build those.
# `make test-systemd-selftest`: proves the lane fails on a failing stage in each context, a
#   hang past the timeout and an image that does not mount, and passes only a passing run
#   (~3 min).
# Knobs: SYSGUEST_TIMEOUT (s, default 900), SYSGUEST_MEM (MiB, default 2048), SYSGUEST_STAGES.
#
# Measured on the 2-core TCG host (2026-11-23, the host shared with other work):
#   image from nothing 41-55 s (mmdebstrap 37-51 s, mkfs.ext4 -d 3-5 s); from cache 0.05 s
#   (make: nothing to do); the repo mirror after a change 0.8 s (boot.cpio, 7.3 MB); a fresh
#   clone's `make test-systemd` (build, kernel, image, run) 78 s. 330 MiB of files in a
#   1.4 GiB sparse image (364 MB on disk).
#   guest memory 2048 MiB (SYSGUEST_MEM); after boot ~200 MiB used, MemAvailable ~1.83 GB.
#   boot: systemd reports it finished at 11.6-17 s uptime (kernel 2.4-4.3 s + userspace
#   8.9-13 s); the first stage begins at 15-22 s (the session's getty, login and root's
#   user@0.service take ~4-5 s before it).
#   per context (probe stages): session 2.3-3.0 s, service 1.5-2.5 s (+1 s to start the
#   unit), user 3.0-4.0 s (+1 s for su's session); make test-systemd 25-35 s in all.
#   The whole root as an initramfs instead (measured once): the kernel unpacks 333 MB (6.4 s
#   instead of 3 s), the boot finishes 2-3 s later and ~310 MiB stay in RAM for good
#   (MemAvailable 1.52 GB): hence the disk, read on demand into reclaimable page cache.

SYSGUEST_DIR     := $(B)/sysguest
SYSGUEST_DEPS    := $(SYSGUEST_DIR)/.deps-ok
# The whole boot: three contexts run the integration suite (containers too), plus
# service:deb and service:ci; 17-30 min on this shared 2-core TCG host.
SYSGUEST_TIMEOUT ?= 2400
SYSGUEST_MEM     ?= 2048
SYSGUEST_STAGES  ?= tools/sysguest/stages
CTX              ?= session
SYSGUEST_RUN      = sh tools/sysguest/run.sh --timeout $(SYSGUEST_TIMEOUT) --mem $(SYSGUEST_MEM)
# What makes the image: a change to any of them rebuilds it (~1 min).
SYSGUEST_IMAGE_IN := tools/sysguest/packages tools/sysguest/mkrootfs.sh tools/sysguest/customize.sh
# What the initramfs carries: the lane's files and what the tests open by relative path.
SYSGUEST_BOOT_IN  := $(wildcard scenarios/*.ini configs/*.ini tests/scenarios/* tests/configs/* \
		     tests/report/* tests/integration/* tools/sysguest/units/*) README.md \
		     $(addprefix tools/sysguest/,mkboot.sh initrd.sh driver.sh stage.sh probe.sh \
		     session-profile.sh deb.sh ci.sh) $(wildcard $(B)/workloads/*) $(CI_COMMANDS)
# Stages that need more than the build, when SYSGUEST_STAGES lists them: sysguest-deb installs
# the .deb (mk/deb.mk); sysguest-ci runs ci/commands.txt, its build lines on the host first
# (make ci-build, mk/ci.mk: phony, so the initramfs is made again, ~1 s, each time).
sysguest_lists = $(shell grep -v '^[[:space:]]*\#' $(SYSGUEST_STAGES) 2>/dev/null | grep -qw -- $(1) && echo y)
SYSGUEST_EXTRA := $(if $(call sysguest_lists,sysguest-deb)$(call sysguest_lists,sysguest-ci),$(DEB)) \
		  $(if $(call sysguest_lists,sysguest-ci),ci-build)

.PHONY: sysguest-build sysguest-shell test-systemd test-systemd-selftest sysguest-deps sysguest-clean
# After the guest part and the kernel's download (which may update the package lists): under
# make -j their apt runs would fight over apt's locks.
sysguest-deps: $(SYSGUEST_DEPS)
$(SYSGUEST_DEPS): tools/deps.sh | $(GUEST_DEPS) $(GUEST_DIR)/vmlinuz
	@mkdir -p $(dir $@)
	@sh tools/deps.sh sysguest
	@touch $@

# The kernel's few modules (virtio disk, overlay, fuse, ...) come with it (tools/guest/fetch.sh);
# after the vmlinuz rule, so that two fetches never run at once.
$(GUEST_DIR)/modules/list: | $(GUEST_DIR)/vmlinuz
	@sh tools/guest/fetch.sh $(GUEST_DIR)

$(SYSGUEST_DIR)/rootfs.ext4: $(SYSGUEST_IMAGE_IN) $(GUEST_DIR)/modules/list | $(SYSGUEST_DEPS)
	@sh tools/sysguest/mkrootfs.sh $(GUEST_DIR) $(SYSGUEST_DIR)

# The guest's CPU is qemu's default model: code built for this host's CPU could fault there.
$(SYSGUEST_DIR)/boot.cpio: $(B)/balloon $(B)/balloon-run $(UNIT_BIN) $(INTEG_BIN) \
		$(GUEST_DIR)/debug-exit $(SYSGUEST_DIR)/rootfs.ext4 $(SYSGUEST_BOOT_IN) $(SYSGUEST_EXTRA) \
		$(CONTAINER_ROOTFS)/.ready
	@case ' $(CFLAGS) ' in *' -march=native '*) \
		echo 'sysguest: CFLAGS has -march=native; build the guest binaries without it' >&2; \
		exit 1;; esac
	@sh tools/sysguest/mkboot.sh $(B) $(GUEST_DIR) $(SYSGUEST_DIR)

sysguest-build: $(GUEST_DIR)/vmlinuz $(SYSGUEST_DIR)/rootfs.ext4 $(SYSGUEST_DIR)/boot.cpio

test-systemd: sysguest-build
	@$(SYSGUEST_RUN) --stages $(SYSGUEST_STAGES) $(SYSGUEST_DIR) $(GUEST_DIR)

# make test runs the lane as its last stage (tests/all.sh), with the same command.
test: sysguest-build
test: export SYSGUEST_LANE := $(SYSGUEST_RUN) --stages $(SYSGUEST_STAGES) $(SYSGUEST_DIR) $(GUEST_DIR)

# CMD reaches the shell unexpanded by make ($$?, quotes and all) through the environment.
sysguest-shell: export SYSGUEST_CMD := $(value CMD)
sysguest-shell: sysguest-build
	@[ -n "$$SYSGUEST_CMD" ] || { echo "usage: make sysguest-shell CTX=session|service|user CMD='shell command'" >&2; exit 2; }
	@$(SYSGUEST_RUN) --ctx $(CTX) --cmd "$$SYSGUEST_CMD" $(SYSGUEST_DIR) $(GUEST_DIR)

# The lane's own failure paths: a failing stage and a hang past the timeout must fail it.
test-systemd-selftest: sysguest-build
	@sh tools/sysguest/selftest.sh $(SYSGUEST_DIR) $(GUEST_DIR)

sysguest-clean:
	rm -rf $(SYSGUEST_DIR)
