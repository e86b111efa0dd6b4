#!/usr/bin/env bash
# The VM stage of make check: boot the VM kernel and check, with the tools
# users have (iproute2, ethtool, tcpdump), that the nlmon module loads
# without creating a device by itself, and that an up device captures and
# counts netlink traffic. Writes "passed failed skipped" to
# $RESULTS/vm-smoke.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

guest() {
	local pass=0 fail=0 pcap=$1
	check() { # NAME CMD...
		local name=$1; shift
		if "$@" >/dev/null 2>&1; then echo "ok - $name"; pass=$((pass + 1))
		else echo "not ok - $name"; fail=$((fail + 1)); fi
	}
	stat() { cat "/sys/class/net/nlmon0/statistics/$1"; }
	check "modprobe nlmon" modprobe nlmon
	check "no device 'netlink': a module creates none by itself" \
		sh -c '! ip link show netlink'
	check "ip link add nlmon0 type nlmon" ip link add nlmon0 type nlmon
	check "address rejected" sh -c '! ip link add nlmon1 address 00:11:22:33:44:55 type nlmon'
	check "ip link set nlmon0 up" ip link set nlmon0 up
	# Immediate mode and a large buffer: TCG is slow to drain the ring.
	tcpdump -i nlmon0 --immediate-mode -U -s 65535 -B 8192 -Z root -w "$pcap" 2>/dev/null &
	local tp=$! i
	for i in $(seq 50); do [ -s "$pcap" ] && break; sleep 0.2; done
	local before after
	before=$(stat rx_packets)
	for i in 1 2 3; do ip link show lo >/dev/null; done
	after=$(stat rx_packets)
	check "rx_packets counts the traffic" test "$after" -ge $((before + 6))
	sleep 0.5
	kill -INT "$tp"; wait "$tp" || true
	check "tcpdump captured LINKTYPE_NETLINK" sh -c "tcpdump -r '$pcap' 2>&1 | grep -q 'NETLINK'"
	check "ip link set nlmon0 down" ip link set nlmon0 down
	check "rmmod nlmon" rmmod nlmon
	echo "$pass $fail 0" >"${pcap%.pcap}.counts"
	[ "$fail" = 0 ]
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

outdir=$REPO/out/vm-smoke
mkdir -p "$outdir" "$RESULTS"
rm -f "$outdir"/*
rc=0
"$HARNESS/vm-run.sh" "$HARNESS/vm-smoke.sh" --guest "$outdir/smoke.pcap" || rc=$?
if [ -f "$outdir/smoke.counts" ]; then
	cp "$outdir/smoke.counts" "$RESULTS/vm-smoke.counts"
fi
exit "$rc"
