#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Selftest for the netlink monitoring device (nlmon), run the way users use
# it: iproute2, packet sockets and tcpdump. It tests whichever nlmon driver
# the kernel has (the caller loads it; if none is loaded it tries
# "modprobe nlmon" and link-kind autoloading) and skips (exit 4) if the
# kernel has none.
#
# Everything but the module checks happens in private network namespaces,
# so that no other netlink traffic disturbs the counters.
#
# Captures are read with a small Python reader over AF_PACKET (no parsing
# of pretty-printed output): sockaddr_ll gives the netlink protocol
# (sll_protocol), the payload is the raw netlink message(s). The direction
# the tap sets (PACKET_KERNEL/PACKET_USER in skb->pkt_type) does not reach
# packet sockets: dev_queue_xmit_nit() hands them a clone marked
# PACKET_OUTGOING, which the test expects. Counters are read from sysfs,
# which makes no netlink traffic of its own.
#
# Checks, in order: the device (1-7), capture (8-13), counters (14-15),
# down means silent (16-18), MTU (19-22), no hardware address (23-24),
# namespaces (25-27), the device "netlink" created at load (28), lifetime
# and unloading (29-31).
#
# Environment:
#   NLMON_ALLOW_RMMOD=1    also test module unloading (this unloads nlmon;
#                          the caller reloads it)
#   NLMON_EXPECTED_MTU=N   the expected default MTU (NLMSG_GOODSIZE) where
#                          it cannot be derived here
#   NLMON_DEFAULT_DEVICE=0 nlmon was loaded with default_device=0: skip the
#                          check of the device "netlink"
#
# Requires: iproute2 (ip, genl), python3; tcpdump and ethtool optional.

source "$(dirname "$(readlink -f "$0")")/../kselftest/ktap_helpers.sh"

# -S: only the standard library is used, and without site the interpreter
# starts several times faster (it starts ~20 times; slow VMs).
PYTHON=(python3 -S)

NUM_TESTS=31

# Diagnostics, one "# " line per line of output.
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESCRIPTION CMD...: one test. CMD's output is shown as diagnostics;
# its exit status is the result (0 pass, 4 skip, anything else fail).
check() {
	local desc=$1 rc=0 out; shift
	out=$("$@" 2>&1) || rc=$?
	[ -z "$out" ] || diag "$out"
	case $rc in
	0) ktap_test_pass "$desc" ;;
	"$KSFT_SKIP") ktap_test_skip "$desc" ;;
	*) ktap_test_fail "$desc" ;;
	esac
}

tmp=$(mktemp -d /tmp/nlmon-selftest.XXXXXX) || exit "$KSFT_FAIL"
suffix=$(printf '%04x' $((RANDOM)))
NS=nlmon-st-$suffix          # the main test namespace
NSA=nlmon-a-$suffix          # namespaces of the isolation test
NSB=nlmon-b-$suffix
NSX=nlmon-x-$suffix          # a namespace that holds no nlmon device
PY=$tmp/nlmon_cap.py
# set by link_info
l_kind='' l_type='' l_flags='' l_mtu='' l_min_mtu='' l_address=''
listeners=()

cleanup() {
	local p
	for p in "${listeners[@]}"; do kill "$p" 2>/dev/null; done
	for n in "$NS" "$NSA" "$NSB" "$NSX"; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$PY" <<'EOF'
# nlmon selftest helper: capture with AF_PACKET, talk netlink, check.
import errno, json, os, select, signal, socket, struct, sys, time

NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_GETLINK = 16, 18
RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR, RTM_GETROUTE = 20, 21, 22, 26
GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME = 0x10, 3, 2
PACKET_OUTGOING = 4
ARPHRD_NETLINK = 824
SOL_PACKET, PACKET_STATISTICS, SO_RCVBUFFORCE = 263, 6, 33
# The protocols a tap lets through (netlink_filter_tap()).
PROTOCOLS = {"route": 0, "usersock": 2, "sock_diag": 4, "nflog": 5, "xfrm": 6,
             "fib_lookup": 10, "netfilter": 12, "generic": 16}
SKIP = 4


def hdr(data, off=0):
    return struct.unpack_from("=IHHII", data, off)  # len type flags seq pid


def messages(data, offsets=None):
    """The nlmsghdrs of one skb, and whether they fill it: exactly, or up
    to zero bytes, which the kernel ignores (iproute2 sends its dump
    requests in zeroed buffers larger than the message)."""
    out, off = [], 0
    while off + 16 <= len(data):
        h = hdr(data, off)
        if h[0] == 0 and not any(data[off:]):
            return out, True
        if h[0] < 16 or off + h[0] > len(data):
            return out, False
        out.append(h)
        if offsets is not None:
            offsets.append(off)
        off += (h[0] + 3) & ~3
    return out, len(data) <= off < len(data) + 4


def fmt(h):
    return "len %d type %d flags %#x seq %d pid %d" % h


# ---- counters, without netlink: sysfs ----

def counters(sock, ifname):
    c = {}
    for k in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
              "rx_dropped", "tx_dropped"):
        with open("/sys/class/net/%s/statistics/%s" % (ifname, k)) as f:
            c[k] = int(f.read())
    return c


# ---- capture ----

def listen(ifname, out, ready, exchange_out=None, seq=None):
    """Capture on ifname until SIGTERM; write the packets and the counters
    before and after to out (JSON). With exchange_out, make the known
    exchanges (see exchange()) once capturing, before signalling ready."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(3))  # ETH_P_ALL
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
    s.bind((ifname, 0))
    s.setblocking(False)
    buf = bytearray(1 << 20)
    pkts, errors = [], []

    def drain():
        while True:
            try:
                n, addr = s.recvfrom_into(buf, len(buf), socket.MSG_TRUNC)
            except BlockingIOError:
                return
            except OSError as e:  # ENETDOWN after binding to a down device
                errors.append(errno.errorcode.get(e.errno, str(e.errno)))
                continue
            pkts.append({"proto": addr[1], "pkttype": addr[2],
                         "hatype": addr[3], "len": n,
                         "data": bytes(buf[:min(n, len(buf))]).hex()})

    before = counters(s, ifname)
    if exchange_out:
        exchange(exchange_out, seq)
    with open(ready, "w") as f:
        f.write("ready\n")
    while not stop:
        try:
            select.select([s], [], [], 0.1)
        except InterruptedError:
            pass
        drain()
    # All netlink traffic of the test is done: taps deliver synchronously,
    # so everything counted is already queued on the socket.
    after = counters(s, ifname)
    drain()
    st = s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
    with open(out, "w") as f:
        json.dump({"ifname": ifname, "pkts": pkts, "before": before,
                   "after": after, "drops": struct.unpack("II", st)[1],
                   "errors": errors}, f)


def load(path):
    with open(path) as f:
        cap = json.load(f)
    for p in cap["pkts"]:
        p["data"] = bytes.fromhex(p["data"])
        p["msgs"], p["whole"] = messages(p["data"])
    return cap


def delta(cap, k):
    return cap["after"][k] - cap["before"][k]


# ---- known exchanges ----

def talk(proto, req, seq):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.bind((0, 0))
    s.settimeout(10)
    s.send(req)
    recv = []
    while True:
        d = s.recv(1 << 16)
        recv.append(d)
        if any(h[1] == NLMSG_ERROR and h[3] == seq for h in messages(d)[0]):
            break
    return {"proto": proto, "portid": s.getsockname()[0], "seq": seq,
            "sent": req.hex(), "recv": [d.hex() for d in recv]}


def exchange(out, seq):
    """RTM_GETLINK for ifindex 1 (route) and CTRL_CMD_GETFAMILY "nlctrl"
    (generic), both with NLM_F_ACK: request, reply, ack."""
    seq = int(seq, 0)
    ifi = struct.pack("=BxHiII", 0, 0, 1, 0, 0)
    flags = NLM_F_REQUEST | NLM_F_ACK
    route = struct.pack("=IHHII", 16 + len(ifi), RTM_GETLINK, flags,
                        seq, 0) + ifi
    name = b"nlctrl\0"
    nla = struct.pack("=HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    body = (struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + nla
            + b"\0" * (-len(nla) % 4))
    genl = struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL, flags,
                       seq + 1, 0) + body
    res = {"route": talk(0, route, seq), "generic": talk(16, genl, seq + 1)}
    with open(out, "w") as f:
        json.dump(res, f)


def exchange_pkts(cap, ex):
    return [p for p in cap["pkts"]
            if p["proto"] == ex["proto"] and p["msgs"]
            and p["msgs"][0][3] == ex["seq"]
            and p["msgs"][0][4] in (0, ex["portid"])]


def check_exchange(cap, exs, which):
    """The request and every reply datagram of the exchange were captured
    once each, in order, with the right protocol, byte for byte."""
    ex = exs[which]
    got = exchange_pkts(cap, ex)
    want = [bytes.fromhex(ex["sent"])] + [bytes.fromhex(d) for d in ex["recv"]]
    ok = len(got) == len(want)
    for i, w in enumerate(want):
        g = got[i] if i < len(got) else None
        role = "request" if i == 0 else "reply %d" % i
        if g is None:
            print("%s (%s) not captured" % (
                  role, "; ".join(fmt(h) for h in messages(w)[0])))
            ok = False
            continue
        same = g["data"] == w and g["proto"] == ex["proto"]
        ok &= same
        print("%s: proto %d pkttype %d: %s%s" % (role, g["proto"], g["pkttype"],
              "; ".join(fmt(h) for h in g["msgs"]), "" if same else
              "  DIFFERS from the %s: %s" % (
                  "sent" if i == 0 else "received",
                  "; ".join(fmt(h) for h in messages(w)[0]))))
    if len(got) > len(want):
        print("%d more captured packets with seq %d" % (
              len(got) - len(want), ex["seq"]))
    return 0 if ok else 1


def check_pkttype(cap, exs):
    """sll_hatype is ARPHRD_NETLINK on every packet and sll_pkttype is
    PACKET_OUTGOING on requests and replies alike."""
    bad = [p for p in cap["pkts"] if p["hatype"] != ARPHRD_NETLINK]
    if bad:
        print("%d packets with sll_hatype != %d: %s" % (
              len(bad), ARPHRD_NETLINK, sorted({p["hatype"] for p in bad})))
        return 1
    req, rep = [], []
    for ex in exs.values():
        got = exchange_pkts(cap, ex)
        req += [p["pkttype"] for p in got[:1]]
        rep += [p["pkttype"] for p in got[1:]]
    print("sll_pkttype of requests: %s, of replies: %s" % (
          sorted(set(req)), sorted(set(rep))))
    if not req or not rep:
        print("exchange not captured")
        return 1
    # The tap marks requests PACKET_KERNEL and replies PACKET_USER, but
    # packet sockets get the clone dev_queue_xmit_nit() makes, marked
    # PACKET_OUTGOING: that is what a capture carries.
    if set(req) | set(rep) == {PACKET_OUTGOING}:
        print("direction not visible to packet sockets: "
              "PACKET_OUTGOING (4) both ways "
              "(dev_queue_xmit_nit() overrides the tap's "
              "PACKET_KERNEL/PACKET_USER)")
        return 0
    print("unexpected sll_pkttype values")
    return 1


def check_wellformed(cap):
    """Every captured packet is whole netlink messages of a tapped protocol."""
    bad = 0
    for p in cap["pkts"]:
        if not p["whole"] or not p["msgs"] \
                or p["proto"] not in PROTOCOLS.values() \
                or p["len"] != len(p["data"]):
            bad += 1
            print("bad packet: proto %d len %d: %s" % (p["proto"], p["len"],
                  "; ".join(fmt(h) for h in p["msgs"])))
    print("%d packets, %d messages, %d malformed" % (len(cap["pkts"]),
          sum(len(p["msgs"]) for p in cap["pkts"]), bad))
    return 1 if bad or not cap["pkts"] else 0


def check_workload(cap, genl):
    """The requests of the ip(8) (and genl(8)) workload, and the replies
    that end them (NLMSG_DONE of dumps, ACKs), were captured."""
    msgs = []
    for p in cap["pkts"]:
        offs = []
        hs = messages(p["data"], offs)[0]
        msgs += [(p["proto"], h, p["data"][o:o + h[0]])
                 for h, o in zip(hs, offs)]
    want = [(0, RTM_GETLINK, True, "ip link show"),
            (0, RTM_GETADDR, True, "ip addr show"),
            (0, RTM_GETROUTE, True, "ip route show"),
            (0, RTM_NEWADDR, False, "ip addr add"),
            (0, RTM_DELADDR, False, "ip addr del")]
    if genl == "1":
        want.append((16, GENL_ID_CTRL, True, "genl ctrl list"))
    ok = True
    for proto, typ, dump, what in want:
        reqs = [h for pr, h, _ in msgs
                if pr == proto and h[1] == typ and h[2] & NLM_F_REQUEST
                and ((h[2] & NLM_F_DUMP) == NLM_F_DUMP) == dump]
        if not reqs:
            print("%s: no %s request of type %d captured" % (
                  what, "dump" if dump else "", typ))
            ok = False
            continue
        seq = reqs[-1][3]
        if dump:
            ends = [h for pr, h, _ in msgs
                    if pr == proto and h[1] == NLMSG_DONE and h[3] == seq]
            end = "NLMSG_DONE"
        else:
            ends = [h for pr, h, d in msgs
                    if pr == proto and h[1] == NLMSG_ERROR and h[3] == seq
                    and struct.unpack_from("=i", d, 16)[0] == 0]
            end = "ACK"
        replies = [h for pr, h, _ in msgs
                   if pr == proto and h[3] == seq and not h[2] & NLM_F_REQUEST]
        print("%s: request type %d seq %d, %d reply messages, %s %s" % (
              what, typ, seq, len(replies), end,
              "captured" if ends else "MISSING"))
        ok &= bool(ends)
    return 0 if ok else 1


def check_rx(cap):
    """rx_packets and rx_bytes moved by what the packet socket received."""
    n, b = len(cap["pkts"]), sum(p["len"] for p in cap["pkts"])
    dp, db = delta(cap, "rx_packets"), delta(cap, "rx_bytes")
    print("captured %d packets, %d bytes; rx_packets +%d, rx_bytes +%d; "
          "socket drops %d" % (n, b, dp, db, cap["drops"]))
    return 0 if n > 0 and (n, b) == (dp, db) and cap["drops"] == 0 else 1


def check_tx(cap):
    """An nlmon device transmits nothing and drops nothing."""
    d = {k: delta(cap, k)
         for k in ("tx_packets", "tx_bytes", "rx_dropped", "tx_dropped")}
    print(" ".join("%s +%d" % kv for kv in d.items()))
    return 0 if not any(d.values()) else 1


def check_silent(cap):
    keys = ("rx_packets", "rx_bytes", "tx_packets", "tx_dropped", "rx_dropped")
    d = {k: delta(cap, k) for k in keys}
    print("captured %d packets; %s" % (len(cap["pkts"]), ", ".join(
          "%s +%d" % kv for kv in d.items() if kv[1] or kv[0] in keys)))
    return 0 if not cap["pkts"] and not any(d.values()) else 1


def check_seqs(cap, want, unwanted):
    """The exchanges with the seqs in want were captured (request and
    replies), none with a seq in unwanted."""
    ok = True
    for s in want:
        n = sum(1 for p in cap["pkts"] if p["proto"] == 0
                for h in p["msgs"] if h[3] == s)
        print("seq %#x: %d messages captured (want >= 2)" % (s, n))
        ok &= n >= 2
    for s in unwanted:
        for off in (0, 1):  # route and generic exchange
            n = sum(1 for p in cap["pkts"] for h in p["msgs"]
                    if h[3] == s + off)
            print("seq %#x: %d messages captured (want 0)" % (s + off, n))
            ok &= n == 0
    return 0 if ok else 1


def pcap_info(path):
    """The pcap's link type and the number of packets in it."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        print("%s: %d bytes, no pcap header" % (path, len(data)))
        return 1
    for e in "<>":
        magic = struct.unpack_from(e + "I", data, 0)[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        print("not a pcap file (magic %#x)"
              % struct.unpack_from("<I", data, 0)[0])
        return 1
    linktype = struct.unpack_from(e + "I", data, 20)[0] & 0x0fffffff
    off, n = 24, 0
    while off + 16 <= len(data):
        off += 16 + struct.unpack_from(e + "I", data, off + 8)[0]
        n += 1
    print("pcap link type %d (LINKTYPE_NETLINK is 253), %d packets" % (
          linktype, n))
    return 0 if linktype == 253 and n > 0 else 1


def goodsize():
    """NLMSG_GOODSIZE: SKB_WITH_OVERHEAD(min(PAGE_SIZE, 8192)), that is minus
    SKB_DATA_ALIGN(sizeof(struct skb_shared_info)): 48 bytes of header and
    16 per fragment on 64-bit, aligned to SMP_CACHE_BYTES. Prints nothing
    where that cannot be derived."""
    if os.environ.get("NLMON_EXPECTED_MTU"):
        print(os.environ["NLMON_EXPECTED_MTU"])
        return 0
    cache = {"x86_64": 64, "aarch64": 64, "riscv64": 64, "loongarch64": 64,
             "ppc64": 128, "ppc64le": 128, "s390x": 256}.get(os.uname().machine)
    if cache is None or struct.calcsize("P") != 8:
        return 0
    frags = 17
    cfgs = ["/boot/config-" + os.uname().release]
    try:
        import gzip
        cfg = gzip.open("/proc/config.gz", "rt").read()
    except OSError:
        cfg = ""
        for c in cfgs:
            if os.path.exists(c):
                cfg = open(c).read()
    for line in cfg.splitlines():
        if line.startswith("CONFIG_MAX_SKB_FRAGS="):
            frags = int(line.split("=")[1])
    shinfo = (48 + 16 * frags + cache - 1) // cache * cache
    print(min(os.sysconf("SC_PAGE_SIZE"), 8192) - shinfo)
    return 0


def check_resumed(cap, exs):
    return check_exchange(cap, exs, "route") | check_rx(cap)


def analyze(*args):
    """analyze CAPTURE [EXCHANGES] [KEY=VALUE...] CHECK...: run the checks
    on one capture, printing for each "@@ CHECK STATUS" and its output."""
    import contextlib, io, traceback
    cap, exs, opts, checks = load(args[0]), None, {}, []
    for a in args[1:]:
        if a.endswith(".json"):
            with open(a) as f:
                exs = json.load(f)
        elif "=" in a:
            k, v = a.split("=", 1)
            opts[k] = ([int(x, 0) for x in v.split(",") if x]
                       if k in ("want", "unwanted") else v)
        else:
            checks.append(a)
    for c in checks:
        name, _, arg = c.partition(":")
        fn = globals()["check_" + name.replace("-", "_")]
        params = fn.__code__.co_varnames[1:fn.__code__.co_argcount]
        kw = {"exs": exs, "which": arg, **opts}
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                rc = fn(cap, **{p: kw[p] for p in params}) or 0
        except Exception:
            out.write(traceback.format_exc())
            rc = 1
        print("@@ %s %d" % (c, rc))
        sys.stdout.write(out.getvalue())


def link_info(*docs):
    """Shell assignments for the first device in ip -d -j output."""
    d = json.loads(docs[0])[0]
    print("l_kind=%s l_type=%s l_flags=%s l_mtu=%s l_min_mtu=%s "
          "l_address=%s" % (
          d.get("linkinfo", {}).get("info_kind"), d.get("link_type"),
          ",".join(d["flags"]), d.get("mtu"), d.get("min_mtu"),
          d.get("address")))


def nlmon_devs():
    """From lines "NS JSON" (ip -d -j link show of NS; - for the initial
    namespace), print "NS DEV" for every nlmon device."""
    for line in sys.stdin:
        ns, _, doc = line.partition(" ")
        for d in json.loads(doc.strip() or "[]"):
            if d.get("linkinfo", {}).get("info_kind") == "nlmon":
                print(ns, d["ifname"])


if __name__ == "__main__":
    sys.exit(globals()[sys.argv[1].replace("-", "_")](*sys.argv[2:]) or 0)
EOF

py() { "${PYTHON[@]}" "$PY" "$@"; }

# listen_start NS IFNAME NAME [SEQ]: capture on IFNAME in NS into
# $tmp/NAME.json until listen_stop NAME. With SEQ, the listener also makes
# the known exchanges (in NS, seq SEQ and SEQ+1) into $tmp/NAME-ex.json.
declare -A listener_pid
listen_start() {
	local ns=$1 ifname=$2 name=$3 seq=${4:-}
	rm -f "$tmp/$name.ready" "$tmp/$name.json" "$tmp/$name-ex.json"
	ip netns exec "$ns" "${PYTHON[@]}" "$PY" listen "$ifname" \
		"$tmp/$name.json" "$tmp/$name.ready" \
		${seq:+"$tmp/$name-ex.json" "$seq"} &
	listener_pid[$name]=$!
	listeners+=($!)
	for _ in $(seq 300); do
		[ -f "$tmp/$name.ready" ] && return 0
		kill -0 "${listener_pid[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "# the capture on $ifname in $ns did not start"
	return 1
}
listen_stop() {
	kill -TERM "${listener_pid[$1]}" 2>/dev/null
	wait "${listener_pid[$1]}"
	[ -f "$tmp/$1.json" ]
}

# result FILE CHECK: the output and status of CHECK in FILE (py analyze).
result() {
	awk -v c="$2" '$1 == "@@" { on = ($2 == c); if (on) rc = $3; next }
		on { print } END { exit (rc == "" ? 1 : rc) }' "$1"
}

# The netlink traffic of the tests: ip(8) requests and dumps, genl(8).
have_genl=0
command -v genl >/dev/null && have_genl=1
workload() { # NS
	ip -n "$1" link show >/dev/null
	ip -n "$1" addr show >/dev/null
	ip -n "$1" route show >/dev/null
	ip -n "$1" addr add 198.51.100.1/32 dev lo
	ip -n "$1" addr del 198.51.100.1/32 dev lo
	[ "$have_genl" = 0 ] || ip netns exec "$1" genl ctrl list >/dev/null
}

# link_info NS DEV: l_kind, l_type, l_flags, l_mtu, l_min_mtu, l_address
# of DEV from ip -d -j link show.
link_info() {
	local j
	j=$(ip ${1:+-n "$1"} -d -j link show dev "$2" 2>/dev/null) || return 1
	eval "$(py link-info "$j")"
}
mtu_of() { # NS DEV (no Python: just one number from ip -j)
	ip -n "$1" -j link show dev "$2" | grep -o '"mtu":[0-9]*' | cut -d: -f2
}
# nlmon_devs NS...: "NS DEV" for each nlmon device ("-": initial namespace).
nlmon_devs() {
	local n
	for n in "$@"; do
		if [ "$n" = - ]; then echo "- $(ip -d -j link show)"
		else echo "$n $(ip -n "$n" -d -j link show 2>/dev/null)"; fi
	done | py nlmon-devs
}
refcnt() { cat /sys/module/nlmon/refcnt 2>/dev/null; }

ktap_print_header
for tool in ip python3; do
	if ! command -v $tool >/dev/null; then
		ktap_skip_all "$tool not found"
		exit "$KSFT_SKIP"
	fi
done
if ! ip netns add "$NS"; then
	ktap_skip_all "cannot create network namespaces"
	exit "$KSFT_SKIP"
fi
ip -n "$NS" link set lo up

# Does the kernel have nlmon? Load it if needed: autoloading by link kind,
# else modprobe.
if ! ip -n "$NS" link add nlmon0 type nlmon 2>"$tmp/add.err"; then
	if [ ! -d /sys/module/nlmon ] && ! modprobe -q nlmon; then
		ktap_skip_all "no nlmon in this kernel: $(cat "$tmp/add.err")"
		exit "$KSFT_SKIP"
	fi
	ip -n "$NS" link add nlmon0 type nlmon 2>"$tmp/add.err"
fi
created=$?
ktap_set_plan "$NUM_TESTS"
diag "kernel $(uname -r), $(uname -m), page size $(getconf PAGESIZE)," \
	"nlmon $([ -d /sys/module/nlmon/sections ] &&
		echo module || echo built in)"

# ---- 1. the device ----
check "ip link add nlmon0 type nlmon" \
	sh -c "[ $created = 0 ] || { cat '$tmp/add.err'; exit 1; }"
if [ "$created" != 0 ]; then
	ktap_exit_fail_msg "cannot create an nlmon device"
fi
diag "$(ip -n "$NS" -d -j link show dev nlmon0)"
link_info "$NS" nlmon0
check "kind nlmon" test "$l_kind" = nlmon
check "link_type netlink" test "$l_type" = netlink
check "flags NOARP, down" test "$l_flags" = NOARP
t_goodsize() {
	local want page
	want=$(py goodsize)
	if [ -n "$want" ]; then
		echo "mtu $l_mtu, NLMSG_GOODSIZE $want"
		[ "$l_mtu" = "$want" ]
	else
		# Not derivable here (NLMON_EXPECTED_MTU gives it): at least
		# below one page (or 8 KiB) and no more than 1 KiB below it.
		page=$(getconf PAGESIZE)
		[ "$page" -le 8192 ] || page=8192
		echo "mtu $l_mtu, NLMSG_GOODSIZE not derivable here:" \
			"want $((page - 1024))..$((page - 1))"
		[ "$l_mtu" -lt "$page" ] && [ "$l_mtu" -gt $((page - 1024)) ]
	fi
}
check "mtu is NLMSG_GOODSIZE" t_goodsize
check "min_mtu 16 (sizeof(struct nlmsghdr))" test "$l_min_mtu" = 16
t_three() {
	ip -n "$NS" link add nlmon1 type nlmon || return 1
	ip -n "$NS" link add name nlmon2 type nlmon || return 1
	local devs
	devs=$(nlmon_devs "$NS" | awk '{print $2}' | tr '\n' ' ')
	echo "nlmon devices: $devs"
	ip -n "$NS" link del nlmon1 && ip -n "$NS" link del nlmon2 || return 1
	[ "$devs" = "nlmon0 nlmon1 nlmon2 " ]
}
check "a second and a third device coexist" t_three

# ---- 2. capture, and 3. counters ----
refcnt_down=$(refcnt)
ip -n "$NS" link set nlmon0 up
refcnt_up=$(refcnt)
seq_main=$((0x4e4c0000 + (RANDOM << 4)))
an=$tmp/cap.checks
if listen_start "$NS" nlmon0 cap $seq_main; then
	workload "$NS"
	listen_stop cap
fi
if [ -f "$tmp/cap.json" ] && [ -f "$tmp/cap-ex.json" ]; then
	py analyze "$tmp/cap.json" "$tmp/cap-ex.json" genl=$have_genl \
		exchange:route exchange:generic pkttype workload \
		wellformed rx tx >"$an"
else
	: >"$an"
fi
check "route: RTM_GETLINK request, reply and ACK captured whole" \
	result "$an" exchange:route
check "generic: CTRL_CMD_GETFAMILY request, reply and ACK captured whole" \
	result "$an" exchange:generic
check "sll_hatype ARPHRD_NETLINK, sll_pkttype PACKET_OUTGOING" \
	result "$an" pkttype
check "requests and dumps of ip and genl captured" result "$an" workload
check "every captured packet is whole netlink messages" result "$an" wellformed
t_tcpdump() {
	command -v tcpdump >/dev/null || { echo "no tcpdump"; return 4; }
	local pcap=$tmp/t.pcap pid
	ip netns exec "$NS" tcpdump -i nlmon0 --immediate-mode -U -Z root \
		-w "$pcap" 2>"$tmp/tcpdump.err" &
	pid=$!
	for _ in $(seq 300); do
		grep -q 'listening on' "$tmp/tcpdump.err" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	ip -n "$NS" link show >/dev/null
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	cat "$tmp/tcpdump.err"
	py pcap-info "$pcap"
}
check "tcpdump writes a LINKTYPE_NETLINK pcap" t_tcpdump
check "rx_packets and rx_bytes count what was captured" result "$an" rx
check "no tx, no drops" result "$an" tx

# ---- 4. down means silent ----
ip -n "$NS" link set nlmon0 down
t_refcnt_down() {
	[ -n "$refcnt_up" ] || {
		echo "no /sys/module/nlmon/refcnt (built in?)"
		return 4
	}
	echo "module refcnt: down $refcnt_down, up $refcnt_up," \
		"down again $(refcnt)"
	[ "$refcnt_up" = $((refcnt_down + 1)) ] &&
		[ "$(refcnt)" = "$refcnt_down" ]
}
check "up takes a module reference (the tap), down drops it" t_refcnt_down
t_silent() {
	listen_start "$NS" nlmon0 down $((seq_main + 16)) || return 1
	workload "$NS"
	listen_stop down || return 1
	py analyze "$tmp/down.json" silent >"$tmp/down.checks"
	result "$tmp/down.checks" silent
}
check "down: nothing captured, no counter moves" t_silent
t_resume() {
	ip -n "$NS" link set nlmon0 up || return 1
	listen_start "$NS" nlmon0 up $((seq_main + 32)) || return 1
	workload "$NS"
	listen_stop up || return 1
	py analyze "$tmp/up.json" "$tmp/up-ex.json" resumed >"$tmp/up.checks"
	result "$tmp/up.checks" resumed
}
check "up again: capture and counting resume" t_resume

# ---- 5. MTU ----
mtu0=$(mtu_of "$NS" nlmon0)
t_mtu15() {
	local err rc=0
	err=$(ip -n "$NS" link set nlmon0 mtu 15 2>&1) || rc=$?
	echo "ip link set nlmon0 mtu 15: exit $rc: $err"
	[ "$rc" != 0 ] && [ "$(mtu_of "$NS" nlmon0)" = "$mtu0" ] &&
		grep -q '^Error: mtu less than device minimum' <<<"$err"
}
check "mtu 15 refused (extack: mtu less than device minimum)" t_mtu15
t_mtu() { # MTU
	ip -n "$NS" link set nlmon0 mtu "$1" || return 1
	local m
	m=$(mtu_of "$NS" nlmon0)
	echo "mtu $m"
	[ "$m" = "$1" ]
}
for m in 16 65535 2147483647; do check "mtu $m accepted" t_mtu $m; done
ip -n "$NS" link set nlmon0 mtu "$mtu0"

# ---- 6. no hardware address ----
t_address() {
	local err rc=0
	err=$(ip -n "$NS" link add nlmon9 address 00:11:22:33:44:55 \
		type nlmon 2>&1) || rc=$?
	echo "ip link add nlmon9 address 00:11:22:33:44:55 type nlmon:" \
		"exit $rc: $err"
	if ip -n "$NS" link show nlmon9 >/dev/null 2>&1; then
		echo "nlmon9 exists"
		ip -n "$NS" link del nlmon9
		return 1
	fi
	[ "$rc" != 0 ] && grep -q 'Invalid argument' <<<"$err"
}
check "a hardware address is refused (EINVAL)" t_address
t_address_after_type() {
	# iproute2 takes what follows "type KIND" as options of the kind;
	# knowing no options of nlmon, some versions silently drop them.
	local err rc=0
	err=$(ip -n "$NS" link add nlmon9 type nlmon \
		address 00:11:22:33:44:55 2>&1) || rc=$?
	echo "ip link add nlmon9 type nlmon address 00:11:22:33:44:55:" \
		"exit $rc: $err"
	link_info "$NS" nlmon9 || { [ "$rc" != 0 ]; return; }
	echo "ip created nlmon9 anyway (address: $l_address):" \
		"the address was not passed to the kernel"
	ip -n "$NS" link del nlmon9
	[ "$l_address" != 00:11:22:33:44:55 ]
}
check "never a device with an address ('type nlmon address ...')" \
	t_address_after_type

# ---- 7. namespaces ----
seq_a=$((seq_main + 0x100)) seq_b=$((seq_main + 0x200)) \
	seq_i=$((seq_main + 0x300))
if ip netns add "$NSA" && ip netns add "$NSB" &&
	ip -n "$NSA" link add nlmonA type nlmon &&
	ip -n "$NSA" link set nlmonA up &&
	ip -n "$NSB" link add nlmonB type nlmon &&
	ip -n "$NSB" link set nlmonB up &&
	listen_start "$NSA" nlmonA a $seq_a &&
	listen_start "$NSB" nlmonB b $seq_b; then
	# The initial namespace's exchange, while A and B capture.
	py exchange "$tmp/i-ex.json" $seq_i
	listen_stop a
	listen_stop b
fi
: >"$tmp/ns.checks"
[ -f "$tmp/a.json" ] && py analyze "$tmp/a.json" want=$seq_a \
	unwanted=$seq_b,$seq_i seqs \
	| sed 's/^@@ seqs/@@ a/' >>"$tmp/ns.checks"
[ -f "$tmp/b.json" ] && py analyze "$tmp/b.json" want=$seq_b \
	unwanted=$seq_a,$seq_i seqs \
	| sed 's/^@@ seqs/@@ b/' >>"$tmp/ns.checks"
check "namespace A: its own traffic, not B's nor the initial namespace's" \
	result "$tmp/ns.checks" a
check "namespace B: its own traffic, not A's nor the initial namespace's" \
	result "$tmp/ns.checks" b
t_ns_del() {
	local links0 links1 r0 r
	links0=$(ip -br link show | awk '{print $1}' | sort | tr '\n' ' ')
	r0=$(refcnt)
	ip netns del "$NSA" || return 1
	# Namespaces are dismantled asynchronously (cleanup_net).
	for _ in $(seq 100); do
		r=$(refcnt)
		[ -z "$r0" ] || [ "$r" = $((r0 - 1)) ] && break
		sleep 0.2
	done
	links1=$(ip -br link show | awk '{print $1}' | sort | tr '\n' ' ')
	echo "module refcnt before $r0, after $r;" \
		"initial namespace links before: $links0; after: $links1"
	[ "$links0" = "$links1" ] || return 1
	[ -z "$r0" ] || [ "$r" = $((r0 - 1)) ]
}
check "deleting a namespace with an up nlmon leaves nothing behind" t_ns_del
ip -n "$NSB" link set nlmonB down 2>/dev/null

# ---- 8. the device "netlink" created at load (default_device) ----
t_default() {
	if [ "${NLMON_DEFAULT_DEVICE:-1}" = 0 ]; then
		echo "NLMON_DEFAULT_DEVICE=0"
		return 4
	fi
	if ! link_info "" netlink; then
		echo "no device netlink in the initial namespace"
		return 1
	fi
	echo "initial namespace: netlink: kind $l_kind, flags $l_flags"
	[ "$l_kind" = nlmon ] || return 1
	ip netns add "$NSX" || return 1
	if ip -n "$NSX" link show netlink 2>/dev/null; then
		echo "a new namespace has a device netlink too"
		return 1
	fi
	echo "a new namespace has none"
}
check "default device: netlink in the initial namespace only" t_default

# ---- 9. lifetime ----
t_tcpdump_del() {
	command -v tcpdump >/dev/null || { echo "no tcpdump"; return 4; }
	local pid rc
	ip -n "$NS" link add nlmonT type nlmon &&
		ip -n "$NS" link set nlmonT up || return 1
	ip netns exec "$NS" tcpdump -i nlmonT -Z root -w /dev/null \
		2>"$tmp/tcpdump-del.err" &
	pid=$!
	for _ in $(seq 300); do
		grep -q 'listening on' "$tmp/tcpdump-del.err" && break
		sleep 0.1
	done
	ip -n "$NS" link del nlmonT || return 1
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "tcpdump still runs 10 s after the device was deleted"
		kill -KILL "$pid"
		wait "$pid"
		return 1
	fi
	wait "$pid"
	rc=$?
	echo "tcpdump exited $rc:" \
		"$(grep -v 'packets\|listening' "$tmp/tcpdump-del.err" |
			tr '\n' ' ')"
	[ "$rc" -lt 128 ]
}
check "deleting the device ends a tcpdump on it" t_tcpdump_del

can_rmmod() {
	if [ "${NLMON_ALLOW_RMMOD:-0}" != 1 ]; then
		echo "set NLMON_ALLOW_RMMOD=1 to test unloading"
		return "$KSFT_SKIP"
	fi
	[ -n "$(refcnt)" ] || {
		echo "nlmon is not a loadable module"
		return 4
	}
}
t_rmmod_busy() {
	can_rmmod || return
	ip -n "$NS" link set nlmon0 up || return 1
	local err rc=0
	echo "refcnt with nlmon0 up: $(refcnt)"
	err=$(rmmod nlmon 2>&1) || rc=$?
	echo "rmmod nlmon: exit $rc: $err"
	[ "$rc" != 0 ] && [ -d /sys/module/nlmon ] &&
		ip -n "$NS" link show nlmon0 >/dev/null
}
check "rmmod refused while a device is up" t_rmmod_busy
t_rmmod() {
	can_rmmod || return
	local n d devs left
	devs=$(nlmon_devs "$NS" "$NSB" -)
	while read -r n d; do
		[ -n "$d" ] || continue
		if [ "$n" = - ]; then
			ip link set "$d" down
		else
			ip -n "$n" link set "$d" down
		fi
	done <<<"$devs"
	echo "all down, refcnt $(refcnt);" \
		"nlmon devices: $(tr '\n' ' ' <<<"$devs")"
	rmmod nlmon || return 1
	left=$(nlmon_devs "$NS" "$NSB" -)
	echo "after rmmod: /sys/module/nlmon" \
		"$([ -d /sys/module/nlmon ] && echo exists || echo gone)," \
		"nlmon devices left: ${left:-none}"
	[ ! -d /sys/module/nlmon ] && [ -z "$left" ]
}
check "rmmod once all are down: the devices are deleted" t_rmmod

ktap_finished
