# Containers as targets ([target] container = podman, run/container.c): podman, runc (the
# runtime for cgroup v1 hosts) and the shipped container scenarios' root file system.
# `make container-rootfs`: build/container/rootfs (tools/container/mkrootfs.sh: Debian's libc6
#   and busybox-static by mmdebstrap, the workload pack's programs in /usr/local/bin). The
#   scenarios name it as ../build/container/rootfs, so it is not under a different $(B).
#   As non-root it is not made (mmdebstrap --mode=root): the container scenarios then SKIP
#   and say how to make it.
# Measured on the 2-core host: the base from nothing 4-5 s (16 MiB), from cache 0 s; the
# programs copied again after a workload changed 0.1 s.

CONTAINER_DIR    := build/container
CONTAINER_ROOTFS := $(CONTAINER_DIR)/rootfs
CONTAINER_DEPS   := $(CONTAINER_DIR)/.deps-ok

.PHONY: container-rootfs
container-rootfs: $(CONTAINER_ROOTFS)/.ready

$(CONTAINER_DEPS): tools/deps.sh
	@mkdir -p $(CONTAINER_DIR)
	@sh tools/deps.sh container && touch $@ || true

$(CONTAINER_ROOTFS)/.ready: tools/container/mkrootfs.sh $(WL_BIN) | $(CONTAINER_DEPS)
	@if [ "$$(id -u)" = 0 ]; then \
		sh tools/container/mkrootfs.sh $(CONTAINER_ROOTFS) $(WL_DIR); \
	else \
		echo "container-rootfs: not made as non-root (mmdebstrap --mode=root);" \
			"container scenarios will SKIP"; \
	fi
