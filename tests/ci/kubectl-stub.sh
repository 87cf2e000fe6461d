#!/bin/sh
# A stand-in for kubectl, for tests/ci.sh: lets ci/kubernetes/run-fleet.sh run its whole
# course without a cluster. Two nodes: n1 (no label: cgroup v2) whose harness exits 0, n2
# (labelled balloon/cgroup=v1) whose harness exits 1. Every call is appended to
# $STUB_DIR/calls; each applied manifest is kept as $STUB_DIR/applied.N.yaml; kubectl cp
# writes a junit.xml into the destination.
# usage: as kubectl on PATH, with STUB_DIR set
d=${STUB_DIR:?STUB_DIR not set}
echo "$*" >>"$d/calls"
# The pod of a job, and which node's it is: the stub names pods after their job.
node_of_pod() { case $1 in *-n1-*) echo n1 ;; *) echo n2 ;; esac; }
[ "$1" = -n ] && shift 2
case "$1 $2" in
"get nodes") echo "n1 n2" ;;
"get node")
	[ "$3" = n2 ] && echo v1
	;;
"apply -f")
	if [ "$3" = - ]; then
		k=$(($(ls "$d"/applied.*.yaml 2>/dev/null | wc -l) + 1))
		cat >"$d/applied.$k.yaml"
	fi
	;;
"get pod")
	case $3 in
	-l) echo "pod-${4#job-name=}" ;;
	*) if [ "$(node_of_pod "$3")" = n1 ]; then echo 0; else echo 1; fi ;;
	esac
	;;
"cp -c")
	dest=$5
	mkdir -p "$dest"
	printf '<testsuites><testsuite name="balloon" tests="1"><testcase name="oom_killed"/></testsuite></testsuites>\n' \
		>"$dest/junit.xml"
	;;
"exec -c" | "delete job") ;;
"logs "*)
	if [ "$(node_of_pod "$2")" = n1 ]; then
		echo "# 19 scenarios in 38.0 s: 16 met, 0 not met, 0 broken, 3 skipped"
	else
		echo "# 19 scenarios in 40.1 s: 15 met, 1 not met, 0 broken, 3 skipped"
	fi
	;;
*)
	echo "kubectl-stub: unexpected call: $*" >&2
	exit 1
	;;
esac
