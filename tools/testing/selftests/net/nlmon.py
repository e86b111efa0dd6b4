#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0

"""Selftest of the netlink monitoring device (nlmon), whichever driver the
kernel has. Devices are made and changed over rtnetlink (YNL), captures are
read from packet sockets, counters from sysfs (a getlink would itself be
captured). Each case works in a namespace of its own, with a device nlmon0,
where no other netlink traffic disturbs it; only what is about the initial
namespace is done there.

The cases that unload a modular nlmon are disruptive (lib.py's
DISRUPTIVE=False skips them); nlmon is left unloaded after them.
"""

import contextlib
import errno
import gzip
import os
import shutil
import signal
import socket
import struct
import tempfile
import time
from collections import namedtuple

from lib.py import (
    KsftFailEx,
    KsftSkipEx,
    Netlink,
    NetNS,
    NetNSEnter,
    NlctrlFamily,
    NlError,
    RtnlAddrFamily,
    RtnlFamily,
    RtnlRouteFamily,
    UserNetNS,
    bkg,
    cmd,
    defer,
    ksft_busy_wait,
    ksft_disruptive,
    ksft_eq,
    ksft_exit,
    ksft_ge,
    ksft_gt,
    ksft_in,
    ksft_lt,
    ksft_not_in,
    ksft_raises,
    ksft_run,
    ksft_true,
    ksft_variants,
)

ARPHRD_NETLINK = 824
LINKTYPE_NETLINK = 253
ETH_P_ALL = 3
PACKET_USER, PACKET_KERNEL = 6, 7
SOL_PACKET = 263
PACKET_STATISTICS = 6
SO_RCVBUFFORCE = 33
IFF_UP = 0x1
NLMSG_HDRLEN = 16
NETLINK_ROUTE, NETLINK_GENERIC = 0, 16
RTM_NEWLINK, RTM_GETLINK = 16, 18
RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR, RTM_GETROUTE = 20, 21, 22, 26
GENL_ID_CTRL = 0x10
# The protocols a tap lets through: netlink_filter_tap().
TAPPED = {0, 2, 4, 5, 6, 10, 12, 16}
COUNTERS = ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
            "rx_dropped", "tx_dropped")

# length: of the packet as sent, which data has unless it was truncated.
Packet = namedtuple("Packet", "proto pkttype hatype length data msgs")
# What the main namespace's nlmon0 captured: the known exchanges, then
# everything (with the workload), and the counters before and after.
Captured = namedtuple("Captured",
                      "exchanges pkts requests before after drops")


def nlmsgs(data):
    """The header (len, type, flags, seq, portid) and the payload of each
    netlink message in one datagram, or None unless whole messages fill
    it."""
    msgs, off = [], 0
    while off + NLMSG_HDRLEN <= len(data):
        hdr = struct.unpack_from("=IHHII", data, off)
        if hdr[0] < NLMSG_HDRLEN or off + hdr[0] > len(data):
            return None
        msgs.append((hdr, data[off + NLMSG_HDRLEN:off + hdr[0]]))
        off += (hdr[0] + 3) & ~3
    return msgs if msgs and off >= len(data) else None


class Capture:
    """A packet socket on a device of the current network namespace."""

    def __init__(self, ifname):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        except PermissionError:
            # Root of a user namespace: as much as rmem_max allows.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                 64 << 20)
        self.sock.bind((ifname, 0))
        self.buf = bytearray(1 << 20)
        self.sock.setblocking(False)
        self.errors = []

    def read(self):
        """Everything queued so far. Taps deliver synchronously, so once
        a request has returned, it and its replies are all here."""
        pkts = []
        while True:
            try:
                length, addr = self.sock.recvfrom_into(self.buf,
                                                       flags=socket.MSG_TRUNC)
            except BlockingIOError:
                return pkts
            except OSError as e:
                # The device went down or away: reported once.
                if e.errno not in (errno.ENETDOWN, errno.ENODEV):
                    raise
                self.errors.append(e.errno)
                continue
            data = bytes(self.buf[:length])
            pkts.append(Packet(addr[1], addr[2], addr[3], length, data,
                               nlmsgs(data)))

    def drops(self):
        """Packets the socket dropped: its queue was full."""
        stats = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        return struct.unpack("II", stats)[1]

    def close(self):
        """Close the socket."""
        self.sock.close()


def capture(fams, ifname):
    """A Capture on ifname in the namespace of fams, closed after the
    case."""
    with NetNSEnter(str(fams)):
        cap = Capture(ifname)
    defer(cap.close)
    return cap


def counters(ns, ifname):
    """The device's counters, from the sysfs of its namespace."""
    paths = [f"/sys/class/net/{ifname}/statistics/{c}" for c in COUNTERS]
    out = cmd("cat " + " ".join(paths), ns=ns).stdout
    return dict(zip(COUNTERS, map(int, out.split())))


def kconfig(option):
    """The value of option in /proc/config.gz, None if not known."""
    with contextlib.suppress(FileNotFoundError), \
            gzip.open("/proc/config.gz", "rt", encoding="ascii") as f:
        for line in f:
            if line.startswith(option + "="):
                return line.rstrip().split("=", 1)[1]
    return None


def refcnt():
    """nlmon's module reference count, None if it is built in."""
    try:
        with open("/sys/module/nlmon/refcnt", encoding="ascii") as f:
            return int(f.read())
    except FileNotFoundError:
        return None


class Families:
    """YNL families in a network namespace (None: the current one)."""

    def __init__(self, ns=None):
        self.ns = ns
        with NetNSEnter(str(ns)) if ns else contextlib.nullcontext():
            self.rtnl = RtnlFamily()
            self.addr = RtnlAddrFamily()
            self.route = RtnlRouteFamily()
            self.genl = NlctrlFamily()

    def __str__(self):
        return str(self.ns)

    def close(self):
        """Sockets hold their namespace: close them before deleting it."""
        for family in (self.rtnl, self.addr, self.route, self.genl):
            family.close()

    def portid(self, family):
        """The port ID of family's socket, the portid of its replies."""
        return family.sock.getsockname()[0]

    def nlmon_add(self, ifname, **attrs):
        """Create an nlmon device, with more IFLA_* attributes."""
        self.rtnl.newlink({"ifname": ifname, "linkinfo": {"kind": "nlmon"},
                           **attrs},
                          flags=[Netlink.NLM_F_CREATE, Netlink.NLM_F_EXCL])

    def link_del(self, ifname):
        """Delete a device."""
        self.rtnl.dellink({"ifname": ifname})

    def link_set(self, ifname, up=None, **attrs):
        """Set a device up or down, or change its attributes."""
        if up is not None:
            attrs.update({"ifi-flags": IFF_UP if up else 0,
                          "ifi-change": IFF_UP})
        self.rtnl.newlink({"ifname": ifname, **attrs})

    def link(self, ifname):
        """A device, as RTM_GETLINK reports it."""
        return self.rtnl.getlink({"ifname": ifname})

    def nlmon_devices(self):
        """The names of the namespace's nlmon devices, sorted."""
        return sorted(link["ifname"]
                      for link in self.rtnl.getlink({}, dump=True)
                      if link.get("linkinfo", {}).get("kind") == "nlmon")

    def workload(self):
        """Do and dump requests of both tapped families, as ip(8) and
        genl(8) make them. Returns the (protocol, type, dump) of each."""
        # lo is always ifindex 1 of a namespace.
        local = {"ifa-family": socket.AF_INET, "ifa-prefixlen": 32,
                 "ifa-index": 1, "local": socket.inet_aton("198.51.100.1")}
        self.rtnl.getlink({}, dump=True)
        self.addr.getaddr({"ifa-family": socket.AF_INET}, dump=True)
        self.route.getroute({"rtm-family": socket.AF_INET}, dump=True)
        self.addr.newaddr(dict(local),
                          flags=[Netlink.NLM_F_CREATE, Netlink.NLM_F_EXCL])
        self.addr.deladdr(dict(local))
        self.genl.getfamily({}, dump=True)
        return [(NETLINK_ROUTE, RTM_GETLINK, True),
                (NETLINK_ROUTE, RTM_GETADDR, True),
                (NETLINK_ROUTE, RTM_GETROUTE, True),
                (NETLINK_ROUTE, RTM_NEWADDR, False),
                (NETLINK_ROUTE, RTM_DELADDR, False),
                (NETLINK_GENERIC, GENL_ID_CTRL, True)]


def messages(pkts):
    """(protocol, nlmsghdr) of every message captured, in order."""
    return [(p.proto, h) for p in pkts for h, _ in p.msgs or []]


def exchange(pkts, proto, portid, req_type):
    """The captured messages of the last request of req_type that the
    socket portid sent, and of the replies to it, in order."""
    msgs = messages(pkts)
    reqs = [h for pr, h in msgs
            if pr == proto and h[1] == req_type and
            h[2] & Netlink.NLM_F_REQUEST]
    if not reqs:
        return []
    seq = reqs[-1][3]
    return [h for pr, h in msgs
            if pr == proto and h[3] == seq and
            (h[2] & Netlink.NLM_F_REQUEST or h[4] == portid)]


# ---- the device ----

def kind_and_type(cfg):
    """Link kind "nlmon", device type ARPHRD_NETLINK."""
    link = cfg.main.link("nlmon0")
    ksft_eq(link.get("linkinfo", {}).get("kind"), "nlmon")
    ksft_eq(link["ifi-type"], ARPHRD_NETLINK)


def flags_noarp_down(cfg):
    """A new device is down and IFF_NOARP."""
    cfg.main.nlmon_add("nlmon3")
    defer(cfg.main.link_del, "nlmon3")
    flags = cfg.main.link("nlmon3")["ifi-flags"]
    ksft_in("no-arp", flags)
    ksft_not_in("up", flags)


def mtu_default(cfg):
    """The default MTU is NLMSG_GOODSIZE, which nlmon's KUnit test checks
    exactly. Here what user space can rely on: one page or 8 KiB at most,
    less the skb overhead, which is well under 1 KiB."""
    link = cfg.main.link("nlmon0")
    limit = min(os.sysconf("SC_PAGE_SIZE"), 8192)
    ksft_lt(link["mtu"], limit)
    ksft_gt(link["mtu"], limit - 1024)


def min_mtu(cfg):
    """The minimum MTU is one netlink message header."""
    ksft_eq(cfg.main.link("nlmon0")["min-mtu"], NLMSG_HDRLEN)


def several_devices(cfg):
    """Devices of the kind coexist in a namespace."""
    for ifname in ("nlmon1", "nlmon2"):
        cfg.main.nlmon_add(ifname)
        defer(cfg.main.link_del, ifname)
    ksft_eq(cfg.main.nlmon_devices(), ["nlmon0", "nlmon1", "nlmon2"])


# ---- capture ----

def known_exchanges(cfg):
    """Capture a getlink and a CTRL_CMD_GETFAMILY in the main namespace,
    once per case: the capture cases check parts of it."""
    if cfg.captured is None:
        fams = cfg.main
        fams.link_set("nlmon0", up=True)
        defer(fams.link_set, "nlmon0", up=False)
        cap = capture(fams, "nlmon0")
        before = counters(fams, "nlmon0")
        cap.read()
        fams.rtnl.getlink({"ifi-index": 1})
        fams.genl.getfamily({"family-name": "nlctrl"})
        exchanges = cap.read()
        requests = fams.workload()
        after = counters(fams, "nlmon0")
        cfg.captured = Captured(exchanges, exchanges + cap.read(), requests,
                                before, after, cap.drops())
    return cfg.captured


def check_exchange(pkts, proto, portid, req_type, reply_type):
    """The request, its one reply and the ACK were captured, in order."""
    got = exchange(pkts, proto, portid, req_type)
    ksft_eq([(h[1], h[2] & Netlink.NLM_F_REQUEST) for h in got],
            [(req_type, Netlink.NLM_F_REQUEST), (reply_type, 0),
             (Netlink.NLMSG_ERROR, 0)],
            "request, reply and ACK, in order, once each")


def capture_route_exchange(cfg):
    """RTM_GETLINK, its reply and ACK are captured (NETLINK_ROUTE)."""
    pkts = known_exchanges(cfg).exchanges
    check_exchange(pkts, NETLINK_ROUTE, cfg.main.portid(cfg.main.rtnl),
                   RTM_GETLINK, RTM_NEWLINK)


def capture_generic_exchange(cfg):
    """CTRL_CMD_GETFAMILY, its reply and ACK are captured
    (NETLINK_GENERIC)."""
    pkts = known_exchanges(cfg).exchanges
    check_exchange(pkts, NETLINK_GENERIC, cfg.main.portid(cfg.main.genl),
                   GENL_ID_CTRL, GENL_ID_CTRL)


def capture_sll_fields(cfg):
    """sll_hatype is ARPHRD_NETLINK, sll_pkttype the direction: what the
    test's sockets sent PACKET_KERNEL, what the kernel sent to them
    (replies, ACKs) PACKET_USER."""
    pkts = known_exchanges(cfg).exchanges
    ours = {cfg.main.portid(cfg.main.rtnl), cfg.main.portid(cfg.main.genl)}
    ksft_ge(len(pkts), 6)
    ksft_eq({p.hatype for p in pkts}, {ARPHRD_NETLINK})
    for p in pkts:
        to_user = all(h[4] in ours for h, _ in p.msgs)
        ksft_eq(p.pkttype, PACKET_USER if to_user else PACKET_KERNEL)


def capture_workload(cfg):
    """Each request of the workload, and the message that ends its
    replies (NLMSG_DONE of a dump, the ACK of a do), was captured."""
    captured = known_exchanges(cfg)
    msgs = messages(captured.pkts)
    for proto, req_type, dump in captured.requests:
        seqs = [h[3] for pr, h in msgs
                if pr == proto and h[1] == req_type and
                h[2] & Netlink.NLM_F_REQUEST and
                (h[2] & Netlink.NLM_F_DUMP == Netlink.NLM_F_DUMP) == dump]
        end = Netlink.NLMSG_DONE if dump else Netlink.NLMSG_ERROR
        ends = [h for pr, h in msgs
                if seqs and pr == proto and h[1] == end and h[3] == seqs[-1]]
        ksft_eq((len(seqs), len(ends)), (1, 1),
                f"protocol {proto} type {req_type} dump {dump}: "
                "request and end")


def capture_whole_messages(cfg):
    """Every captured packet is whole netlink messages of a tapped
    protocol."""
    pkts = known_exchanges(cfg).pkts
    bad = [p for p in pkts if p.msgs is None or p.proto not in TAPPED or
           p.length != len(p.data)]
    ksft_eq(len(bad), 0, f"malformed packets: {bad[:3]}")


def counters_rx(cfg):
    """rx_packets and rx_bytes moved by what the packet socket got."""
    c = known_exchanges(cfg)
    ksft_eq(c.drops, 0, "packet socket drops")
    ksft_eq(c.after["rx_packets"] - c.before["rx_packets"], len(c.pkts))
    ksft_eq(c.after["rx_bytes"] - c.before["rx_bytes"],
            sum(p.length for p in c.pkts))


def counters_no_tx_no_drops(cfg):
    """An nlmon device transmits and drops nothing."""
    c = known_exchanges(cfg)
    for name in ("tx_packets", "tx_bytes", "rx_dropped", "tx_dropped"):
        ksft_eq(c.after[name] - c.before[name], 0, name)


def need_tcpdump():
    """Skip the case without tcpdump."""
    if not shutil.which("tcpdump"):
        raise KsftSkipEx("no tcpdump")


def tcpdump(fams, ifname):
    """tcpdump writing ifname's packets to a new file, once it captures.
    Returns the process and the file's path."""
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "nlmon.pcap")
    defer(shutil.rmtree, tmp)
    proc = bkg(f"tcpdump -i {ifname} -U -Z root -w {path}", ns=fams,
               fail=False)
    defer(lambda: proc.ret is not None or
          proc.process(terminate=True, fail=False))
    # The pcap header is written once the capture is set up.
    ksft_busy_wait(lambda: os.path.exists(path) and
                   os.path.getsize(path) >= 24, deadline=30)
    return proc, path


def tcpdump_pcap(cfg):
    """tcpdump writes the capture as a LINKTYPE_NETLINK pcap."""
    need_tcpdump()
    cfg.main.link_set("nlmon0", up=True)
    defer(cfg.main.link_set, "nlmon0", up=False)
    proc, path = tcpdump(cfg.main, "nlmon0")

    def captured():
        cfg.main.rtnl.getlink({"ifi-index": 1})
        time.sleep(0.1)
        return os.path.getsize(path) > 24

    ksft_busy_wait(captured, deadline=30, comment="packets in the pcap")
    proc.proc.send_signal(signal.SIGINT)
    proc.process(terminate=False, fail=False, timeout=10)
    with open(path, "rb") as f:
        data = f.read()
    ksft_gt(len(data), 24, "pcap header and packets")
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    ksft_eq(struct.unpack_from(endian + "I", data, 20)[0] & 0x0fffffff,
            LINKTYPE_NETLINK)


# ---- down means silent ----

def up_holds_module(cfg):
    """The tap of an up device holds a module reference."""
    if refcnt() is None:
        raise KsftSkipEx("nlmon is built in")
    cfg.main.link_set("nlmon0", up=False)
    # Other nlmon devices (another capture) may go up or down meanwhile:
    # a round counts only if the count is back where it began. A count
    # that grows by the same amount each round is a leak, not noise.
    growth = set()
    for _ in range(5):
        down = refcnt()
        cfg.main.link_set("nlmon0", up=True)
        up = refcnt()
        cfg.main.link_set("nlmon0", up=False)
        if refcnt() == down:
            ksft_eq(up, down + 1)
            return
        growth.add(refcnt() - down)
    if len(growth) == 1:
        ksft_true(False, f"each up and down leaks {growth.pop()} reference(s)")
        return
    raise KsftSkipEx("the module refcount kept changing: nlmon is busy")


def down_silent(cfg):
    """A down device has no tap: no counter moves. (A tap left on it
    would count each message as tx_dropped: the core drops what is sent
    to a down device.)"""
    cfg.main.link_set("nlmon0", up=False)
    before = counters(cfg.main, "nlmon0")
    cfg.main.workload()
    ksft_eq(counters(cfg.main, "nlmon0"), before)


def up_again(cfg):
    """Capture and counting resume once the device is up again."""
    cfg.main.link_set("nlmon0", up=False)
    cfg.main.link_set("nlmon0", up=True)
    defer(cfg.main.link_set, "nlmon0", up=False)
    cap = capture(cfg.main, "nlmon0")
    before = counters(cfg.main, "nlmon0")
    cfg.main.rtnl.getlink({"ifi-index": 1})
    pkts = cap.read()
    check_exchange(pkts, NETLINK_ROUTE, cfg.main.portid(cfg.main.rtnl),
                   RTM_GETLINK, RTM_NEWLINK)
    ksft_eq(counters(cfg.main, "nlmon0")["rx_packets"] -
            before["rx_packets"], len(pkts))


# ---- MTU and address ----

def mtu_below_minimum(cfg):
    """An MTU below the minimum is refused, with the core's extack."""
    mtu = cfg.main.link("nlmon0")["mtu"]
    with ksft_raises(NlError) as e:
        cfg.main.link_set("nlmon0", mtu=NLMSG_HDRLEN - 1)
    ksft_eq(e.exception.error, errno.EINVAL)
    ksft_eq((e.exception.nl_msg.extack or {}).get("msg"),
            "mtu less than device minimum")
    ksft_eq(cfg.main.link("nlmon0")["mtu"], mtu)


@ksft_variants([NLMSG_HDRLEN, 65535, 2**31 - 1])
def mtu_accepted(cfg, mtu):
    """The minimum MTU and large ones are accepted: there is no
    maximum."""
    old = cfg.main.link("nlmon0")["mtu"]
    defer(cfg.main.link_set, "nlmon0", mtu=old)
    cfg.main.link_set("nlmon0", mtu=mtu)
    ksft_eq(cfg.main.link("nlmon0")["mtu"], mtu)


def address_refused(cfg):
    """A device with a hardware address is refused (EINVAL)."""
    with ksft_raises(NlError) as e:
        cfg.main.nlmon_add("nlmon9", address=bytes.fromhex("001122334455"))
    ksft_eq(e.exception.error, errno.EINVAL)
    ksft_eq(cfg.main.nlmon_devices(), ["nlmon0"])


# ---- namespaces ----

def marker(fams, tag):
    """Traffic that names tag: a getlink of a device that does not exist
    (tag is a valid device name)."""
    try:
        fams.rtnl.getlink({"ifname": tag})
    except NlError as e:
        if e.error != errno.ENODEV:
            raise


def marked(pkts, tag):
    """Whether traffic that names tag was captured."""
    return any(tag.encode() in p.data for p in pkts)


def wait_refcnt(count):
    """Namespaces are dismantled asynchronously (cleanup_net): wait until
    the taps of deleted ones are gone and nlmon's reference count is
    count."""
    ksft_busy_wait(lambda: refcnt() == count, deadline=20,
                   comment=f"nlmon's reference count back to {count}")


def namespaces_isolated(cfg):
    """An nlmon sees its own namespace's traffic only."""
    count = refcnt()
    with NetNS() as ns_a, NetNS() as ns_b:
        caps = {}
        for tag, ns in (("mark-a", ns_a), ("mark-b", ns_b)):
            fams = Families(ns)
            fams.nlmon_add("nlmon0")
            fams.link_set("nlmon0", up=True)
            with NetNSEnter(str(ns)):
                caps[tag] = (fams, Capture("nlmon0"))
        for tag, (fams, _) in caps.items():
            marker(fams, tag)
        marker(cfg.init, "mark-i")
        for tag, (fams, cap) in caps.items():
            pkts = cap.read()
            seen = {t for t in ("mark-a", "mark-b", "mark-i")
                    if marked(pkts, t)}
            ksft_eq(seen, {tag}, f"traffic seen by the nlmon of {tag}")
            # Sockets hold their namespace: close them before deleting it.
            cap.close()
            fams.close()
    if count is not None:
        wait_refcnt(count)


def namespace_deleted(cfg):
    """Deleting a namespace with an up nlmon leaves nothing behind: the
    tap goes (nlmon's reference count tells when) and the device is
    deleted, not moved to the initial namespace."""
    count = refcnt()
    if count is None:
        raise KsftSkipEx("nlmon is built in: no reference count to watch")
    # Only nlmon devices: others may come and go in the initial namespace.
    before = set(cfg.init.nlmon_devices())
    with NetNS() as ns:
        fams = Families(ns)
        fams.nlmon_add("nlmon0")
        fams.link_set("nlmon0", up=True)
        ksft_eq(refcnt(), count + 1)
        fams.close()
    wait_refcnt(count)
    ksft_eq(set(cfg.init.nlmon_devices()) - before, set())


# ---- the device "netlink" ----

def default_device(cfg):
    """With CONFIG_NLMON_DEFAULT_DEVICE, the kernel made "netlink" at boot,
    in the initial namespace only: a new namespace has none."""
    if os.stat("/proc/self/ns/net").st_ino != \
            os.stat("/proc/1/ns/net").st_ino:
        raise KsftSkipEx("not run in the initial network namespace")
    if not os.path.exists("/sys/class/net/netlink"):
        if kconfig("CONFIG_NLMON_DEFAULT_DEVICE") == "y":
            raise KsftFailEx("CONFIG_NLMON_DEFAULT_DEVICE=y, no netlink")
        raise KsftSkipEx("no device netlink (CONFIG_NLMON_DEFAULT_DEVICE)")
    link = cfg.init.link("netlink")
    ksft_eq(link.get("linkinfo", {}).get("kind"), "nlmon")
    with NetNS() as ns:
        fams = Families(ns)
        ksft_eq(fams.nlmon_devices(), [])
        fams.close()


# ---- lifetime ----

def delete_ends_tcpdump(cfg):
    """Deleting the device ends a capture on it: tcpdump exits with an
    error of its own, not killed by a signal."""
    need_tcpdump()
    cfg.main.nlmon_add("nlmonT")
    deleted = defer(cfg.main.link_del, "nlmonT")
    cfg.main.link_set("nlmonT", up=True)
    proc = tcpdump(cfg.main, "nlmonT")[0]
    deleted.exec()
    proc.process(terminate=False, fail=False, timeout=10)
    ksft_true(0 < proc.ret < 128, f"tcpdump exit {proc.ret}: {proc.stderr}")


def builtin():
    """True if nlmon is built into the running kernel."""
    if os.path.isdir("/sys/module/nlmon"):
        return refcnt() is None
    path = f"/lib/modules/{os.uname().release}/modules.builtin"
    with contextlib.suppress(FileNotFoundError), \
            open(path, encoding="ascii") as f:
        return any(line.rstrip().endswith("/nlmon.ko") for line in f)
    return False


def unload(fams=None):
    """Set the case's own nlmon devices (those in fams) down, then unload
    nlmon, which deletes every nlmon device. Skip if nlmon is built in, or
    if a device that is not the test's keeps it loaded."""
    if builtin():
        raise KsftSkipEx("nlmon is built in")
    if not os.path.isdir("/sys/module/nlmon"):
        return
    for ifname in fams.nlmon_devices() if fams else []:
        fams.link_set(ifname, up=False)
    # The namespaces of earlier cases are dismantled asynchronously.
    deadline = time.monotonic() + 20
    while refcnt() != 0:
        if time.monotonic() > deadline:
            raise KsftSkipEx("an nlmon device up elsewhere keeps nlmon loaded")
        time.sleep(0.05)
    cmd("rmmod nlmon")


@ksft_disruptive
def rmmod_busy(cfg):
    """rmmod fails while a device is up (its tap holds the module)."""
    if builtin():
        raise KsftSkipEx("nlmon is built in")
    cfg.main.link_set("nlmon0", up=True)
    defer(cfg.main.link_set, "nlmon0", up=False)
    ret = cmd("rmmod nlmon", fail=False).ret
    ksft_true(ret != 0, "rmmod nlmon succeeded")
    ksft_true(os.path.isdir("/sys/module/nlmon"))
    ksft_eq(cfg.main.nlmon_devices(), ["nlmon0"])


@ksft_disruptive
def rmmod_deletes_devices(cfg):
    """Once every device is down, rmmod works and deletes them all."""
    ksft_true(os.path.isdir("/sys/module/nlmon") or builtin(),
              "nlmon is not loaded")
    unload(cfg.main)
    ksft_true(not os.path.isdir("/sys/module/nlmon"))
    ksft_eq(cfg.main.nlmon_devices() + cfg.init.nlmon_devices(), [])


@ksft_disruptive
def autoload_netlink_name(cfg):
    """A modular nlmon creates no device by itself: with nlmon unloaded,
    "ip link add netlink type nlmon" loads it and gets its device."""
    unload()
    if os.path.exists("/sys/class/net/netlink"):
        raise KsftSkipEx("the initial namespace has a device netlink")
    cfg.init.nlmon_add("netlink")
    defer(cfg.init.link_del, "netlink")
    ksft_true(os.path.isdir("/sys/module/nlmon"), "nlmon was not loaded")
    ksft_eq(cfg.init.nlmon_devices(), ["netlink"])


@ksft_disruptive
def userns_autoload(cfg):
    """nlmon loaded on demand by the root of a user namespace creates a
    device in that namespace and none in the initial one."""
    unload()
    with UserNetNS() as userns:
        enter = f"nsenter --user={userns.user_ns_path} " \
                f"--net={userns.net_ns_path} "
        cmd(enter + "ip link add x type nlmon")
        ksft_true(os.path.isdir("/sys/module/nlmon"), "nlmon was not loaded")
        links = cmd(enter + "ip -o link show type nlmon").stdout
        ksft_eq([line.split(": ")[1] for line in links.splitlines()], ["x"])
        ksft_eq(cfg.init.nlmon_devices(), [])


class Cfg:
    """What the cases share: the initial namespace; and, per case, a
    namespace of its own with the device nlmon0, made when the case first
    asks for it and deleted after it."""

    def __init__(self):
        self.init = Families()
        self._main = None
        self.captured = None

    @property
    def main(self):
        """The case's namespace, with nlmon0 (down)."""
        if self._main is None:
            defer(self._forget)
            ns = NetNS()
            defer(ns.__del__)
            fams = Families(ns)
            # Deferred actions run last first: the sockets close, then the
            # namespace goes.
            defer(fams.close)
            # rtnetlink loads the module of an unknown kind itself.
            fams.nlmon_add("nlmon0")
            self._main = fams
        return self._main

    def _forget(self):
        self._main = None
        self.captured = None


def no_nlmon(_cfg):
    """The kernel has no nlmon: nothing to test."""
    raise KsftSkipEx("no nlmon in this kernel")


def main():
    """Run the cases, or skip them all if the kernel has no nlmon."""
    cases = [kind_and_type, flags_noarp_down, mtu_default, min_mtu,
             several_devices, capture_route_exchange,
             capture_generic_exchange, capture_sll_fields,
             capture_workload, capture_whole_messages, counters_rx,
             counters_no_tx_no_drops, tcpdump_pcap, up_holds_module,
             down_silent, up_again, mtu_below_minimum, mtu_accepted,
             address_refused, namespaces_isolated, namespace_deleted,
             default_device, delete_ends_tcpdump, rmmod_busy,
             rmmod_deletes_devices, autoload_netlink_name, userns_autoload]
    with NetNS() as ns:
        fams = Families(ns)
        try:
            # rtnetlink loads the module of an unknown kind itself.
            fams.nlmon_add("nlmon0")
        except NlError as e:
            if e.error != errno.EOPNOTSUPP:
                raise
            cases = [no_nlmon]
        fams.close()
    ksft_run(cases, args=(Cfg(),))
    ksft_exit()

if __name__ == "__main__":
    main()
