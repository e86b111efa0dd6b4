// SPDX-License-Identifier: GPL-2.0

//! Netlink taps.
//!
//! While a tap is added, the netlink core clones every netlink message of
//! the device's network namespace to the device's transmit path. Each clone
//! carries the netlink protocol in `skb->protocol` and the direction in
//! `skb->pkt_type` (see [`PacketType`](super::skbuff::PacketType)).
//!
//! C header: [`include/linux/netlink.h`](srctree/include/linux/netlink.h)

use super::{
    netdev::{Driver, RtnlDevice},
    skbuff::SkBuff,
};
use crate::{bindings, error::to_result, prelude::*, types::Opaque};
use core::cell::UnsafeCell;

/// The usual size of a netlink message buffer (`NLMSG_GOODSIZE`).
pub const NLMSG_GOODSIZE: u32 = bindings::NLMSG_GOODSIZE as u32;

/// The size of a netlink message header, `sizeof(struct nlmsghdr)`.
pub const NLMSG_HDRLEN: u32 = size_of::<bindings::nlmsghdr>() as u32;

/// The number of netlink protocol numbers (`MAX_LINKS`): every netlink
/// socket's protocol is below it.
pub const MAX_LINKS: usize = bindings::MAX_LINKS as usize;

/// The netlink protocols whose messages a tap sees (`netlink_filter_tap`),
/// valued as their protocol numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Protocol {
    /// `NETLINK_ROUTE`: rtnetlink.
    Route = bindings::NETLINK_ROUTE as usize,
    /// `NETLINK_USERSOCK`: reserved for user-mode socket protocols.
    Usersock = bindings::NETLINK_USERSOCK as usize,
    /// `NETLINK_FIB_LOOKUP`.
    FibLookup = bindings::NETLINK_FIB_LOOKUP as usize,
    /// `NETLINK_SOCK_DIAG`: socket monitoring.
    SockDiag = bindings::NETLINK_SOCK_DIAG as usize,
    /// `NETLINK_NFLOG`: netfilter logging.
    Nflog = bindings::NETLINK_NFLOG as usize,
    /// `NETLINK_XFRM`: IPsec.
    Xfrm = bindings::NETLINK_XFRM as usize,
    /// `NETLINK_GENERIC`: generic netlink.
    Generic = bindings::NETLINK_GENERIC as usize,
    /// `NETLINK_NETFILTER`: netfilter subsystems.
    Netfilter = bindings::NETLINK_NETFILTER as usize,
}

impl Protocol {
    /// Every protocol the tap lets through.
    pub const ALL: [Self; 8] = [
        Self::Route,
        Self::Usersock,
        Self::FibLookup,
        Self::SockDiag,
        Self::Nflog,
        Self::Xfrm,
        Self::Generic,
        Self::Netfilter,
    ];

    /// Returns the protocol number (`NETLINK_ROUTE`, ...), below
    /// [`MAX_LINKS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use kernel::net::netlink_tap::{Protocol, MAX_LINKS};
    ///
    /// assert_eq!(Protocol::Route.number(), 0);
    /// assert_eq!(Protocol::Generic.number(), 16);
    /// assert!(Protocol::ALL.iter().all(|p| p.number() < MAX_LINKS));
    /// ```
    #[inline]
    pub const fn number(self) -> usize {
        self as usize
    }
}

/// Returns the netlink protocol number of a message copied by a tap, from
/// `skb->protocol`, as an index that costs no branch on the transmit path:
/// below [`MAX_LINKS`] for any netlink protocol (not only the
/// [`Protocol`]s), and [`MAX_LINKS`] for anything else a device may be
/// handed (a packet socket or a route can send any protocol to it).
#[inline]
pub fn protocol_number(skb: &SkBuff) -> usize {
    usize::from(skb.protocol()).min(MAX_LINKS)
}

/// A netlink tap, meant to live pinned in a device's private data.
///
/// Added with [`NetlinkTap::add`] (usually from `open`) and removed with
/// [`NetlinkTap::remove`] (from `stop`). A tap that is still added when it is
/// dropped is removed then, so memory on the tap list is never freed; it
/// cannot move, being pinned. Removing a tap waits for an RCU grace period,
/// so it sleeps, and so does dropping a tap that is still added.
///
/// # Invariants
///
/// - `added` is only accessed under RTNL or with exclusive access.
/// - When `added` is true, `inner` is on the tap list of the namespace of
///   `inner.dev`, holds a reference on `inner.module`, and `inner.dev` is a
///   device of type `ARPHRD_NETLINK` that outlives the tap's time on the list.
#[pin_data(PinnedDrop)]
pub struct NetlinkTap {
    #[pin]
    inner: Opaque<bindings::netlink_tap>,
    added: UnsafeCell<bool>,
    module: &'static ThisModule,
}

// SAFETY: The tap is not tied to a thread; removal may happen anywhere.
unsafe impl Send for NetlinkTap {}

// SAFETY: `&self` methods that change state take an `RtnlDevice`, which
// proves RTNL is held and so serialises them (type invariant).
unsafe impl Sync for NetlinkTap {}

impl NetlinkTap {
    /// Creates a tap that is not added. While it is added it holds a
    /// reference on `module`, normally `&THIS_MODULE` of the driver.
    pub fn new(module: &'static ThisModule) -> impl PinInit<Self> {
        pin_init!(Self {
            inner <- Opaque::uninit(),
            added: UnsafeCell::new(false),
            module,
        })
    }

    /// Returns `true` while the tap is on the list.
    pub fn is_added<T: Driver>(&self, _rtnl: &RtnlDevice<T>) -> bool {
        // SAFETY: RTNL is held (the `RtnlDevice` proves it).
        unsafe { *self.added.get() }
    }

    /// Adds the tap for `dev`, which must be of type
    /// [`HwType::NETLINK`](super::netdev::HwType::NETLINK).
    ///
    /// The tap must live in `dev`'s private data (`EINVAL` otherwise), so that
    /// the device outlives the tap's time on the list. Adding it twice is
    /// `EBUSY`.
    pub fn add<T: Driver>(&self, dev: &RtnlDevice<T>) -> Result {
        // SAFETY: RTNL is held (the `RtnlDevice` proves it).
        let added = unsafe { &mut *self.added.get() };
        if *added {
            return Err(EBUSY);
        }
        // Inside the device's pinned private data, the tap cannot move and
        // cannot outlive the device.
        let data = core::ptr::from_ref(dev.data().get_ref()).addr();
        let this = core::ptr::from_ref(self).addr();
        if this < data || this + size_of::<Self>() > data + size_of::<T>() {
            return Err(EINVAL);
        }
        let tap = self.inner.get();
        // SAFETY: The tap is pinned and not on any list, so we may write it.
        unsafe {
            (*tap).dev = dev.as_raw();
            (*tap).module = self.module.as_ptr();
        }
        // SAFETY: `tap` is initialised; the core checks the device type.
        to_result(unsafe { bindings::netlink_add_tap(tap) })?;
        // INVARIANT: on the list now, holding a module reference.
        *added = true;
        Ok(())
    }

    /// Removes the tap and waits until no CPU still delivers to it. Does
    /// nothing if it is not added.
    pub fn remove<T: Driver>(&self, _rtnl: &RtnlDevice<T>) {
        // SAFETY: RTNL is held (the `RtnlDevice` proves it).
        unsafe { self.remove_locked() };
    }

    /// # Safety
    ///
    /// The caller holds RTNL or has exclusive access to `self`.
    unsafe fn remove_locked(&self) {
        // SAFETY: Serialised as the caller guarantees.
        let added = unsafe { &mut *self.added.get() };
        if *added {
            // SAFETY: The tap is on its list (type invariant); this takes it
            // off, drops the module reference and waits for RCU readers.
            unsafe { bindings::netlink_remove_tap(self.inner.get()) };
            *added = false;
        }
    }
}

#[pinned_drop]
impl PinnedDrop for NetlinkTap {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: `&mut` gives exclusive access.
        unsafe { self.remove_locked() };
    }
}
