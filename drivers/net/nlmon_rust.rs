// SPDX-License-Identifier: GPL-2.0

//! Rust netlink monitoring device (nlmon), the reference twin of `nlmon.c`.
//!
//! While an nlmon device is up it is a netlink tap: the netlink core copies
//! the netlink messages of the device's network namespace to it, so that
//! packet sockets (tcpdump, Wireshark) can capture them. The copies are
//! counted in the device's statistics and freed.
//!
//! Unless `default_device=0` is given, loading the module also creates a
//! device named `netlink` in the initial namespace, down, as the C driver
//! does.

#![forbid(unsafe_code)]

use kernel::{
    net::{
        ethtool,
        netdev::{
            self,
            Feature,
            Flag,
            HwType,
            Open,
            PcpuStatType,
            PrivFlag,
            Registered,
            Setup,
            Xmit, //
        },
        netlink_tap::{
            NetlinkTap,
            NLMSG_GOODSIZE,
            NLMSG_HDRLEN, //
        },
        rtnl::{
            self,
            Attrs,
            ExtAck,
            LinkAttr, //
        },
        skbuff::SkBuff, //
    },
    prelude::*, //
};

module! {
    type: NlmonModule,
    name: "nlmon",
    description: "Netlink monitoring device",
    license: "GPL v2",
    alias: ["rtnl-link-nlmon"],
    params: {
        default_device: bool {
            default: true,
            description: "Create the device \"netlink\" in the initial namespace",
        },
    },
}

/// The driver: the operations of every nlmon device.
struct Nlmon;

/// The private data of one nlmon device.
#[pin_data]
struct NlmonPriv {
    #[pin]
    tap: NetlinkTap,
}

#[vtable]
impl netdev::Driver for Nlmon {
    type Data = NlmonPriv;
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.set_type(HwType::NETLINK);
        dev.add_priv_flags(PrivFlag::NoQueue.into());
        dev.set_lltx(true);
        dev.set_ethtool_ops();
        dev.set_features(Feature::Sg | Feature::FragList | Feature::HighDma);
        dev.set_flags(Flag::NoArp.into());
        // A soft limit: what a netlink message usually fits in.
        dev.set_mtu(NLMSG_GOODSIZE);
        dev.set_min_mtu(NLMSG_HDRLEN);
    }

    fn init() -> impl PinInit<NlmonPriv, Error> {
        try_pin_init!(NlmonPriv {
            tap <- NetlinkTap::new(),
        })
    }

    fn open(dev: &Open<Self>) -> Result {
        // Removed by the abstraction when the device goes down.
        dev.add_netlink_tap(&dev.data().tap)
    }

    fn start_xmit(dev: &Xmit<Self>, skb: SkBuff) {
        dev.lstats_add(skb.len());
        skb.consume();
    }

    fn get_stats64(dev: &Registered<Self>, stats: &mut netdev::LinkStats64<'_>) {
        let (packets, bytes) = dev.lstats_read();
        stats.set_rx(packets, bytes);
    }
}

#[vtable]
impl rtnl::Link for Nlmon {
    const KIND: &'static CStr = c"nlmon";

    fn validate(tb: &Attrs<'_>, _extack: &mut ExtAck<'_>) -> Result {
        if tb.contains(LinkAttr::ADDRESS) {
            return Err(EINVAL);
        }
        Ok(())
    }
}

#[vtable]
impl ethtool::Operations for Nlmon {
    fn get_link(_dev: &Registered<Self>) -> bool {
        true
    }
}

#[pin_data]
struct NlmonModule {
    #[pin]
    link: rtnl::Registration<Nlmon>,
}

impl kernel::InPlaceModule for NlmonModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            link <- rtnl::Registration::new(),
        })
        .pin_chain(|this| {
            if module_parameters::default_device.value() {
                // The device the first nlmon created, before the link kind.
                if let Err(e) = this.link.add_device(c"netlink") {
                    pr_warn!("cannot create device netlink: {}\n", e.to_errno());
                }
            }
            Ok(())
        })
    }
}
