#!/usr/bin/env bash
# kunit-ktap.sh DIR: the KUnit results the debug kernel's boot saved
# (stress/guest.sh, part kunit: DIR/boot/SUITE.ktap for the suites built
# in, DIR/nlmon-rust/ and DIR/nlmon-c/ for the nlmon suite under each
# driver), joined into one KTAP document and parsed with kunit.py parse,
# as kunit.py run parses its own kernel's. Every suite of
# configs/kunit.config must be there, the nlmon one under both drivers.
# Writes "passed failed skipped" to $RESULTS/kunit-debug.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$1
name=kunit-debug
ktap=$RESULTS/$name.ktap json=$RESULTS/$name.json
mkdir -p "$RESULTS"
rm -f "$RESULTS/$name.counts" "$json"

# The suites the UML run has too (kunit.config), and nlmon under each driver.
want=(boot/rust_doctests_kernel
	nlmon-rust/nlmon nlmon-c/nlmon)
missing=()
for s in "${want[@]}"; do
	[ -s "$dir/$s.ktap" ] || missing+=("$s")
done

# Each file is a whole KTAP document of one suite ("KTAP version 1",
# "1..1", the suite indented, "ok 1 SUITE"): one document of all, with the
# suites numbered in turn and the nlmon ones named after their driver.
files=("$dir"/boot/*.ktap "$dir"/nlmon-rust/*.ktap "$dir"/nlmon-c/*.ktap)
n=0
{
	echo "KTAP version 1"
	echo "1..$(ls "${files[@]}" 2>/dev/null | wc -l)"
	for f in "${files[@]}"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		suite=$(basename "$f" .ktap) group=$(basename "$(dirname "$f")")
		as=$suite
		[ "$group" = boot ] || as=$group
		sed -e '1,2d' -e "s/^\(    # Subtest: \)$suite\$/\1$as/" \
			-e "s/^\(ok\|not ok\) 1 $suite\\b/\1 $n $as/" "$f"
	done
} >"$ktap"

step "KUnit in the debug kernel: kunit.py parse ${ktap#"$REPO"/}"
rc=0
(cd "$KTREE" && python3 tools/testing/kunit/kunit.py parse --json="$json" "$ktap") || rc=$?
[ -s "$json" ] || die "kunit.py parse produced no results (exit $rc)"
python3 "$HARNESS/kunit-counts.py" "$json" >"$RESULTS/$name.counts"
read -r p f s <"$RESULTS/$name.counts"
if [ ${#missing[@]} -gt 0 ]; then
	f=$((f + ${#missing[@]}))
	echo "$p $f $s" >"$RESULTS/$name.counts"
	die "KUnit suites missing from the debug kernel's run: ${missing[*]} (see out/stress/guest.log)"
fi
if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
	# kunit.py found fault with the KTAP itself (a crash, a missing case).
	f=1
	echo "$p $f $s" >"$RESULTS/$name.counts"
fi
[ "$f" = 0 ] || die "KUnit (debug kernel): $f failed (exit $rc)"
ok "KUnit (debug kernel, x86-64 SMP, KASAN and lockdep): $p passed, $f failed, $s skipped"
