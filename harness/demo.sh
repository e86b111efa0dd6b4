#!/usr/bin/env bash
# make demo: build the VM kernel, boot it, load the nlmon driver, capture
# the netlink traffic of a few ip(8) commands with tcpdump on nlmon0, and
# leave the capture in out/demo/netlink.pcap. Fails if nothing was captured.
#
# NLMON_MODULE names the module to load (default nlmon: nlmon.ko is the C
# driver, or the Rust one once the VM config has CONFIG_NLMON_RUST=y).
# The part that runs inside the VM is this script with --guest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NLMON_MODULE=${NLMON_MODULE:-nlmon}

# Inside the VM: the capture itself.
guest() {
	local module=$1 pcap=$2 err=${2%.pcap}.tcpdump.log tcpdump_pid
	run() { echo "\$ $*"; "$@"; }
	run modprobe "$module"
	run ip link add nlmon0 type nlmon
	run ip link set nlmon0 up
	# -Z root: tcpdump would otherwise drop to user tcpdump, which may not
	# write to the shared directory. --immediate-mode and -U: hand over and
	# write each packet at once; with block buffering packets still in the
	# ring when tcpdump stops are lost (seen: 19 of 49 captured). -s/-B: a
	# ring of 128 slots; the default 256 KiB snaplen in a 2 MiB buffer
	# leaves 8, and bursts overflowed them under TCG (2 dropped by kernel).
	tcpdump -i nlmon0 --immediate-mode -U -s 65535 -B 8192 -Z root -w "$pcap" 2>"$err" &
	tcpdump_pid=$!
	# Only start the traffic once tcpdump really listens (TCG is slow).
	for _ in $(seq 100); do
		grep -q 'listening on' "$err" && break
		kill -0 "$tcpdump_pid" 2>/dev/null || break
		sleep 0.2
	done
	grep -q 'listening on' "$err" || { cat "$err"; echo "tcpdump did not start"; return 1; }
	run ip link show
	run ip addr show
	run ip route show
	run ip -s link
	run ip link add dummy0 type dummy
	run ip addr add 192.0.2.1/24 dev dummy0
	run ip link set dummy0 up
	run ip route show
	run ip link del dummy0
	# Through ethtool netlink: the link is always detected.
	run ethtool nlmon0
	# SIGINT makes tcpdump flush the pcap and print its counters; give it a
	# moment first to read the last messages (TCG is slow).
	sleep 1
	kill -INT "$tcpdump_pid"
	wait "$tcpdump_pid"
	cat "$err"
	run ip -s link show nlmon0
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

"$HARNESS/build-vm.sh"
outdir=$REPO/out/demo
pcap=$outdir/netlink.pcap
mkdir -p "$outdir"
rm -f "$pcap"
step "booting the VM: $NLMON_MODULE capture into ${pcap#"$REPO"/}"
# The guest does not inherit our environment: pass what it needs as arguments.
"$HARNESS/vm-run.sh" "$HARNESS/demo.sh" --guest "$NLMON_MODULE" "$pcap" ||
	die "the demo failed inside the VM"

[ -s "$pcap" ] || die "no capture file at $pcap"
step "the capture, one line per packet, after its direction (Port: the netlink header's port ID)"
# Custom columns: tshark's default summary line does not name the message.
cols='"No.","%m","Time","%t","Len","%L","Family","%Cus:netlink.family"'
cols+=',"Message","%Cus:netlink-route.nltype || genl.family_id || netlink.hdr_type","Port","%Cus:netlink.hdr_pid"'
# tshark warns about running as root; that is fine for reading a file.
tshark -r "$pcap" -o "gui.column.format:$cols" 2> >(grep -v 'Running as user' >&2) \
	>"$outdir/tshark.txt"
# Each line after its direction, which tshark does not show.
python3 "$HARNESS/pcap-direction.py" "$pcap" "$outdir/tshark.txt" | tee "$outdir/netlink.txt"
n=$(wc -l <"$outdir/netlink.txt")
[ "$n" -gt 0 ] || die "the capture holds 0 packets"
to_kernel=$(grep -c '^to kernel ' "$outdir/netlink.txt" || true)
to_user=$(grep -c '^to user ' "$outdir/netlink.txt" || true)
[ $((to_kernel + to_user)) = "$n" ] ||
	die "$((n - to_kernel - to_user)) of $n frames say no direction (a kernel without patches-direction/?)"
ok "$n netlink packets captured, $to_kernel to the kernel and $to_user to user space: $pcap (decoded: tshark -r $pcap -V)"
