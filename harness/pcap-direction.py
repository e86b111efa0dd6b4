#!/usr/bin/env python3
"""pcap-direction.py PCAP [LISTING]: the direction of each frame of a
LINKTYPE_NETLINK capture, from the packet type in the first two bytes of
its cooked header (6 PACKET_USER: to user space, 7 PACKET_KERNEL: to the
kernel), which tshark's netlink dissector does not show. With LISTING (one
line per frame, e.g. tshark's), prints each line after its direction."""
import struct
import sys

NAMES = {6: "to user", 7: "to kernel"}


def directions(path):
    """The direction of each frame of the capture at path."""
    with open(path, "rb") as f:
        data = f.read()
    e = "<" if struct.unpack_from("<I", data)[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off, out = 24, []
    while off + 16 <= len(data):
        caplen = struct.unpack_from(e + "I", data, off + 8)[0]
        pkttype = struct.unpack_from(">H", data, off + 16)[0]
        out.append(NAMES.get(pkttype, "type %d" % pkttype))
        off += 16 + caplen
    return out


def main():
    """Print the directions, or the listing with them."""
    dirs = directions(sys.argv[1])
    if len(sys.argv) < 3:
        print("\n".join(dirs))
        return
    with open(sys.argv[2], encoding="utf-8") as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        print("%-10s %s" % (dirs[i] if i < len(dirs) else "?", line))


if __name__ == "__main__":
    main()
