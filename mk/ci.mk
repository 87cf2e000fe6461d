# The CI recipes in ci/ (GitHub Actions, GitLab CI, a Kubernetes Job per node; docs/ci.md),
# kept to the commands of ci/commands.txt:
# `make test-ci`: tests/ci.sh, every YAML file under ci/ parses, each recipe runs exactly the
#   canonical commands, the .deb's fields, contents and lintian, install and uninstall
#   (tests/all.sh runs it as a stage of make test).
# `make ci-build`: the build lines of ci/commands.txt run as they are (tools/ci-build.sh),
#   which the systemd lane does before its image when its stage service:ci is listed
#   (mk/sysguest.mk); the guest then runs the other lines (tools/sysguest/ci.sh).

CI_COMMANDS := ci/commands.txt
CI_DEPS     := $(B)/.deps-ci-ok
CI_RECORD   := $(B)/ci-build.txt

.PHONY: test-ci ci-build ci-deps
ci-deps: $(CI_DEPS)
$(CI_DEPS): tools/deps.sh | $(DEPS)
	@sh tools/deps.sh ci
	@touch $@

test-ci: all workloads $(DEB) | $(CI_DEPS)
	@sh tests/ci.sh $(B)
# make test runs it as a stage (tests/all.sh): what it needs is built first.
test: $(DEB) $(CI_DEPS)

# After the outer make built what the lines build: their makes find nothing to do then, and
# two makes never build one file at once under -j. '+': the inner makes share the jobserver.
ci-build: $(B)/balloon $(B)/balloon-run $(WL_BIN)
	+@sh tools/ci-build.sh $(CI_COMMANDS) $(CI_RECORD)
