# `make deb`: build/balloon_VERSION_ARCH.deb, a Debian binary package of this tree: the
# workload pack is built first (make workloads), then what
# `make install DESTDIR=build/deb/debian/balloon PREFIX=/usr` puts there (mk/install.mk),
# packed by tools/mkdeb.sh with dpkg-deb (Depends from dpkg-shlibdeps). VERSION is
# common/version.h's HARNESS_VERSION, ARCH dpkg's. Check it with dpkg-deb --info/--contents;
# tests/ci.sh does, with lintian too. The systemd lane installs it in its guest (sysguest-deb).

DEB_VERSION := $(shell sed -n 's/^\#define HARNESS_VERSION "\(.*\)"$$/\1/p' common/version.h)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB         := $(B)/balloon_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_DIR     := $(B)/deb
DEB_DEPS    := $(B)/.deps-deb-ok
# Everything install copies and what packs it: a change to any of them makes a new package.
DEB_IN      := $(B)/balloon $(B)/balloon-run $(wildcard $(WL_DIR)/*) $(wildcard scenarios/*.ini) \
	       $(wildcard configs/*.ini) README.md LICENSE workloads/README.md common/version.h \
	       $(wildcard docs/*.md docs/*.png) \
	       $(MAN_PAGES) $(COMPLETIONS) mk/install.mk mk/deb.mk tools/mkdeb.sh

.PHONY: deb deb-deps
deb: $(DEB)

# dpkg-dev is optional: without it (as non-root, not installable) Depends come from ldd.
deb-deps: $(DEB_DEPS)
$(DEB_DEPS): tools/deps.sh | $(DEPS)
	@sh tools/deps.sh deb || true
	@touch $@

$(DEB): $(DEB_IN) $(WL_BIN) | $(DEB_DEPS)
	@[ -n '$(DEB_VERSION)' ] || { echo 'deb: no HARNESS_VERSION in common/version.h' >&2; exit 1; }
	@rm -rf $(DEB_DIR)
	@$(MAKE) --no-print-directory -s install DESTDIR=$(abspath $(DEB_DIR))/debian/balloon PREFIX=/usr
	@sh tools/mkdeb.sh $(DEB_DIR) $(DEB_VERSION) $(DEB_ARCH) $@
