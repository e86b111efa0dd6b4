// SPDX-License-Identifier: GPL-2.0
/*
 * nlbench: netlink request/reply load for the nlmon benchmark (make bench).
 *
 *   nlbench [-n N] [-w WARMUP] TEST[:N]...
 *
 * TEST is one of:
 *   getlink  RTM_GETLINK for ifindex 1 (lo): one request, one reply
 *   dump     RTM_GETLINK dump of every link, read until NLMSG_DONE
 *   genl     generic netlink CTRL_CMD_GETFAMILY for "nlctrl"
 *
 * Each test does WARMUP untimed exchanges (default N / 20), then N timed ones
 * back to back (TEST:N overrides -n for one test), and prints one line
 * "TEST N NS_TOTAL NS_PER_EXCHANGE". Time is
 * CLOCK_MONOTONIC: under QEMU -icount shift=0 it counts guest instructions.
 * Any error (a failed syscall, an NLMSG_ERROR, a reply that is not the one
 * asked for, a truncated message) ends the program with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A dump of a few dozen links fits; MSG_TRUNC catches anything larger. */
#define RXBUF (64 * 1024)

static char rxbuf[RXBUF] __attribute__((aligned(NLMSG_ALIGNTO)));
static uint32_t seq;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nlbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int nl_open(int proto)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	int one = 1;

	if (fd < 0)
		die("socket(AF_NETLINK, %d): %s", proto, strerror(errno));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind: %s", strerror(errno));
	/* Errors carry their own extended ack: cheap, and clearer when failing. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

static void nl_send(int fd, struct nlmsghdr *nlh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	nlh->nlmsg_seq = ++seq;
	n = sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n != (ssize_t)nlh->nlmsg_len)
		die("sendto: %s", n < 0 ? strerror(errno) : "short write");
}

/*
 * Reads replies to the last request until one of type `want` (single reply)
 * or NLMSG_DONE (dump, want == NLMSG_DONE). Returns the number of messages
 * of the reply type seen.
 */
static unsigned int nl_recv(int fd, uint16_t want, uint16_t reply_type)
{
	unsigned int count = 0;

	for (;;) {
		ssize_t n = recv(fd, rxbuf, sizeof(rxbuf), MSG_TRUNC);
		struct nlmsghdr *nlh;
		size_t len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recv: %s", strerror(errno));
		}
		if ((size_t)n > sizeof(rxbuf))
			die("reply of %zd bytes truncated to %zu", n, sizeof(rxbuf));
		len = n;
		for (nlh = (struct nlmsghdr *)rxbuf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				die("reply seq %u, expected %u", nlh->nlmsg_seq, seq);
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				die("NLMSG_ERROR %d (%s)", e->error, strerror(-e->error));
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				const int *err = NLMSG_DATA(nlh);

				if (want != NLMSG_DONE)
					die("unexpected NLMSG_DONE");
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) && *err)
					die("dump failed: %d (%s)", *err, strerror(-*err));
				return count;
			}
			if (nlh->nlmsg_type != reply_type)
				die("reply type %u, expected %u", nlh->nlmsg_type, reply_type);
			count++;
			if (want != NLMSG_DONE)
				return count;
		}
		if (len)
			die("%zu bytes of a malformed message", len);
	}
}

struct req {
	struct nlmsghdr nlh;
	union {
		struct ifinfomsg ifi;
		struct {
			struct genlmsghdr g;
			struct nlattr a;
			char name[GENL_NAMSIZ];
		} genl;
	};
};

static int rt_fd = -1, genl_fd = -1;

static void getlink(void)
{
	struct req r = {
		.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nlh.nlmsg_type = RTM_GETLINK,
		.nlh.nlmsg_flags = NLM_F_REQUEST,
		.ifi.ifi_family = AF_UNSPEC,
		.ifi.ifi_index = 1,
	};

	nl_send(rt_fd, &r.nlh);
	nl_recv(rt_fd, RTM_NEWLINK, RTM_NEWLINK);
}

static void dump(void)
{
	struct req r = {
		.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.nlh.nlmsg_type = RTM_GETLINK,
		.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.ifi.ifi_family = AF_UNSPEC,
	};

	nl_send(rt_fd, &r.nlh);
	/* At least lo: an empty dump would measure nothing. */
	if (nl_recv(rt_fd, NLMSG_DONE, RTM_NEWLINK) < 1)
		die("empty link dump");
}

static void genl(void)
{
	static const char family[] = "nlctrl";
	struct req r = {
		.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_HDRLEN + sizeof(family)),
		.nlh.nlmsg_type = GENL_ID_CTRL,
		.nlh.nlmsg_flags = NLM_F_REQUEST,
		.genl.g.cmd = CTRL_CMD_GETFAMILY,
		.genl.g.version = 1,
		.genl.a.nla_len = NLA_HDRLEN + sizeof(family),
		.genl.a.nla_type = CTRL_ATTR_FAMILY_NAME,
	};

	memcpy(r.genl.name, family, sizeof(family));
	nl_send(genl_fd, &r.nlh);
	nl_recv(genl_fd, GENL_ID_CTRL, GENL_ID_CTRL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime: %s", strerror(errno));
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static unsigned long parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > 100000000)
		die("bad %s '%s'", what, s);
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000, warmup = ~0UL;
	int opt, i;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		switch (opt) {
		case 'n':
			n = parse_count(optarg, "-n");
			break;
		case 'w':
			warmup = parse_count(optarg, "-w");
			break;
		default:
			die("usage: nlbench [-n N] [-w WARMUP] getlink|dump|genl[:N]...");
		}
	}
	if (optind == argc || n == 0)
		die("usage: nlbench [-n N] [-w WARMUP] getlink|dump|genl[:N]...");
	rt_fd = nl_open(NETLINK_ROUTE);
	genl_fd = nl_open(NETLINK_GENERIC);

	for (i = optind; i < argc; i++) {
		char *name = argv[i], *count = strchr(name, ':');
		unsigned long k, tn = n, tw;
		void (*fn)(void);
		uint64_t t0, t1;

		if (count) {
			*count++ = '\0';
			tn = parse_count(count, "count");
			if (!tn)
				die("zero exchanges for %s", name);
		}
		tw = warmup == ~0UL ? tn / 20 : warmup;
		if (!strcmp(name, "getlink"))
			fn = getlink;
		else if (!strcmp(name, "dump"))
			fn = dump;
		else if (!strcmp(name, "genl"))
			fn = genl;
		else
			die("unknown test '%s'", name);
		for (k = 0; k < tw; k++)
			fn();
		t0 = now_ns();
		for (k = 0; k < tn; k++)
			fn();
		t1 = now_ns();
		printf("%s %lu %llu %.1f\n", name, tn, (unsigned long long)(t1 - t0),
		       (double)(t1 - t0) / tn);
	}
	if (fflush(stdout) || ferror(stdout))
		die("writing the results failed");
	return 0;
}
