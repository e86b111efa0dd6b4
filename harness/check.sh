#!/usr/bin/env bash
# make check: every test stage in order. A stage that fails is named; the
# run ends with one line "N passed, N failed" summed over all stages.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
passed=0 failed=0 skipped=0 failed_stages=()
start=$SECONDS

# run_stage NAME CMD...: a stage that writes $RESULTS/NAME.counts is counted
# test by test; one that does not counts as a single test.
run_stage() {
	local name=$1 t0=$SECONDS rc=0; shift
	step "stage $name"
	"$@" || rc=$?
	if [ -f "$RESULTS/$name.counts" ]; then
		read -r p f s <"$RESULTS/$name.counts"
	elif [ "$rc" = 0 ]; then p=1 f=0 s=0
	else p=0 f=1 s=0; fi
	[ "$rc" = 0 ] || [ "$f" -gt 0 ] || f=1
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$rc" != 0 ]; then failed_stages+=("$name"); fi
	printf 'stage %s: %s passed, %s failed, %s skipped (%ds)\n' "$name" "$p" "$f" "$s" $((SECONDS - t0)) |
		tee -a "$RESULTS/summary.txt"
	return "$rc"
}

# Without a toolchain or a tree nothing else can run.
run_stage setup "$HARNESS/setup-toolchain.sh" &&
	run_stage tree "$HARNESS/kernel-tree.sh"
prep=$?
if [ "$prep" = 0 ]; then
	run_stage apply "$HARNESS/apply-check.sh"
	run_stage mirror "$HARNESS/mirror.sh" check
	# KUnit on UML, as the kernel's CI runs it; the same suites on SMP
	# x86-64 run in the debug kernel's boot below (stage kunit-debug).
	run_stage kunit "$HARNESS/kunit.sh"
	# The nlmon suite on the C driver, built in, from the series'
	# drivers/net/.kunitconfig.
	run_stage kunit-c env KUNIT_C=1 "$HARNESS/kunit.sh"
	run_stage series "$HARNESS/series-check.sh"
	if run_stage vm-build "$HARNESS/build-vm.sh"; then
		# Misuse the abstractions once allowed must not build.
		run_stage compile-fail "$HARNESS/compile-fail.sh"
		run_stage vm-smoke "$HARNESS/vm-smoke.sh"
		# The VM stages from a checkout under /var/tmp and in a path
		# with a space.
		run_stage paths "$HARNESS/paths-check.sh"
		run_stage vm-selftest "$HARNESS/vm-selftest.sh"
	fi
	# The debug kernel (its own build): KUnit, the MTU edges, 200 fuzzed
	# requests, the special cases but those vm-selftest checks under both
	# drivers and the team case (the bond case enslaves too); out/stress/.
	# make stress runs all of it, longer (10,000 requests), and what
	# make check leaves to it: the permission checks, which are the
	# core's (rtnetlink's and af_packet's), not a driver's, and every
	# stress loop at once for 300 s (KUnit's concurrent-capture case
	# stays here). Its KUnit results count as a stage of their own.
	run_stage stress env FUZZ_COUNT=200 NETNS_MOVES=3 \
		CASES="big multicast whitelist userns moves bond" \
		STRESS_PARTS="kunit mtu fuzz cases" STRESS_STAGE=stress \
		"$HARNESS/stress.sh"
	run_stage kunit-debug awk '{ exit !($1 > 0 && $2 == 0) }' "$RESULTS/kunit-debug.counts"
fi

echo "make check took $((SECONDS - start)) s"
if [ ${#failed_stages[@]} -gt 0 ]; then
	echo "FAILED stages: ${failed_stages[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ ${#failed_stages[@]} = 0 ]
