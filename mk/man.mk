# Man pages and bash completions, generated from the tables they document (tools/gendocs/:
# balloon_opts[], runner_opts[], exit_codes[], the scenario and config key tables, and the
# --help texts for synopsis and examples), so they cannot drift from the programs.
# `make man`: build/man/balloon.1, balloon-run.1, balloon-run.ini.5 and
#   build/completion/balloon, balloon-run (for share/bash-completion/completions/).
# The generator links the libraries the programs are made of: a changed table relinks it, and
# every page is written again. tests/man.sh checks them (docs/manpages.md).
# Read before mk/install.mk and mk/deb.mk (the Makefile's FIRST_MK): they take MAN_PAGES and
# COMPLETIONS as they are read.

GENDOCS     := $(B)/tools/gendocs
GENDOCS_OBJ := $(call obj,$(wildcard tools/gendocs/*.c))
MAN_PAGES   := $(B)/man/balloon.1 $(B)/man/balloon-run.1 $(B)/man/balloon-run.ini.5
COMPLETIONS := $(B)/completion/balloon $(B)/completion/balloon-run

.PHONY: man
man: $(MAN_PAGES) $(COMPLETIONS)

$(GENDOCS): $(GENDOCS_OBJ) $(B)/librunner.a $(B)/libballoon.a $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(B)/man/%: $(GENDOCS)
	@mkdir -p $(dir $@)
	$(GENDOCS) $* $@

$(B)/completion/%: $(GENDOCS)
	@mkdir -p $(dir $@)
	$(GENDOCS) completion/$* $@

# Made with the programs (make, so make test and the sanitized build too): tests/run.sh checks
# them (tests/man.sh), and on the sanitized build the generator itself runs under ASan+UBSan.
all: man

# The escaping's unit test (tests/unit/test_roff.c) links the generator object it tests,
# which is in none of the libraries.
$(B)/tests/test_roff: $(call obj,tools/gendocs/roff.c)
