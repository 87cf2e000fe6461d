# Turns the guest's serial console into results (the line protocol is in tools/guest/init.sh).
# Only lines starting "@@g " count; kernel messages and anything else on the console are
# ignored, so a panic or a truncated run can only lose lines, never add a passing one.
# Variables (awk -v):
#   mode      "test": per-test ok/not ok lines, each prefixed with its stage, and a check
#             that every stage in `expected` began and ended; "cmd": the command's output as is
#   expected  space-separated stage names the guest must run (test mode)
#   state     file that gets "PASSED FAILED SKIPPED DONE STATUS" at the end (DONE is 1 when
#             the sentinel was seen, STATUS the number on it)
# usage: qemu ... | awk -v mode=test -v expected="..." -v state=FILE -f parse.awk

function note(text) { print text; fflush() }

BEGIN { passed = failed = skipped = done = 0; status = -1; first = "" }

{ sub(/\r$/, "") }
!/^@@g / { next }

$2 == "info" {
	if (mode == "test") note("# guest: " substr($0, length("@@g info ") + 1))
	next
}

$2 == "begin" {
	stage = $3
	began[stage] = 1
	t0[stage] = $4
	if (first == "" && mode == "test") note("# guest: booted, first stage at " $4 " s uptime")
	first = $4
	if (mode == "test") note("# " stage)
	next
}

$2 == "out" {
	stage = $3
	text = substr($0, length("@@g out " stage " ") + 1)
	if (mode == "cmd") { note(text); next }
	# A SKIP directive wins over ok/not ok: cmocka writes a skipped test as "not ok N # SKIP".
	if (text ~ /^(not )?ok [0-9]* *(- .*)?# *SKIP/) {
		skipped++
		sub(/^(not )?ok [0-9]* *-? */, "", text)
		note("ok - " stage ": " text)
	} else if (text ~ /^not ok /) {
		nfail[stage]++
		failed++
		sub(/^not ok [0-9]* *-? */, "", text)
		note("not ok - " stage ": " text)
	} else if (text ~ /^ok /) {
		passed++
		sub(/^ok [0-9]* *-? */, "", text)
		note("ok - " stage ": " text)
	} else {
		note("#   " text)
	}
	next
}

# A stage that failed without saying which test (a setup failure, a runner that refused
# the machine) still fails: as tests/run.sh does on the host.
$2 == "end" {
	stage = $3
	ended[stage] = 1
	rc[stage] = $4
	if (mode == "test") {
		if ($4 != 0 && nfail[stage] == 0) {
			failed++
			note("not ok - " stage ": exited with status " $4 " without a failing test line")
		}
		if (t0[stage] != "" && $5 != "")
			note(sprintf("# %s: status %s, %.1f s", stage, $4, $5 - t0[stage]))
	}
	next
}

$2 == "guest" && $3 == "done" {
	done = 1
	status = $4
	if (mode == "test" && $5 != "") note(sprintf("# guest: done at %.1f s uptime", $5))
	next
}

END {
	if (mode == "test") {
		n = split(expected, want, " ")
		for (i = 1; i <= n; i++) {
			if (!began[want[i]]) {
				failed++
				note("not ok - " want[i] ": never ran in the guest")
			} else if (!ended[want[i]]) {
				failed++
				note("not ok - " want[i] ": did not finish (the guest stopped during it)")
			}
		}
	}
	print passed, failed, skipped, done, status > state
}
