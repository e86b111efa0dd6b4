#!/usr/bin/env bash
# KUnit on UML with the project's kunitconfig: the Rust doctests and the
# nlmon tests. Writes "passed failed skipped" to $RESULTS/kunit.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$BUILD/kunit
log=$RESULTS/kunit.log
json=$RESULTS/kunit.json
mkdir -p "$out" "$RESULTS"
rm -f "$json" "$RESULTS/kunit.counts"
step "KUnit (UML) in $out"
rc=0
(cd "$KTREE" && flock "$BUILD_LOCK" python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$HARNESS/configs/kunit.config" --build_dir="$out" \
	--make_options LLVM="$LLVM_SUFFIX" --jobs "$(nproc)" --timeout 900 \
	--json="$json") >"$log" 2>&1 || rc=$?
# The parsed results, without the build chatter.
sed -n '/Starting KUnit Kernel/,$p' "$log"
if [ ! -s "$json" ]; then
	grep -q 'Building KUnit Kernel' "$log" && first_error "$log"
	die "KUnit produced no results (exit $rc)"
fi
python3 "$HARNESS/kunit-counts.py" "$json" >"$RESULTS/kunit.counts"
read -r p f s <"$RESULTS/kunit.counts"
[ "$rc" = 0 ] && [ "$f" = 0 ] || die "KUnit: $f failed (exit $rc)"
ok "KUnit: $p passed, $f failed, $s skipped"
