// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for nlmon, through rtnetlink as `ip link` uses it, so that the
 * same tests hold the C and the Rust driver to the same behaviour.
 */

#include <kunit/test.h>
#include <linux/ethtool.h>
#include <linux/file.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/uio.h>
#include <net/flow.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#define TEST_DEV "nlmonkt0"
#define NLMON_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA)
#define RECV_SIZE 16384
/* Long enough for a debug kernel under emulation; a lost reply fails. */
#define RECV_TIMEOUT (30 * HZ)

struct nlmon_test {
	struct socket *sock;
	struct file *file;
	void *buf;
	u32 portid;
	u32 seq;
};

/*
 * Opens a kernel rtnetlink socket in @t, with a file. Requests carry the
 * socket's port ID as nlmsg_pid, as replies to it do: in a capture, that
 * tells this test's messages from those of anyone else in the namespace.
 */
static int nl_open(struct nlmon_test *t)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	int err;

	err = sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			       &t->sock);
	if (err)
		return err;
	/* rtnetlink checks CAP_NET_ADMIN against the socket's file. */
	t->file = sock_alloc_file(t->sock, 0, NULL);
	if (IS_ERR(t->file)) {
		err = PTR_ERR(t->file);
		t->file = NULL;
		return err;
	}
	/* Port ID 0: the socket gets a unique one. */
	err = kernel_bind(t->sock, (struct sockaddr_unsized *)&addr,
			  sizeof(addr));
	if (!err)
		err = kernel_getsockname(t->sock, (struct sockaddr *)&addr);
	if (err < 0) {
		/* Nothing of a failed open is left to close. */
		fput(t->file);
		t->file = NULL;
		return err;
	}
	t->portid = addr.nl_pid;
	WRITE_ONCE(t->sock->sk->sk_rcvtimeo, RECV_TIMEOUT);
	return 0;
}

static void nl_close(struct nlmon_test *t)
{
	/* Also after a failed init, which may have set no test->priv. */
	if (t && t->file)
		fput(t->file);
}

static int nlmon_test_init(struct kunit *test)
{
	struct nlmon_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->buf = kunit_kzalloc(test, RECV_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->buf);
	test->priv = t;
	KUNIT_ASSERT_EQ(test, 0, nl_open(t));
	return 0;
}

static void nlmon_test_exit(struct kunit *test)
{
	nl_close(test->priv);
}

/* Sends the message in @skb and frees it; returns the bytes sent. */
static int nl_send(struct nlmon_test *t, struct sk_buff *skb)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
	};
	struct kvec iov = { .iov_base = skb->data, .iov_len = skb->len };
	int ret;

	ret = kernel_sendmsg(t->sock, &msg, &iov, 1, skb->len);
	kfree_skb(skb);
	return ret;
}

/* Receives one datagram into t->buf; returns its length. */
static int nl_recv(struct nlmon_test *t)
{
	struct msghdr msg = {};
	struct kvec iov = { .iov_base = t->buf, .iov_len = RECV_SIZE };

	return kernel_recvmsg(t->sock, &msg, &iov, 1, RECV_SIZE, 0);
}

/* Sends a request with NLM_F_ACK and returns the error of its ack. */
static int nl_transact(struct kunit *test, struct sk_buff *skb)
{
	struct nlmon_test *t = test->priv;
	struct nlmsghdr *nlh;
	int len;

	KUNIT_ASSERT_GT(test, nl_send(t, skb), 0);
	len = nl_recv(t);
	KUNIT_ASSERT_GE(test, len, (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)));
	nlh = t->buf;
	KUNIT_ASSERT_EQ(test, nlh->nlmsg_type, NLMSG_ERROR);
	return ((struct nlmsgerr *)nlmsg_data(nlh))->error;
}

static struct sk_buff *link_msg(struct kunit *test, int type, int flags,
				int ifindex, unsigned int ifflags,
				unsigned int ifchange)
{
	struct nlmon_test *t = test->priv;
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, t->portid, ++t->seq, type, sizeof(*ifm),
			NLM_F_REQUEST | flags);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	ifm = nlmsg_data(nlh);
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = ifflags;
	ifm->ifi_change = ifchange;
	return skb;
}

static void msg_end(struct sk_buff *skb)
{
	nlmsg_end(skb, (struct nlmsghdr *)skb->data);
}

/* ip link add TEST_DEV [address 00:11:22:33:44:55] type nlmon */
static int add_nlmon(struct kunit *test, bool with_address)
{
	static const u8 addr[ETH_ALEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct sk_buff *skb;
	struct nlattr *info;

	skb = link_msg(test, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
		       0, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, nla_put_string(skb, IFLA_IFNAME, TEST_DEV));
	if (with_address)
		KUNIT_ASSERT_EQ(test, 0,
				nla_put(skb, IFLA_ADDRESS, ETH_ALEN, addr));
	info = nla_nest_start(skb, IFLA_LINKINFO);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_ASSERT_EQ(test, 0, nla_put_string(skb, IFLA_INFO_KIND, "nlmon"));
	nla_nest_end(skb, info);
	msg_end(skb);
	return nl_transact(test, skb);
}

/* ip link set dev IFINDEX mtu MTU */
static int set_mtu(struct kunit *test, int ifindex, u32 mtu)
{
	struct sk_buff *skb;

	skb = link_msg(test, RTM_NEWLINK, NLM_F_ACK, ifindex, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, nla_put_u32(skb, IFLA_MTU, mtu));
	msg_end(skb);
	return nl_transact(test, skb);
}

/* ip link set dev IFINDEX up|down */
static int set_up(struct kunit *test, int ifindex, bool up)
{
	struct sk_buff *skb = link_msg(test, RTM_NEWLINK, NLM_F_ACK, ifindex,
				       up ? IFF_UP : 0, IFF_UP);

	msg_end(skb);
	return nl_transact(test, skb);
}

static void del_nlmon(struct kunit *test, int ifindex)
{
	struct sk_buff *skb;

	skb = link_msg(test, RTM_DELLINK, NLM_F_ACK, ifindex, 0, 0);
	msg_end(skb);
	KUNIT_EXPECT_EQ(test, 0, nl_transact(test, skb));
}

/*
 * Deletes the test device if a failed assertion left it behind: by index,
 * which the namespace does not hand out again soon, so that a device of
 * the same name created by someone else since stays.
 */
static void del_test_dev_action(void *ifindex)
{
	struct net_device *dev;

	rtnl_lock();
	dev = __dev_get_by_index(&init_net, (long)ifindex);
	if (dev)
		unregister_netdevice(dev);
	rtnl_unlock();
}

static void dev_put_action(void *dev)
{
	dev_put(dev);
}

/*
 * A reference on a device, dropped by put_test_dev() or, if an assertion
 * ends the test first, when it ends: before the device is deleted.
 */
static struct net_device *get_test_dev(struct kunit *test, int ifindex)
{
	struct net_device *dev = dev_get_by_index(&init_net, ifindex);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, dev_put_action, dev));
	return dev;
}

static void put_test_dev(struct kunit *test, struct net_device *dev)
{
	kunit_release_action(test, dev_put_action, dev);
}

/* Creates the test device and returns its ifindex. */
static int create_test_dev(struct kunit *test)
{
	struct net_device *dev;
	int ifindex;

	KUNIT_ASSERT_EQ(test, 0, add_nlmon(test, false));
	dev = dev_get_by_name(&init_net, TEST_DEV);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	ifindex = dev->ifindex;
	dev_put(dev);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, del_test_dev_action,
						  (void *)(long)ifindex));
	return ifindex;
}

static void nlmon_test_validate(struct kunit *test)
{
	struct net_device *dev;

	KUNIT_EXPECT_EQ(test, -EINVAL, add_nlmon(test, true));
	dev = dev_get_by_name(&init_net, TEST_DEV);
	KUNIT_EXPECT_NULL(test, dev);
	if (dev)
		dev_put(dev);
	del_nlmon(test, create_test_dev(test));
}

static void nlmon_test_setup(struct kunit *test)
{
	int ifindex = create_test_dev(test);
	struct net_device *dev = get_test_dev(test, ifindex);

	KUNIT_EXPECT_EQ(test, dev->type, ARPHRD_NETLINK);
	KUNIT_EXPECT_TRUE(test, dev->flags & IFF_NOARP);
	KUNIT_EXPECT_TRUE(test, dev->priv_flags & IFF_NO_QUEUE);
	KUNIT_EXPECT_TRUE(test, dev->lltx);
	KUNIT_EXPECT_EQ(test, dev->features & NLMON_FEATURES, NLMON_FEATURES);
	KUNIT_EXPECT_EQ(test, dev->mtu, NLMSG_GOODSIZE);
	KUNIT_EXPECT_EQ(test, dev->min_mtu, sizeof(struct nlmsghdr));
	KUNIT_EXPECT_EQ(test, dev->max_mtu, 0);
	KUNIT_EXPECT_EQ(test, dev->ethtool_ops->get_link(dev), 1);
	/* Nothing else: ethtool -i and -S are not supported. */
	KUNIT_EXPECT_NULL(test, dev->ethtool_ops->get_drvinfo);
	KUNIT_EXPECT_NULL(test, dev->ethtool_ops->get_ethtool_stats);
	/* Netpoll may use the device, as any other. */
	KUNIT_EXPECT_FALSE(test, dev->priv_flags & IFF_DISABLE_NETPOLL);
	put_test_dev(test, dev);
	del_nlmon(test, ifindex);
}

static void nlmon_test_mtu(struct kunit *test)
{
	int ifindex = create_test_dev(test);

	KUNIT_EXPECT_EQ(test, -EINVAL, set_mtu(test, ifindex, 15));
	KUNIT_EXPECT_EQ(test, 0, set_mtu(test, ifindex, 16));
	KUNIT_EXPECT_EQ(test, 0, set_mtu(test, ifindex, 65535));
	KUNIT_EXPECT_EQ(test, 0, set_mtu(test, ifindex, INT_MAX));
	/* Larger than INT_MAX is negative as the core's int. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			set_mtu(test, ifindex, (u32)INT_MAX + 1));
	KUNIT_EXPECT_EQ(test, -EINVAL, set_mtu(test, ifindex, U32_MAX));
	del_nlmon(test, ifindex);
}

/*
 * What a device received, and what the core dropped on its way to it: a
 * tap left on a down device would not count as received, the core drops
 * what is sent to a down device and counts it in tx_dropped.
 */
struct capture_counts {
	u64 packets, bytes, tx_dropped;
};

static void read_counts(struct net_device *dev, struct capture_counts *c)
{
	struct rtnl_link_stats64 stats;

	dev_get_stats(dev, &stats);
	c->packets = stats.rx_packets;
	c->bytes = stats.rx_bytes;
	c->tx_dropped = stats.tx_dropped;
}

/*
 * ip link show dev IFINDEX: returns the bytes of request plus reply; the
 * reply stays in t->buf.
 */
static int getlink_once(struct nlmon_test *t, int ifindex)
{
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;
	int sent, got;

	skb = nlmsg_new(sizeof(*ifm), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	nlh = nlmsg_put(skb, t->portid, ++t->seq, RTM_GETLINK, sizeof(*ifm),
			NLM_F_REQUEST);
	if (!nlh) {
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	ifm = nlmsg_data(nlh);
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_index = ifindex;
	nlmsg_end(skb, nlh);
	sent = nl_send(t, skb);
	if (sent < 0)
		return sent;
	got = nl_recv(t);
	if (got < 0)
		return got;
	if (((struct nlmsghdr *)t->buf)->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	return sent + got;
}

static int getlink_lo(struct kunit *test)
{
	int bytes = getlink_once(test->priv, LOOPBACK_IFINDEX);

	KUNIT_ASSERT_GT(test, bytes, 0);
	return bytes;
}

/*
 * A packet socket bound to the test device. It gets every frame the device
 * transmits, before nlmon counts it (dev_queue_xmit_nit() in xmit_one()),
 * or counts it as a drop. Other netlink traffic of the namespace
 * (NetworkManager, systemd, another test) is captured too: own counts only
 * the frames of this test's sockets, by port ID.
 */
struct capture {
	struct socket *sock;
	void *buf;
	u64 all, own, own_bytes;
};

static void sock_release_action(void *sock)
{
	sock_release(sock);
}

static struct capture *capture_open(struct kunit *test, int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	struct capture *c;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->buf = kunit_kzalloc(test, RECV_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->buf);
	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_PACKET,
						  SOCK_RAW, htons(ETH_P_ALL),
						  &c->sock));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sock_release_action,
						  c->sock));
	KUNIT_ASSERT_EQ(test, 0,
			kernel_bind(c->sock, (struct sockaddr_unsized *)&sll,
				    sizeof(sll)));
	/* Room for what the concurrent test sends between two drains. */
	sock_set_rcvbuf(c->sock->sk, 8 << 20);
	return c;
}

/*
 * Reads all that @c has captured; route netlink frames from @portids
 * count as own (port IDs are unique per netlink protocol only).
 */
static void capture_drain(struct capture *c, const u32 *portids, int n)
{
	const struct nlmsghdr *nlh = c->buf;
	struct sockaddr_ll sll;
	struct kvec iov;
	struct msghdr msg;
	int len, i;

	for (;;) {
		iov.iov_base = c->buf;
		iov.iov_len = RECV_SIZE;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		/* MSG_TRUNC: the length of the frame, not of the copy. */
		len = kernel_recvmsg(c->sock, &msg, &iov, 1, RECV_SIZE,
				     MSG_DONTWAIT | MSG_TRUNC);
		/* Reported once: the device went down, or was down at bind. */
		if (len == -ENETDOWN)
			continue;
		if (len < 0)
			return;
		c->all++;
		if (len < NLMSG_HDRLEN ||
		    sll.sll_protocol != htons(NETLINK_ROUTE))
			continue;
		for (i = 0; i < n; i++) {
			if (nlh->nlmsg_pid == portids[i]) {
				c->own++;
				c->own_bytes += len;
				break;
			}
		}
	}
}

static void capture_reset(struct capture *c, const u32 *portids, int n)
{
	capture_drain(c, portids, n);
	c->all = 0;
	c->own = 0;
	c->own_bytes = 0;
}

static void nlmon_test_capture(struct kunit *test)
{
	int ifindex = create_test_dev(test);
	struct nlmon_test *t = test->priv;
	struct capture_counts before, after;
	struct net_device *dev;
	struct capture *cap;
	int bytes;

	dev = get_test_dev(test, ifindex);
	cap = capture_open(test, ifindex);

	/* Down: nothing is captured. */
	read_counts(dev, &before);
	getlink_lo(test);
	read_counts(dev, &after);
	KUNIT_EXPECT_EQ(test, after.packets, before.packets);
	KUNIT_EXPECT_EQ(test, after.tx_dropped, before.tx_dropped);

	/*
	 * Up: the request and the reply, each exactly once. The tap delivers
	 * both before the reply reaches us, so they are captured by now.
	 */
	KUNIT_ASSERT_EQ(test, 0, set_up(test, ifindex, true));
	capture_reset(cap, &t->portid, 1);
	read_counts(dev, &before);
	bytes = getlink_lo(test);
	capture_drain(cap, &t->portid, 1);
	read_counts(dev, &after);
	KUNIT_EXPECT_EQ(test, cap->own, 2);
	KUNIT_EXPECT_EQ(test, cap->own_bytes, bytes);
	KUNIT_EXPECT_GE(test, after.packets - before.packets, 2);
	KUNIT_EXPECT_GE(test, after.bytes - before.bytes, bytes);

	/* Down again: the tap is gone. */
	KUNIT_ASSERT_EQ(test, 0, set_up(test, ifindex, false));
	read_counts(dev, &before);
	getlink_lo(test);
	read_counts(dev, &after);
	KUNIT_EXPECT_EQ(test, after.packets, before.packets);
	KUNIT_EXPECT_EQ(test, after.tx_dropped, before.tx_dropped);

	put_test_dev(test, dev);
	del_nlmon(test, ifindex);
}

/*
 * rtnl_fill_stats() hands ndo_get_stats64 a buffer inside the IFLA_STATS64
 * attribute of the reply, which is only 4-byte aligned where unaligned
 * access is cheap. The reply must carry the counters that an aligned
 * buffer gets.
 */
static void nlmon_test_stats_unaligned(struct kunit *test)
{
	int ifindex = create_test_dev(test);
	struct nlmon_test *t = test->priv;
	struct rtnl_link_stats64 aligned, reply;
	struct net_device *dev;
	struct nlattr *stats;
	long offset;

	if (!IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS)) {
		del_nlmon(test, ifindex);
		kunit_skip(test, "the core aligns IFLA_STATS64 here");
	}
	KUNIT_ASSERT_EQ(test, 0, set_up(test, ifindex, true));
	getlink_lo(test);
	KUNIT_ASSERT_EQ(test, 0, set_up(test, ifindex, false));

	KUNIT_ASSERT_GT(test, getlink_once(t, ifindex), 0);
	stats = nlmsg_find_attr(t->buf, sizeof(struct ifinfomsg),
				IFLA_STATS64);
	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_EQ(test, nla_len(stats), (int)sizeof(reply));
	/* The reply starts its skb's data, which is at least 8-byte aligned. */
	offset = (u8 *)nla_data(stats) - (u8 *)t->buf;
	if (offset % sizeof(u64)) {
		kunit_info(test, "IFLA_STATS64 at offset %ld", offset);
	} else {
		del_nlmon(test, ifindex);
		kunit_skip(test, "IFLA_STATS64 lands aligned in this reply");
	}
	memcpy(&reply, nla_data(stats), sizeof(reply));

	dev = get_test_dev(test, ifindex);
	dev_get_stats(dev, &aligned);
	put_test_dev(test, dev);
	KUNIT_EXPECT_GE(test, aligned.rx_packets, 2);
	KUNIT_EXPECT_EQ(test, reply.rx_packets, aligned.rx_packets);
	KUNIT_EXPECT_EQ(test, reply.rx_bytes, aligned.rx_bytes);
	del_nlmon(test, ifindex);
}

#define CONCURRENT_ROUNDS 200

struct capture_worker {
	struct nlmon_test nl;
	struct completion done;
	u64 bytes;
	int err;
};

static int capture_worker_fn(void *data)
{
	struct capture_worker *w = data;
	int i, bytes;

	for (i = 0; !w->err && i < CONCURRENT_ROUNDS; i++) {
		bytes = getlink_once(&w->nl, LOOPBACK_IFINDEX);
		if (bytes < 0)
			w->err = bytes;
		else
			w->bytes += bytes;
	}
	complete(&w->done);
	return 0;
}

static void nl_close_action(void *t)
{
	nl_close(t);
}

/*
 * One worker per online CPU exchanges messages while the device is up: the
 * per-CPU counters must add up exactly, and never go backwards when read
 * meanwhile. The workers' own frames are counted in a capture; and every
 * frame the device counted reached the capture or was dropped there.
 */
static void nlmon_test_capture_concurrent(struct kunit *test)
{
	int ifindex = create_test_dev(test), cpu, n = 0, i;
	u64 expected_bytes = 0, last = 0;
	struct rtnl_link_stats64 stats;
	struct capture_worker *w;
	struct task_struct *task;
	struct net_device *dev;
	bool backwards = false;
	struct capture *cap;
	u32 *portids;
	u64 drops;

	dev = get_test_dev(test, ifindex);
	w = kunit_kcalloc(test, nr_cpu_ids, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	portids = kunit_kcalloc(test, nr_cpu_ids, sizeof(*portids),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, portids);
	for (i = 0; i < nr_cpu_ids; i++) {
		w[i].nl.buf = kunit_kzalloc(test, RECV_SIZE, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, w[i].nl.buf);
		init_completion(&w[i].done);
		KUNIT_ASSERT_EQ(test, 0, nl_open(&w[i].nl));
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, nl_close_action,
							  &w[i].nl));
		portids[i] = w[i].nl.portid;
	}
	/* The device is new: its counters start at 0, the capture with it. */
	cap = capture_open(test, ifindex);
	KUNIT_ASSERT_EQ(test, 0, set_up(test, ifindex, true));

	/* No assertion may abort the test while workers use @w. */
	for_each_online_cpu(cpu) {
		task = kthread_run_on_cpu(capture_worker_fn, &w[n], cpu,
					  "nlmon_kunit/%u");
		if (IS_ERR(task))
			break;
		n++;
	}
	for (i = 0; i < n; i++) {
		while (!wait_for_completion_timeout(&w[i].done,
						    msecs_to_jiffies(5))) {
			dev_get_stats(dev, &stats);
			backwards |= stats.rx_packets < last;
			last = stats.rx_packets;
			capture_drain(cap, portids, n);
		}
	}
	/* Down: the tap is gone once this returns, the counts are final. */
	KUNIT_EXPECT_EQ(test, 0, set_up(test, ifindex, false));
	capture_drain(cap, portids, n);
	dev_get_stats(dev, &stats);

	KUNIT_EXPECT_GT(test, n, 0);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, w[i].err, 0);
		expected_bytes += w[i].bytes;
	}
	KUNIT_EXPECT_FALSE(test, backwards);
	drops = sk_drops_read(cap->sock->sk);
	KUNIT_EXPECT_EQ(test, stats.rx_packets, cap->all + drops);
	/* Frames dropped at the socket may be ours: then only bounds hold. */
	KUNIT_EXPECT_LE(test, cap->own, 2ULL * CONCURRENT_ROUNDS * n);
	KUNIT_EXPECT_GE(test, cap->own + drops, 2ULL * CONCURRENT_ROUNDS * n);
	if (!drops)
		KUNIT_EXPECT_EQ(test, cap->own_bytes, expected_bytes);
	put_test_dev(test, dev);
	del_nlmon(test, ifindex);
}

/* CONFIG_NLMON_DEFAULT_DEVICE made "netlink" at boot. */
static void nlmon_test_default_device(struct kunit *test)
{
	struct net_device *dev;

	if (!IS_ENABLED(CONFIG_NLMON_DEFAULT_DEVICE))
		kunit_skip(test, "CONFIG_NLMON_DEFAULT_DEVICE is off");
	dev = dev_get_by_name(&init_net, "netlink");
	KUNIT_ASSERT_NOT_NULL_MSG(test, dev, "no device netlink");
	KUNIT_EXPECT_EQ(test, dev->type, ARPHRD_NETLINK);
	if (dev->rtnl_link_ops)
		KUNIT_EXPECT_STREQ(test, dev->rtnl_link_ops->kind, "nlmon");
	else
		KUNIT_FAIL(test, "netlink is not a link kind's device");
	dev_put(dev);
}

static struct kunit_case nlmon_test_cases[] = {
	KUNIT_CASE(nlmon_test_validate),
	KUNIT_CASE(nlmon_test_setup),
	KUNIT_CASE(nlmon_test_mtu),
	KUNIT_CASE(nlmon_test_capture),
	KUNIT_CASE(nlmon_test_stats_unaligned),
	KUNIT_CASE_SLOW(nlmon_test_capture_concurrent),
	KUNIT_CASE(nlmon_test_default_device),
	{}
};

static struct kunit_suite nlmon_test_suite = {
	.name = "nlmon",
	.init = nlmon_test_init,
	.exit = nlmon_test_exit,
	.test_cases = nlmon_test_cases,
};

kunit_test_suite(nlmon_test_suite);

MODULE_DESCRIPTION("KUnit tests for the netlink monitoring device");
MODULE_LICENSE("GPL");
