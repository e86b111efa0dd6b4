#!/usr/bin/env bash
# klog-scan.sh LOG [KMEMLEAK]: scan a guest's kernel log (dmesg or console)
# for splats, and KMEMLEAK (the contents of /sys/kernel/debug/kmemleak
# after forced scans) for leak reports. Prints every splat with a few lines
# of context and the number of WARNs; exits 1 if there is anything at all.
# Usable after any guest run: the debug kernel only adds more reports.
set -euo pipefail

log=$1 leaks=${2:-}
[ -f "$log" ] || { echo "klog-scan: no kernel log $log" >&2; exit 1; }

# What a kernel says when something is wrong. WARNING covers lockdep's
# reports (circular locking, inconsistent lock state, suspicious RCU
# usage), debugobjects (ODEBUG) and refcount_t saturation; BUG covers
# KASAN, sleeping in atomic context, soft lockups and the kernel's BUG().
patterns=(
	'BUG:' 'WARNING:' 'KASAN:' 'UBSAN:' 'kernel BUG at' 'Oops' 'Kernel panic'
	'general protection fault' 'Unable to handle' 'Call Trace:'
	'possible circular locking' 'inconsistent lock state' 'possible recursive locking'
	'suspicious RCU usage' 'refcount_t' 'ODEBUG'
	'rcu_.* detected stall' 'rcu: INFO' 'self-detected stall'
	'INFO: task .* blocked for more than' 'hung_task'
	'kmemleak: .*suspected memory leak' 'unreferenced object'
	'unregister_netdevice: waiting for' 'ref_tracker: .* has [0-9]+/[0-9]+ users at'
	'list_add corruption' 'list_del corruption' 'rust_kernel: panicked'
	'__netlink_remove_tap: .* not found'
	'Kernel memory leak detector disabled' 'kmemleak: Cannot allocate'
)
re=$(IFS='|'; echo "${patterns[*]}")

# One report is the base kernel's, not ours, and comes at every boot that
# runs the kernel crate's doctests with DEBUG_OBJECTS_TIMERS: the hrtimer
# examples (rust/kernel/time/hrtimer.rs) set up timers on the stack without
# the on-stack annotation. Only that splat, right after such a doctest's
# location line, is left out of the scan, and counted.
known=$(mktemp) && trap 'rm -f "$known"' EXIT
awk -v out="$known" '
	/rust_doctest_kernel_time_hrtimer_rs_[0-9]+\.location: rust\/kernel\/time\/hrtimer\.rs/ { armed = 1; print; next }
	armed && /ODEBUG: object .* is on stack .*, but NOT annotated/ { skip = 1; left = 80; cuts = 0; n++ }
	{ armed = 0 }
	# Up to its end-of-trace line, at most 80 lines, never into a second
	# report: a splat cut short must not hide what follows.
	skip {
		if (/cut here/) cuts++
		if (left-- > 0 && cuts < 2 && !/Oops|Kernel panic/ && !(/BUG:/ && !/ODEBUG:/)) {
			if (/---\[ end trace/) skip = 0
			next
		}
		skip = 0
	}
	{ print }
	END { print n + 0 >out }' "$log" >"$known.log"
ignored=$(cat "$known")
log_all=$log log=$known.log
trap 'rm -f "$known" "$known.log"' EXIT
# -a: a NUL byte in a console log must not turn the file "binary" and
# silence every match; exit 2 (bad pattern, unreadable log) is an error.
hits=$(grep -anE -- "$re" "$log") || [ $? = 1 ] || { echo "klog-scan: grep failed on $log"; exit 2; }
# One WARN prints both the cut-here line and WARNING: count the events.
cuts=$(grep -c -- '------------\[ cut here \]------------' "$log" || true)
[ "$cuts" -gt 0 ] && warns=$cuts || warns=$(grep -c -- 'WARNING:' "$log" || true)

rc=0
if [ -n "$hits" ]; then
	rc=1
	echo "klog-scan: $(wc -l <<<"$hits") suspicious lines in $log_all:"
	head -n 40 <<<"$hits" | sed 's/^/  /'
	# The first splats in full: context of hits at least 40 lines apart.
	last=-100 shown=0
	while read -r n; do
		if [ "$n" -lt $((last + 40)) ] || [ "$shown" -ge 3 ]; then continue; fi
		last=$n shown=$((shown + 1))
		echo "  ---- $log_all (less the known reports), from line $((n > 5 ? n - 5 : 1)):"
		sed -n "$((n > 5 ? n - 5 : 1)),$((n + 35))p" "$log" | sed 's/^/  | /'
	done < <(cut -d: -f1 <<<"$hits")
fi
echo "klog-scan: $warns WARN(s) in $log_all"
[ "$ignored" = 0 ] ||
	echo "klog-scan: left out $ignored known report(s) of the base kernel's hrtimer doctests (ODEBUG: on-stack timer not annotated)"
if [ -n "$leaks" ]; then
	if [ ! -f "$leaks" ]; then
		echo "klog-scan: no kmemleak report $leaks"
	elif [ -s "$leaks" ]; then
		rc=1
		echo "klog-scan: kmemleak reports $(grep -c '^unreferenced object' "$leaks") leak(s):"
		head -n 60 "$leaks" | sed 's/^/  | /'
	else
		echo "klog-scan: kmemleak reports nothing after the forced scans"
	fi
fi
exit "$rc"
