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

# What a variant's result depends on besides its source: the kernel crate
# it builds against (its metadata, the configuration) and the compiler.
crate_id=$(cat "$kdir"/rust/*.rmeta "$kdir/Module.symvers" "$kdir/.config" | sha256sum | cut -c1-16)-$(rustc -V | tr ' ' _)

# variant DIR SED: misuse.rs through SED, built in DIR; the log in DIR/log.
# The compiler's verdict is cached by source and crate_id: a rerun on an
# unchanged kernel gives the same exit status and log without a build.
variant() {
	local dir=$1 expr=$2 key rc=0
	key=$(sed -E "$expr" "$src" | cat - <(echo "$crate_id") | sha256sum | cut -c1-16)
	if [ -f "$dir/key" ] && [ "$(cat "$dir/key")" = "$key" ] && [ -f "$dir/rc" ]; then
		return "$(cat "$dir/rc")"
	fi
	rm -rf "$dir" && mkdir -p "$dir"
	sed -E "$expr" "$src" >"$dir/nlmon_misuse.rs"
	echo 'obj-m := nlmon_misuse.o' >"$dir/Makefile"
	kmake "$kdir" M="$dir" modules </dev/null >"$dir/log" 2>&1 || rc=$?
	echo "$rc" >"$dir/rc" && echo "$key" >"$dir/key"
	return "$rc"
}

# The control: every misuse replaced by its alternative.
rc=0
variant "$work/control" 's|^( *).*// MISUSE [a-z_0-9]+ OK: ?(.*)$|\1\2|' || rc=$?
[ "$rc" = 0 ] || first_error "$work/control/log"
count "$rc" "control: the module builds without the misuse"

# Why each misuse must be refused: an ERE that the compiler's first error
# (its line and the 14 after it) must match. Any other error (a typo, an
# import that moved) is a failure, not a refusal.
declare -A want=(
	[data_type]='E0437.*`Data`'
	[init_device_in_module]="panicked at 'a module must not create a device"
	[lstats_add_outside_xmit]='E0599.*`lstats_add`'
	[lstats_read_in_setup]='E0599.*`lstats_read`'
	[mtu_min_above_mtu]="panicked at 'minimum MTU above the MTU'"
	[mtu_over_int_max]="panicked at 'MTU above INT_MAX'"
	[open_callback]='E0407.*`open`'
	[register_outside_macro]='E0133.*Registration::<T>::register'
	[register_unsafe]='usage of an `unsafe` block'
	[start_xmit]='E0053.*`start_xmit`'
	[tap_not_reachable]='E0599.*`add_netlink_tap`'
)

# Each misuse alone: only its lines kept, the others replaced.
for name in $(sed -nE 's|.*// MISUSE ([a-z_0-9]+) OK:.*|\1|p' "$src" | sort -u); do
	rc=0
	variant "$work/$name" "/MISUSE $name OK:/!s|^( *).*// MISUSE [a-z_0-9]+ OK: ?(.*)$|\\1\\2|; s|// MISUSE .*||" || rc=$?
	err=$(grep -m1 -E '^error(\[E[0-9]+\])?:' "$work/$name/log" || true)
	first=$(grep -m1 -A14 -E '^error(\[E[0-9]+\])?:' "$work/$name/log" || true)
	if [ -z "${want[$name]:-}" ]; then
		count 1 "misuse $name: no expected error in compile-fail.sh"
	elif [ "$rc" = 0 ]; then
		count 1 "misuse $name builds"
	elif grep -qE -- "${want[$name]}" <<<"$first"; then
		count 0 "misuse $name refused: $err"
	else
		count 1 "misuse $name refused for another reason: $err (want /${want[$name]}/)"
	fi
done
echo "$passed $failed 0" >"$RESULTS/compile-fail.counts"
[ "$failed" = 0 ]
