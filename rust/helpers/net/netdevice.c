// SPDX-License-Identifier: GPL-2.0

#include <linux/netdevice.h>

/* The flags below are bit-fields inside a struct_group of net_device. */
__rust_helper void rust_helper_netdev_add_priv_flags(struct net_device *dev,
						     u32 flags)
{
	dev->priv_flags |= flags;
}

__rust_helper void rust_helper_netdev_set_lltx(struct net_device *dev,
					       bool lltx)
{
	dev->lltx = lltx;
}

__rust_helper void rust_helper_dev_lstats_add(struct net_device *dev,
					      unsigned int len)
{
	dev_lstats_add(dev, len);
}

__rust_helper void *rust_helper_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}
