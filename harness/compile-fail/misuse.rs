// SPDX-License-Identifier: GPL-2.0
//! What the first version of the abstractions let safe driver code do,
//! written against the current ones. Each line marked `MISUSE` must fail to
//! build; with each replaced by the code after its `OK:`, the module must
//! build (harness/compile-fail.sh).
#![forbid(unsafe_code)]
use kernel::net::{
    netdev::{self, HwType, Open, PcpuStatType, Registered, RtnlDevice, Setup, Xmit},
    netlink_tap::NetlinkTap,
    rtnl,
    skbuff::SkBuff,
};
use kernel::prelude::*;

module! {
    type: MisuseModule,
    name: "nlmon_misuse",
    description: "compile-fail check of the Rust netdev abstractions",
    license: "GPL",
}

struct Misuse;

#[pin_data]
struct MisuseData {
    #[pin]
    tap: NetlinkTap,
}

#[vtable]
impl netdev::Driver for Misuse {
    type Data = MisuseData;
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;

    fn setup(dev: &mut Setup<'_, Self>) {
        dev.set_type(HwType::NETLINK);
    }

    fn init() -> impl PinInit<MisuseData, Error> {
        try_pin_init!(MisuseData { tap <- NetlinkTap::new() })
    }

    fn uninit(dev: &RtnlDevice<Self>) {
        // Statistics that registration may already have freed.
        let _ = dev.lstats_read(); // MISUSE lstats_read OK: let _ = dev;
    }

    fn open(dev: &Open<Self>) -> Result {
        // The per-CPU statistics updated from preemptible context.
        dev.lstats_add(1); // MISUSE lstats_add OK: dev.add_netlink_tap(&dev.data().tap)?;
        Ok(())
    }

    fn stop(dev: &RtnlDevice<Self>) -> Result {
        // A tap added outside open survives a namespace move.
        dev.add_netlink_tap(&dev.data().tap) // MISUSE add_netlink_tap OK: let _ = dev; Ok(())
    }

    // NETDEV_TX_BUSY on a device without queue control.
    fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) -> Result<(), SkBuff> { // MISUSE start_xmit OK: fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) {
        Err(skb) // MISUSE start_xmit OK: skb.consume();
    }

    fn get_stats64(dev: &Registered<Self>, stats: &mut netdev::LinkStats64<'_>) {
        let (packets, bytes) = dev.lstats_read();
        stats.set_rx(packets, bytes);
    }
}

#[vtable]
impl rtnl::Link for Misuse {
    const KIND: &'static CStr = c"misuse";
}

struct MisuseModule;

impl kernel::Module for MisuseModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(MisuseModule)
    }
}
