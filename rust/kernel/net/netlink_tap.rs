// SPDX-License-Identifier: GPL-2.0

//! Netlink taps.
//!
//! While a tap is added, the netlink core clones the netlink messages of
//! the device's network namespace to the device's transmit path (those of
//! the protocols `netlink_filter_tap()` lets through, e.g. route and
//! generic netlink). Each clone
//! carries the netlink protocol in `skb->protocol` and the direction in
//! `skb->pkt_type` (`PACKET_KERNEL` or `PACKET_USER`).
//!
//! The core looks a tap up in the namespace its device is in *now* when it
//! removes it, so a tap must come off its list before the device changes
//! namespace, and before the memory it lies in is freed. The abstraction
//! enforces both: a tap can only be added from [`Driver::open`], into the
//! device's own private data, and the abstraction removes it when the
//! device goes down, which the core always does before it moves or
//! unregisters the device.
//!
//! C header: [`include/linux/netlink.h`](srctree/include/linux/netlink.h)
//!
//! # Examples
//!
//! ```
//! use kernel::net::{
//!     netdev::{self, HwType, Open, Setup, Xmit},
//!     netlink_tap::NetlinkTap,
//!     skbuff::SkBuff,
//! };
//! use kernel::prelude::*;
//!
//! struct Monitor;
//!
//! #[pin_data]
//! struct MonitorData {
//!     #[pin]
//!     tap: NetlinkTap,
//! }
//!
//! #[vtable]
//! impl netdev::Driver for Monitor {
//!     type Data = MonitorData;
//!
//!     fn setup(dev: &mut Setup<'_, Self>) {
//!         dev.set_type(HwType::NETLINK);
//!     }
//!
//!     fn init() -> impl PinInit<MonitorData, Error> {
//!         try_pin_init!(MonitorData {
//!             tap <- NetlinkTap::new(),
//!         })
//!     }
//!
//!     fn open(dev: &Open<Self>) -> Result {
//!         // Removed again by the abstraction when the device goes down.
//!         dev.add_netlink_tap(&dev.data().tap)
//!     }
//!
//!     fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) {
//!         // A copy of a netlink message.
//!         skb.consume();
//!     }
//! }
//! ```

use super::netdev::{
    Driver,
    Open, //
};
use crate::{
    bindings,
    error::to_result,
    module::this_module,
    prelude::*,
    types::Opaque, //
};

/// The usual size of a netlink message buffer (`NLMSG_GOODSIZE`).
pub const NLMSG_GOODSIZE: u32 = bindings::NLMSG_GOODSIZE as u32;

/// The size of a netlink message header, `sizeof(struct nlmsghdr)`.
pub const NLMSG_HDRLEN: u32 = size_of::<bindings::nlmsghdr>() as u32;

/// A netlink tap, meant to live pinned in a device's private data and to
/// be added with [`Open::add_netlink_tap`].
///
/// A tap only ever exists pinned where it was initialised: there is no way
/// to create one by value, so nothing can move it, or overwrite it while
/// it is on a list. The memory it lies in is freed only when the device's
/// private data is dropped, after the tap was removed.
///
/// # Invariants
///
/// `inner` is only written while it is on no tap list: by
/// [`Open::add_netlink_tap`], before it adds it, under RTNL.
#[pin_data]
pub struct NetlinkTap {
    #[pin]
    inner: Opaque<bindings::netlink_tap>,
}

// SAFETY: The tap is not tied to a thread.
unsafe impl Send for NetlinkTap {}

// SAFETY: `&self` offers nothing but the address of the tap; the writes in
// `Open::add_netlink_tap` are serialised by RTNL (type invariant).
unsafe impl Sync for NetlinkTap {}

impl NetlinkTap {
    /// Creates a tap that is not added.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            inner <- Opaque::uninit(),
        })
    }
}

impl<T: Driver> Open<T> {
    /// Adds `tap` for this device until the device goes down.
    ///
    /// The device must be of type
    /// [`HwType::NETLINK`](super::netdev::HwType::NETLINK) (`EINVAL`
    /// otherwise). The tap is also removed if [`Driver::open`] returns an
    /// error.
    ///
    /// `tap` must lie in this device's private data (`EINVAL` otherwise), so
    /// that it lives as long as it is on the list. A device has at most one
    /// tap: adding a second one, or the same one twice, is `EBUSY`. While it
    /// is added the tap holds a reference on the driver's module
    /// ([`Driver::OwnerModule`]), which keeps the transmit path loaded.
    pub fn add_netlink_tap(&self, tap: &NetlinkTap) -> Result {
        // Inside the device's pinned private data, the tap cannot move and
        // cannot be freed before the device is down.
        let data = core::ptr::from_ref(self.data().get_ref()).addr();
        let this = core::ptr::from_ref(tap).addr();
        if this < data || this + size_of::<NetlinkTap>() > data + size_of::<T::Data>() {
            return Err(EINVAL);
        }
        let slot = self.private().netlink_tap.get();
        // SAFETY: RTNL is held (`Open`), which serialises every access to
        // the slot (type invariant of `Priv`).
        if !unsafe { *slot }.is_null() {
            return Err(EBUSY);
        }
        let raw = tap.inner.get();
        // SAFETY: No tap of this device is on a list (the slot is empty), so
        // `raw` is on none and we may write it, serialised by RTNL.
        unsafe {
            (*raw).dev = self.as_raw();
            (*raw).module = this_module::<T::OwnerModule>().as_ptr();
        }
        // SAFETY: `raw` is initialised; the core checks the device type,
        // takes a module reference and adds it to the list of the device's
        // namespace.
        to_result(unsafe { bindings::netlink_add_tap(raw) })?;
        // INVARIANT: On the list of the device's namespace, inside the
        // private data, during `ndo_open`; the adapter removes it in
        // `ndo_stop`, or right after `open` if that fails.
        // SAFETY: As above, under RTNL.
        unsafe { *slot = raw };
        Ok(())
    }
}

#[cfg(CONFIG_RUST_NETDEV_KUNIT_TEST)]
#[macros::kunit_tests(rust_netlink_tap)]
mod tests {
    use super::*;
    use crate::net::{
        netdev::{
            HwType,
            Setup,
            Xmit, //
        },
        rtnl,
        skbuff::SkBuff, //
    };
    use core::sync::atomic::{
        AtomicI32,
        Ordering, //
    };

    /// Brings the device `name` of the initial namespace up, as
    /// `ip link set NAME up` does.
    fn open_device(name: &CStr) -> Result {
        // SAFETY: This thread does not hold RTNL.
        unsafe { bindings::rtnl_lock() };
        // SAFETY: RTNL is held; `init_net` lives forever.
        let dev =
            unsafe { bindings::__dev_get_by_name(&raw mut bindings::init_net, name.as_char_ptr()) };
        let ret = if dev.is_null() {
            Err(ENODEV)
        } else {
            // SAFETY: `dev` is registered and RTNL is held.
            to_result(unsafe { bindings::dev_open(dev, core::ptr::null_mut()) })
        };
        // SAFETY: Taken above.
        unsafe { bindings::rtnl_unlock() };
        ret
    }

    /// What the last `open` of a device of [`Twice`] got from its second
    /// `add_netlink_tap`, and from adding a tap outside its data.
    static SECOND_ADD: AtomicI32 = AtomicI32::new(1);
    static FOREIGN_ADD: AtomicI32 = AtomicI32::new(1);

    /// A driver that tries to add its tap twice, then a tap that is not in
    /// its data, then fails its `open` with the tap still added.
    struct Twice;

    #[pin_data]
    struct TwiceData {
        #[pin]
        tap: NetlinkTap,
    }

    fn errno(r: Result) -> i32 {
        match r {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    #[vtable]
    impl Driver for Twice {
        type Data = TwiceData;

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.set_type(HwType::NETLINK);
        }

        fn init() -> impl PinInit<TwiceData, Error> {
            try_pin_init!(TwiceData {
                tap <- NetlinkTap::new(),
            })
        }

        fn open(dev: &Open<Self>) -> Result {
            dev.add_netlink_tap(&dev.data().tap)?;
            SECOND_ADD.store(
                errno(dev.add_netlink_tap(&dev.data().tap)),
                Ordering::Relaxed,
            );
            let foreign = KBox::pin_init(NetlinkTap::new(), GFP_KERNEL)?;
            FOREIGN_ADD.store(errno(dev.add_netlink_tap(&foreign)), Ordering::Relaxed);
            Err(EAGAIN)
        }

        fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) {
            skb.consume();
        }
    }

    #[vtable]
    impl rtnl::Link for Twice {
        const KIND: &'static CStr = c"rusttap";
    }

    /// A second tap is refused, a tap outside the private data too, and a
    /// failed `open` takes the tap off the list: opening again can add it.
    #[test]
    fn tap_twice_and_failed_open() -> Result {
        let kind = KBox::pin_init(rtnl::Registration::<Twice>::new(), GFP_KERNEL)?;
        kind.add_device(c"rusttap0")?;
        for _ in 0..2 {
            assert_eq!(open_device(c"rusttap0"), Err(EAGAIN));
            assert_eq!(SECOND_ADD.load(Ordering::Relaxed), EBUSY.to_errno());
            assert_eq!(FOREIGN_ADD.load(Ordering::Relaxed), EINVAL.to_errno());
        }
        Ok(())
    }
}
