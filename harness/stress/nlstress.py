# Guest-side helper of harness/stress.sh: netlink traffic generators, the
# stress loops, the special cases, the MTU table and the fuzzer, all over
# raw netlink and AF_PACKET sockets (standard library only, run with -S).
#
#   nlstress.py loop NAME SECONDS OUTFILE [ARGS]   a stress loop; writes
#       "ops errors violations" to OUTFILE when its time is up
#   nlstress.py case NAME                          a special case; prints
#       what it saw, exit 0 pass, 1 fail, 4 skip
#   nlstress.py mtu-table OUTFILE                  the MTU edges
#   nlstress.py fuzz SEED COUNT OUTFILE            the RTM_*LINK fuzzer
#   nlstress.py team-mode TEAM MODE                set a team's mode (genl)
import ctypes, errno, json, os, random, select, socket, struct, subprocess, sys, time

NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ROOT, NLM_F_MATCH = 1, 2, 4, 0x100, 0x200
NLM_F_DUMP, NLM_F_EXCL, NLM_F_CREATE, NLM_F_REPLACE = 0x300, 0x200, 0x400, 0x100
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK = 16, 17, 18, 19
RTM_GETADDR, RTM_GETROUTE = 22, 26
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINKINFO = 1, 3, 4, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFF_UP = 1
NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_AUDIT, NETLINK_KOBJECT_UEVENT, NETLINK_GENERIC = 0, 4, 9, 15, 16
GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 0x10, 3, 1, 2
SOCK_DIAG_BY_FAMILY = 20
PACKET_OUTGOING, PACKET_USER, PACKET_KERNEL = 4, 6, 7
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP = 270, 1
SO_RCVBUFFORCE = 33
CLONE_NEWNET = 0x40000000
NLMSG_GOODSIZE = None  # the device's default MTU, read at run time
# Sequence numbers from the pid: two processes of one case (the user
# namespace case) never use the same ones.
seq_counter = [(os.getpid() & 0xffff) << 16]


def next_seq():
    seq_counter[0] = (seq_counter[0] + 1) & 0xffffffff
    return seq_counter[0]


# ---- netlink messages ----

def nla(typ, data):
    return struct.pack("=HH", 4 + len(data), typ) + data + b"\0" * (-len(data) % 4)


def msg(typ, flags, body, seq):
    return struct.pack("=IHHII", 16 + len(body), typ, flags, seq, 0) + body


def ifinfo(index=0, flags=0, change=0):
    return struct.pack("=BxHiII", 0, 0, index, flags, change)


def parse(data):
    """(len, type, flags, seq, pid, payload) of every message in data."""
    out, off = [], 0
    while off + 16 <= len(data):
        ln, typ, fl, seq, pid = struct.unpack_from("=IHHII", data, off)
        if ln < 16 or off + ln > len(data):
            break
        out.append((ln, typ, fl, seq, pid, data[off + 16:off + ln]))
        off += (ln + 3) & ~3
    return out


def attrs(data):
    out, off = {}, 0
    while off + 4 <= len(data):
        ln, typ = struct.unpack_from("=HH", data, off)
        if ln < 4:
            break
        out[typ & 0x3fff] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


class NlError(Exception):
    def __init__(self, err):
        super().__init__(os.strerror(err))
        self.errno = err


def nlsock(proto=NETLINK_ROUTE, groups=0, rcvbuf=None):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    s.bind((0, groups))
    s.settimeout(30)
    return s


def talk(s, typ, flags, body, bufsize=1 << 16, raw=None):
    """Send one request; return (datagrams received, messages, error code)
    where the error is the NLMSG_ERROR of the request (0: ack) or None after
    NLMSG_DONE of a dump."""
    seq = next_seq() if raw is None else struct.unpack_from("=I", raw, 8)[0]
    s.send(raw if raw is not None else msg(typ, flags | NLM_F_REQUEST, body, seq))
    grams, msgs = [], []
    while True:
        d = s.recv(bufsize)
        grams.append(d)
        for m in parse(d):
            if m[3] != seq:
                continue
            if m[1] == NLMSG_ERROR:
                return grams, msgs, -struct.unpack_from("=i", m[5])[0]
            if m[1] == NLMSG_DONE:
                return grams, msgs, None
            msgs.append(m)
            if not m[2] & NLM_F_MULTI and not flags & NLM_F_ACK:
                return grams, msgs, None


def check(s, typ, flags, body):
    err = talk(s, typ, flags | NLM_F_ACK, body)[2]
    if err:
        raise NlError(err)


def linkinfo(kind=b"nlmon", data=None):
    inner = nla(IFLA_INFO_KIND, kind)
    if data is not None:
        inner += nla(IFLA_INFO_DATA, data)
    return nla(IFLA_LINKINFO, inner)


def link_add(s, name, up=False, extra=b""):
    check(s, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
          ifinfo(flags=IFF_UP if up else 0, change=IFF_UP if up else 0)
          + nla(IFLA_IFNAME, name.encode() + b"\0") + extra + linkinfo())


def link_del(s, name):
    check(s, RTM_DELLINK, 0, ifinfo() + nla(IFLA_IFNAME, name.encode() + b"\0"))


def link_set(s, name, flags=0, change=0, extra=b""):
    check(s, RTM_NEWLINK, 0, ifinfo(flags=flags, change=change)
          + nla(IFLA_IFNAME, name.encode() + b"\0") + extra)


def links(s):
    """{name: (ifindex, flags, mtu, kind)} of the namespace of s."""
    out = {}
    for m in talk(s, RTM_GETLINK, NLM_F_DUMP, ifinfo())[1]:
        if m[1] != RTM_NEWLINK:
            continue
        _, _, idx, flags, _ = struct.unpack_from("=BxHiII", m[5])
        a = attrs(m[5][16:])
        kind = attrs(a.get(IFLA_LINKINFO, b"")).get(IFLA_INFO_KIND, b"").rstrip(b"\0").decode()
        mtu = struct.unpack("=I", a[IFLA_MTU])[0] if IFLA_MTU in a else None
        out[a[IFLA_IFNAME].rstrip(b"\0").decode(errors="replace")] = (idx, flags, mtu, kind)
    return out


# ---- namespaces ----

libc = ctypes.CDLL(None, use_errno=True)


class netns:
    """with netns(name): sockets created inside belong to that namespace."""
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.back = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + self.name)
        os.close(fd)

    def __exit__(self, *a):
        libc.setns(self.back, CLONE_NEWNET)
        os.close(self.back)


def ip(*args, check=True):
    return subprocess.run(["ip"] + list(args), check=check, capture_output=True, text=True)


def fresh_ns(name):
    ip("netns", "del", name, check=False)
    ip("netns", "add", name)
    return name


# ---- capture and counters ----

class Capture:
    def __init__(self, ifname):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        try:
            self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        except PermissionError:  # root of a user namespace: rmem_max
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
        self.s.bind((ifname, 0))
        self.s.setblocking(False)
        self.buf = bytearray(1 << 20)
        self.pkts = []

    def drain(self):
        while True:
            try:
                n, addr = self.s.recvfrom_into(self.buf, len(self.buf), socket.MSG_TRUNC)
            except BlockingIOError:
                return self.pkts
            except OSError as e:
                if e.errno in (errno.ENETDOWN, errno.ENXIO, errno.ENODEV):
                    continue
                raise
            # proto, pkttype, length on the wire, the bytes
            self.pkts.append((addr[1], addr[2], n, bytes(self.buf[:min(n, len(self.buf))])))

    def close(self):
        self.s.close()


def refcnt():
    try:
        return int(open("/sys/module/nlmon/refcnt").read())
    except OSError:
        return None


def getlink_lo(s, seq_tag=None):
    """A route exchange: RTM_GETLINK of lo (ifindex 1) with an ack."""
    return talk(s, RTM_GETLINK, NLM_F_ACK, ifinfo(index=1))


# ---- stress loops ----

def loop_dump(deadline, ns=None):
    s = nlsock(rcvbuf=1 << 20)
    ops = errs = 0
    kinds = [(RTM_GETLINK, ifinfo()), (RTM_GETADDR, struct.pack("=BBBBI", 0, 0, 0, 0, 0)),
             (RTM_GETROUTE, struct.pack("=BBBBBBBBI", 0, 0, 0, 0, 254, 0, 0, 0, 0))]
    while time.time() < deadline:
        typ, body = kinds[ops % 3]
        try:
            errs += bool(talk(s, typ, NLM_F_DUMP, body)[2])
        except OSError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_genl(deadline):
    s = nlsock(NETLINK_GENERIC, rcvbuf=1 << 20)
    ops = errs = 0
    while time.time() < deadline:
        try:
            if ops % 2:
                err = talk(s, GENL_ID_CTRL, NLM_F_DUMP, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0))[2]
            else:
                err = talk(s, GENL_ID_CTRL, NLM_F_ACK, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
                           + nla(CTRL_ATTR_FAMILY_NAME, b"nlctrl\0"))[2]
            errs += bool(err)
        except OSError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_diag(deadline):
    """sock_diag dumps: every netlink socket (netlink_diag), every TCP and
    unix socket (inet_diag, unix_diag). An error reply counts as an error."""
    s = nlsock(NETLINK_SOCK_DIAG, rcvbuf=1 << 20)
    reqs = [struct.pack("=BBHIIII", socket.AF_NETLINK, 255, 0, 0, 0xff, 0, 0),
            # inet_diag_req_v2: all states, a zero inet_diag_sockid (48 bytes).
            struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xffffffff)
            + b"\0" * 48,
            # unix_diag_req, 24 bytes: all states.
            struct.pack("=BBHIIIII", socket.AF_UNIX, 0, 0, 0xffffffff, 0, 0, 0, 0)]
    ops = errs = 0
    while time.time() < deadline:
        try:
            errs += bool(talk(s, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, reqs[ops % len(reqs)])[2])
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
        select.select([cap.s], [], [], 0.2)
        try:
            n += len(cap.drain())
        except OSError:
            errs += 1
        cap.pkts = []
    return n, errs, 0


def loop_toggle(deadline, ifname):
    s = nlsock()
    ops = errs = 0
    while time.time() < deadline:
        try:
            link_set(s, ifname, IFF_UP if ops % 2 == 0 else 0, IFF_UP)
        except OSError:
            errs += 1
        ops += 1
    try:
        link_set(s, ifname, IFF_UP, IFF_UP)
    except OSError:
        errs += 1
    return ops, errs, 0


def loop_churn(deadline, prefix):
    """Create an nlmon device (up every other time) and delete it."""
    s = nlsock()
    ops = errs = 0
    while time.time() < deadline:
        name = "%s%d" % (prefix, ops % 4)
        try:
            link_add(s, name, up=ops % 2 == 0)
            link_del(s, name)
        except OSError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_mtu(deadline, ifname):
    s = nlsock()
    rnd = random.Random(7)
    ops = errs = 0
    while time.time() < deadline:
        try:
            link_set(s, ifname, extra=nla(IFLA_MTU, struct.pack("=I", rnd.randint(16, 65535))))
        except OSError:
            errs += 1
        ops += 1
    return ops, errs, 0


def loop_counters(deadline, *ifnames):
    """ip -s link, read while the counters move: no counter of a device may
    ever go backwards (down/up does not reset them)."""
    last, ops, errs, bad = {}, 0, 0, 0
    while time.time() < deadline:
        for ifname in ifnames:
            try:
                j = json.loads(subprocess.run(["ip", "-s", "-j", "link", "show", "dev", ifname],
                                              capture_output=True, text=True, check=True).stdout)[0]
                cur = {"rx_packets": j["stats64"]["rx"]["packets"], "rx_bytes": j["stats64"]["rx"]["bytes"]}
            except (subprocess.CalledProcessError, KeyError, IndexError, ValueError):
                errs += 1
                continue
            key = (ifname, j["ifindex"])
            for k, v in cur.items():
                if v < last.get(key, {}).get(k, 0):
                    print("%s: %s went backwards: %d -> %d" % (ifname, k, last[key][k], v))
                    bad += 1
            last[key] = cur
            ops += 1
    for (ifname, _), c in last.items():
        print("%s: last read rx_packets %d rx_bytes %d" % (ifname, c["rx_packets"], c["rx_bytes"]))
    return ops, errs, bad


LOOPS = {"dump": loop_dump, "genl": loop_genl, "diag": loop_diag, "capture": loop_capture,
         "toggle": loop_toggle, "churn": loop_churn, "mtu": loop_mtu, "counters": loop_counters}


# ---- team mode over generic netlink (no teamd here) ----

def genl_family(name):
    s = nlsock(NETLINK_GENERIC)
    m = talk(s, GENL_ID_CTRL, 0, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0)
             + nla(CTRL_ATTR_FAMILY_NAME, name + b"\0"))[1][0]
    return struct.unpack("=H", attrs(m[5][4:])[CTRL_ATTR_FAMILY_ID])[0]


def team_mode(team, mode):
    """TEAM_CMD_OPTIONS_SET: option "mode" (NLA_STRING) = mode."""
    fam = genl_family(b"team")
    idx = socket.if_nametoindex(team)
    opt = nla(1, b"mode\0") + nla(3, b"\x05") + nla(4, mode.encode() + b"\0")
    body = struct.pack("=BBH", 1, 1, 0) + nla(1, struct.pack("=I", idx)) + nla(2, nla(1, opt))
    try:
        check(nlsock(NETLINK_GENERIC), fam, 0, body)
    except NlError as e:
        # The team sets the option, then multicasts the change and returns
        # that multicast's error: ESRCH when nobody listens (no teamd).
        if e.errno != errno.ESRCH:
            raise


# ---- special cases ----

def up_nlmon(s, name):
    link_add(s, name, up=True)


def case_big():
    """Unicast messages larger than NLMSG_GOODSIZE, both ways: a 40 KiB and
    a 150 KiB request to the kernel (skb head from kvmalloc, maybe vmalloc),
    the error reply that echoes it back, and a link dump read with a 64 KiB
    buffer, whose later datagrams are up to 32 KiB. Each captured frame must
    be exactly the bytes sent or received: no more (661779e1fcaf), no less."""
    ns = fresh_ns("st-big")
    ok = True
    with netns(ns):
        s = nlsock(rcvbuf=8 << 20)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        up_nlmon(s, "nlmon0")
        goodsize = links(s)["nlmon0"][2]
        for i in range(40):
            link_add(s, "pad%02d" % i)
        cap = Capture("nlmon0")
        sent, got = [], []
        for size in (40000, 150000):
            # RTM_GETLINK of a missing ifindex: ENODEV, and the error reply
            # carries the whole request (no NETLINK_CAP_ACK).
            # (an attribute holds at most 64 KiB: several of them)
            body = ifinfo(index=0x7ffffff0) + b"".join(
                nla(0x3ff0, b"\xa5" * (size // 3)) for _ in range(3))
            raw = msg(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, body, next_seq())
            grams, _, err = talk(s, 0, 0, b"", bufsize=1 << 20, raw=raw)
            print("request of %d bytes: error %d, reply datagrams %s" % (len(raw), err, [len(g) for g in grams]))
            sent.append(raw)
            got += grams
        grams, msgs, _ = talk(s, RTM_GETLINK, NLM_F_DUMP, ifinfo(), bufsize=1 << 16)
        print("link dump: %d datagrams, sizes %s" % (len(grams), [len(g) for g in grams]))
        got += grams
        time.sleep(0.2)
        pkts = cap.drain()
        frames = [p[3] for p in pkts]
        lens = [p[2] for p in pkts]
        for what, want in [("sent", g) for g in sent] + [("received", g) for g in got]:
            n = frames.count(want)
            trailing = [l for l, f in zip(lens, frames) if l != len(want) and f[:len(want)] == want]
            if n != 1 or trailing:
                print("%s datagram of %d bytes captured %d times exactly%s" % (
                    what, len(want), n, ", and with trailing bytes: %s" % trailing if trailing else ""))
                ok = False
        wrong = [(p[2], len(p[3])) for p in pkts if p[2] != len(p[3])]
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
    """The tap's direction (skb->pkt_type PACKET_KERNEL/PACKET_USER) does not
    reach packet sockets, which see dev_queue_xmit_nit()'s clone relabelled
    PACKET_OUTGOING: every request and every reply is captured once, told
    apart by NLM_F_REQUEST."""
    ns = fresh_ns("st-dir")
    with netns(ns):
        s = nlsock()
        up_nlmon(s, "nlmon0")
        cap = Capture("nlmon0")
        nreq = ngram = 0
        for _ in range(10):
            grams = getlink_lo(s)[0]
            nreq, ngram = nreq + 1, ngram + len(grams)
        g = nlsock(NETLINK_GENERIC)
        for _ in range(5):
            grams = talk(g, GENL_ID_CTRL, NLM_F_DUMP, struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0))[0]
            nreq, ngram = nreq + 1, ngram + len(grams)
        time.sleep(0.1)
        pkts = cap.drain()
    ip("netns", "del", ns)
    # nlmsg_flags of the first message of each frame.
    reqs = sum(1 for p in pkts if len(p[3]) >= 8 and struct.unpack_from("=H", p[3], 6)[0] & NLM_F_REQUEST)
    types = sorted({p[1] for p in pkts})
    print("sent %d requests, received %d datagrams; captured %d frames, %d of them requests"
          % (nreq, ngram, len(pkts), reqs))
    print("sll_pkttype %s (4 = PACKET_OUTGOING)" % types)
    return 0 if ((reqs, len(pkts) - reqs) == (nreq, ngram) and types == [PACKET_OUTGOING]) else 1


def case_multicast():
    """An RTM_NEWLINK notification is captured once per listening socket:
    3 listeners, then 1, then none."""
    ns = fresh_ns("st-mc")
    ok = True
    with netns(ns):
        s = nlsock()
        up_nlmon(s, "nlmon0")
        for n in (3, 1, 0):
            listeners = [nlsock(groups=1) for _ in range(n)]  # RTNLGRP_LINK
            cap = Capture("nlmon0")
            link_add(s, "mc%d" % n)
            time.sleep(0.2)
            per = []
            for l in listeners:
                l.setblocking(False)
                k = 0
                try:
                    while True:
                        k += len(parse(l.recv(1 << 16)))
                except BlockingIOError:
                    pass
                per.append(k)
            notes = sum(1 for p in cap.drain() for m in parse(p[3]) if m[4] == 0 and m[3] == 0)
            cap.close()
            print("%d listeners: each received %s notifications; captured %d" % (n, per, notes))
            want = n * (per[0] if per else 0)
            ok &= notes == want and len(set(per)) <= 1 and (n == 0 or per[0] >= 1)
            for l in listeners:
                l.close()
    ip("netns", "del", ns)
    return 0 if ok else 1


def case_whitelist():
    """Audit and kobject uevent messages (protocols outside the tap
    whitelist) are never captured, in the initial namespace where both
    live; a route exchange made at the same time is."""
    s = nlsock()
    up_nlmon(s, "nlmonw")
    cap = Capture("nlmonw")
    ue = nlsock(NETLINK_KOBJECT_UEVENT, groups=1)
    ue.settimeout(5)
    with open("/sys/class/net/lo/uevent", "w") as f:
        f.write("change\n")
    try:
        uev = ue.recv(1 << 16)
    except socket.timeout:
        uev = b""
    au = nlsock(NETLINK_AUDIT)
    au.settimeout(5)
    try:
        agram, _, aerr = talk(au, 1000, NLM_F_ACK, b"")  # AUDIT_GET
    except OSError as e:
        agram, aerr = [], e.errno
    getlink_lo(s)
    time.sleep(0.2)
    pkts = cap.drain()
    cap.close()
    link_del(s, "nlmonw")
    protos = {}
    for p in pkts:
        protos[p[0]] = protos.get(p[0], 0) + 1
    print("uevent received: %r; audit reply datagrams %d (error %s)" % (uev[:40], len(agram), aerr))
    print("captured frames by protocol: %s (9 audit, 15 uevent must be absent)" % protos)
    if not uev or not agram:
        print("the uevent or the audit exchange did not happen: cannot tell")
        return 1
    return 0 if protos.get(0) and 9 not in protos and 15 not in protos else 1


def case_isolation():
    """Namespaces A, B and the initial one, each with an nlmon up and a
    capture: an exchange made in each is captured in its own namespace
    only (CVE-2017-17449 was a child namespace sniffing the host)."""
    names = ["st-isoA", "st-isoB"]
    socks, caps, tags = {}, {}, {}
    for ns in names:
        fresh_ns(ns)
        with netns(ns):
            socks[ns] = nlsock()
            up_nlmon(socks[ns], "nlmon0")
            caps[ns] = Capture("nlmon0")
    socks["init"] = nlsock()
    up_nlmon(socks["init"], "nlmoni")
    caps["init"] = Capture("nlmoni")
    for ns, s in socks.items():
        tags[ns] = seq_counter[0] + 1
        getlink_lo(s)
    time.sleep(0.2)
    ok = True
    for ns, c in caps.items():
        seqs = {m[3] for p in c.drain() for m in parse(p[3])}
        seen = [n for n, t in tags.items() if t in seqs]
        print("capture in %s sees the exchanges of: %s" % (ns, seen))
        ok &= seen == [ns]
        c.close()
    link_del(socks["init"], "nlmoni")
    for ns in names:
        ip("netns", "del", ns)
    return 0 if ok else 1


def case_nsdel():
    """Delete namespaces whose nlmon is up: one with no socket left on it,
    one with a packet socket still bound (the namespace then lives until
    the socket closes). Every tap goes away: the module's reference count
    (one per tap) comes back."""
    base = refcnt()
    fresh_ns("st-del1")
    fresh_ns("st-del2")
    with netns("st-del1"):
        s = nlsock()
        up_nlmon(s, "nlmon0")
        getlink_lo(s)
        s.close()
    with netns("st-del2"):
        s = nlsock()
        up_nlmon(s, "nlmon0")
        cap = Capture("nlmon0")
        getlink_lo(s)
        s.close()
    print("module refcount %d before, %d with two taps" % (base, refcnt()))
    ip("netns", "del", "st-del1")
    ip("netns", "del", "st-del2")
    t0 = time.time()
    while refcnt() != base + 1 and time.time() - t0 < 30:
        time.sleep(0.1)
    mid = refcnt()
    n = len(cap.drain())
    cap.close()
    while refcnt() != base and time.time() - t0 < 60:
        time.sleep(0.1)
    print("both deleted: refcount %d (socket still bound in one, %d frames in it); socket closed: %d after %.1f s"
          % (mid, n, refcnt(), time.time() - t0))
    return 0 if mid == base + 1 and refcnt() == base else 1


def case_userns_child(ready, done, out):
    """In unshare -Urn: root of a user namespace creates its own nlmon and
    captures; the parent makes an exchange in the initial namespace."""
    s = nlsock()
    up_nlmon(s, "nlmon0")
    cap = Capture("nlmon0")
    own = seq_counter[0] + 1
    getlink_lo(s)
    # Atomically: the parent reads the file as soon as it exists.
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % own)
    os.rename(ready + ".tmp", ready)
    t0 = time.time()
    while not os.path.exists(done) and time.time() - t0 < 30:
        time.sleep(0.05)
    time.sleep(0.1)
    seqs = sorted({m[3] for p in cap.drain() for m in parse(p[3])})
    json.dump({"own": own, "seqs": seqs}, open(out, "w"))
    return 0


def case_userns():
    tmp = "/tmp/st-userns"
    subprocess.run(["rm", "-rf", tmp])
    os.makedirs(tmp)
    ready, done, out = tmp + "/ready", tmp + "/done", tmp + "/out"
    s = nlsock()
    up_nlmon(s, "nlmonu")
    cap = Capture("nlmonu")
    child = subprocess.Popen(["unshare", "-Urn", sys.executable, "-S", __file__, "case",
                              "userns-child", ready, done, out])
    t0 = time.time()
    while not os.path.exists(ready) and child.poll() is None and time.time() - t0 < 30:
        time.sleep(0.05)
    if not os.path.exists(ready):
        print("the user-namespace child did not get ready (exit %s)" % child.poll())
        link_del(s, "nlmonu")
        return 1
    own = int(open(ready).read())
    host = seq_counter[0] + 1
    getlink_lo(s)
    open(done, "w").write("1")
    child.wait(60)
    time.sleep(0.1)
    host_seqs = {m[3] for p in cap.drain() for m in parse(p[3])}
    cap.close()
    link_del(s, "nlmonu")
    r = json.load(open(out))
    print("root in a user namespace (unshare -Urn): created and captured on its own nlmon; "
          "saw its own exchange: %s, the host's: %s" % (own in r["seqs"], host in r["seqs"]))
    print("the host's capture saw the child's exchange: %s (its own: %s)" % (own in host_seqs, host in host_seqs))
    return 0 if own in r["seqs"] and host not in r["seqs"] and own not in host_seqs and host in host_seqs else 1


CASES = {"big": case_big, "direction": case_direction, "multicast": case_multicast,
         "whitelist": case_whitelist, "isolation": case_isolation, "nsdel": case_nsdel,
         "userns": case_userns, "userns-child": case_userns_child}


# ---- bad input ----

MTU_EDGES = [0, 15, 16, 17, 65535, 0x7fffffff, 0x80000000, 0xffffffff]


def mtu_table(out):
    """Each MTU edge as a raw u32 IFLA_MTU, on RTM_NEWLINK (create) and on
    RTM_SETLINK of an existing device: the error, or the MTU then set."""
    ns = fresh_ns("st-mtu")
    rows = []
    with netns(ns):
        s = nlsock()
        link_add(s, "base")
        for v in MTU_EDGES:
            a = nla(IFLA_MTU, struct.pack("=I", v))
            try:
                link_add(s, "new", extra=a)
                res = "taken, mtu %d" % links(s)["new"][2]
                link_del(s, "new")
            except NlError as e:
                res = "refused %s" % errno.errorcode.get(e.errno, e.errno)
            rows.append("RTM_NEWLINK IFLA_MTU=%u: %s" % (v, res))
            body = ifinfo(index=links(s)["base"][0]) + a
            err = talk(s, RTM_SETLINK, NLM_F_ACK, body)[2]
            res = "refused %s" % errno.errorcode.get(err, err) if err else "taken, mtu %d" % links(s)["base"][2]
            rows.append("RTM_SETLINK IFLA_MTU=%u: %s" % (v, res))
    ip("netns", "del", ns)
    with open(out, "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


IFLA_MAX = 70


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
        with netns(ns):
            s = nlsock(rcvbuf=4 << 20)
            s.settimeout(10)
            known, since = [], 0
            before = set(links(s))
            for _ in range(min(batch, count - stats["requests"])):
                m, hdr_bad = request(known)
                seq = struct.unpack_from("=I", m, 8)[0]
                s.send(m)
                stats["requests"] += 1
                if hdr_bad:
                    # The kernel drops it silently: a known request shows
                    # that the socket is still served.
                    getlink_lo(s)
                    stats["dropped"] += 1
                    continue
                err = None
                while err is None:
                    for r in parse(s.recv(1 << 16)):
                        if r[1] == NLMSG_ERROR and r[3] == seq:
                            err = -struct.unpack_from("=i", r[5])[0]
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
                now = links(s)
                new = [n for n in now if n not in before]
                known = [v[0] for k, v in now.items() if v[3] == "nlmon"]
                # Renamed (IFLA_IFNAME on an existing device), or moved
                # away by IFLA_NET_NS_PID/FD and friends.
                stats["renamed_or_moved"] += len(before - set(now))
                stats["created"] += len(new)
                for n in new:
                    if now[n][3] != "nlmon":
                        print("request %d: ack, new device %s of kind %r" % (stats["requests"], n, now[n][3]))
                        stats["bad"] += 1
                before = set(now)
            now = links(s)
            stats["renamed_or_moved"] += len(before - set(now))
            for n in set(now) - before:
                stats["created"] += 1
                if now[n][3] != "nlmon":
                    print("batch ending at request %d: new device %s of kind %r"
                          % (stats["requests"], n, now[n][3]))
                    stats["bad"] += 1
            s.close()
        ip("netns", "del", ns)
        print("%d requests, %d acks, %.0f s" % (stats["requests"], stats["acks"], time.time() - t0), flush=True)
    stats["seconds"] = round(time.time() - t0, 1)
    stats["seed"] = seed
    with open(out, "w") as f:
        json.dump(stats, f)
    print("fuzz: %s" % json.dumps(stats, sort_keys=True))
    return 1 if stats["bad"] else 0


def main(argv):
    cmd = argv[0]
    if cmd == "loop":
        name, secs, out = argv[1], float(argv[2]), argv[3]
        t0 = time.time()
        ops, errs, bad = LOOPS[name](t0 + secs, *argv[4:])
        with open(out, "w") as f:
            f.write("%d %d %d %.1f\n" % (ops, errs, bad, time.time() - t0))
        return 0
    if cmd == "case":
        if argv[1] == "userns-child":
            return CASES[argv[1]](*argv[2:])
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
    print("unknown command %s" % cmd)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
