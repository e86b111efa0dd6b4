#!/usr/bin/env bash
# Build the C nlmon driver of the series (drivers/net/nlmon.c of the kernel
# tree, base + both series) as an external module against the VM kernel build
# ($BUILD/vm, whose nlmon.ko is the Rust driver), in
# $BUILD/c-nlmon. The result, $BUILD/c-nlmon/nlmon.ko, has the same module
# name (nlmon) and alias (rtnl-link-nlmon) as the Rust driver, so the VM
# tests can insmod it instead: the reference the Rust driver is held to.
#
# Incremental: the source and Makefile are rewritten only when their content
# changes, and kbuild then has nothing to recompile.
#
# NLMON_C_SED (for proving that the tests can fail): a sed script applied
# to the source, e.g. NLMON_C_SED='/dev_lstats_add/d' builds a C driver
# that counts nothing. A later run without it restores the series' driver.
#
# NLMON_C_KDIR / NLMON_C_OUT: build against another VM kernel build (e.g.
# the debug kernel, $BUILD/vm-debug) into another directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=${NLMON_C_KDIR:-$BUILD/vm}
out=${NLMON_C_OUT:-$BUILD/c-nlmon}
log=$out-build.log
[ -f "$kdir/Module.symvers" ] && [ -f "$kdir/include/config/kernel.release" ] ||
	die "no VM kernel build in $kdir: run harness/build-vm.sh first"
git -C "$KTREE" rev-parse -q --verify nlmon-base >/dev/null ||
	die "no tag nlmon-base in $KTREE: run 'make tree'"
mkdir -p "$out"

# update FILE: replace FILE with stdin only if the content differs, so that
# its timestamp, and with it the build, stays as it is otherwise.
update() {
	local f=$1 tmp
	tmp=$(mktemp "$f.XXXXXX")
	chmod 644 "$tmp"
	cat >"$tmp"
	if cmp -s "$tmp" "$f"; then rm -f "$tmp"; else mv -f "$tmp" "$f"; fi
}

sed -e "${NLMON_C_SED:-}" "$KTREE/drivers/net/nlmon.c" | update "$out/nlmon.c"
if [ -n "${NLMON_C_SED:-}" ]; then
	warn "C driver modified with sed '$NLMON_C_SED' (NLMON_C_SED): NOT the series' driver"
	diff -u "$KTREE/drivers/net/nlmon.c" "$out/nlmon.c" |
		sed 's/^/  /' >&2 || true
fi
printf 'obj-m := nlmon.o\n' | update "$out/Makefile"

step "building the C nlmon driver (the series') in $out (log: $log)"
# M= with O=: kbuild takes the configuration, headers and Module.symvers
# from the VM build and writes the objects next to the source in $out.
if ! kmake "$kdir" M="$out" modules </dev/null >"$log" 2>&1; then
	first_error "$log"
	die "C nlmon build failed"
fi
ko=$out/nlmon.ko
[ -f "$ko" ] || die "no $ko after the build"
# The same name and link kind as the Rust driver: they replace each other.
info=$(modinfo -F alias "$ko"; modinfo -F vermagic "$ko")
grep -qx 'rtnl-link-nlmon' <<<"$info" || die "$ko lacks the alias rtnl-link-nlmon"
grep -q "^$(cat "$kdir/include/config/kernel.release") " <<<"$info" ||
	die "$ko vermagic does not match the VM kernel $(cat "$kdir/include/config/kernel.release")"
ok "C nlmon driver: $ko"
