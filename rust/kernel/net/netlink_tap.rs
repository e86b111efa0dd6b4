// SPDX-License-Identifier: GPL-2.0

//! Netlink taps.
//!
//! While a device with [`Driver::NETLINK_TAP`](super::netdev::Driver) is
//! up, the netlink core clones the netlink messages of the device's network
//! namespace to its transmit path (those of the protocols
//! `netlink_filter_tap()` lets through, e.g. route and generic netlink).
//! Each clone carries the netlink protocol in `skb->protocol` and the
//! direction in `skb->pkt_type` (`PACKET_KERNEL` or `PACKET_USER`).
//!
//! The tap is the abstraction's: it lies in the device's private area,
//! where no driver code can reach it, is added in `ndo_open` and removed in
//! `ndo_stop`. The core looks a tap up in the namespace its device is in
//! *now* when it removes it, so a tap must come off its list before the
//! device changes namespace, and before its memory is freed: the core
//! closes an up device before it moves or unregisters it.
//!
//! # Invariants
//!
//! The private area of a device with `NETLINK_TAP` holds one
//! `netlink_tap`. It is written only by `add`, while it is on no list,
//! and it is on the tap list of the device's namespace exactly while the
//! device is up:
//! - `ndo_stop` runs only for a device that a successful `ndo_open`
//!   brought up: the callers of `__dev_close_many()` (`netif_close_many()`,
//!   `__dev_change_flags()`) pass it only devices with `IFF_UP`, which
//!   only a successful `__dev_open()` sets (`Setup::set_flags` cannot); a
//!   failed `ndo_open` leaves the tap on no list.
//! - The core never runs `ndo_open` and `ndo_stop` of one device at the
//!   same time: both run under RTNL (`__dev_open()` and
//!   `__dev_close_many()` assert it) and, for a device whose ops are
//!   instance-locked, under its instance lock too. Moving drivers to the
//!   instance lock keeps them serialised.
//! - A device changes namespace only while down
//!   (`__dev_change_net_namespace()` closes it first), and is unregistered
//!   and freed only after it was closed.
//!
//! C header: [`include/linux/netlink.h`](srctree/include/linux/netlink.h)

use crate::{
    bindings,
    module::{
        this_module,
        ModuleMetadata, //
    },
    prelude::*, //
};

/// The size of the private area that holds the tap.
pub(crate) const PRIV_SIZE: usize = {
    // `netdev_priv()` is aligned as `struct net_device` is.
    assert!(align_of::<bindings::netlink_tap>() <= align_of::<bindings::net_device>());
    size_of::<bindings::netlink_tap>()
};

/// Returns the tap of `dev`.
///
/// # Safety
///
/// `dev` must be a valid device with a private area of [`PRIV_SIZE`].
unsafe fn tap(dev: *mut bindings::net_device) -> *mut bindings::netlink_tap {
    // SAFETY: `dev` is valid (caller).
    unsafe { bindings::netdev_priv(dev) }.cast()
}

/// Adds the tap of `dev`, which holds a reference on module `M` while it
/// is added; returns 0 or a negative errno, as `ndo_open`.
///
/// # Safety
///
/// `dev` must be a valid, registered device with a private area of
/// [`PRIV_SIZE`] that is going up, in `ndo_open`.
pub(crate) unsafe fn add<M: ModuleMetadata>(dev: *mut bindings::net_device) -> c_int {
    // SAFETY: As required.
    let tap = unsafe { tap(dev) };
    // SAFETY: The device is down, so the tap is on no list (invariant) and
    // nothing else accesses it. `netlink_add_tap()` checks the type, takes
    // a reference on the module and lists the tap in the device's
    // namespace.
    // INVARIANT: Listed only if the device goes up; `ndo_stop` removes it.
    unsafe {
        (*tap).dev = dev;
        (*tap).module = this_module::<M>().as_ptr();
        bindings::netlink_add_tap(tap)
    }
}

/// Removes the tap of `dev`; returns 0 or a negative errno, as `ndo_stop`.
///
/// # Safety
///
/// `dev` must be a device whose tap [`add`] listed, in `ndo_stop`.
pub(crate) unsafe fn remove(dev: *mut bindings::net_device) -> c_int {
    // SAFETY: The tap is on the list of the device's namespace (invariant);
    // this takes it off, waits for RCU readers and drops the module
    // reference.
    unsafe { bindings::netlink_remove_tap(tap(dev)) }
}
