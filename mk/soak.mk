# make soak [SOAK_RUNS=1000]: N back-to-back scenario runs; cgroups, harness processes and the
# runner's open fds must be the same before and after (tests/soak.sh). Not part of make test;
# a 50-run version is (tests/integration/test_scenarios.c).
SOAK_RUNS ?= 1000
.PHONY: soak
soak: all
	@sh tests/soak.sh $(B) $(SOAK_RUNS)

# make soak-hang [HANG_RUNS=20]: each shipped hang scenario with a multi-threaded target (Go,
# the JVM, threads computing beside the waiter) run HANG_RUNS times; every run must be hung
# (tests/soak-hang.sh prints the count per scenario).
HANG_RUNS ?= 20
.PHONY: soak-hang
soak-hang: all workloads
	@sh tests/soak-hang.sh $(B) $(HANG_RUNS)
