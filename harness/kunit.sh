#!/usr/bin/env bash
# KUnit with the project's kunitconfig: the Rust doctests and the nlmon
# tests, with kunit.py run, as the kernel's CI runs it. On UML by default
# (make kunit, and make check's stage kunit); KUNIT_ARCH=x86_64 runs the
# same suites in a kernel of their own in QEMU (TCG, 2 CPUs, SMP: the
# transmit path counts on two CPUs at once). make check runs the x86-64
# cases in the debug kernel instead (stress/guest.sh, kunit-ktap.sh),
# which it builds anyway. Writes "passed failed skipped" to
# $RESULTS/$name.counts (name: kunit, kunit-c, or kunit-x86_64).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${KUNIT_ARCH:-um}
name=kunit
kunitconfig=$HARNESS/configs/kunit.config
args=()
# KUNIT_C=1: the series' own drivers/net/.kunitconfig instead, as anyone
# who applies the series runs it: the nlmon suite on the C driver, built
# in, with the device "netlink" at boot.
if [ "${KUNIT_C:-0}" = 1 ]; then
	name=kunit-c
	kunitconfig=$KTREE/drivers/net
fi
if [ "$arch" != um ]; then
	name=$name-$arch
	args=(--arch="$arch" --qemu_args="-smp 2" --kconfig_add CONFIG_SMP=y)
	# TCG only: see the wrapper.
	NLMON_REAL_QEMU=$(command -v "qemu-system-$arch") ||
		die "qemu-system-$arch not found"
	export NLMON_REAL_QEMU
	PATH=$HARNESS/tcg-only:$PATH
fi
out=$BUILD/$name
# A first C build starts from the UML build of the kunit stage (same tree
# and arch): kbuild then rebuilds only what the configurations' differences
# reach (its per-option dependencies), not the whole kernel.
if [ "$name" = kunit-c ] && [ ! -e "$out" ] && [ -f "$BUILD/kunit/.config" ]; then
	step "starting $out from a copy of $BUILD/kunit"
	flock "$BUILD_LOCK" cp -a "$BUILD/kunit" "$out.tmp" && mv "$out.tmp" "$out"
fi
log=$RESULTS/$name.log
json=$RESULTS/$name.json
mkdir -p "$out" "$RESULTS"
rm -f "$json" "$RESULTS/$name.counts"
step "KUnit ($arch) in $out"
rc=0
(cd "$KTREE" && flock "$BUILD_LOCK" python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$kunitconfig" --build_dir="$out" \
	--make_options LLVM="$LLVM_SUFFIX" --jobs "$(nproc)" --timeout 900 \
	"${args[@]}" --json="$json") >"$log" 2>&1 || rc=$?
# The parsed results, without the build chatter.
sed -n '/Starting KUnit Kernel/,$p' "$log"
if [ ! -s "$json" ]; then
	grep -q 'Building KUnit Kernel' "$log" && first_error "$log"
	die "KUnit produced no results (exit $rc)"
fi
python3 "$HARNESS/kunit-counts.py" "$json" >"$RESULTS/$name.counts"
read -r p f s <"$RESULTS/$name.counts"
# Both configs build nlmon in with CONFIG_NLMON_DEFAULT_DEVICE: the case
# that checks the device "netlink" must run, not skip.
status=$(python3 "$HARNESS/kunit-counts.py" --status nlmon_test_default_device "$json")
[ "$status" = PASS ] || die "KUnit ($arch): nlmon_test_default_device is $status, not PASS"
[ "$rc" = 0 ] && [ "$f" = 0 ] || die "KUnit ($arch): $f failed (exit $rc)"
ok "KUnit ($arch): $p passed, $f failed, $s skipped"
