// SPDX-License-Identifier: GPL-2.0

//! Rust netlink monitoring device (nlmon), the reference twin of `nlmon.c`.
//!
//! While an nlmon device is up it is a netlink tap: the netlink core copies
//! the netlink messages of the device's network namespace to it, so that
//! packet sockets (tcpdump, Wireshark) can capture them. The copies are
//! counted in the device's statistics and freed.
//!
//! With `CONFIG_NLMON_DEFAULT_DEVICE`, the built-in driver also creates a
//! device named `netlink` in the initial namespace at boot, down, as the C
//! driver does.

#![forbid(unsafe_code)]

use kernel::{
    net::{
        ethtool,
        netdev::{
            self,
            Device,
            Feature,
            Flag,
            PcpuStatType,
            PrivFlag,
            Setup,
            Xmit, //
        },
        netlink::{
            NLMSG_GOODSIZE,
            NLMSG_HDRLEN, //
        },
        rtnl::{
            self,
            Attrs,
            LinkAttr, //
        },
        skbuff::SkBuff, //
    },
    prelude::*, //
};

kernel::module_rtnl_link! {
    link: Nlmon,
    name: "nlmon",
    description: "Netlink monitoring device",
    license: "GPL v2",
    alias: ["rtnl-link-nlmon"],
}

/// The driver: the operations of every nlmon device.
struct Nlmon;

#[vtable]
impl netdev::Driver for Nlmon {
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;
    const NETLINK_TAP: bool = true;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.add_priv_flags(PrivFlag::NoQueue.into());
        dev.set_lltx(true);
        dev.set_ethtool_ops();
        dev.set_features(Feature::Sg | Feature::FragList | Feature::HighDma);
        dev.set_flags(Flag::NoArp.into());
        // A soft limit: what a netlink message usually fits in.
        dev.set_mtu::<NLMSG_GOODSIZE, NLMSG_HDRLEN>();
    }

    fn start_xmit(dev: &Device<Self, Xmit>, skb: SkBuff) {
        dev.lstats_add(skb.len());
        skb.consume();
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut netdev::LinkStats64<'_>) {
        let (packets, bytes) = dev.lstats_read();
        stats.set_rx(packets, bytes);
    }
}

#[vtable]
impl rtnl::Link for Nlmon {
    const KIND: &'static CStr = c"nlmon";
    const INIT_DEVICE: Option<&'static CStr> = if cfg!(CONFIG_NLMON_DEFAULT_DEVICE) {
        Some(c"netlink")
    } else {
        None
    };

    fn validate(tb: &Attrs<'_>) -> Result {
        if tb.contains(LinkAttr::ADDRESS) {
            return Err(EINVAL);
        }
        Ok(())
    }
}

#[vtable]
impl ethtool::Operations for Nlmon {
    fn get_link(_dev: &Device<Self>) -> bool {
        true
    }
}
