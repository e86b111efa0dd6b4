#!/usr/bin/env bash
# make bench: what a netlink tap costs per netlink message, the Rust nlmon
# driver against the C one (issue 5).
#
# harness/bench/nlbench.c (built here, static, host gcc) times netlink
# request/reply exchanges: RTM_GETLINK of lo, a full RTM_GETLINK dump, and
# CTRL_CMD_GETFAMILY "nlctrl". In ONE VM boot with QEMU -icount shift=0
# (guest time counts instructions: 1 ns per instruction) and one vCPU, it
# runs BENCH_PAIRS pairs of rounds, C then Rust, so that drift cancels.
# Each round measures, in order:
#
#   none      no nlmon module loaded, no device
#   down      the driver loaded, nlmon0..7 created,
#             all down (so the link dump has the same links from here on)
#   up1-bare  nlmon0 up, no reader
#   up1       nlmon0 up, tcpdump -w /dev/null draining it
#   up2/4/8   2, 4, 8 devices up, one tcpdump per device
#
# then stops the readers, deletes the devices and unloads the module. The
# run is done BENCH_REPEAT times (separate boots), then once in plain TCG
# (no icount, real time, BENCH_TCG_PAIRS pairs) for scale. The host side
# (harness/bench/analyze.py) writes out/bench/:
#
#   bench.txt   the tables (condition, ns/exchange min/median/max, Rust/C
#               ratio), tap overhead per pair, per-device slopes, sizes
#   bench.csv   the same per-condition figures, one row per run/test/condition
#   overhead.csv  the tap overhead of each pair, C and Rust, and their ratio
#   raw.csv     every measurement
#   icount-N/, tcg/   per boot: raw.txt, tcpdump drop counts, guest output
#
# Environment: BENCH_INLINE_HELPERS (1; 0: a kernel without
# CONFIG_RUST_INLINE_HELPERS), BENCH_REPEAT (2), BENCH_PAIRS (5), BENCH_TCG_PAIRS (2),
# BENCH_TCG=0 skips the plain-TCG boot, BENCH_MS the guest time per test
# and condition (100 ms; N is chosen from it: under -icount the figures
# repeat to about 0.05% at that length, and 5 pairs x 14 conditions x 3
# tests at 1 s each would take half an hour per boot).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TESTS=(getlink dump genl)
NDEV=8

# Guest ns per exchange, measured under -icount shift=0 (C driver, one
# pair): the cost with no tap, with the 8 devices present (only the dump
# grows: 9 links instead of 1) and per tap up with a reader. Only used to
# pick N so that every test takes about BENCH_MS of guest time.
declare -A COST_NONE=([getlink]=9900 [dump]=15400 [genl]=6700)
declare -A COST_DEVS=([getlink]=9900 [dump]=65000 [genl]=6700)
declare -A COST_TAP=([getlink]=5300 [dump]=11000 [genl]=4600)

# ---------------------------------------------------------------- guest --

# nexch TEST DEVICES TAPS: the number of exchanges for TEST, rounded to 100.
nexch() {
	local cost=${COST_NONE[$1]} n
	[ "$2" = 0 ] || cost=${COST_DEVS[$1]}
	n=$(((MS * 1000000 / (cost + $3 * ${COST_TAP[$1]}) + 50) / 100 * 100))
	echo $((n < 100 ? 100 : n))
}

# load DRIVER CKO: load the C (insmod) or the Rust (modprobe) nlmon and
# check that it is the one loaded: the C module is built out of tree
# (taint O), the Rust one in tree.
load() {
	[ ! -d /sys/module/nlmon ] || { echo "nlmon is already loaded"; return 1; }
	case $1 in
	c) insmod "$2" ;;
	rust) modprobe nlmon ;;
	esac
	local taint
	taint=$(</sys/module/nlmon/taint)
	case $1 in
	c) [[ $taint == *O* ]] ;;
	rust) [[ $taint != *O* ]] ;;
	esac || { echo "the loaded nlmon is not the $1 driver (taint '$taint')"; return 1; }
}

# settle: let the work that device changes defer (uevents, RCU, linkwatch)
# finish before measuring; it would otherwise land in the next test.
settle() {
	if command -v udevadm >/dev/null; then udevadm settle; fi
	sleep 0.3
}

# measure ROUND DRIVER COND TAPS: run every test in one nlbench, append to
# raw.txt. With TAPS > 0 nlmon0 must have counted at least 2 messages (the
# request and the reply) per exchange; down, it must have counted none.
measure() {
	local round=$1 drv=$2 cond=$3 taps=$4 t args=() total=0 n line before=0 after devs=0
	[ ! -e /sys/class/net/nlmon0 ] || { devs=$NDEV; before=$(</sys/class/net/nlmon0/statistics/rx_packets); }
	for t in "${TESTS[@]}"; do
		n=$(nexch "$t" "$devs" "$taps")
		args+=("$t:$n")
		total=$((total + n))
	done
	settle
	"$NLBENCH" "${args[@]}" >"$OUT/last.txt"
	while read -r line; do
		echo "$round $drv $cond $taps $line" | tee -a "$OUT/raw.txt"
	done <"$OUT/last.txt"
	[ "$devs" != 0 ] || return 0
	after=$(</sys/class/net/nlmon0/statistics/rx_packets)
	if [ "$taps" = 0 ] && [ "$after" != "$before" ]; then
		echo "nlmon0 is down but counted $((after - before)) packets"; return 1
	elif [ "$taps" -gt 0 ] && [ $((after - before)) -lt $((2 * total)) ]; then
		echo "nlmon0 counted $((after - before)) packets for $total exchanges"; return 1
	fi
}

# readers FIRST LAST: bring nlmonFIRST..nlmonLAST up, each with a tcpdump
# draining it into /dev/null as a user would run it (block-buffered, no
# immediate mode; a large buffer so that it does not drop under TCG).
# Started together, then waited for until each listens.
READERS=()
readers() {
	local i j log
	for ((i = $1; i <= $2; i++)); do
		ip link set "nlmon$i" up
		tcpdump -i "nlmon$i" -s 65535 -B 8192 -Z root -w /dev/null 2>"$OUT/tcpdump-nlmon$i.log" &
		READERS+=($!)
	done
	for ((i = $1; i <= $2; i++)); do
		log=$OUT/tcpdump-nlmon$i.log
		for ((j = 0; j < 300; j++)); do
			grep -q 'listening on' "$log" && break
			sleep 0.1
		done
		grep -q 'listening on' "$log" || { cat "$log"; echo "tcpdump on nlmon$i did not start"; return 1; }
	done
}

# stop_readers ROUND DRIVER: stop every tcpdump and keep its drop count.
stop_readers() {
	local pid i=0
	for pid in "${READERS[@]}"; do
		kill -INT "$pid"
		wait "$pid" || true
		printf '%s %s nlmon%s %s\n' "$1" "$2" "$i" \
			"$(grep -o '[0-9]* packets dropped by kernel' "$OUT/tcpdump-nlmon$i.log" || echo 'no count')" \
			>>"$OUT/drops.txt"
		i=$((i + 1))
	done
	READERS=()
}

round() {
	local r=$1 drv=$2 i
	measure "$r" "$drv" none 0
	load "$drv" "$CKO"
	for ((i = 0; i < NDEV; i++)); do echo "link add nlmon$i type nlmon"; done | ip -batch -
	measure "$r" "$drv" down 0
	ip link set nlmon0 up
	measure "$r" "$drv" up1-bare 1
	readers 0 0
	measure "$r" "$drv" up1 1
	readers 1 1
	measure "$r" "$drv" up2 2
	readers 2 3
	measure "$r" "$drv" up4 4
	readers 4 7
	measure "$r" "$drv" up8 8
	stop_readers "$r" "$drv"
	for ((i = 0; i < NDEV; i++)); do echo "link del nlmon$i"; done | ip -batch -
	rmmod nlmon
	[ ! -d /sys/module/nlmon ]
}

guest() {
	OUT=$1 CKO=$2 NLBENCH=$3 MS=$5
	local pairs=$4 p
	: >"$OUT/raw.txt"
	: >"$OUT/drops.txt"
	echo "guest: $(nproc) CPU, $(uname -r), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	ip link set lo up
	# Warm up (page cache, slabs, the binary itself); not recorded.
	"$NLBENCH" -n 2000 "${TESTS[@]}" >/dev/null
	for ((p = 1; p <= pairs; p++)); do
		round "$p" c
		round "$p" rust
	done
	echo "guest: done"
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

# ----------------------------------------------------------------- host --

t_start=$SECONDS
repeat=${BENCH_REPEAT:-2}
pairs=${BENCH_PAIRS:-5}
tcg_pairs=${BENCH_TCG_PAIRS:-2}
ms=${BENCH_MS:-100}
# BENCH_INLINE_HELPERS=0: the VM kernel without CONFIG_RUST_INLINE_HELPERS,
# as distributions built with another rustc get it, in its own build
# directory, results in out/bench-noinline/.
if [ "${BENCH_INLINE_HELPERS:-1}" = 0 ]; then
	kdir=$BUILD/vm-noinline cout=$BUILD/c-nlmon-noinline outdir=$REPO/out/bench-noinline
else
	kdir=$BUILD/vm cout=$BUILD/c-nlmon outdir=$REPO/out/bench
fi
export VM_KDIR=$kdir
need_tool gcc
need_tool python3

VM_OUT=$kdir VM_INLINE_HELPERS=${BENCH_INLINE_HELPERS:-1} "$HARNESS/build-vm.sh"
NLMON_C_KDIR=$kdir NLMON_C_OUT=$cout "$HARNESS/build-c-nlmon.sh"

rm -rf "$outdir"
mkdir -p "$outdir"
# The guest cannot see $BUILD (vng puts a tmpfs on /var/cache): copy.
cp "$cout/nlmon.ko" "$outdir/c-nlmon.ko"
cp "$kdir/drivers/net/nlmon.ko" "$outdir/rust-nlmon.ko"
grep -H '^CONFIG_RUST_INLINE_HELPERS' "$kdir/.config" >"$outdir/config.txt" ||
	echo "# CONFIG_RUST_INLINE_HELPERS is not set" >"$outdir/config.txt"
step "building nlbench (static, runs in the guest over the host root)"
gcc -O2 -Wall -Wextra -Werror -static -o "$outdir/nlbench" "$HARNESS/bench/nlbench.c"

# boot NAME PAIRS [QEMU_OPTS]: one VM boot of the guest part, one vCPU.
boot() {
	local name=$1 n=$2 opts=${3:-} t0=$SECONDS
	local dir=$outdir/$name
	mkdir -p "$dir"
	step "boot $name: $n pairs of rounds (C, Rust), QEMU TCG ${opts:-without icount}, 1 vCPU"
	VM_CPUS=1 VM_QEMU_OPTS=$opts VM_TIMEOUT=${VM_TIMEOUT:-1800} \
		"$HARNESS/vm-run.sh" "$HARNESS/bench.sh" --guest "$dir" "$outdir/c-nlmon.ko" \
		"$outdir/nlbench" "$n" "$ms" 2>&1 | tee "$dir/guest.log"
	echo "$((SECONDS - t0))" >"$dir/wall-seconds"
}

runs=()
for ((r = 1; r <= repeat; r++)); do
	boot "icount-$r" "$pairs" "-icount shift=0"
	runs+=("icount-$r")
done
if [ "${BENCH_TCG:-1}" != 0 ]; then
	boot tcg "$tcg_pairs"
	runs+=(tcg)
fi

step "analysis"
python3 "$HARNESS/bench/analyze.py" "$outdir" "${runs[@]}"
echo "make bench took $((SECONDS - t_start)) s; results in ${outdir#"$REPO"/}/bench.txt, bench.csv, raw.csv"
