# make soak [SOAK_RUNS=1000]: N back-to-back scenario runs; cgroups, harness processes and the
# runner's open fds must be the same before and after (tests/soak.sh). Not part of make test;
# a 50-run version is (tests/integration/test_scenarios.c).
SOAK_RUNS ?= 1000
.PHONY: soak
soak: all
	@sh tests/soak.sh $(B) $(SOAK_RUNS)
