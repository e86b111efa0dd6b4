// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately broken module, for proving once that the stress run's
 * kernel-log scan fails on real problems (harness/stress.sh --prove-scan):
 * at load it leaks a kmalloc'ed buffer and an skb, and WARNs once.
 */
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

static void *stress_leak_buf;

static int __init stress_leak_init(void)
{
	struct sk_buff *skb = alloc_skb(1500, GFP_KERNEL);

	WRITE_ONCE(stress_leak_buf, kmalloc(4096, GFP_KERNEL));
	/* Forget both: nothing references them any more. */
	WRITE_ONCE(stress_leak_buf, NULL);
	if (skb)
		skb_put(skb, 100);
	skb = NULL;
	WARN(1, "stress_leak: a deliberate WARN\n");
	return 0;
}

static void __exit stress_leak_exit(void)
{
}

module_init(stress_leak_init);
module_exit(stress_leak_exit);
MODULE_DESCRIPTION("Deliberate leak and WARN for the nlmon-rs stress harness");
MODULE_LICENSE("GPL");
