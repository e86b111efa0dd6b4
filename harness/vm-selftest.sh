#!/usr/bin/env bash
# The nlmon kselftest under both drivers, and what users see of each,
# compared. Builds the VM kernel (Rust nlmon.ko) and the base tree's C
# nlmon.ko, then in ONE VM boot:
#
#   1. insmod the C nlmon.ko, run the selftest (its disruptive cases
#      unload nlmon and load it on demand: the C module is bind-mounted
#      over the installed Rust one meanwhile) and the direction series'
#      nlmon_direction.py, make sure it is unloaded; modprobe the Rust
#      nlmon, run both.
#   2. Under each driver in turn, a fixed workload in a fresh namespace,
#      saving what users see into out/compare/{c,rust}/: ip -d -j link
#      show, ethtool, the error messages of refused requests, the tcpdump
#      capture and the sequence of its netlink messages.
#
# Then on the host: any difference between the two drivers fails; both
# captures must decode in tshark without a malformed packet. Writes
# "passed failed skipped" to $RESULTS/vm-selftest.counts.
#
# NLMON_SELFTEST: the selftest (default: the series' own,
# tools/testing/selftests/net/nlmon.py of the kernel tree).
# NLMON_C_SED: see build-c-nlmon.sh (a deliberately broken C driver).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Fields of `ip -d -j link show nlmon0` that legitimately vary between
# runs: the index depends on what was created before.
VARYING_FIELDS=(ifindex)

# ---------------------------------------------------------------- guest --

# load DRIVER CKO: load the C (insmod) or the Rust (modprobe) nlmon and
# make sure that it is the one loaded: the C module is built out of tree
# (taint O), the Rust one in tree.
load() {
	if [ -d /sys/module/nlmon ]; then echo "nlmon is already loaded"; return 1; fi
	case $1 in
	c) insmod "$2" || return 1 ;;
	rust) modprobe nlmon || return 1 ;;
	esac
	local taint
	taint=$(cat /sys/module/nlmon/taint)
	echo "loaded the $1 nlmon (taint '$taint')"
	case $1 in
	c) [[ $taint == *O* ]] ;;
	rust) [[ $taint != *O* ]] ;;
	esac
}

# unload: delete every nlmon device left over, then rmmod.
unload() {
	local ns d
	[ -d /sys/module/nlmon ] || return 0
	for ns in "" $(ip netns list | awk '{print $1}'); do
		for d in $(ip ${ns:+-n "$ns"} -o link show type nlmon | awk -F': ' '{print $2}'); do
			ip ${ns:+-n "$ns"} link del "${d%@*}"
		done
	done
	rmmod nlmon && [ ! -d /sys/module/nlmon ]
}

# The fixed comparison workload, in a fresh namespace, saving into $1.
compare_workload() {
	local out=$1 ns=nlmon-cmp
	mkdir -p "$out"
	ip netns add $ns
	ip -n $ns link set lo up
	ip -n $ns link add nlmon0 type nlmon
	ip -n $ns link set nlmon0 up
	ip netns exec $ns tcpdump -i nlmon0 --immediate-mode -U -s 65535 -B 8192 -Z root \
		-w "$out/capture.pcap" 2>"$out/tcpdump.log" &
	local tp=$!
	for _ in $(seq 200); do
		grep -q 'listening on' "$out/tcpdump.log" && break
		sleep 0.1
	done
	# The workload: the same requests, in the same order, under each driver.
	{
		ip -n $ns link show
		ip -n $ns -d link show nlmon0
		ip -n $ns addr show
		ip -n $ns route show
		ip -n $ns addr add 192.0.2.1/24 dev lo
		ip -n $ns route show
		ip -n $ns addr del 192.0.2.1/24 dev lo
		ip -n $ns link add nlmon1 type nlmon
		ip -n $ns link set nlmon1 up
		ip -n $ns link set nlmon1 mtu 1000
		ip -n $ns link del nlmon1
		ip netns exec $ns genl ctrl list
		ip netns exec $ns ethtool nlmon0
		ip -n $ns link set nlmon0 mtu 15
		ip -n $ns link add nlmon9 address 00:11:22:33:44:55 type nlmon
		ip -n $ns link show nlmon0
	} >"$out/workload.log" 2>&1 || true
	sleep 1
	kill -INT $tp
	wait $tp || true

	# What users see.
	ip -n $ns -d -j link show nlmon0 >"$out/link.json"
	ip netns exec $ns ethtool nlmon0 >"$out/ethtool.txt" 2>&1 || echo "exit $?" >>"$out/ethtool.txt"
	ip netns exec $ns ethtool -k nlmon0 >"$out/ethtool-k.txt" 2>&1 || echo "exit $?" >>"$out/ethtool-k.txt"
	# The device's sysfs attributes (those that read without an error),
	# but for the index, which may vary.
	ip netns exec $ns sh -c 'cd /sys/class/net/nlmon0 && grep -s . *' |
		grep -v -e '^ifindex:' -e '^iflink:' -e '^uevent:IFINDEX=' >"$out/sysfs.txt"
	ip netns exec $ns ethtool -i nlmon0 >"$out/ethtool-i.txt" 2>&1 || echo "exit $?" >>"$out/ethtool-i.txt"
	ip netns exec $ns ethtool -S nlmon0 >"$out/ethtool-S.txt" 2>&1 || echo "exit $?" >>"$out/ethtool-S.txt"
	{ ip -n $ns link set nlmon0 mtu 15 2>&1; echo "exit $?"; } >"$out/mtu15.txt"
	{ ip -n $ns link add nlmon9 address 00:11:22:33:44:55 type nlmon 2>&1; echo "exit $?"; } >"$out/address.txt"
	{ ip -n $ns link add nlmon9 type nlmon address 00:11:22:33:44:55 2>&1; echo "exit $?"
	  ip -n $ns -br link show nlmon9 2>&1; } >"$out/address-after-type.txt"
	ip -n $ns link del nlmon9 2>/dev/null || true
	ip -n $ns -s -j link show nlmon0 >"$out/stats.json"
	ip -br link show | awk '{print $1}' >"$out/links-init.txt"
	ip netns del $ns
}

guest() {
	local out=$1 cko=$2 selftest=$3 direction=$4 rc=0 drv t0 installed
	# Failures are counted, not fatal: always run everything.
	set +e +o pipefail
	for drv in c rust; do
		mkdir -p "$out/$drv"
		echo "==== selftest, $drv driver ===="
		t0=$SECONDS
		# What the selftest loads on demand must be the driver under
		# test: the C module in place of the installed one, for now.
		installed=
		if [ "$drv" = c ]; then
			installed=$(modinfo -n nlmon) && mount --bind "$cko" "$installed" ||
				{ echo "cannot put the C nlmon.ko in place of $installed"; rc=1; installed=; }
		fi
		if load "$drv" "$cko"; then
			/usr/bin/python3 "$selftest" | tee "$out/$drv/selftest.tap"
			echo "selftest exit ${PIPESTATUS[0]} (${drv}, $((SECONDS - t0)) s)"
			# The direction series' test, beside it, with the driver
			# loaded anew (the selftest may have unloaded it).
			if unload && load "$drv" "$cko"; then
				/usr/bin/python3 "$direction" | tee "$out/$drv/direction.tap"
				echo "nlmon_direction.py exit ${PIPESTATUS[0]} (${drv})"
			else
				echo "# cannot load the $drv driver again" | tee "$out/$drv/direction.tap"
				rc=1
			fi
		else
			echo "# cannot load the $drv driver" | tee "$out/$drv/selftest.tap"
			rc=1
		fi
		unload || { echo "cannot unload the $drv driver"; rc=1; }
		[ -z "$installed" ] || umount "$installed" || rc=1
	done
	for drv in c rust; do
		echo "==== comparison workload, $drv driver ===="
		load "$drv" "$cko" || { rc=1; continue; }
		compare_workload "$out/compare/$drv"
		unload || { echo "cannot unload the $drv driver"; rc=1; }
	done
	return $rc
}

if [ "${1:-}" = --guest ]; then
	shift
	guest "$@"
	exit
fi

# ----------------------------------------------------------------- host --

# --analyze: only the host side, on the results of the last run.
analyze_only=0
[ "${1:-}" = --analyze ] && analyze_only=1
t_start=$SECONDS
outdir=$REPO/out/vm-selftest
cmpdir=$REPO/out/compare
selftest=${NLMON_SELFTEST:-}
need_tool tshark
mkdir -p "$RESULTS"
rm -f "$RESULTS/vm-selftest.counts"

vm_rc=0 t_vm=0
if [ "$analyze_only" = 0 ]; then
	"$HARNESS/build-vm.sh"
	"$HARNESS/build-c-nlmon.sh"

	rm -rf "$outdir" "$cmpdir"
	mkdir -p "$outdir"
	# The guest cannot see $CACHE (vng puts a tmpfs on /var/cache): copy
	# the C module, and the selftest with what it imports.
	cp "$BUILD/c-nlmon/nlmon.ko" "$outdir/c-nlmon.ko"
	ksft_net=$(ksft_tree "$outdir/ksrc")
	[ -n "$selftest" ] || selftest=$ksft_net/nlmon.py

	step "booting the VM: selftest ${selftest#"$REPO"/} under the C and the Rust nlmon, then the comparison"
	t_vm=$SECONDS
	VM_TIMEOUT=${VM_TIMEOUT:-1800} "$HARNESS/vm-run.sh" "$HARNESS/vm-selftest.sh" --guest \
		"$outdir" "$outdir/c-nlmon.ko" "$selftest" "$ksft_net/nlmon_direction.py" || vm_rc=$?
	t_vm=$((SECONDS - t_vm))
	[ ! -d "$outdir/compare" ] || mv "$outdir/compare" "$cmpdir"
fi

passed=0 failed=0 skipped=0 summary=()
count() { # ok|fail NAME [DETAIL]
	if [ "$1" = ok ]; then passed=$((passed + 1)); ok "$2"
	else failed=$((failed + 1)); printf '%s[FAIL]%s %s\n' "$R" "$N" "$2"; fi
	[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/    /'
}

# The selftest runs, nlmon.py and nlmon_direction.py under each driver:
# their own counts.
for run in c/selftest rust/selftest c/direction rust/direction; do
	drv=${run%/*} tap=$outdir/$run.tap
	tot=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+ .*skip:[0-9]+' "$tap" 2>/dev/null | tail -n 1 || true)
	if [ -z "$tot" ]; then
		count fail "${run#*/} under the $drv driver did not complete"
		summary+=("$run: did not complete")
		continue
	fi
	read -r p f s < <(sed -E 's/.*pass:([0-9]+) fail:([0-9]+) .*skip:([0-9]+).*/\1 \2 \3/' <<<"$tot")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	# nlmon is loaded for the direction test: a skip there is a failure.
	if [ "${run#*/}" = direction ] && [ "$s" != 0 ]; then
		count fail "nlmon_direction.py skipped $s cases under the $drv driver"
	fi
	fails=$(grep '^not ok' "$tap" | sed 's/^not ok [0-9]* //' | paste -sd';' || true)
	skips=$(grep '^ok .* # SKIP' "$tap" | sed -E 's/^ok [0-9]+ (.*) # SKIP.*/\1/' | paste -sd';' || true)
	summary+=("${run#*/}, $drv driver: $p passed, $f failed${fails:+ (${fails//;/; })}, $s skipped${skips:+ (${skips//;/; })}")
done

# The comparison: every file both drivers saved, normalised, must agree.
cmp_file() { # NAME NORMALISE-CMD...: diff c and rust after normalising
	local name=$1 d; shift
	if [ ! -f "$cmpdir/c/$name" ] || [ ! -f "$cmpdir/rust/$name" ]; then
		count fail "compare $name: missing"
		return
	fi
	if d=$(diff -u --label "c/$name" --label "rust/$name" \
		<("$@" c <"$cmpdir/c/$name") <("$@" rust <"$cmpdir/rust/$name")); then
		count ok "C and Rust agree: $name"
	else
		count fail "C and Rust differ: $name" "$d"
		printf '%s\n' "$d" >>"$cmpdir/differences.diff"
	fi
}
as_is() { cat; }
# Text output of ip: the index that starts each device line may vary.
no_index() { sed -E 's/^[0-9]+: /N: /'; }
link_json() { # drop the varying fields, one key per line
	python3 -c 'import json, sys
d = json.load(sys.stdin)[0]
for k in sys.argv[1:]:
    d.pop(k, None)
print(json.dumps(d, indent=1, sort_keys=True))' "${VARYING_FIELDS[@]}"
}
# Keep the exit status line of errors; the message text itself too.
errors() { cat; }
# (protocol, pkttype, nlmsg_type, nlmsg_len) of every message captured.
sequence() { cat; }
pcap_sequence() { # PCAP: LINKTYPE_NETLINK records: 16-byte SLL-like header
	python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
e = "<" if struct.unpack_from("<I", data)[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
assert struct.unpack_from(e + "I", data, 20)[0] & 0x0fffffff == 253, "not LINKTYPE_NETLINK"
off, n = 24, 0
while off + 16 <= len(data):
    caplen = struct.unpack_from(e + "I", data, off + 8)[0]
    rec = data[off + 16:off + 16 + caplen]
    off += 16 + caplen
    n += 1
    pkttype, hatype = struct.unpack_from(">HH", rec, 0)
    proto = struct.unpack_from(">H", rec, 14)[0]
    msg, pos = rec[16:], 0
    while pos + 16 <= len(msg):
        length, typ = struct.unpack_from("=IH", msg, pos)
        if length < 16:  # zero padding after the last message
            break
        print("packet %d: protocol %d pkttype %d nlmsg_type %d nlmsg_len %d" % (n, proto, pkttype, typ, length))
        pos += (length + 3) & ~3
EOF
}

mkdir -p "$cmpdir"
: >"$cmpdir/differences.diff"
for drv in c rust; do
	pcap=$cmpdir/$drv/capture.pcap
	if [ -s "$pcap" ]; then
		pcap_sequence "$pcap" >"$cmpdir/$drv/sequence.txt" || true
		mal=$(tshark -r "$pcap" -Y _ws.malformed 2> >(grep -v 'Running as user' >&2) || echo "tshark failed")
		n=$(tshark -r "$pcap" 2>/dev/null | wc -l)
		if [ -z "$mal" ] && [ "$n" -gt 0 ]; then
			count ok "tshark decodes the $drv capture, $n packets, none malformed"
		else
			count fail "tshark: malformed packets in the $drv capture ($n packets)" "$mal"
		fi
		grep -qx '0 packets dropped by kernel' "$cmpdir/$drv/tcpdump.log" ||
			warn "$drv capture: tcpdump dropped packets: $(cat "$cmpdir/$drv/tcpdump.log")"
	else
		count fail "no $drv capture"
	fi
done
cmp_file link.json link_json
cmp_file stats.json link_json
cmp_file ethtool.txt as_is
cmp_file ethtool-k.txt as_is
cmp_file sysfs.txt as_is
cmp_file ethtool-i.txt as_is
cmp_file ethtool-S.txt as_is
cmp_file mtu15.txt errors
cmp_file address.txt errors
cmp_file address-after-type.txt errors
cmp_file links-init.txt as_is
cmp_file sequence.txt sequence
cmp_file workload.log no_index
[ -s "$cmpdir/differences.diff" ] || rm -f "$cmpdir/differences.diff"

[ "$vm_rc" = 0 ] || count fail "the guest script failed (exit $vm_rc)"
echo "$passed $failed $skipped" >"$RESULTS/vm-selftest.counts"

step "summary (out/vm-selftest, out/compare)"
printf '  %s\n' "${summary[@]}"
echo "  ignored fields of ip -d -j link show: ${VARYING_FIELDS[*]}"
[ ! -f "$cmpdir/differences.diff" ] || echo "  differences: $cmpdir/differences.diff"
echo "  $passed passed, $failed failed, $skipped skipped; VM ${t_vm} s, total $((SECONDS - t_start)) s"
[ "$failed" = 0 ]
