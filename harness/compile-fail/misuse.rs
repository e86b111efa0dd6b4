// SPDX-License-Identifier: GPL-2.0
//! What earlier versions of the abstractions let safe driver code do,
//! written against the current ones. Each line marked `MISUSE` must fail to
//! build; with each replaced by the code after its `OK:`, the module must
//! build (harness/compile-fail.sh).
#![forbid(unsafe_code)]
use kernel::net::{
    netdev::{self, Device, PcpuStatType, Setup, Xmit},
    netlink::{NLMSG_GOODSIZE, NLMSG_HDRLEN},
    rtnl::{self, Attrs},
    skbuff::SkBuff,
};
use kernel::prelude::*;

kernel::module_rtnl_link! {
    link: Misuse,
    name: "nlmon_misuse",
    description: "compile-fail check of the Rust netdev abstractions",
    license: "GPL",
}

struct Misuse;

// A kind's table of the driver's own, to register outside the macro.
#[allow(dead_code)]
static OPS2: rtnl::LinkOps<Misuse> = rtnl::LinkOps::new();

#[vtable]
impl netdev::Driver for Misuse {
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;
    const NETLINK_TAP: bool = true;

    // Private data that owns a registration (its drop waits for itself).
    type Data = KBox<rtnl::Registration<Misuse>>; // MISUSE data_type OK:

    fn setup(dev: &mut Setup<'_, Self>) {
        // Statistics before the core allocated them.
        let _ = dev.lstats_read(); // MISUSE lstats_read_in_setup OK: let _ = &dev;
        // An MTU that the core's int cannot hold.
        dev.set_mtu::<{ u32::MAX }, NLMSG_HDRLEN>(); // MISUSE mtu_over_int_max OK: dev.set_mtu::<NLMSG_GOODSIZE, NLMSG_HDRLEN>();
        // A minimum MTU above the MTU.
        dev.set_mtu::<100, 200>(); // MISUSE mtu_min_above_mtu OK: dev.set_mtu::<200, 100>();
    }

    // A driver's own open, which could create a device or drop a kind
    // under RTNL (a deadlock).
    fn open(_dev: &Device<Self>) -> Result { // MISUSE open_callback OK:
        Ok(()) // MISUSE open_callback OK:
    } // MISUSE open_callback OK:

    // NETDEV_TX_BUSY on a device without queue control.
    fn start_xmit(_dev: &Device<Self, Xmit>, skb: SkBuff) -> Result<(), SkBuff> { // MISUSE start_xmit OK: fn start_xmit(_dev: &Device<Self, Xmit>, skb: SkBuff) {
        Err(skb) // MISUSE start_xmit OK: skb.consume();
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut netdev::LinkStats64<'_>) {
        // Per-CPU statistics updated where the task may change CPU.
        dev.lstats_add(1); // MISUSE lstats_add_outside_xmit OK: let _ = dev;
        // The tap is the abstraction's: a driver cannot reach it.
        let _ = dev.add_netlink_tap(); // MISUSE tap_not_reachable OK: let _ = dev;
        let (packets, bytes) = dev.lstats_read();
        stats.set_rx(packets, bytes);
    }
}

#[vtable]
impl rtnl::Link for Misuse {
    const KIND: &'static CStr = c"misuse";
    // A module that creates a device by itself.
    const INIT_DEVICE: Option<&'static CStr> = Some(c"misuse0"); // MISUSE init_device_in_module OK: const INIT_DEVICE: Option<&'static CStr> = None;

    fn validate(_tb: &Attrs<'_>) -> Result {
        // A registration kept past rmmod (static or forgotten), or made
        // and dropped in a callback.
        core::mem::forget(rtnl::Registration::<Misuse>::register(&OPS2)); // MISUSE register_outside_macro OK:
        // The same in an unsafe block, which the driver forbids.
        core::mem::forget(unsafe { rtnl::Registration::<Misuse>::register(&OPS2) }); // MISUSE register_unsafe OK:
        Ok(())
    }
}
