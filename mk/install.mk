# `make install` (PREFIX=/usr/local, DESTDIR): the two programs, the shipped scenarios and
# configs, the workload pack as `make workloads` built it (install does not build it: as root
# that would install Go and a JDK; a program not built is left out, with a note) and the docs. `make uninstall` removes exactly
# the files install puts there, then the directories of its own it made, if they are empty.
#   PREFIX/bin/balloon, balloon-run
#   PREFIX/share/balloon/scenarios/*.ini, configs/*.ini
#   PREFIX/lib/balloon/workloads/*      balloon-run looks there, ../lib/balloon/workloads from
#                                       its own directory (runner/paths.c)
#   PREFIX/share/doc/balloon/README.md, LICENSE, workloads/README.md, docs/*.md and the
#                                       images they show (README.md links into docs/)
#   PREFIX/share/man/man1, man5         MAN_PAGES (below)
#   PREFIX/share/bash-completion/completions   COMPLETIONS (below)

BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/balloon
WLIDIR   = $(PREFIX)/lib/balloon/workloads
DOCDIR   = $(PREFIX)/share/doc/balloon
MANDIR   = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

# Man pages and completions come from mk/man.mk (read before this file): MAN_PAGES names files
# NAME.1 or NAME.5, each installed into share/man/man1 or man5 by its suffix, as it is (not
# compressed); COMPLETIONS names bash completion files after their command, installed under
# that name. make install, uninstall and deb take them up.

# What install copies from the tree; the workload pack's names are those mk/workloads.mk builds.
INST_SCENARIOS := $(notdir $(wildcard scenarios/*.ini))
INST_CONFIGS   := $(notdir $(wildcard configs/*.ini))
INST_WORKLOADS := $(WL_GO) $(WL_C) jhog jhog.jar
INST_DOCS      := README.md LICENSE
INST_DOCPAGES  := $(notdir $(wildcard docs/*.md docs/*.png))
MAN1 := $(filter %.1,$(MAN_PAGES))
MAN5 := $(filter %.5,$(MAN_PAGES))

.PHONY: install uninstall
install: all
	@case '$(filter-out %.1 %.5,$(MAN_PAGES))' in ?*) \
		echo 'install: MAN_PAGES: $(filter-out %.1 %.5,$(MAN_PAGES)): not NAME.1 or NAME.5' >&2; \
		exit 2;; esac
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/configs \
		$(DESTDIR)$(WLIDIR) $(DESTDIR)$(DOCDIR)/workloads $(DESTDIR)$(DOCDIR)/docs
	install -m 755 $(B)/balloon $(B)/balloon-run $(DESTDIR)$(BINDIR)/
	install -m 644 $(addprefix scenarios/,$(INST_SCENARIOS)) $(DESTDIR)$(DATADIR)/scenarios/
	install -m 644 $(addprefix configs/,$(INST_CONFIGS)) $(DESTDIR)$(DATADIR)/configs/
	@# Only what was built: a missing toolchain left NAME.skip instead of the program.
	@echo 'install: the workload pack, what $(WL_DIR) holds, into $(DESTDIR)$(WLIDIR)/'
	@for f in $(INST_WORKLOADS); do \
		[ -f $(WL_DIR)/$$f ] || { echo "install: workload $$f not built (make workloads), left out"; continue; }; \
		case $$f in *.jar) m=644;; *) m=755;; esac; \
		install -m $$m $(WL_DIR)/$$f $(DESTDIR)$(WLIDIR)/ || exit 1; \
	done
	install -m 644 $(INST_DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 644 workloads/README.md $(DESTDIR)$(DOCDIR)/workloads/
	install -m 644 $(addprefix docs/,$(INST_DOCPAGES)) $(DESTDIR)$(DOCDIR)/docs/
	$(if $(MAN1),install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN5),install -d $(DESTDIR)$(MANDIR)/man5 && install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(COMPLETIONS),install -d $(DESTDIR)$(BASHCOMPDIR) && \
		install -m 644 $(COMPLETIONS) $(DESTDIR)$(BASHCOMPDIR)/)

# Files first, then only the directories install made for this package alone (bin, man and
# the completions directory are shared with other packages: they stay).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/balloon $(DESTDIR)$(BINDIR)/balloon-run
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/scenarios/,$(INST_SCENARIOS))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/configs/,$(INST_CONFIGS))
	rm -f $(addprefix $(DESTDIR)$(WLIDIR)/,$(INST_WORKLOADS))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(INST_DOCS) workloads/README.md)
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/docs/,$(INST_DOCPAGES))
	$(if $(MAN1),rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))))
	$(if $(MAN5),rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))))
	$(if $(COMPLETIONS),rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(notdir $(COMPLETIONS))))
	@for d in $(DATADIR)/scenarios $(DATADIR)/configs $(DATADIR) $(WLIDIR) \
		$(PREFIX)/lib/balloon $(DOCDIR)/workloads $(DOCDIR)/docs $(DOCDIR); do \
		[ ! -d $(DESTDIR)$$d ] || rmdir $(DESTDIR)$$d 2>/dev/null || \
			echo "uninstall: $(DESTDIR)$$d: not empty, left in place"; \
	done
