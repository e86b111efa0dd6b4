# Guest-side helper of harness/stress.sh: the stress loops, the special
# cases, the MTU table and the fuzzer. Built on the nlmon selftest
# (tools/testing/selftests/net/nlmon.py, in the directory NLMON_KSFT_NET
# names): its capture and device helpers, and YNL. Raw netlink only where
# YNL has no spec (sock_diag, audit, uevents), where a case counts
# datagrams, which YNL does not show, or where the request is meant to be
# oversized or malformed.
#
#   nlstress.py loop NAME SECONDS OUTFILE [ARGS]   a stress loop; writes
#       "ops errors violations" to OUTFILE when its time is up
#   nlstress.py case NAME                          a special case; prints
#       what it saw, exit 0 pass, 1 fail, 4 skip
#   nlstress.py mtu-table OUTFILE                  the MTU edges
#   nlstress.py fuzz SEED COUNT OUTFILE            the RTM_*LINK fuzzer
#   nlstress.py team-mode TEAM MODE                set a team's mode (genl)
#   nlstress.py serve DIR                          run the commands above
#       for guest.sh, each in a child forked from one process (see serve)
import ctypes
import errno
import json
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.environ["NLMON_KSFT_NET"])
# pylint: disable=wrong-import-position
from lib.py import NetNSEnter, NlError, Netlink, RtnlFamily, YnlFamily  # noqa: E402
from lib.py.ynl import SPEC_PATH  # noqa: E402
from nlmon import Capture, Families, nlmsgs, marker, marked, refcnt, \
    IFF_UP, PACKET_KERNEL, PACKET_USER, RTM_GETLINK, GENL_ID_CTRL  # noqa: E402

NLM_F_REQUEST, NLM_F_ACK = Netlink.NLM_F_REQUEST, Netlink.NLM_F_ACK
NLM_F_DUMP, NLM_F_CREATE = Netlink.NLM_F_DUMP, Netlink.NLM_F_CREATE
NLM_F_EXCL, NLM_F_REPLACE = Netlink.NLM_F_EXCL, Netlink.NLM_F_REPLACE
NLMSG_ERROR, NLMSG_DONE = Netlink.NLMSG_ERROR, Netlink.NLMSG_DONE
RTM_NEWLINK, RTM_SETLINK = 16, 19
IFLA_IFNAME, IFLA_LINKINFO, IFLA_INFO_KIND, IFLA_INFO_DATA = 3, 18, 1, 2
NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_AUDIT = 0, 4, 9
NETLINK_KOBJECT_UEVENT, NETLINK_GENERIC = 15, 16
CTRL_CMD_GETFAMILY = 3
SOCK_DIAG_BY_FAMILY = 20
SO_RCVBUFFORCE = 33
CREATE = [NLM_F_CREATE, NLM_F_EXCL]
UP = {"ifi-flags": IFF_UP, "ifi-change": IFF_UP}
# Sequence numbers of raw requests from the pid: two processes of one case
# (the user namespace case) never use the same ones.
seq_counter = [0]


def reset_seq():
    seq_counter[0] = (os.getpid() & 0xffff) << 16


def next_seq():
    seq_counter[0] = (seq_counter[0] + 1) & 0xffffffff
    return seq_counter[0]


# ---- raw netlink ----

def nla(typ, data):
    return struct.pack("=HH", 4 + len(data), typ) + data + b"\0" * (-len(data) % 4)


def msg(typ, flags, body, seq=None):
    seq = next_seq() if seq is None else seq
    return struct.pack("=IHHII", 16 + len(body), typ, flags | NLM_F_REQUEST, seq, 0) + body


def ifinfo(index=0, flags=0, change=0):
    return struct.pack("=BxHiII", 0, 0, index, flags, change)


def raw_sock(proto, groups=0, rcvbuf=1 << 20):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    s.bind((0, groups))
    s.settimeout(30)
    return s


def raw_request(s, m, bufsize=1 << 16):
    """Send the message m; return (datagrams received, error) once its
    NLMSG_ERROR (error, or 0 for an ack) or NLMSG_DONE arrives."""
    seq = struct.unpack_from("=I", m, 8)[0]
    s.send(m)
    grams = []
    while True:
        d = s.recv(bufsize)
        grams.append(d)
        for h, payload in nlmsgs(d) or []:
            if h[3] == seq and h[1] == NLMSG_ERROR:
                return grams, -struct.unpack_from("=i", payload)[0]
            if h[3] == seq and h[1] == NLMSG_DONE:
                return grams, 0


# ---- namespaces ----

def ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), check=check, capture_output=True, text=True)


def fresh_ns(name):
    ip("netns", "del", name, check=False)
    ip("netns", "add", name)
    return name


# ---- stress loops ----
# Each loop runs until the deadline, and at least once: under KASAN and TCG
# a short run may end before a slow loop's first operation.

def loop_dump(deadline):
    ns = Families()
    dumps = [lambda: ns.rtnl.getlink({}, dump=True),
             lambda: ns.addr.getaddr({}, dump=True),
             lambda: ns.route.getroute({}, dump=True)]
    ops = errs = 0
    while not ops or time.time() < deadline:
        try:
            dumps[ops % len(dumps)]()
        except (NlError, OSError):
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_genl(deadline):
    ns = Families()
    ops = errs = 0
    while not ops or time.time() < deadline:
        try:
            if ops % 2:
                ns.genl.getfamily({}, dump=True)
            else:
                ns.genl.getfamily({"family-name": "nlctrl"})
        except (NlError, OSError):
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_diag(deadline):
    """sock_diag dumps: every netlink socket (netlink_diag), every TCP and
    unix socket (inet_diag, unix_diag). An error reply counts as an error."""
    s = raw_sock(NETLINK_SOCK_DIAG)
    reqs = [struct.pack("=BBHIIII", socket.AF_NETLINK, 255, 0, 0, 0xff, 0, 0),
            # inet_diag_req_v2: all states, a zero inet_diag_sockid (48 bytes).
            struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xffffffff)
            + b"\0" * 48,
            # unix_diag_req, 24 bytes: all states.
            struct.pack("=BBHIIIII", socket.AF_UNIX, 0, 0, 0xffffffff, 0, 0, 0, 0)]
    ops = errs = 0
    while not ops or time.time() < deadline:
        try:
            m = msg(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, reqs[ops % len(reqs)])
            errs += bool(raw_request(s, m)[1])
        except OSError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_capture(deadline, ifname):
    """A packet socket on ifname for the whole run, while the device is
    toggled (or deleted and re-created: then bind again)."""
    n = errs = 0
    cap = None
    while time.time() < deadline:
        if cap is None:
            try:
                cap = Capture(ifname)
            except OSError:
                errs += 1
                time.sleep(0.1)
                continue
        select.select([cap.sock], [], [], 0.2)
        try:
            n += len(cap.read())
        except OSError:
            errs += 1
            cap.close()
            cap = None
    # ENETDOWN/ENODEV as the device goes down or away (cap.errors) are
    # expected; only failing to bind or read counts.
    return n, errs, 0


def loop_toggle(deadline, ifname):
    ns = Families()
    ops = errs = 0
    while not ops or time.time() < deadline:
        try:
            ns.link_set(ifname, up=ops % 2 == 0)
        except NlError:
            errs += 1
        ops += 1
    try:
        ns.link_set(ifname, up=True)
    except NlError:
        errs += 1
    return ops, errs, 0


def loop_churn(deadline, prefix):
    """Create an nlmon device (up every other time) and delete it."""
    ns = Families()
    ops = errs = 0
    while not ops or time.time() < deadline:
        name = "%s%d" % (prefix, ops % 4)
        try:
            ns.nlmon_add(name, **(UP if ops % 2 == 0 else {}))
            ns.link_del(name)
        except NlError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_mtu(deadline, ifname):
    ns = Families()
    rnd = random.Random(7)
    ops = errs = 0
    while not ops or time.time() < deadline:
        try:
            ns.link_set(ifname, mtu=rnd.randint(16, 65535))
        except NlError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_counters(deadline, *ifnames):
    """The counters, read while they move: none of a device may ever go
    backwards (down/up does not reset them)."""
    ns = Families()
    last, ops, errs, bad = {}, 0, 0, 0
    while not ops or time.time() < deadline:
        for ifname in ifnames:
            try:
                link = ns.link(ifname)
            except NlError:
                errs += 1
                continue
            cur = {k: link["stats64"][k] for k in ("rx-packets", "rx-bytes")}
            key = (ifname, link["ifi-index"])
            for k, v in cur.items():
                if v < last.get(key, {}).get(k, 0):
                    print("%s: %s went backwards: %d -> %d" % (ifname, k, last[key][k], v))
                    bad += 1
            last[key] = cur
            ops += 1
    for (ifname, _), c in last.items():
        print("%s: last read rx-packets %d rx-bytes %d" % (ifname, c["rx-packets"], c["rx-bytes"]))
    return ops, errs, bad


LOOPS = {"dump": loop_dump, "genl": loop_genl, "diag": loop_diag, "capture": loop_capture,
         "toggle": loop_toggle, "churn": loop_churn, "mtu": loop_mtu, "counters": loop_counters}


# ---- team mode over generic netlink (no teamd here) ----

def team_mode(team, mode):
    """TEAM_CMD_OPTIONS_SET: option "mode" (NLA_STRING) = mode."""
    family = YnlFamily((SPEC_PATH / "team.yaml").as_posix(), schema="")
    option = {"name": "mode", "type": 5, "data": mode.encode() + b"\0"}
    try:
        family.options_set({"team-ifindex": socket.if_nametoindex(team),
                            "list-option": {"option": option}})
    except NlError as e:
        # The team sets the option, then multicasts the change and returns
        # that multicast's error: ESRCH when nobody listens (no teamd).
        if e.error != errno.ESRCH:
            raise


# ---- special cases ----

def case_big():
    """Unicast messages larger than NLMSG_GOODSIZE, both ways: a 40 KiB and
    a 150 KiB request to the kernel (skb head from kvmalloc, maybe vmalloc),
    the error reply that echoes it back, and a link dump read with a 64 KiB
    buffer, whose later datagrams are up to 32 KiB. Each captured frame must
    be exactly the bytes sent or received: no more (661779e1fcaf), no less."""
    ns = fresh_ns("st-big")
    ok = True
    with NetNSEnter(ns):
        nl = Families()
        s = raw_sock(NETLINK_ROUTE, rcvbuf=8 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        nl.nlmon_add("nlmon0", **UP)
        goodsize = nl.link("nlmon0")["mtu"]
        for i in range(40):
            nl.nlmon_add("pad%02d" % i)
        cap = Capture("nlmon0")
    sent, got = [], []
    for size in (40000, 150000):
        # RTM_GETLINK of a missing ifindex: ENODEV, and the error reply
        # carries the whole request (no NETLINK_CAP_ACK).
        # (an attribute holds at most 64 KiB: several of them)
        body = ifinfo(index=0x7ffffff0) + b"".join(
            nla(0x3ff0, b"\xa5" * (size // 3)) for _ in range(3))
        raw = msg(RTM_GETLINK, NLM_F_ACK, body)
        grams, err = raw_request(s, raw, bufsize=1 << 20)
        print("request of %d bytes: error %d, reply datagrams %s" % (len(raw), err, [len(g) for g in grams]))
        sent.append(raw)
        got += grams
    grams = raw_request(s, msg(RTM_GETLINK, NLM_F_DUMP, ifinfo()), bufsize=1 << 16)[0]
    print("link dump: %d datagrams, sizes %s" % (len(grams), [len(g) for g in grams]))
    got += grams
    pkts = cap.read()
    frames = [p.data for p in pkts]
    for what, want in [("sent", g) for g in sent] + [("received", g) for g in got]:
        n = frames.count(want)
        trailing = [p.length for p in pkts if p.length != len(want) and p.data[:len(want)] == want]
        if n != 1 or trailing:
            print("%s datagram of %d bytes captured %d times exactly%s" % (
                what, len(want), n, ", and with trailing bytes: %s" % trailing if trailing else ""))
            ok = False
    wrong = [(p.length, len(p.data)) for p in pkts if p.length != len(p.data)]
    if wrong:
        print("frames whose length differs from their data: %s" % wrong)
        ok = False
    big = [len(g) for g in sent + got if len(g) > goodsize]
    print("NLMSG_GOODSIZE %d: %d datagrams above it (largest %d), all captured with their exact length: %s"
          % (goodsize, len(big), max(big or [0]), ok))
    ok &= len(big) >= 4
    ip("netns", "del", ns)
    return 0 if ok else 1


def case_direction():
    """Packet sockets see the tap's direction (skb->pkt_type): every
    request datagram is captured once as PACKET_KERNEL, every reply
    datagram once as PACKET_USER."""
    ns = fresh_ns("st-dir")
    with NetNSEnter(ns):
        Families().nlmon_add("nlmon0", **UP)
        cap = Capture("nlmon0")
        s, g = raw_sock(NETLINK_ROUTE), raw_sock(NETLINK_GENERIC)
    nreq = ngram = 0
    for _ in range(10):
        grams = raw_request(s, msg(RTM_GETLINK, NLM_F_ACK, ifinfo(index=1)))[0]
        nreq, ngram = nreq + 1, ngram + len(grams)
    for _ in range(5):
        m = msg(GENL_ID_CTRL, NLM_F_DUMP, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0))
        grams = raw_request(g, m)[0]
        nreq, ngram = nreq + 1, ngram + len(grams)
    pkts = cap.read()
    ip("netns", "del", ns)
    reqs = {p.pkttype for p in pkts if p.msgs and p.msgs[0][0][2] & NLM_F_REQUEST}
    replies = {p.pkttype for p in pkts if not (p.msgs and p.msgs[0][0][2] & NLM_F_REQUEST)}
    nreqs = sum(1 for p in pkts if p.msgs and p.msgs[0][0][2] & NLM_F_REQUEST)
    print("sent %d requests, received %d datagrams; captured %d frames, %d of them requests"
          % (nreq, ngram, len(pkts), nreqs))
    print("sll_pkttype of requests %s, of replies %s (7 = PACKET_KERNEL, 6 = PACKET_USER)"
          % (sorted(reqs), sorted(replies)))
    return 0 if ((nreqs, len(pkts) - nreqs) == (nreq, ngram) and reqs == {PACKET_KERNEL}
                 and replies == {PACKET_USER}) else 1


def case_multicast():
    """An RTM_NEWLINK notification is captured once per listening socket:
    3 listeners, then 1, then none."""
    ns = fresh_ns("st-mc")
    ok = True
    with NetNSEnter(ns):
        nl = Families()
        nl.nlmon_add("nlmon0", **UP)
        for n in (3, 1, 0):
            listeners = [RtnlFamily() for _ in range(n)]
            for listener in listeners:
                listener.ntf_subscribe("rtnlgrp-link")
            cap = Capture("nlmon0")
            nl.nlmon_add("mc%d" % n)
            per = []
            for listener in listeners:
                listener.check_ntf()
                per.append(listener.async_msg_queue.qsize())
            notes = sum(1 for p in cap.read() for h, _ in p.msgs or [] if h[4] == 0 and h[3] == 0)
            cap.close()
            print("%d listeners: each received %s notifications; captured %d" % (n, per, notes))
            want = n * (per[0] if per else 0)
            ok &= notes == want and len(set(per)) <= 1 and (n == 0 or per[0] >= 1)
            for listener in listeners:
                listener.sock.close()
    ip("netns", "del", ns)
    return 0 if ok else 1


def case_whitelist():
    """Audit and kobject uevent messages (protocols outside the tap
    whitelist) are never captured, in the initial namespace where both
    live; a route exchange made at the same time is."""
    nl = Families()
    nl.nlmon_add("nlmonw", **UP)
    cap = Capture("nlmonw")
    ue = raw_sock(NETLINK_KOBJECT_UEVENT, groups=1)
    ue.settimeout(5)
    with open("/sys/class/net/lo/uevent", "w", encoding="ascii") as f:
        f.write("change\n")
    try:
        uev = ue.recv(1 << 16)
    except socket.timeout:
        uev = b""
    au = raw_sock(NETLINK_AUDIT)
    au.settimeout(5)
    try:
        agram, aerr = raw_request(au, msg(1000, NLM_F_ACK, b""))  # AUDIT_GET
    except OSError as e:
        agram, aerr = [], e.errno
    nl.link("lo")
    pkts = cap.read()
    cap.close()
    nl.link_del("nlmonw")
    protos = {}
    for p in pkts:
        protos[p.proto] = protos.get(p.proto, 0) + 1
    print("uevent received: %r; audit reply datagrams %d (error %s)" % (uev[:40], len(agram), aerr))
    print("captured frames by protocol: %s (9 audit, 15 uevent must be absent)" % protos)
    if not uev or not agram:
        print("the uevent or the audit exchange did not happen: cannot tell")
        return 1
    return 0 if protos.get(0) and 9 not in protos and 15 not in protos else 1


def case_isolation():
    """Namespaces A, B and the initial one, each with an nlmon up and a
    capture: traffic made in each is captured in its own namespace only
    (CVE-2017-17449 was a child namespace sniffing the host)."""
    nls, caps = {}, {}
    for ns in ("st-isoA", "st-isoB"):
        fresh_ns(ns)
        with NetNSEnter(ns):
            nls[ns] = Families()
            nls[ns].nlmon_add("nlmon0", **UP)
            caps[ns] = Capture("nlmon0")
    nls["init"] = Families()
    nls["init"].nlmon_add("nlmoni", **UP)
    caps["init"] = Capture("nlmoni")
    for ns, nl in nls.items():
        marker(nl, "mark-" + ns[-4:])
    ok = True
    for ns, c in caps.items():
        pkts = c.read()
        seen = [n for n in nls if marked(pkts, "mark-" + n[-4:])]
        print("capture in %s sees the traffic of: %s" % (ns, seen))
        ok &= seen == [ns]
        c.close()
    nls["init"].link_del("nlmoni")
    for ns in ("st-isoA", "st-isoB"):
        ip("netns", "del", ns)
    return 0 if ok else 1


def case_nsdel():
    """Delete namespaces whose nlmon is up: one with no socket left on it,
    one with a packet socket still bound (the namespace then lives until
    the socket closes). Every tap goes away: the module's reference count
    (one per tap) comes back."""
    base = refcnt()
    cap = None
    for ns in ("st-del1", "st-del2"):
        fresh_ns(ns)
        with NetNSEnter(ns):
            nl = Families()
            nl.nlmon_add("nlmon0", **UP)
            if ns == "st-del2":
                cap = Capture("nlmon0")
            nl.link("lo")
            nl.close()
    print("module refcount %d before, %d with two taps" % (base, refcnt()))
    ip("netns", "del", "st-del1")
    ip("netns", "del", "st-del2")
    t0 = time.time()
    while refcnt() != base + 1 and time.time() - t0 < 30:
        time.sleep(0.1)
    mid = refcnt()
    n = len(cap.read())
    cap.close()
    while refcnt() != base and time.time() - t0 < 60:
        time.sleep(0.1)
    print("both deleted: refcount %d (socket still bound in one, %d frames in it); socket closed: %d after %.1f s"
          % (mid, n, refcnt(), time.time() - t0))
    return 0 if mid == base + 1 and refcnt() == base else 1


CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def unshare_root():
    """What unshare -Urn does: new user and network namespaces, with the
    caller mapped to root of the user namespace."""
    uid, gid = os.getuid(), os.getgid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), "unshare")
    for path, text in (("setgroups", "deny"), ("uid_map", "0 %d 1" % uid),
                       ("gid_map", "0 %d 1" % gid)):
        with open("/proc/self/" + path, "w", encoding="ascii") as f:
            f.write(text)


def case_userns_child(ready, done, out):
    """Root of a user namespace creates its own nlmon and captures; the
    parent makes traffic in the initial namespace."""
    unshare_root()
    nl = Families()
    nl.nlmon_add("nlmon0", **UP)
    cap = Capture("nlmon0")
    marker(nl, "mark-child")
    # Atomically: the parent reads the file as soon as it exists.
    with open(ready + ".tmp", "w", encoding="ascii") as f:
        f.write("ready\n")
    os.rename(ready + ".tmp", ready)
    t0 = time.time()
    while not os.path.exists(done) and time.time() - t0 < 30:
        time.sleep(0.05)
    pkts = cap.read()
    with open(out, "w", encoding="ascii") as f:
        json.dump({t: marked(pkts, t) for t in ("mark-child", "mark-host")}, f)
    return 0


def case_userns():
    tmp = "/tmp/st-userns"
    subprocess.run(["rm", "-rf", tmp], check=True)
    os.makedirs(tmp)
    ready, done, out = tmp + "/ready", tmp + "/done", tmp + "/out"
    nl = Families()
    nl.nlmon_add("nlmonu", **UP)
    cap = Capture("nlmonu")
    child = run_forked(case_userns_child, ready, done, out)
    t0 = time.time()
    while not os.path.exists(ready) and not os.waitpid(child, os.WNOHANG)[0] \
            and time.time() - t0 < 60:
        time.sleep(0.05)
    if not os.path.exists(ready):
        print("the user-namespace child did not get ready")
        nl.link_del("nlmonu")
        return 1
    marker(nl, "mark-host")
    with open(done, "w", encoding="ascii") as f:
        f.write("1")
    os.waitpid(child, 0)
    pkts = cap.read()
    cap.close()
    nl.link_del("nlmonu")
    with open(out, encoding="ascii") as f:
        seen = json.load(f)
    host = {t: marked(pkts, t) for t in ("mark-child", "mark-host")}
    print("root in a user namespace (unshare -Urn): created and captured on its own nlmon; "
          "saw its own traffic: %s, the host's: %s" % (seen["mark-child"], seen["mark-host"]))
    print("the host's capture saw the child's traffic: %s (its own: %s)" % (host["mark-child"], host["mark-host"]))
    return 0 if seen == {"mark-child": True, "mark-host": False} and \
        host == {"mark-child": False, "mark-host": True} else 1


CASES = {"big": case_big, "direction": case_direction, "multicast": case_multicast,
         "whitelist": case_whitelist, "isolation": case_isolation, "nsdel": case_nsdel,
         "userns": case_userns}


# ---- bad input ----

MTU_EDGES = [0, 15, 16, 17, 65535, 0x7fffffff, 0x80000000, 0xffffffff]


def mtu_table(out):
    """Each MTU edge as IFLA_MTU (u32), on RTM_NEWLINK (create) and on
    RTM_SETLINK of an existing device: the error, or the MTU then set."""
    ns = fresh_ns("st-mtu")
    rows = []
    with NetNSEnter(ns):
        nl = Families()
    nl.nlmon_add("base")
    index = nl.link("base")["ifi-index"]
    for v in MTU_EDGES:
        try:
            nl.nlmon_add("new", mtu=v)
            res = "taken, mtu %d" % nl.link("new")["mtu"]
            nl.link_del("new")
        except NlError as e:
            res = "refused %s" % errno.errorcode.get(e.error, e.error)
        rows.append("RTM_NEWLINK IFLA_MTU=%u: %s" % (v, res))
        try:
            nl.rtnl.setlink({"ifi-index": index, "mtu": v})
            res = "taken, mtu %d" % nl.link("base")["mtu"]
        except NlError as e:
            res = "refused %s" % errno.errorcode.get(e.error, e.error)
        rows.append("RTM_SETLINK IFLA_MTU=%u: %s" % (v, res))
    nl.close()
    ip("netns", "del", ns)
    with open(out, "w", encoding="ascii") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


IFLA_MAX = 70


def fuzz_links(s):
    """{name: (ifindex, kind)} of the namespace of s. Parsed here, not by
    YNL: the fuzzer gives devices names and attributes of any bytes."""
    def attrs(data):
        out, off = {}, 0
        while off + 4 <= len(data):
            ln, typ = struct.unpack_from("=HH", data, off)
            if ln < 4:
                break
            out[typ & 0x3fff] = data[off + 4:off + ln]
            off += (ln + 3) & ~3
        return out

    out = {}
    for d in raw_request(s, msg(RTM_GETLINK, NLM_F_DUMP, ifinfo()))[0]:
        for h, payload in nlmsgs(d) or []:
            if h[1] != RTM_NEWLINK:
                continue
            a = attrs(payload[16:])
            kind = attrs(a.get(IFLA_LINKINFO, b"")).get(IFLA_INFO_KIND, b"")
            name = a[IFLA_IFNAME].rstrip(b"\0").decode(errors="replace")
            out[name] = (struct.unpack_from("=i", payload, 4)[0], kind.rstrip(b"\0").decode(errors="replace"))
    return out


def fuzz(seed, count, out):
    """count random or malformed RTM_NEWLINK/RTM_SETLINK requests for kind
    nlmon, from seed. Every request either gets an error or an ack; an ack
    to a create must leave a new nlmon device and no other kind (checked
    after every 10th ack and at the end of each batch of 500 requests),
    which is deleted with its namespace. Malformed headers, which the
    kernel drops without an answer, are followed by a known request."""
    rnd = random.Random(seed)
    stats = {"requests": 0, "acks": 0, "errors": {}, "dropped": 0, "created": 0, "renamed_or_moved": 0, "bad": 0}
    batch, nsidx = 500, 0

    def rbytes(n):
        return rnd.randbytes(n)

    def rattr(depth=0):
        typ = rnd.randrange(0, IFLA_MAX + 3) | (0x8000 if rnd.random() < 0.05 else 0)
        r = rnd.random()
        if r < 0.3:
            data = struct.pack("=I", rnd.choice([0, 1, 15, 16, 0xffff, 0x7fffffff, 0x80000000,
                                                  0xffffffff, rnd.getrandbits(32)]))
        elif r < 0.45:
            data = rnd.choice([b"nlmon\0", b"", b"\0", b"x" * 16, b"x" * 15 + b"\0", b"n%d\0" % rnd.randrange(99)])
        elif r < 0.6 and depth < 3:
            data = b"".join(rattr(depth + 1) for _ in range(rnd.randrange(0, 4)))
        else:
            data = rbytes(rnd.randrange(0, 40))
        a = nla(typ, data)
        if rnd.random() < 0.05:  # a bad nla_len: too short, or past the end
            a = struct.pack("=H", rnd.choice([0, 1, 3, 5, len(a) + 4, 0xffff])) + a[2:]
        return a

    def rlinkinfo():
        parts = [nla(IFLA_INFO_KIND, rnd.choice([b"nlmon\0", b"nlmon\0", b"nlmon", b"nlmo\0", b"nlmon\0x"]))]
        r = rnd.random()
        if r < 0.5:
            parts.append(nla(IFLA_INFO_DATA, b"".join(rattr(1) for _ in range(rnd.randrange(0, 4)))))
        elif r < 0.7:
            parts.append(nla(IFLA_INFO_DATA, rbytes(rnd.randrange(0, 64))))
        if rnd.random() < 0.2:
            parts.append(nla(rnd.randrange(3, 8), rbytes(rnd.randrange(0, 16))))  # SLAVE_KIND...
        rnd.shuffle(parts)
        return nla(IFLA_LINKINFO, b"".join(parts))

    def request(known):
        setlink = known and rnd.random() < 0.4
        flags = NLM_F_REQUEST | NLM_F_ACK
        if not setlink:
            flags |= rnd.choice([NLM_F_CREATE | NLM_F_EXCL, NLM_F_CREATE, NLM_F_CREATE | NLM_F_REPLACE, 0])
        index = rnd.choice(known) if setlink or (known and rnd.random() < 0.2) else 0
        iff = rnd.choice([0, IFF_UP, rnd.getrandbits(32)])
        body = struct.pack("=BxHiII", rnd.choice([0, 0, 16, 255]), rnd.choice([0, 824, 0xffff]),
                           index, iff, rnd.choice([0, IFF_UP, 0xffffffff, rnd.getrandbits(32)]))
        parts = []
        if rnd.random() < 0.9 and not setlink:
            parts.append(rlinkinfo())
        if rnd.random() < 0.5:
            parts.append(nla(IFLA_IFNAME, b"fz%d\0" % rnd.randrange(1000)))
        parts += [rattr() for _ in range(rnd.randrange(0, 5))]
        rnd.shuffle(parts)
        body += b"".join(parts)
        if rnd.random() < 0.05:
            body = body[:rnd.randrange(0, len(body) + 1)]  # truncated
        typ = RTM_SETLINK if setlink else RTM_NEWLINK
        m = struct.pack("=IHHII", 16 + len(body), typ, flags, next_seq(), 0) + body
        hdr_bad = rnd.random() < 0.03
        if hdr_bad:  # nlmsg_len past the datagram, or below the header
            m = struct.pack("=I", rnd.choice([len(m) + 8, 8, 0xffffffff])) + m[4:]
        return m, hdr_bad

    t0 = time.time()
    while stats["requests"] < count:
        ns = fresh_ns("st-fuzz%d" % (nsidx % 2))
        nsidx += 1
        with NetNSEnter(ns):
            s = raw_sock(NETLINK_ROUTE, rcvbuf=4 << 20)
        s.settimeout(10)
        known, since = [], 0
        before = set(fuzz_links(s))
        for _ in range(min(batch, count - stats["requests"])):
            m, hdr_bad = request(known)
            seq = struct.unpack_from("=I", m, 8)[0]
            s.send(m)
            stats["requests"] += 1
            if hdr_bad:
                # The kernel drops it silently: a known request shows
                # that the socket is still served.
                raw_request(s, msg(RTM_GETLINK, NLM_F_ACK, ifinfo(index=1)))
                stats["dropped"] += 1
                continue
            err = None
            while err is None:
                for h, payload in nlmsgs(s.recv(1 << 16)) or []:
                    if h[1] == NLMSG_ERROR and h[3] == seq:
                        err = -struct.unpack_from("=i", payload)[0]
            if err:
                name = errno.errorcode.get(err, str(err))
                stats["errors"][name] = stats["errors"].get(name, 0) + 1
                continue
            stats["acks"] += 1
            # A link dump costs more than many requests (the debug
            # kernel): look at the namespace's devices after every 10th
            # ack and at the end of the batch (below) only.
            since += 1
            if since < 10:
                continue
            since = 0
            now = fuzz_links(s)
            new = [n for n in now if n not in before]
            known = [v[0] for v in now.values() if v[1] == "nlmon"]
            # Renamed (IFLA_IFNAME on an existing device), or moved
            # away by IFLA_NET_NS_PID/FD and friends.
            stats["renamed_or_moved"] += len(before - set(now))
            stats["created"] += len(new)
            for n in new:
                if now[n][1] != "nlmon":
                    print("request %d: ack, new device %s of kind %r" % (stats["requests"], n, now[n][1]))
                    stats["bad"] += 1
            before = set(now)
        now = fuzz_links(s)
        stats["renamed_or_moved"] += len(before - set(now))
        for n in set(now) - before:
            stats["created"] += 1
            if now[n][1] != "nlmon":
                print("batch ending at request %d: new device %s of kind %r"
                      % (stats["requests"], n, now[n][1]))
                stats["bad"] += 1
        s.close()
        ip("netns", "del", ns)
        print("%d requests, %d acks, %.0f s" % (stats["requests"], stats["acks"], time.time() - t0), flush=True)
    stats["seconds"] = round(time.time() - t0, 1)
    stats["seed"] = seed
    with open(out, "w", encoding="ascii") as f:
        json.dump(stats, f)
    print("fuzz: %s" % json.dumps(stats, sort_keys=True))
    return 1 if stats["bad"] else 0


# ---- one interpreter for guest.sh ----

def run_forked(func, *args, out=None, before=None):
    """func(*args) in a forked child, its output to the file (FIFO) out if
    given; the child's pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    rc = 1
    try:
        if out is not None:
            fd = os.open(out, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.close(fd)
        sys.stdout.reconfigure(line_buffering=True)
        reset_seq()
        if before:
            before()
        rc = func(*args)
    except SystemExit as e:
        rc = e.code
    except BaseException:  # pylint: disable=broad-exception-caught
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc if isinstance(rc, int) else 1)


def serve(qdir):
    """Run guest.sh's requests: a line "ID\x1fNETNS\x1fCMD\x1fARGS..." on
    the FIFO DIR/requests runs main(CMD ARGS...) in a child forked from
    here (in namespace NETNS if not empty), its output to the FIFO DIR/ID.out
    that the requester reads, its pid in DIR/ID.pid, its exit status in
    DIR/ID.rc. The imports above take ~17 s under KASAN and TCG; a fork
    takes well under one."""
    fifo = os.open(os.path.join(qdir, "requests"), os.O_RDWR)
    children, buf = {}, b""

    def put(rid, ext, value):
        path = os.path.join(qdir, rid + ext)
        with open(path + ".tmp", "w", encoding="ascii") as f:
            f.write("%d\n" % value)
        os.rename(path + ".tmp", path)

    def start(line):
        rid, netns, *argv = line.decode().split("\x1f")
        try:
            enter = NetNSEnter(netns).__enter__ if netns else None

            def before():
                os.close(fifo)
                if enter:
                    enter()
            pid = run_forked(main, argv, out=os.path.join(qdir, rid + ".out"), before=before)
        except OSError as e:  # fork: EAGAIN, ENOMEM
            print("request %s: %s" % (rid, e), flush=True)
            put(rid, ".rc", 1)
            return
        put(rid, ".pid", pid)
        children[pid] = rid

    while True:
        ready, _, _ = select.select([fifo], [], [], 0.1)
        pid = 1
        while children and pid:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid in children:
                rc = os.waitstatus_to_exitcode(status)
                put(children.pop(pid), ".rc", rc if rc >= 0 else 128 - rc)
        if not ready:
            continue
        buf += os.read(fifo, 65536)
        *lines, buf = buf.split(b"\n")
        for line in lines:
            start(line)


def main(argv):
    cmd = argv[0]
    if cmd == "loop":
        name, secs, out = argv[1], float(argv[2]), argv[3]
        t0 = time.time()
        ops, errs, bad = LOOPS[name](t0 + secs, *argv[4:])
        with open(out, "w", encoding="ascii") as f:
            f.write("%d %d %d %.1f\n" % (ops, errs, bad, time.time() - t0))
        return 0
    if cmd == "case":
        try:
            return CASES[argv[1]](*argv[2:])
        finally:
            # Whatever the outcome, leave nothing behind for the next case
            # or the stress part (which checks that nothing is left).
            have = ip("-o", "link", "show", check=False).stdout
            for dev in ("nlmonw", "nlmoni", "nlmonu"):
                if ": %s:" % dev in have:
                    ip("link", "del", dev, check=False)
            for ns in ip("netns", "list", check=False).stdout.split():
                if ns.startswith("st-") and ns not in ("st-gen",):
                    ip("netns", "del", ns, check=False)
    if cmd == "mtu-table":
        return mtu_table(argv[1])
    if cmd == "fuzz":
        return fuzz(int(argv[1]), int(argv[2]), argv[3])
    if cmd == "team-mode":
        team_mode(argv[1], argv[2])
        return 0
    if cmd == "serve":
        return serve(argv[1])
    print("unknown command %s" % cmd)
    return 2


if __name__ == "__main__":
    reset_seq()
    sys.exit(main(sys.argv[1:]))
