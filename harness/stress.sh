#!/usr/bin/env bash
# make stress: the nlmon drivers on the debug VM kernel (KASAN, lockdep,
# kmemleak, DEBUG_NET, Rust assertions; build-debug-vm.sh), in one boot:
#
#   kunit       the KUnit suites built in (run at boot) and the nlmon suite
#               under the Rust and the C driver; kunit-ktap.sh parses them
#               into $RESULTS/kunit-debug.counts, apart from the counts
#               below;
#   kunitbusy   (only when named) the nlmon suite ten times in a row under
#               each driver while a loop of ip(8) requests runs in the same
#               namespace;
#   badinput    the three parts perms, mtu and fuzz: permissions (no
#               CAP_NET_ADMIN, no CAP_NET_RAW, user ns); MTU edges as raw
#               IFLA_MTU under the C and the Rust driver (same table
#               expected); FUZZ_COUNT (10000) random or malformed
#               RTM_NEWLINK/RTM_SETLINK for kind nlmon;
#   cases       large unicast messages, direction, multicast, the tap
#               whitelist, namespace isolation and deletion, a user
#               namespace's view, NETNS_MOVES (8) moves of an up nlmon
#               between namespaces, bond and team enslaving (CASES: a
#               subset, by the names in stress/guest.sh);
#   stress      every loop at once for STRESS_SECONDS (300): netlink
#               generators, captures, up/down, create/delete in the initial
#               namespace and in namespaces, MTU, counters, rmmod/modprobe,
#               bond and team (ENSLAVE_LOOPS=0: without these two); then
#               nothing may be left and rmmod works.
#
# Then the guest's whole kernel log is scanned (stress/klog-scan.sh) after
# forced kmemleak scans: any splat or leak fails the run. Prints a summary,
# "N passed, N failed, N skipped" and writes it to $RESULTS/$STRESS_STAGE.counts
# (stage name default "stress"). Results: out/stress/.
#
#   harness/stress.sh --prove-scan   boot with a deliberately leaking and
#       WARNing test module (stress/leak/) instead: passes only if the
#       scan catches both.
#
# Environment: STRESS_SECONDS, STRESS_PARTS ("kunit badinput cases stress"),
# FUZZ_COUNT, FUZZ_SEED (1), VM_MEMORY (2G: KASAN), VM_TIMEOUT;
# STRESS_BUILD=0 boots what is built without building (iterating on the
# tests while someone else holds the build lock); STRESS_KDIR and
# STRESS_C_OUT another kernel build and C module (e.g. $BUILD/vm and
# $BUILD/c-nlmon: the tests without the debug options).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

secs=${STRESS_SECONDS:-300}
parts=${STRESS_PARTS:-kunit badinput cases stress}
stage=${STRESS_STAGE:-stress}
prove=0
[ "${1:-}" != --prove-scan ] || { prove=1 parts=prove stage=stress-prove; }
kdir=${STRESS_KDIR:-$BUILD/vm-debug}
cdir=${STRESS_C_OUT:-$BUILD/c-nlmon-debug}
outdir=$REPO/out/$stage
t_start=$SECONDS
mkdir -p "$RESULTS"
rm -f "$RESULTS/$stage.counts"

if [ "${STRESS_BUILD:-1}" = 1 ]; then
	"$HARNESS/build-debug-vm.sh"
	# The C driver against the debug kernel, for the MTU comparison in
	# the same boot (same sanitizers under both drivers).
	NLMON_C_KDIR=$kdir NLMON_C_OUT=$cdir "$HARNESS/build-c-nlmon.sh"
else
	warn "STRESS_BUILD=0: the debug kernel and the C module as they are built"
fi

rm -rf "$outdir"
mkdir -p "$outdir"
# The guest cannot see $BUILD (vng puts a tmpfs on /var/cache): copy.
cp "$cdir/nlmon.ko" "$outdir/c-nlmon.ko" ||
	warn "no C module for the debug kernel: its tests will fail"
# nlstress.py is built on the selftest's helpers.
ksft_net=$(ksft_tree "$outdir/ksrc")
if [ "$prove" = 1 ]; then
	leak=$BUILD/stress-leak
	mkdir -p "$leak"
	cp "$HARNESS"/stress/leak/stress_leak.c "$HARNESS"/stress/leak/Kbuild "$leak/"
	step "building the deliberately broken test module in $leak"
	kmake "$kdir" M="$leak" modules </dev/null >"$leak.log" 2>&1 ||
		{ first_error "$leak.log"; die "test module build failed"; }
	cp "$leak/stress_leak.ko" "$outdir/"
fi

# Boot (~1 min with KASAN under TCG), bad input and cases (a few minutes),
# the loops, the end checks and scans: bound the whole with room to spare.
loop_secs=0 loop_note=""
if [[ " $parts " == *" stress "* ]]; then loop_secs=$secs loop_note=" ($secs s of stress)"; fi
timeout_s=${VM_TIMEOUT:-$((loop_secs + 1500))}
step "booting the debug VM: ${parts}${loop_note} (log: ${outdir#"$REPO"/})"
t_vm=$SECONDS
vm_rc=0
# no5lvl: with 5-level paging (QEMU's -cpu max has LA57), the base kernel's
# KASAN reports a wild-memory-access at boot: identify_cpu() clears the
# capability words, pgtable_l5_enabled() reads false for a moment and an
# interrupt then sees its lock outside the shadow. Not ours, and every boot.
# oops=panic: an oops (a Rust panic included) ends the guest at once (vng
# boots with panic=-1 and QEMU does not reboot) instead of leaving it hung
# on a lock the dead task held until the timeout; panic_on_warn stays off,
# every WARN is counted by the scan. kunit.enable=1 kunit.autorun=1:
# allnoconfig leaves KUNIT_DEFAULT_ENABLED and KUNIT_AUTORUN_ENABLED off,
# and no suite would run.
VM_KDIR=$kdir VM_MEMORY=${VM_MEMORY:-2G} VM_TIMEOUT=$timeout_s VM_LOG=$outdir/console.log \
	VM_APPEND="no5lvl oops=panic kunit.enable=1 kunit.autorun=1${VM_APPEND:+ $VM_APPEND}" \
	"$HARNESS/vm-run.sh" env FUZZ_COUNT="${FUZZ_COUNT:-10000}" FUZZ_SEED="${FUZZ_SEED:-1}" \
	NETNS_MOVES="${NETNS_MOVES:-8}" CASES="${CASES:-}" ENSLAVE_LOOPS="${ENSLAVE_LOOPS:-1}" \
	NLMON_KSFT_NET="$ksft_net" \
	"$HARNESS/stress/guest.sh" "$outdir" "$secs" "$outdir/c-nlmon.ko" "$parts" \
	>"$outdir/guest.log" 2>&1 || vm_rc=$?
t_vm=$((SECONDS - t_vm))
sed 's/^/  /' "$outdir/guest.log"

passed=0 failed=0 skipped=0
count() { # ok|fail|skip NAME
	case $1 in
	ok) passed=$((passed + 1)) ;;
	skip) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)); printf '%s[FAIL]%s %s\n' "$R" "$N" "$2" ;;
	esac
}

step "results"
if [ -f "$outdir/results" ]; then
	while read -r res name; do count "$res" "$name"; done <"$outdir/results"
fi
if [ -f "$outdir/complete" ]; then
	if [ "$vm_rc" = 0 ]; then count ok "guest run complete"
	else count fail "guest run complete but exited $vm_rc"; fi
else count fail "guest run did not complete (exit $vm_rc; see ${outdir#"$REPO"/}/console.log)"; fi

# The kernel log: the guest's own (dmesg -w from before the tests to after
# the last scan) if the guest got that far, else what reached the console
# (a panic, or a run cut by the timeout).
klog=$outdir/dmesg.txt
[ -f "$outdir/complete" ] && [ -s "$klog" ] || klog=$outdir/console.log
scan_rc=0
"$HARNESS/stress/klog-scan.sh" "$klog" "$outdir/kmemleak.txt" >"$outdir/klog-scan.txt" 2>&1 || scan_rc=$?
sed 's/^/  /' "$outdir/klog-scan.txt"
if [ "$prove" = 1 ]; then
	# The scan must fail, on both problems of the test module.
	# In the scan's own report, so that its patterns are what is proven.
	if grep -q 'WARNING:.*stress_leak' "$outdir/klog-scan.txt"; then
		count ok "scan catches the test module's WARN"
	else count fail "scan missed the WARN"; fi
	# The module's init text is freed once loaded: its frames show as bare
	# addresses, the allocating task (insmod) and do_init_module identify it.
	if grep -q 'comm "insmod"' "$outdir/kmemleak.txt" 2>/dev/null &&
		grep -q 'do_init_module' "$outdir/kmemleak.txt"; then
		count ok "kmemleak reports the test module's leak"
	else count fail "kmemleak missed the leaks"; fi
	if [ "$scan_rc" != 0 ]; then count ok "the scan fails the run"
	else count fail "the scan passed a broken kernel"; fi
elif [ "$scan_rc" = 0 ]; then count ok "kernel log: no splat, no WARN, no kmemleak report"
else count fail "kernel log: splats or leaks (${outdir#"$REPO"/}/klog-scan.txt)"; fi
# No report at all: the guest died first, or kmemleak disabled itself.
if [ -f "$outdir/kmemleak.txt" ]; then count ok "kmemleak scans ran after the run"
else count fail "no kmemleak report (the guest did not get that far, or kmemleak is off)"; fi

echo "$passed $failed $skipped" >"$RESULTS/$stage.counts"
kunit_rc=0
if [[ " $parts " == *" kunit "* ]]; then
	"$HARNESS/kunit-ktap.sh" "$outdir/kunit" || kunit_rc=$?
fi
step "summary (${outdir#"$REPO"/})"
[ ! -f "$outdir/mtu-rust.txt" ] || { echo "  MTU edges (Rust; C in mtu-c.txt):"; sed 's/^/    /' "$outdir/mtu-rust.txt"; }
[ ! -f "$outdir/fuzz.json" ] || echo "  fuzz: $(cat "$outdir/fuzz.json")"
[ ! -f "$outdir/rates.txt" ] || { echo "  stress loops:"; sed 's/^/    /' "$outdir/rates.txt"; }
echo "  VM (boot + run) ${t_vm} s, total $((SECONDS - t_start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$kunit_rc" = 0 ]
