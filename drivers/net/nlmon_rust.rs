// SPDX-License-Identifier: GPL-2.0

//! Rust netlink monitoring device (nlmon).
//!
//! While an nlmon device is up it is a netlink tap: the netlink core copies
//! every netlink message of the device's network namespace to it, so that
//! packet sockets (tcpdump, Wireshark) can capture them. The copies are
//! counted per CPU and freed.
//!
//! Unless `default_device=0` is given, loading the module also creates a
//! device named `netlink` in the initial namespace, down, as the first nlmon
//! did.

#![forbid(unsafe_code)]

use kernel::{
    module::this_module,
    net::{
        ethtool::{self, DrvInfo},
        netdev::{
            self, Device, Features, Flags, HwType, PcpuStatType, PrivFlags, RtnlDevice, Xmit,
        },
        netlink_tap::{self, NetlinkTap, Protocol, MAX_LINKS, NLMSG_GOODSIZE, NLMSG_HDRLEN},
        rtnl::{self, Attrs, ExtAck, LinkAttr},
        skbuff::{PacketType, SkBuff},
        stats::PerCpuCounters,
    },
    prelude::*,
};

module! {
    type: NlmonModule,
    name: "nlmon",
    description: "Netlink monitoring device (Rust)",
    license: "GPL",
    alias: ["rtnl-link-nlmon"],
    params: {
        default_device: bool {
            default: true,
            description: "Create a device named 'netlink' in the initial namespace at load",
        },
    },
}

/// One counter per protocol number (and one for anything that is not
/// netlink) and direction, indexed straight from the packet: a message
/// costs one per-CPU increment and no branch; the ethtool figures are sums
/// of them.
const NR_COUNTERS: usize = 2 * (MAX_LINKS + 1);

fn counter_index(protocol: usize, to_user: bool) -> usize {
    2 * protocol + usize::from(to_user)
}

#[pin_data]
struct Nlmon {
    #[pin]
    tap: NetlinkTap,
    captured: PerCpuCounters<NR_COUNTERS>,
}

#[vtable]
impl netdev::Driver for Nlmon {
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;
    // Netconsole has no use for a netlink monitor; without netpoll the
    // copies are freed without the context checks.
    const NETPOLL: bool = false;

    fn setup(dev: &mut netdev::Setup<'_, Self>) {
        dev.set_type(HwType::NETLINK);
        dev.set_flags(Flags::NOARP);
        dev.add_priv_flags(PrivFlags::NO_QUEUE);
        dev.set_lltx(true);
        dev.set_features(Features::SG | Features::FRAGLIST | Features::HIGHDMA);
        // A soft limit: what a netlink message usually fits in.
        dev.set_mtu(NLMSG_GOODSIZE, NLMSG_HDRLEN, 0);
        dev.set_ethtool_ops();
    }

    fn init() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            tap <- NetlinkTap::new(this_module::<NlmonModule>()),
            captured: PerCpuCounters::new(GFP_KERNEL)?,
        })
    }

    fn open(dev: &RtnlDevice<Self>) -> Result {
        dev.data().tap.add(dev)
    }

    fn stop(dev: &RtnlDevice<Self>) -> Result {
        dev.data().tap.remove(dev);
        Ok(())
    }

    fn start_xmit(dev: &Xmit<'_, Self>, skb: SkBuff) -> Result<(), netdev::Busy> {
        dev.lstats_add(skb.len());
        let to_user = skb.packet_type() == PacketType::User;
        let index = counter_index(netlink_tap::protocol_number(&skb), to_user);
        dev.data().captured.inc(index);
        dev.consume(skb);
        Ok(())
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut netdev::LinkStats64<'_>) {
        let (packets, bytes) = dev.lstats_read();
        stats.set_rx(packets, bytes);
    }
}

#[vtable]
impl rtnl::Link for Nlmon {
    const KIND: &'static CStr = c"nlmon";

    fn validate(tb: &Attrs<'_>, _data: &Attrs<'_>, _extack: &mut ExtAck<'_>) -> Result {
        // A netlink monitor has no hardware address.
        if tb.contains(LinkAttr::ADDRESS) {
            return Err(EINVAL);
        }
        Ok(())
    }
}

#[vtable]
impl ethtool::Operations for Nlmon {
    const STATS_NAMES: &'static [&'static CStr] = &[
        c"route",
        c"usersock",
        c"fib_lookup",
        c"sock_diag",
        c"nflog",
        c"xfrm",
        c"generic",
        c"netfilter",
        c"to_kernel",
        c"to_user",
    ];

    fn get_link(_dev: &Device<Self>) -> bool {
        true
    }

    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"nlmon");
    }

    fn get_stats(dev: &Device<Self>, stats: &mut [u64]) {
        let counts = dev.data().captured.sum();
        let count = |protocol, to_user| {
            let index = counter_index(protocol, to_user);
            counts.get(index).copied().unwrap_or(0)
        };
        let both = |p: Protocol| count(p.number(), false).wrapping_add(count(p.number(), true));
        // Netlink only: not what else was sent to the device.
        let direction = |to_user| {
            (0..MAX_LINKS)
                .map(|p| count(p, to_user))
                .fold(0, u64::wrapping_add)
        };
        // The names: the tapped protocols, then the directions.
        let protocols = Protocol::ALL.into_iter().map(both);
        let values = Iterator::chain(protocols, [direction(false), direction(true)]);
        for (out, value) in stats.iter_mut().zip(values) {
            *out = value;
        }
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
                if let Err(e) = this.link.add_device(c"netlink") {
                    pr_warn!("cannot create device 'netlink': {:?}\n", e);
                }
            }
            Ok(())
        })
    }
}
