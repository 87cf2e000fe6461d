#!/bin/sh
# Runs the shipped scenarios once on every node of a Kubernetes cluster (kubectl's current
# context) and collects each node's report as JUnit: one Job per node from job-cgroup2.yaml,
# or job-cgroup1.yaml for nodes labelled balloon/cgroup=v1; waits for each harness container
# to end, copies /reports out of its results container (kubectl cp) into OUT/NODE/, then lets
# the pod end and deletes the Job. Prints one TAP line per node (its exit status and the
# summary line of its run) and the closing line `tests: P passed, F failed, S skipped`.
# usage: ci/kubernetes/run-fleet.sh [--out DIR] [--timeout S] [--print] IMAGE [NODE...]
#   IMAGE     the harness image (ci/kubernetes/Dockerfile), pullable by every node
#   NODE...   the nodes to run on (default: every node)
#   --out     where the reports go (default balloon-fleet), OUT/NODE/junit.xml each
#   --timeout seconds to wait for the runs, all nodes at once (default 2400)
#   --print   print each node's Job manifest instead of applying it (nothing is run)
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=balloon-fleet timeout=2400 print=""
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 && shift ;;
	--timeout) timeout=$2 && shift ;;
	--print) print=y ;;
	-*) echo "run-fleet: unknown option $1" >&2 && exit 2 ;;
	*) break ;;
	esac
	shift
done
image=${1:?usage: run-fleet.sh [--out DIR] [--timeout S] [--print] IMAGE [NODE...]}
shift
ns=balloon

# A Job name for a node: DNS-1123, at most 63 characters, unique per node name.
job_name() { # NODE
	sum=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
	printf 'balloon-%s-%s' "$(printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9-' '-' | cut -c1-40)" "$sum"
}

# The node's manifest: job-cgroup1.yaml for nodes labelled balloon/cgroup=v1.
manifest() { # NODE CGROUP
	f=$here/job-cgroup2.yaml
	[ "$2" = v1 ] && f=$here/job-cgroup1.yaml
	sed -e "s|\${JOB}|$(job_name "$1")|g" -e "s|\${NODE}|$1|g" -e "s|\${IMAGE}|$image|g" "$f"
}

cgroup_of() { # NODE
	if [ -n "$print" ]; then echo "${CGROUP:-v2}"; return; fi
	kubectl get node "$1" -o jsonpath='{.metadata.labels.balloon/cgroup}' 2>/dev/null | grep . || echo v2
}

if [ $# -eq 0 ]; then
	[ -z "$print" ] || { echo "run-fleet: --print needs the node names" >&2; exit 2; }
	# shellcheck disable=SC2046 # node names have no spaces
	set -- $(kubectl get nodes -o jsonpath='{.items[*].metadata.name}') || exit 1
fi
if [ -n "$print" ]; then
	for node; do manifest "$node" "$(cgroup_of "$node")"; done
	exit 0
fi

kubectl apply -f "$here/namespace.yaml" >/dev/null || exit 1
for node; do
	manifest "$node" "$(cgroup_of "$node")" | kubectl apply -f - >/dev/null || exit 1
	echo "# $node: job $(job_name "$node") ($(cgroup_of "$node"))"
done

# The harness container's exit status once it ended, else nothing.
harness_rc() { # POD
	kubectl -n "$ns" get pod "$1" -o \
		jsonpath='{.status.containerStatuses[?(@.name=="harness")].state.terminated.exitCode}' 2>/dev/null
}

# The Jobs run at once, one per node: one deadline for them all.
passed=0 failed=0 n=0
deadline=$(($(date +%s) + timeout))
mkdir -p "$out"
for node; do
	n=$((n + 1))
	job=$(job_name "$node")
	pod="" rc=""
	while [ "$(date +%s)" -lt "$deadline" ]; do
		pod=$(kubectl -n "$ns" get pod -l "job-name=$job" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null)
		[ -n "$pod" ] && rc=$(harness_rc "$pod")
		[ -n "$rc" ] && break
		sleep 10
	done
	if [ -z "$rc" ]; then
		echo "not ok $n - $node: the harness did not end within $timeout s (pod ${pod:-none}; job $job left for a look)"
		failed=$((failed + 1))
		continue
	fi
	# kubectl cp needs tar in the container: the harness image (Debian) has it.
	rm -rf "${out:?}/$node"
	kubectl -n "$ns" cp -c results "$pod:/reports" "$out/$node" >/dev/null 2>&1 ||
		echo "# $node: kubectl cp of /reports failed"
	kubectl -n "$ns" exec -c results "$pod" -- touch /reports/.collected >/dev/null 2>&1
	summary=$(kubectl -n "$ns" logs "$pod" -c harness 2>/dev/null | grep -E '^# [0-9]+ scenarios in ' | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -s "$out/$node/junit.xml" ]; then
		echo "ok $n - $node: ${summary#\# } ($out/$node/junit.xml)"
		passed=$((passed + 1))
	else
		echo "not ok $n - $node: balloon-run exited $rc: ${summary#\# }${summary:+ }(report: $out/$node/)"
		failed=$((failed + 1))
	fi
	kubectl -n "$ns" delete job "$job" --wait=false >/dev/null 2>&1
done
echo "tests: $passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
