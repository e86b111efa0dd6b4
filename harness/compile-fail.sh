#!/usr/bin/env bash
# Misuse that earlier versions of the Rust netdev abstractions allowed in
# safe code (compile-fail/misuse.rs) must not build any more: each line
# marked MISUSE must be rejected by the compiler, and the module must build
# once every such line is replaced by its OK: alternative (the control).
# Built as an external module against the VM kernel. Writes "passed failed
# skipped" to $RESULTS/compile-fail.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$HARNESS/compile-fail/misuse.rs
kdir=$BUILD/vm
work=$CACHE/compile-fail
mkdir -p "$RESULTS"
[ -f "$kdir/Module.symvers" ] || "$HARNESS/build-vm.sh"
passed=0 failed=0
count() { if [ "$1" = 0 ]; then passed=$((passed + 1)); ok "$2"; else failed=$((failed + 1)); warn "$2: FAILED"; fi; }

# variant DIR SED: misuse.rs through SED, built in DIR; the log in DIR/log.
variant() {
	local dir=$1 expr=$2
	rm -rf "$dir" && mkdir -p "$dir"
	sed -E "$expr" "$src" >"$dir/nlmon_misuse.rs"
	echo 'obj-m := nlmon_misuse.o' >"$dir/Makefile"
	kmake "$kdir" M="$dir" modules </dev/null >"$dir/log" 2>&1
}

# The control: every misuse replaced by its alternative.
rc=0
variant "$work/control" 's|^( *).*// MISUSE [a-z_0-9]+ OK: ?(.*)$|\1\2|' || rc=$?
[ "$rc" = 0 ] || first_error "$work/control/log"
count "$rc" "control: the module builds without the misuse"

# Each misuse alone: only its lines kept, the others replaced.
for name in $(sed -nE 's|.*// MISUSE ([a-z_0-9]+) OK:.*|\1|p' "$src" | sort -u); do
	rc=0
	variant "$work/$name" "/MISUSE $name OK:/!s|^( *).*// MISUSE [a-z_0-9]+ OK: ?(.*)$|\\1\\2|; s|// MISUSE .*||" || rc=$?
	err=$(grep -m1 -E '^error(\[E[0-9]+\])?:' "$work/$name/log" || true)
	if [ "$rc" != 0 ] && [ -n "$err" ]; then
		count 0 "misuse $name refused: $err"
	else
		count 1 "misuse $name builds (exit $rc)"
	fi
done
echo "$passed $failed 0" >"$RESULTS/compile-fail.counts"
[ "$failed" = 0 ]
