// SPDX-License-Identifier: GPL-2.0
/*
 * xmitbench: transmit cost on a device that is not a netlink tap, with a
 * packet socket listening on it (make bench-xmit).
 *
 *   xmitbench IFNAME N
 *
 * Opens a packet socket for ETH_P_ALL on IFNAME (never read: once its
 * queue is full, each frame is still cloned for it by dev_queue_xmit_nit()
 * and then dropped), sends N/20 untimed 60-byte Ethernet frames, then N
 * timed ones, one sendto() each, from a packet socket that does not
 * listen. Prints "N NS_TOTAL NS_PER_FRAME LISTENER_FRAMES", the last being
 * what the listener's queue received or dropped (it must be N + N/20: every
 * frame passed dev_queue_xmit_nit()). Time is CLOCK_MONOTONIC: under QEMU
 * -icount shift=0 it counts guest instructions.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static void die(const char *what)
{
	fprintf(stderr, "xmitbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = ETH_ALEN };
	struct sockaddr_ll at = { .sll_family = AF_PACKET };
	unsigned char frame[60] = { 0 };
	struct tpacket_stats st;
	socklen_t len = sizeof(st);
	uint64_t t0 = 0, t1;
	long i, n, warm;
	int tx, rx, rcvbuf = 0;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: xmitbench IFNAME N\n");
		return 2;
	}
	warm = n / 20;
	to.sll_ifindex = at.sll_ifindex = if_nametoindex(argv[1]);
	if (!to.sll_ifindex)
		die(argv[1]);
	at.sll_protocol = htons(ETH_P_ALL);
	rx = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (rx < 0 || bind(rx, (struct sockaddr *)&at, sizeof(at)) < 0)
		die("listener");
	/* The smallest queue: it fills at once, as it would for a reader
	 * that falls behind, and the test measures the clone, not a copy.
	 */
	setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Protocol 0: the sender does not listen itself. */
	tx = socket(AF_PACKET, SOCK_RAW, 0);
	if (tx < 0)
		die("sender");
	/* Broadcast destination, local experimental EtherType. */
	memset(frame, 0xff, ETH_ALEN);
	memset(to.sll_addr, 0xff, ETH_ALEN);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	to.sll_protocol = htons(0x88b5);
	for (i = 0; i < warm + n; i++) {
		if (i == warm)
			t0 = now_ns();
		if (sendto(tx, frame, sizeof(frame), 0, (struct sockaddr *)&to,
			   sizeof(to)) != sizeof(frame))
			die("sendto");
	}
	t1 = now_ns();
	if (getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		die("PACKET_STATISTICS");
	printf("%ld %llu %.1f %u\n", n, (unsigned long long)(t1 - t0),
	       (double)(t1 - t0) / n, st.tp_packets);
	return 0;
}
