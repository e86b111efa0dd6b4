#!/usr/bin/env bash
# Guest side of harness/stress.sh, run as root in the debug VM:
#
#   guest.sh OUTDIR SECONDS C_NLMON_KO [PARTS]
#
# PARTS (default "kunit badinput cases stress"): kunit = the KUnit suites
# (built in, and the nlmon suite under the Rust and the C driver), their
# KTAP in OUTDIR/kunit; kunitbusy (not by default) = the nlmon suite ten
# times under each driver beside a netlink request loop, OUTDIR/kunit-busy; badinput = perms (permissions), mtu (MTU edges
# under the C and the Rust driver) and fuzz (the fuzzer), each also a part
# of its own; cases = the special cases;
# stress = all loops at once for SECONDS, then the end checks. Always ends
# with forced kmemleak scans and the kernel log in OUTDIR. Each test is a
# line "ok|fail|skip NAME" in OUTDIR/results; the host counts them.
set -uo pipefail

out=$1 secs=$2 cko=$3 parts=${4:-kunit badinput cases stress}
here=$(cd "$(dirname "$0")" && pwd)
# The system's interpreter (not a pyenv shim: a script, slow, and out of
# reach of other users). nlstress.py imports the selftest from
# NLMON_KSFT_NET, which stress.sh sets.
PY=/usr/bin/python3
res=$out/results
mkdir -p "$out/loops"
: >"$res"

# nlstress.py's imports (lib.py, YNL) take ~17 s of a Python start under
# KASAN and TCG: one server imports them once and forks a child for each
# request (nlstress.py serve). Its FIFOs in the guest's own /tmp (9p has
# none).
# The FIFO held open here: requests written before the server opens it,
# or while it is busy, wait in it, and writing never blocks.
pyq=$(mktemp -d /tmp/nlstress.XXXXXX) && mkfifo "$pyq/requests" &&
	exec {pyreq}<>"$pyq/requests" || { echo "no FIFO for nlstress.py"; exit 1; }
"$PY" "$here/nlstress.py" serve "$pyq" >"$out/py-serve.log" 2>&1 &
serve_pid=$!
npy=0
# py [--netns NS] CMD ARGS...: nlstress.py CMD ARGS..., forked by the
# server (in namespace NS); its output and exit status. A TERM is passed
# on to the child.
py() {
	local id=$BASHPID.$((++npy)) ns="" rc reader
	if [ "$1" = --netns ]; then ns=$2; shift 2; fi
	rm -f "$pyq/$id".*
	mkfifo "$pyq/$id.out" || return 1
	local IFS=$'\037'
	printf '%s\n' "$id$IFS$ns$IFS$*" >&"$pyreq"
	cat "$pyq/$id.out" &
	reader=$!
	trap 'kill "$(cat "$pyq/$id.pid" 2>/dev/null)" 2>/dev/null' TERM
	until [ -f "$pyq/$id.rc" ]; do
		if ! kill -0 "$serve_pid" 2>/dev/null; then
			echo "the nlstress.py server died"
			kill "$reader" 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	trap - TERM
	# The child is gone: the reader ends once it has read the rest, or
	# never if the child died before it opened the FIFO.
	for _ in {1..40}; do kill -0 "$reader" 2>/dev/null || break; sleep 0.05; done
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	rc=$(cat "$pyq/$id.rc")
	rm -f "$pyq/$id".*
	return "$rc"
}
kml=/sys/kernel/debug/kmemleak

# The whole kernel log, followed live: a ring buffer overflowing during the
# run would lose the first splat.
dmesg -w >"$out/dmesg.txt" 2>&1 &
dmesg_pid=$!

# t NAME CMD...: one test; CMD's output indented, its status the result
# (0 ok, 4 skip, anything else fail).
t() {
	local name=$1 rc t0=$SECONDS; shift
	echo "---- $name"
	"$@" 2>&1 | sed -u "s/^/    /"
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok $name" ;;
	4) echo "skip $name" ;;
	*) echo "fail $name (exit $rc)" ;;
	esac | tee -a "$res"
	echo "    ($((SECONDS - t0)) s)"
}
has() { [[ " $parts " == *" $1 "* ]]; }
nlmon_devs() { ip -o link show type nlmon 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'; }
refcnt() { cat /sys/module/nlmon/refcnt 2>/dev/null || echo none; }

# udevd (started by virtme-ng) would process the uevent of every device
# the tests create and delete, thousands of them, eating the CPU the tests
# need under TCG; nothing here needs it.
udevadm control --exit 2>/dev/null && echo "udevd stopped"

# Suspects from before the run (boot) are not ours: scan and clear them,
# so that the scans at the end report only what the run leaked.
if [ -w "$kml" ]; then
	echo scan >"$kml"
	echo "kmemleak: $(grep -c '^unreferenced object' "$kml") suspect(s) at boot, cleared"
	echo clear >"$kml"
else
	echo "no $kml: not the debug kernel?"
fi
echo "kernel $(uname -r), panic_on_warn $(cat /proc/sys/kernel/panic_on_warn), taint $(cat /proc/sys/kernel/tainted)"

# ------------------------------------------------------------- KUnit --

# kunit_save DIR [SUITE...]: each suite's KTAP from debugfs (KUnit keeps
# a suite's results there until its module is unloaded) into DIR.
kunit_save() {
	local dir=$1 d n=0; shift
	mkdir -p "$dir"
	for d in "${@/#//sys/kernel/debug/kunit/}"; do
		[ -f "$d/results" ] || { echo "no KUnit results in $d"; return 1; }
		cp "$d/results" "$dir/$(basename "$d").ktap" && n=$((n + 1))
	done
	echo "$n suite(s) saved in $dir"
}
# The nlmon suite under DRIVER (c or rust): the suite's module creates its
# devices through rtnetlink, so it tests whichever nlmon.ko is loaded.
kunit_nlmon() {
	local driver=$1 rc=0
	[ ! -d /sys/module/nlmon ] || rmmod nlmon || return 1
	case $driver in
	c) insmod "$cko" && [[ $(cat /sys/module/nlmon/taint) == *O* ]] ;;
	rust) modprobe nlmon && [[ $(cat /sys/module/nlmon/taint) != *O* ]] ;;
	esac || { echo "cannot load the $driver nlmon"; return 1; }
	modprobe nlmon_kunit || rc=1
	kunit_save "$out/kunit/nlmon-$driver" nlmon || rc=1
	rmmod nlmon_kunit || rc=1
	rmmod nlmon || rc=1
	return $rc
}

# kunitbusy: the nlmon suite ten times in a row under DRIVER while another
# process loops netlink requests in the same (initial) namespace, so that
# the tap sees traffic the suite did not cause: it must count only its own.
kunit_busy() {
	local driver=$1 rc=0 i loop passed=0 dir=$out/kunit-busy
	mkdir -p "$dir"
	(while :; do ip -s link show; ip route show; ip addr show; done >/dev/null 2>&1) &
	loop=$!
	for i in $(seq 10); do
		kunit_nlmon "$driver" || rc=1
		if grep -q '^ok 1 nlmon' "$out/kunit/nlmon-$driver/nlmon.ktap" 2>/dev/null; then
			passed=$((passed + 1))
		else
			rc=1
		fi
		mv "$out/kunit/nlmon-$driver" "$dir/$driver-$i" 2>/dev/null
	done
	kill "$loop"
	wait "$loop" 2>/dev/null
	echo "$driver: the nlmon suite passed $passed of 10 times beside a netlink request loop"
	return $rc
}

if has kunit; then
	# The suites built in ran at boot, before this script.
	mapfile -t boot_suites < <(ls /sys/kernel/debug/kunit 2>/dev/null)
	t "KUnit: the suites built in (${boot_suites[*]:-none}) ran at boot" \
		kunit_save "$out/kunit/boot" "${boot_suites[@]}"
	t "KUnit: nlmon suite, Rust driver" kunit_nlmon rust
	t "KUnit: nlmon suite, C driver" kunit_nlmon c
fi
if has kunitbusy; then
	t "KUnit beside a netlink request loop: nlmon suite 10 times, Rust driver" kunit_busy rust
	t "KUnit beside a netlink request loop: nlmon suite 10 times, C driver" kunit_busy c
fi

# ---------------------------------------------------------- bad input --

mtu_c() {
	[ ! -d /sys/module/nlmon ] || rmmod nlmon || return 1
	insmod "$cko" || return 1
	[[ $(cat /sys/module/nlmon/taint) == *O* ]] || { echo "not the C driver"; return 1; }
	py mtu-table "$out/mtu-c.txt"
	local rc=$?
	rmmod nlmon || rc=1
	return $rc
}
mtu_rust() {
	modprobe nlmon || return 1
	[[ $(cat /sys/module/nlmon/taint) != *O* ]] || { echo "not the Rust driver"; return 1; }
	py mtu-table "$out/mtu-rust.txt"
}
mtu_same() {
	diff -u --label C --label Rust "$out/mtu-c.txt" "$out/mtu-rust.txt" && echo "the same table"
}

fuzz() {
	local before after stray rc
	before=$(nlmon_devs | sort)
	# An unknown kind makes rtnetlink try request_module("rtnl-link-..."):
	# one modprobe run from the 9p root each, most of the fuzzer's time.
	# With an empty modprobe path the kernel refuses at once (same error).
	local modprobe
	modprobe=$(cat /proc/sys/kernel/modprobe)
	echo >/proc/sys/kernel/modprobe
	py fuzz "${FUZZ_SEED:-1}" "${FUZZ_COUNT:-10000}" "$out/fuzz.json"
	rc=$?
	echo "$modprobe" >/proc/sys/kernel/modprobe
	# A request may have moved its device to the initial namespace
	# (IFLA_NET_NS_PID 1): delete those; leftover namespaces too.
	stray=$(comm -13 <(echo "$before") <(nlmon_devs | sort))
	for d in $stray; do ip link del "$d" || rc=1; done
	[ -z "$stray" ] || echo "moved to the initial namespace and deleted: ${stray//$'\n'/ }"
	ip netns list | grep -q st-fuzz && { echo "fuzz namespaces left"; rc=1; }
	# Namespaces are dismantled asynchronously (cleanup_net): their taps
	# may take a moment to go.
	for _ in $(seq 300); do [ "$(refcnt)" = 0 ] && break; sleep 0.1; done
	after=$(refcnt)
	echo "module refcount after the fuzzer: $after (no device is up: 0)"
	[ "$after" = 0 ] || rc=1
	return $rc
}

# Permissions. np: root without CAP_NET_ADMIN (dropped from the bounding
# set, so execve grants it to nobody); nr: without CAP_NET_RAW; nobody: an
# unprivileged user; userns: root of a new user namespace, in the initial
# network namespace. Refusals are told by their error (EPERM), not by any
# failure, and checked on the device's state too.
as() { # WHO CMD...
	local who=$1; shift
	case $who in
	np) setpriv --bounding-set=-net_admin --inh-caps=-net_admin -- "$@" ;;
	nr) setpriv --bounding-set=-net_raw --inh-caps=-net_raw -- "$@" ;;
	nobody) setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all -- "$@" ;;
	userns) unshare -Ur "$@" ;;
	esac
}
# refused WHO WHAT CMD...: CMD must fail with EPERM.
refused() {
	local who=$1 what=$2 o; shift 2
	if o=$(as "$who" "$@" 2>&1); then echo "$who: $what: ALLOWED"; return 1; fi
	if [[ $o == *"Operation not permitted"* ]]; then echo "$who: $what: refused (EPERM)"; return 0; fi
	echo "$who: $what: failed otherwise: $o"
	return 1
}
is_up() { ip link show "$1" | grep -q '[<,]UP[,>]'; }
perm_admin() {
	local rc=0 who
	ip link set netlink down
	for who in np nobody userns; do
		refused $who "create" ip link add pa0 type nlmon || rc=1
		! ip link show pa0 >/dev/null 2>&1 || { ip link del pa0; rc=1; }
		refused $who "up" ip link set netlink up || rc=1
		! is_up netlink || { echo "netlink is up"; ip link set netlink down; rc=1; }
		refused $who "mtu" ip link set netlink mtu 1000 || rc=1
		! ip link show netlink | grep -q 'mtu 1000 ' || rc=1
		refused $who "delete" ip link del netlink || rc=1
	done
	# Control: with CAP_NET_ADMIN (and without CAP_NET_RAW) they work.
	if as nr ip link add pa0 type nlmon && as nr ip link set pa0 up && is_up pa0 &&
		as nr ip link set pa0 mtu 1000 && as nr ip link del pa0; then
		echo "control: with CAP_NET_ADMIN alone, create, up, mtu, delete work"
	else rc=1; fi
	return $rc
}
# exit 3: EPERM; 0: the socket opened
packet_socket='import socket, sys
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 768).bind(("netlink", 0))
except PermissionError:
    sys.exit(3)'
perm_raw() {
	local rc=0 who r
	ip link set netlink up
	for who in nr nobody userns; do
		r=0; as $who "$PY" -S -c "$packet_socket" || r=$?
		case $r in
		3) echo "$who: packet socket refused (EPERM)" ;;
		0) echo "$who: opened a packet socket on 'netlink'"; rc=1 ;;
		*) echo "$who: could not tell (exit $r)"; rc=1 ;;
		esac
	done
	if as np "$PY" -S -c "$packet_socket"; then
		echo "control: without CAP_NET_ADMIN, with CAP_NET_RAW, the packet socket opens"
	else rc=1; fi
	ip link set netlink down
	return $rc
}

# badinput: the three below.
if has badinput || has perms; then
	# The permissions first: they need no Python, while the server imports.
	# They act on a device named "netlink", made here: a module makes none.
	[ -d /sys/module/nlmon ] || modprobe nlmon
	ip link show netlink >/dev/null 2>&1 || ip link add netlink type nlmon
	t "permissions: no CAP_NET_ADMIN, no create/up/mtu/delete" perm_admin
	t "permissions: no CAP_NET_RAW, no packet socket" perm_raw
fi
if has badinput || has mtu; then
	t "mtu edges, C driver (insmod)" mtu_c
	t "mtu edges, Rust driver" mtu_rust
	t "mtu edges: Rust refuses or takes each exactly as C" mtu_same
fi
if has badinput || has fuzz; then
	[ -d /sys/module/nlmon ] || modprobe nlmon
	t "fuzz ${FUZZ_COUNT:-10000} RTM_NEWLINK/RTM_SETLINK (seed ${FUZZ_SEED:-1})" fuzz
fi

# ------------------------------------------------------ special cases --

bond_once() {
	local rc=0 base
	base=$(refcnt)
	ip link add nlmonb type nlmon && ip link set nlmonb up || return 1
	ip link add bst type bond mode active-backup || return 1
	local said
	if said=$(ip link set nlmonb master bst 2>&1); then echo "bond took an up device"; rc=1
	else echo "enslaving while up: refused as expected (${said#Error: }): the bond wants its slaves down; it opens them itself"; fi
	ip link set nlmonb down && ip link set nlmonb master bst && ip link set bst up || rc=1
	echo "enslaved: $(ip -br link show nlmonb), bond type $(cat /sys/class/net/bst/type), module refcount $(refcnt)"
	ip link show nlmonb | grep -q '[<,]UP[,>]' || { echo "the slave is not up"; rc=1; }
	[ "$(refcnt)" = $((base + 1)) ] || { echo "no tap while enslaved"; rc=1; }
	ip -s link show bst >/dev/null
	ip link set nlmonb nomaster || rc=1
	ip link del bst || rc=1
	ip link del nlmonb || rc=1
	[ "$(refcnt)" = "$base" ] || { echo "refcount $(refcnt), want $base"; rc=1; }
	return $rc
}
team_once() {
	local rc=0 base
	base=$(refcnt)
	ip link add nlmont type nlmon && ip link set nlmont up || return 1
	ip link add tst type team || return 1
	py team-mode tst activebackup || { echo "cannot set the team's mode"; rc=1; }
	local said
	if said=$(ip link set nlmont master tst 2>&1); then echo "team took an up device"; rc=1
	else echo "enslaving while up: refused as expected (${said#Error: }): the team wants its ports down"; fi
	ip link set nlmont down && ip link set nlmont master tst && ip link set tst up || rc=1
	echo "enslaved: $(ip -br link show nlmont), team type $(cat /sys/class/net/tst/type), module refcount $(refcnt)"
	[ "$(refcnt)" = $((base + 1)) ] || { echo "no tap while enslaved"; rc=1; }
	ip link set nlmont nomaster || rc=1
	ip link del tst || rc=1
	ip link del nlmont || rc=1
	[ "$(refcnt)" = "$base" ] || { echo "refcount $(refcnt), want $base"; rc=1; }
	return $rc
}

# An up device moved to another namespace is closed first: its tap must
# leave the old namespace's list then, or deliveries there use freed memory
# once the device is gone (and removal warns "not found").
netns_move() {
	local rc=0 i from=mvA to=mvB tp
	ip netns add mvA && ip netns add mvB || return 1
	ip -n mvA link add m0 type nlmon && ip -n mvA link set m0 up || rc=1
	for i in $(seq "${NETNS_MOVES:-8}"); do
		ip netns exec $from tcpdump -i m0 -w /dev/null 2>/dev/null &
		tp=$!
		ip -n $from link show >/dev/null
		ip -n $from link set m0 netns $to || rc=1
		ip -n $to link set m0 up || rc=1
		# Traffic in the old namespace after the move.
		ip -n $from link show >/dev/null
		kill $tp 2>/dev/null; wait $tp 2>/dev/null
		local t=$from; from=$to; to=$t
	done
	ip -n $from link del m0 || rc=1
	ip netns del mvA; ip netns del mvB
	ip link show >/dev/null
	for _ in $(seq 100); do [ "$(refcnt)" = 0 ] && break; sleep 0.1; done
	echo "module refcount after the moves and the delete: $(refcnt)"
	[ "$(refcnt)" = 0 ] || rc=1
	rmmod nlmon || { echo "rmmod refused"; rc=1; }
	modprobe nlmon || rc=1
	if grep -a '__netlink_remove_tap: .* not found' "$out/dmesg.txt"; then rc=1; fi
	return $rc
}

# CASES: which cases (default all); make check leaves out what its
# selftest stage checks under both drivers (direction, isolation, nsdel).
all_cases="big direction multicast whitelist isolation nsdel userns moves bond team"
case_on() { [[ " ${CASES:-$all_cases} " == *" $1 "* ]]; }
for c in ${CASES:-}; do
	[[ " $all_cases " == *" $c "* ]] || { echo "CASES: no case '$c' (cases: $all_cases)"; echo "fail CASES names a case that does not exist" >>"$res"; }
done
if has cases; then
	[ -d /sys/module/nlmon ] || modprobe nlmon
	! case_on big || t "unicast messages > NLMSG_GOODSIZE captured with their exact length" py case big
	! case_on direction || t "direction: requests captured as PACKET_KERNEL, replies as PACKET_USER" py case direction
	! case_on multicast || t "multicast notification captured once per listening socket" py case multicast
	! case_on whitelist || t "audit and kobject uevent never captured" py case whitelist
	! case_on isolation || t "namespace isolation, both ways" py case isolation
	! case_on nsdel || t "deleting namespaces whose nlmon is up" py case nsdel
	! case_on userns || t "root in a user namespace sees only its own namespace's traffic" py case userns
	! case_on moves || t "an up, capturing nlmon moved between namespaces, deleted, module unloaded" netns_move
	! case_on bond || t "bond (active-backup) enslaves and releases an nlmon" bond_once
	! case_on team || t "team (activebackup) enslaves and releases an nlmon" team_once
fi

# ------------------------------------------------------------- stress --

# Bash loops: LOOP SECONDS OUTFILE, writing "ops errors violations secs".
loop_nsns() { # namespaces created and destroyed with an nlmon up
	local end=$((SECONDS + $1)) ops=0 errs=0 ns t0=$SECONDS
	while [ $SECONDS -lt $end ]; do
		ns=stn$((ops % 3))
		{ ip netns add $ns && ip -n $ns link add nlmon0 type nlmon && ip -n $ns link set nlmon0 up &&
			ip -n $ns link show >/dev/null && ip netns del $ns; } 2>/dev/null || {
			errs=$((errs + 1)); ip netns del $ns 2>/dev/null; }
		ops=$((ops + 1))
	done
	echo "$ops $errs 0 $((SECONDS - t0))" >"$2"
}
loop_modload() { # rmmod must be refused while a device is up
	local end=$((SECONDS + $1)) ops=0 errs=0 bad=0 t0=$SECONDS
	while [ $SECONDS -lt $end ]; do
		if rmmod nlmon 2>/dev/null; then
			echo "rmmod succeeded while nlmonp was up"; bad=$((bad + 1))
		fi
		modprobe nlmon || errs=$((errs + 1))
		ops=$((ops + 1))
	done
	echo "$ops $errs $bad $((SECONDS - t0))" >"$2"
}
loop_enslave() { # bond|team: enslave and release an nlmon under traffic
	local kind=$1 end=$((SECONDS + $2)) ops=0 errs=0 t0=$SECONDS m=${1:0:1}st d=nlmon${1:0:1}
	while [ $SECONDS -lt $end ]; do
		{
			if [ "$kind" = bond ]; then ip link add "$m" type bond mode active-backup
			else ip link add "$m" type team && py team-mode "$m" activebackup; fi &&
				ip link set "$d" down && ip link set "$d" master "$m" && ip link set "$m" up &&
				ip link show "$d" >/dev/null && ip link set "$d" nomaster && ip link del "$m" &&
				ip link set "$d" up
		} 2>/dev/null || { errs=$((errs + 1)); ip link del "$m" 2>/dev/null; ip link set "$d" up 2>/dev/null; }
		ops=$((ops + 1))
	done
	echo "$ops $errs 0 $((SECONDS - t0))" >"$3"
}

stress() {
	local rc=0 pids=() t0 name ops errs bad s
	[ -d /sys/module/nlmon ] || modprobe nlmon || return 1
	for d in nlmonp nlmonx nlmonm nlmonb nlmont; do ip link add $d type nlmon && ip link set $d up || rc=1; done
	ip netns add st-gen && ip -n st-gen link add nlmon0 type nlmon && ip -n st-gen link set nlmon0 up || rc=1
	echo "devices up: $(nlmon_devs | paste -sd' '); module refcount $(refcnt)"
	t0=$SECONDS
	# nlmonp stays up throughout (so rmmod is always refused), nlmonx is
	# toggled, nlmonm has its MTU changed, nlmonb/nlmont are enslaved
	# (unless ENSLAVE_LOOPS=0).
	run() { local n=$1; shift; "$@" & pids+=($!); echo "$!" >"$out/loops/$n.pid"; }
	L=$out/loops
	run dump-init py loop dump "$secs" "$L/dump-init"
	run dump-ns py --netns st-gen loop dump "$secs" "$L/dump-ns"
	run genl py loop genl "$secs" "$L/genl"
	run sock_diag py loop diag "$secs" "$L/sock_diag"
	run capture-p py loop capture "$secs" "$L/capture-p" nlmonp
	run capture-x py loop capture "$secs" "$L/capture-x" nlmonx
	run capture-ns py --netns st-gen loop capture "$secs" "$L/capture-ns" nlmon0
	run toggle py loop toggle "$secs" "$L/toggle" nlmonx
	run churn-init py loop churn "$secs" "$L/churn-init" nlc
	run churn-netns loop_nsns "$secs" "$L/churn-netns"
	run mtu py loop mtu "$secs" "$L/mtu" nlmonm
	run counters py loop counters "$secs" "$L/counters" nlmonp nlmonx
	run modload loop_modload "$secs" "$L/modload"
	# (One bond or team operation takes 20 to 30 s here: ENSLAVE_LOOPS=0
	# leaves them to the cases, for a short run.)
	if [ "${ENSLAVE_LOOPS:-1}" = 1 ]; then
		run bond loop_enslave bond "$secs" "$L/bond"
		run team loop_enslave team "$secs" "$L/team"
	fi
	# Bounded: every loop checks its deadline; allow a grace for the last
	# operation of each, then kill what is left and fail.
	# (A bond or namespace operation can take tens of seconds under TCG
	# with every loop running: the grace is for that, not for hangs.)
	local limit=$((secs + 120))
	local p left=()
	while [ $((SECONDS - t0)) -lt $limit ]; do
		left=()
		for p in "${pids[@]}"; do ! kill -0 "$p" 2>/dev/null || left+=("$p"); done
		[ ${#left[@]} -gt 0 ] || break
		sleep 1
	done
	if [ ${#left[@]} -gt 0 ]; then
		echo "loops still running after $limit s: killing ${left[*]}"
		kill "${left[@]}" 2>/dev/null
		rc=1
	fi
	wait "${pids[@]}" 2>/dev/null
	local took=$((SECONDS - t0))
	echo "all loops finished after $took s (bound $limit s)"
	# A loop fails on any error or violation, or if it did nothing.
	printf '%-12s %10s %8s %8s %8s %6s\n' loop ops errors ops/s bad secs >"$out/rates.txt"
	for f in "$L"/*; do
		[[ $f == *.pid ]] && continue
		name=${f##*/}
		read -r ops errs bad s <"$f" || { echo "$name: no result"; rc=1; continue; }
		printf '%-12s %10d %8d %8.1f %8d %6.0f\n' "$name" "$ops" "$errs" \
			"$(awk "BEGIN{print $ops/($s>0?$s:1)}")" "$bad" "$s" >>"$out/rates.txt"
		[ "$errs" = 0 ] && [ "$bad" = 0 ] || { echo "$name: $errs errors, $bad bad"; rc=1; }
		[ "$ops" -gt 0 ] || { echo "$name did nothing"; rc=1; }
	done
	cat "$out/rates.txt"
	for f in "$L"/*.pid; do
		[ -f "${f%.pid}" ] || { echo "loop ${f##*/} wrote no result"; rc=1; }
		rm -f "$f"
	done
	echo "${took}" >"$out/stress-seconds"
	return $rc
}

stress_end() {
	# Everything away: devices, bonds, teams, namespaces; then the taps
	# must all be gone (each holds a module reference), nothing may be
	# left over, and the module must unload.
	local rc=0 d n left
	for d in $(nlmon_devs); do [ "$d" = netlink ] || ip link del "$d" || rc=1; done
	for d in bst tst; do ip link del $d 2>/dev/null; done
	for n in $(ip netns list | awk '{print $1}'); do ip netns del "$n"; done
	for _ in $(seq 300); do [ "$(refcnt)" = 0 ] && break; sleep 0.1; done
	echo "module refcount after cleanup: $(refcnt)"
	[ "$(refcnt)" = 0 ] || rc=1
	left=$(comm -3 <(echo "$base_links_all") <(ip -o link show | awk -F': ' '{print $2}' | sort))
	[ -z "$left" ] || { echo "links differing from before the run: $left"; rc=1; }
	if rmmod nlmon; then echo "rmmod nlmon: ok"; else echo "rmmod nlmon failed"; rc=1; fi
	[ ! -d /sys/module/nlmon ] || { echo "nlmon still loaded"; rc=1; }
	n=$(ip -o link show | grep -c 'nlmon\|^[0-9]*: netlink' || true)
	echo "devices of the driver left: $n"
	[ "$n" = 0 ] || rc=1
	return $rc
}

if has stress; then
	[ -d /sys/module/nlmon ] || modprobe nlmon
	base_links_all=$(ip -o link show | awk -F': ' '{print $2}' | sort)
	t "stress: all loops at once for $secs s, within the bound, counters never backwards, rmmod always refused" stress
	t "stress end: no device, tap or namespace left, refcount 0, rmmod works" stress_end
fi

# The proof that the scan catches real problems (stress.sh --prove-scan).
if has prove; then
	t "load the deliberately leaking and WARNing test module" insmod "$out/stress_leak.ko"
fi

# ------------------------------------------------------------- the end --

if [ -w "$kml" ]; then
	# Two scans some seconds apart: kmemleak reports an object only once
	# it is older than its minimum age and was unreferenced in a scan.
	t0=$SECONDS
	# A kmemleak that disabled itself (out of objects) refuses the scan:
	# then there is no report, and the host fails the run.
	if echo scan >"$kml" && sleep 6 && echo scan >"$kml"; then
		cat "$kml" >"$out/kmemleak.txt"
	fi
	echo "kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak.txt") suspect(s) after the run (scans took $((SECONDS - t0)) s)"
fi
echo "taint $(cat /proc/sys/kernel/tainted) (512: a WARN happened)"
cat /proc/sys/kernel/tainted >"$out/taint"
kill "$serve_pid"
sleep 1
kill "$dmesg_pid"
wait "$dmesg_pid" 2>/dev/null
echo finished >"$out/complete"
