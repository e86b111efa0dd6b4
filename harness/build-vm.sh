#!/usr/bin/env bash
# Build the VM kernel (bzImage + modules) out of tree in $BUILD/vm from our
# own small config (configs/vm.config on top of allnoconfig, then
# CONFIG_RUST_INLINE_HELPERS). Incremental:
# the config is regenerated only when the fragment changes, so a re-run
# with nothing changed leaves .config alone and make has nothing to do.
#
# Other VM kernels (build-debug-vm.sh) reuse this script through the
# environment: VM_OUT (build dir, default $BUILD/vm) and VM_CONFIG (one or
# more fragments of harness/configs by name, space-separated, applied in
# order; default vm.config).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${VM_OUT:-$BUILD/vm}
# Fragments by name, in harness/configs: the checkout's path may have a
# space, so VM_CONFIG splits at spaces only names.
read -r -a names <<<"${VM_CONFIG:-vm.config}"
frags=("${names[@]/#/$HARNESS/configs/}")
log=$out-build.log
stamp=$out/.nlmon-config.sha256
mkdir -p "$out"

# Several fragments: KCONFIG_ALLCONFIG takes one file, so concatenate them
# (a later line wins, as in merge_config.sh).
if [ ${#frags[@]} -gt 1 ]; then
	frag=$out/.nlmon-allconfig
	cat "${frags[@]}" >"$frag"
else
	frag=${frags[0]}
fi
# CONFIG_RUST_INLINE_HELPERS (VM_INLINE_HELPERS=0: off, for the bench's
# comparison). It needs EXPERT, which allnoconfig cannot take from the
# fragment: with EXPERT on it would turn off the basics EXPERT hides. So it
# is switched on afterwards, and olddefconfig keeps every other value.
inline=${VM_INLINE_HELPERS:-1}
want=$( { cat "$frag"; echo "inline=$inline"; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	step "configuring $out from ${frags[*]#"$REPO"/}"
	rm -f "$stamp"
	kmake "$out" KCONFIG_ALLCONFIG="$frag" allnoconfig </dev/null >"$log" 2>&1 ||
		{ first_error "$log"; die "allnoconfig failed"; }
	if [ "$inline" = 1 ]; then
		"$KTREE/scripts/config" --file "$out/.config" --enable EXPERT \
			--enable RUST_INLINE_HELPERS
		kmake "$out" olddefconfig </dev/null >>"$log" 2>&1 ||
			{ first_error "$log"; die "olddefconfig failed"; }
	fi
	# Kconfig silently drops options whose dependencies are not met, and a
	# select can turn on one a fragment turns off: name each line (the last
	# one per symbol) that .config does not honour instead of building a
	# wrong kernel.
	missing=$(awk '
		FNR == NR { if (/^CONFIG_[A-Za-z0-9_]+=/) { split($0, a, "="); have[a[1]] = $0 } next }
		/^CONFIG_[A-Za-z0-9_]+=/ { split($0, a, "="); want[a[1]] = $0 }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { want[$2] = $0 }
		END {
			for (s in want)
				if (want[s] ~ /^CONFIG_/ ? have[s] != want[s] : s in have)
					print want[s]
		}' "$out/.config" "$frag")
	if [ "$inline" = 1 ] && ! grep -qx 'CONFIG_RUST_INLINE_HELPERS=y' "$out/.config"; then
		missing+=${missing:+$'\n'}"CONFIG_RUST_INLINE_HELPERS=y (rustc and clang on one LLVM?)"
	fi
	if [ -n "$missing" ]; then
		echo "$missing" | sed 's/^/  not honoured by .config: /' >&2
		case $missing in *CONFIG_RUST=y*)
			kmake "$out" rustavailable >&2 || true ;;
		esac
		die "the VM config lacks options of ${frags[*]#"$REPO"/} (unmet dependencies?)"
	fi
	echo "$want" >"$stamp"
fi

step "building the VM kernel in $out (log: $log)"
t0=$SECONDS
# stdin from /dev/null: when Kconfig files change (new symbols in the tree),
# kbuild resyncs .config and must take the defaults, not prompt.
if ! kmake "$out" bzImage modules </dev/null >"$log" 2>&1; then
	first_error "$log"
	die "VM kernel build failed"
fi
# vng rebuilds its module dir ($out/.virtme_mods, symlinks + depmod) only
# when modules.order changes; make it redo depmod after any module rebuild
# too, so that modules.dep never goes stale.
dep=$out/.virtme_mods/lib/modules/0.0.0/modules.dep
if [ -f "$dep" ] && [ -n "$(find "$out" -name '*.ko' -newer "$dep" -print -quit)" ]; then
	rm -f "$dep"
fi
ok "VM kernel $(cat "$out/include/config/kernel.release") built in $((SECONDS - t0)) s: $out/arch/x86/boot/bzImage"
