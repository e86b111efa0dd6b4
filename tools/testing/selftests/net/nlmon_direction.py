#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0

"""The direction of netlink messages captured on nlmon: packet sockets see
PACKET_KERNEL for a message to the kernel and PACKET_USER for one to user
space (replies and notifications alike), as the netlink core marks the
tap's clone. Anything else sent on nlmon, and what other devices send,
stays PACKET_OUTGOING. Each case runs in a namespace of its own and looks
only at the messages it sent. The nlmon cases skip without nlmon.
"""

import socket
import struct
import time

from lib.py import (
    KsftSkipEx,
    Netlink,
    NetNS,
    NetNSEnter,
    NlctrlFamily,
    RtnlFamily,
    cmd,
    defer,
    ksft_eq,
    ksft_exit,
    ksft_ge,
    ksft_run,
)

ETH_P_ALL = 3
PACKET_USER, PACKET_KERNEL = 6, 7
NETLINK_ROUTE, NETLINK_USERSOCK, NETLINK_GENERIC = 0, 2, 16
NLMSG_HDRLEN = 16
RTM_NEWLINK = 16
RTNLGRP_LINK = 1
# Of a frame on lo: the Ethernet header, then IPv4.
ETH_HLEN, ETH_P_IP, IPPROTO_UDP = 14, 0x0800, 17


def packet_socket(ns, ifname):
    """A packet socket on ifname in ns, closed after the case."""
    with NetNSEnter(str(ns)):
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                             socket.htons(ETH_P_ALL))
    defer(sock.close)
    sock.bind((ifname, 0))
    sock.setblocking(False)
    return sock


def captured(sock):
    """(sll_protocol, sll_pkttype, nlmsghdr) of each message queued on
    sock. Taps deliver synchronously: once a request has returned, it and
    its replies are queued."""
    msgs = []
    while True:
        try:
            data, addr = sock.recvfrom(1 << 16)
        except BlockingIOError:
            return msgs
        off = 0
        while off + NLMSG_HDRLEN <= len(data):
            hdr = struct.unpack_from("=IHHII", data, off)
            msgs.append((addr[1], addr[2], hdr))
            off += max((hdr[0] + 3) & ~3, NLMSG_HDRLEN)


def have_nlmon():
    """Whether this kernel can create nlmon devices."""
    with NetNS() as ns:
        return cmd("ip link add nlmon0 type nlmon", ns=ns, fail=False).ret == 0


def nlmon_up(ns):
    """nlmon0 in ns, up, with a packet socket on it."""
    if not have_nlmon():
        raise KsftSkipEx("no nlmon in this kernel")
    cmd("ip link add nlmon0 type nlmon", ns=ns)
    cmd("ip link set nlmon0 up", ns=ns)
    return packet_socket(ns, "nlmon0")


def exchange(msgs, proto, portid):
    """pkttype of the requests of portid's last exchange, then of the
    messages to portid with the same sequence number."""
    reqs = [(pkttype, h) for pr, pkttype, h in msgs
            if pr == proto and h[2] & Netlink.NLM_F_REQUEST]
    if not reqs:
        return [], []
    seq = reqs[-1][1][3]
    replies = [pkttype for pr, pkttype, h in msgs
               if pr == proto and h[3] == seq and h[4] == portid and
               not h[2] & Netlink.NLM_F_REQUEST]
    return [pkttype for pkttype, h in reqs if h[3] == seq], replies


def check_exchange(family, proto, request):
    """The request family's socket sends is to the kernel, its reply and
    ACK are to user space."""
    with NetNS() as ns:
        cap = nlmon_up(ns)
        with NetNSEnter(str(ns)):
            fam = family()
        defer(fam.close)
        captured(cap)
        request(fam)
        reqs, replies = exchange(captured(cap), proto,
                                 fam.sock.getsockname()[0])
        ksft_eq(reqs, [PACKET_KERNEL], "the request: to the kernel")
        ksft_eq(replies, [PACKET_USER, PACKET_USER],
                "the reply and the ACK: to user space")


def route_exchange():
    """RTM_GETLINK and its reply."""
    check_exchange(RtnlFamily, NETLINK_ROUTE,
                   lambda rtnl: rtnl.getlink({"ifi-index": 1}))


def generic_exchange():
    """CTRL_CMD_GETFAMILY and its reply."""
    check_exchange(NlctrlFamily, NETLINK_GENERIC,
                   lambda genl: genl.getfamily({"family-name": "nlctrl"}))


def notification():
    """A notification, from port ID 0, is to user space."""
    with NetNS() as ns:
        cap = nlmon_up(ns)
        with NetNSEnter(str(ns)):
            listener = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                     NETLINK_ROUTE)
        defer(listener.close)
        listener.bind((0, 1 << (RTNLGRP_LINK - 1)))
        captured(cap)
        cmd("ip link add nlmon1 type nlmon", ns=ns)
        got = [(pkttype, h[4]) for pr, pkttype, h in captured(cap)
               if pr == NETLINK_ROUTE and h[1] == RTM_NEWLINK and
               not h[2] & Netlink.NLM_F_REQUEST]
        ksft_ge(len(got), 1, "RTM_NEWLINK notifications captured")
        ksft_eq(set(got), {(PACKET_USER, 0)},
                "from port ID 0, to user space")


def user_to_user():
    """A message from one user space socket to another is to user space,
    whatever its flags."""
    with NetNS() as ns:
        cap = nlmon_up(ns)
        with NetNSEnter(str(ns)):
            socks = [socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                   NETLINK_USERSOCK) for _ in range(2)]
        for s in socks:
            defer(s.close)
            s.bind((0, 0))
            s.settimeout(5)
        dst = socks[1].getsockname()[0]
        captured(cap)
        msg = struct.pack("=IHHII", NLMSG_HDRLEN, 0x100,
                          Netlink.NLM_F_REQUEST, 1, 0)
        socks[0].sendto(msg, (dst, 0))
        ksft_eq(socks[1].recv(64), msg)
        got = [pkttype for pr, pkttype, h in captured(cap)
               if pr == NETLINK_USERSOCK and h[1] == 0x100]
        ksft_eq(got, [PACKET_USER], "captured once, to user space")


def nlmon_injected_outgoing():
    """A frame a packet socket sends on nlmon is not a tap's clone: it is
    PACKET_OUTGOING."""
    with NetNS() as ns:
        cap = nlmon_up(ns)
        with NetNSEnter(str(ns)):
            tx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, 0)
        defer(tx.close)
        captured(cap)
        msg = struct.pack("=IHHII", NLMSG_HDRLEN, 0x101, 0, 2, 0)
        tx.sendto(msg, ("nlmon0", NETLINK_USERSOCK))
        got = [pkttype for pr, pkttype, h in captured(cap) if h[1] == 0x101]
        ksft_eq(got, [socket.PACKET_OUTGOING])


def other_device_outgoing():
    """A packet socket on lo sees what lo sends as PACKET_OUTGOING, as
    before."""
    with NetNS() as ns:
        cmd("ip link set lo up", ns=ns)
        cap = packet_socket(ns, "lo")
        with NetNSEnter(str(ns)):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        defer(udp.close)
        payload = b"nlmon direction"
        udp.sendto(payload, ("127.0.0.1", 9))
        # The copy lo receives may come from the backlog a little later.
        types, deadline = [], time.monotonic() + 5
        while len(types) < 2 and time.monotonic() < deadline:
            try:
                data, addr = cap.recvfrom(1 << 16)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            ethertype = struct.unpack_from("!H", data, ETH_HLEN - 2)[0]
            if (ethertype == ETH_P_IP and data[ETH_HLEN + 9] == IPPROTO_UDP
                    and data.endswith(payload)):
                types.append(addr[2])
        ksft_eq(sorted(types), [socket.PACKET_HOST, socket.PACKET_OUTGOING],
                "sent once (outgoing) and received once (host)")


def main():
    """Run the cases."""
    ksft_run([route_exchange, generic_exchange, notification, user_to_user,
              nlmon_injected_outgoing, other_device_outgoing])
    ksft_exit()


if __name__ == "__main__":
    main()
