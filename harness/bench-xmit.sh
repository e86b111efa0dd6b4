#!/usr/bin/env bash
# make bench-xmit: what patches-direction/ costs on the transmit path of a
# device that is not a netlink tap (it adds a test of dev->type to
# dev_queue_xmit_nit(), which runs for each frame while a packet socket
# listens).
#
# Two VM kernels from the same config: "after", the VM kernel ($BUILD/vm,
# both series), and "before", the same tree less the dev.c patch (a
# worktree, $CACHE/linux-before-direction, built in
# $BUILD/vm-before-direction: about 8 minutes the first time, then only
# what changed). BENCH_XMIT_PAIRS (3) pairs of boots, before then after,
# each under QEMU -icount shift=0 with one vCPU (guest time counts
# instructions), send BENCH_XMIT_N (200000) frames on a dummy device with
# a packet socket listening (harness/bench/xmitbench.c), BENCH_XMIT_RUNS (5)
# times per boot. Results: out/bench-xmit/xmit.txt, raw.txt.
# BENCH_XMIT_ICOUNT=0 measures wall-clock time under TCG instead, in
# out/bench-xmit-wallclock/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --guest ]; then
	shift
	out=$1 bin=$2 kernel=$3 n=$4 runs=$5
	modprobe dummy
	ip link add xb0 type dummy
	ip link set xb0 up
	"$bin" xb0 $((n / 10)) >/dev/null
	for ((i = 1; i <= runs; i++)); do
		echo "$kernel $i $("$bin" xb0 "$n")" | tee -a "$out/raw.txt"
	done
	exit
fi

t_start=$SECONDS
pairs=${BENCH_XMIT_PAIRS:-3}
n=${BENCH_XMIT_N:-200000}
runs=${BENCH_XMIT_RUNS:-5}
outdir=$REPO/out/bench-xmit
qemu_opts="-icount shift=0" clock="-icount shift=0"
if [ "${BENCH_XMIT_ICOUNT:-1}" = 0 ]; then
	outdir+=-wallclock qemu_opts= clock="wall-clock time"
fi
need_tool gcc

"$HARNESS/build-vm.sh"
# The dev.c patch: the commit of the direction series that touches it.
patch=$(git -C "$KTREE" log --format=%H "$(series_range patches-direction)" -- net/core/dev.c)
[ "$(wc -w <<<"$patch")" = 1 ] || die "want one commit of patches-direction/ on net/core/dev.c, found: $patch"
wt=$CACHE/linux-before-direction
head=$(git -C "$KTREE" rev-parse HEAD)
if [ ! -d "$wt" ] || [ "$(cat "$wt.stamp" 2>/dev/null)" != "$head" ]; then
	rm -f "$wt.stamp"
	ktree_worktree "$wt"
	git -C "$wt" revert --abort >/dev/null 2>&1 || true
	git -C "$wt" checkout -q -f --detach "$head"
	git -C "$wt" -c user.name=nlmon-rs -c user.email=nlmon-rs@invalid revert --no-edit "$patch" >/dev/null
	echo "$head" >"$wt.stamp"
fi
! git -C "$wt" diff --quiet HEAD "$head" -- net/core/dev.c ||
	die "$wt: dev.c is the same as with the patch"
[ -z "$(git -C "$wt" diff --name-only HEAD "$head" -- . ':!net/core/dev.c')" ] ||
	die "$wt differs from the kernel tree in more than net/core/dev.c"
KERNEL_SRC=$wt KTREE=$wt VM_OUT=$BUILD/vm-before-direction "$HARNESS/build-vm.sh"

rm -rf "$outdir"
mkdir -p "$outdir"
gcc -O2 -Wall -Wextra -Werror -static -o "$outdir/xmitbench" "$HARNESS/bench/xmitbench.c"
for ((p = 1; p <= pairs; p++)); do
	for kernel in before after; do
		kdir=$BUILD/vm
		[ "$kernel" = after ] || kdir=$BUILD/vm-before-direction
		step "pair $p/$pairs: the $kernel kernel, $runs x $n frames on a dummy device, $clock, 1 vCPU"
		VM_KDIR=$kdir VM_CPUS=1 VM_QEMU_OPTS=$qemu_opts VM_TIMEOUT=${VM_TIMEOUT:-1200} \
			"$HARNESS/vm-run.sh" "$HARNESS/bench-xmit.sh" --guest "$outdir" \
			"$outdir/xmitbench" "$kernel" "$n" "$runs" >>"$outdir/guest.log" 2>&1 ||
			{ tail -n 20 "$outdir/guest.log"; die "the $kernel kernel's run failed"; }
	done
done

step "analysis"
python3 - "$outdir/raw.txt" "$n" <<'EOF' | tee "$outdir/xmit.txt"
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
n = int(sys.argv[2])
per = {"before": [], "after": []}
for kernel, _run, count, _total, ns, seen in rows:
    # Each frame (and the warm-up's) passed the listener's clone.
    assert int(count) == n and int(seen) == n + n // 20, (kernel, count, seen)
    per[kernel].append(float(ns))
for k in ("before", "after"):
    v = per[k]
    print("%-7s %2d runs: ns/frame min %.1f median %.1f max %.1f (spread %.2f%%)"
          % (k, len(v), min(v), statistics.median(v), max(v),
             100 * (max(v) - min(v)) / statistics.median(v)))
ratio = statistics.median(per["after"]) / statistics.median(per["before"])
print("after/before, medians: %.4f (%+.2f%%)" % (ratio, 100 * (ratio - 1)))
EOF
echo "make bench-xmit took $((SECONDS - t_start)) s; results in ${outdir#"$REPO"/}/xmit.txt, raw.txt"
