// SPDX-License-Identifier: GPL-2.0

//! Link kinds for rtnetlink (`ip link add ... type KIND`).
//!
//! A driver registers its kind with a [`Registration`], which lives pinned
//! in the module. For `ip link add` to load the module on demand, the module
//! declares the alias `rtnl-link-KIND` (`alias: ["rtnl-link-nlmon"]` in
//! `module!`).
//!
//! C header: [`include/net/rtnetlink.h`](srctree/include/net/rtnetlink.h)
//!
//! # Examples
//!
//! A kind whose devices drop everything, and which refuses a hardware
//! address:
//!
//! ```
//! use kernel::net::{
//!     netdev::{self, Flag, HwType, Setup, Xmit},
//!     rtnl::{self, Attrs, ExtAck, LinkAttr},
//!     skbuff::{DropReason, SkBuff},
//! };
//! use kernel::prelude::*;
//!
//! struct Blackhole;
//!
//! #[vtable]
//! impl netdev::Driver for Blackhole {
//!     type Data = ();
//!
//!     fn setup(dev: &mut Setup<'_, Self>) {
//!         dev.set_type(HwType::NONE);
//!         dev.set_flags(Flag::NoArp.into());
//!     }
//!
//!     fn init() -> impl PinInit<(), Error> {
//!         Ok::<_, Error>(())
//!     }
//!
//!     fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) {
//!         skb.drop_reason(DropReason::NotSpecified);
//!     }
//! }
//!
//! #[vtable]
//! impl rtnl::Link for Blackhole {
//!     const KIND: &'static CStr = c"rustblackhole";
//!
//!     fn validate(tb: &Attrs<'_>, extack: &mut ExtAck<'_>) -> Result {
//!         if tb.contains(LinkAttr::ADDRESS) {
//!             extack.set_message(c"no hardware address");
//!             return Err(EINVAL);
//!         }
//!         Ok(())
//!     }
//! }
//!
//! let kind = KBox::pin_init(rtnl::Registration::<Blackhole>::new(), GFP_KERNEL)?;
//! kind.add_device(c"rustbh%d")?;
//! // Unregistering the kind deletes its devices.
//! drop(kind);
//! # Ok::<(), Error>(())
//! ```

use super::netdev::{
    Adapter,
    Driver, //
};
use crate::{
    bindings,
    error::{
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    prelude::*,
    types::Opaque, //
};
use core::marker::PhantomData;

/// A link attribute type (`IFLA_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkAttr(usize);

impl LinkAttr {
    /// `IFLA_ADDRESS`: the hardware address.
    pub const ADDRESS: Self = Self(bindings::IFLA_ADDRESS as usize);
    /// `IFLA_BROADCAST`: the broadcast address.
    pub const BROADCAST: Self = Self(bindings::IFLA_BROADCAST as usize);
    /// `IFLA_MTU`: the MTU.
    pub const MTU: Self = Self(bindings::IFLA_MTU as usize);
}

/// Parsed netlink attributes of an rtnetlink request, indexed by type.
///
/// # Invariants
///
/// `tb` is either null (no attributes) or valid for reads of `len` entries,
/// each null or pointing to a valid attribute, for `'a`.
pub struct Attrs<'a> {
    tb: *const *mut bindings::nlattr,
    len: usize,
    _p: PhantomData<&'a bindings::nlattr>,
}

impl Attrs<'_> {
    /// Returns `true` if the request carries attribute `attr`.
    pub fn contains(&self, attr: LinkAttr) -> bool {
        if self.tb.is_null() || attr.0 >= self.len {
            return false;
        }
        // SAFETY: In bounds of a valid array (type invariant).
        !unsafe { *self.tb.add(attr.0) }.is_null()
    }
}

/// The extended acknowledgment of a request, for error messages.
///
/// # Invariants
///
/// `ptr` is null or a valid `netlink_ext_ack`, exclusively ours for `'a`.
pub struct ExtAck<'a> {
    ptr: *mut bindings::netlink_ext_ack,
    _p: PhantomData<&'a mut bindings::netlink_ext_ack>,
}

impl ExtAck<'_> {
    /// Sets the message user space sees with the error (`NL_SET_ERR_MSG`).
    ///
    /// Like the C macro, this also reports the message to the
    /// `netlink_extack` tracepoint, even when no one asked for an
    /// extended acknowledgment.
    pub fn set_message(&mut self, msg: &'static CStr) {
        // SAFETY: `msg` is a static NUL-terminated string.
        unsafe { bindings::do_trace_netlink_extack(msg.as_char_ptr()) };
        if !self.ptr.is_null() {
            // SAFETY: Valid and exclusive (type invariant); `msg` is static.
            unsafe { (*self.ptr)._msg = msg.as_char_ptr() };
        }
    }
}

/// A link kind whose devices are driven by `Self`.
#[vtable]
pub trait Link: Driver {
    /// The kind's name, as in `ip link add ... type KIND`.
    const KIND: &'static CStr;

    /// Checks the attributes (`IFLA_*`) of a request that names this kind:
    /// one that creates a link, or one that changes an existing link and
    /// gives its kind. Runs before the core looks the device up, without
    /// RTNL. Kinds with attributes of their own (`IFLA_INFO_DATA`) are not
    /// supported yet.
    fn validate(_tb: &Attrs<'_>, _extack: &mut ExtAck<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A registered link kind.
///
/// The core writes into its `rtnl_link_ops` (list linkage, SRCU state), so
/// it cannot be a constant; it lives pinned here instead. Dropping the
/// registration unregisters the kind, which deletes every device of the kind
/// in every namespace, and may sleep.
///
/// # Invariants
///
/// `ops` is registered with `rtnl_link_register` and describes `T`.
#[pin_data(PinnedDrop)]
pub struct Registration<T: Link> {
    #[pin]
    ops: Opaque<bindings::rtnl_link_ops>,
    _p: PhantomData<T>,
}

// SAFETY: The kind can be unregistered from any thread.
unsafe impl<T: Link> Send for Registration<T> {}

// SAFETY: `&self` methods only read `ops` or call thread-safe C functions.
unsafe impl<T: Link> Sync for Registration<T> {}

impl<T: Link> Registration<T> {
    /// Registers the link kind [`Link::KIND`].
    pub fn new() -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            ops <- Opaque::try_ffi_init(|ops: *mut bindings::rtnl_link_ops| {
                // SAFETY: `ops` is valid for writes; all-zero is a valid
                // `rtnl_link_ops` with no callbacks.
                unsafe {
                    ops.write(core::mem::zeroed());
                    (*ops).kind = T::KIND.as_char_ptr();
                    (*ops).priv_size = Adapter::<T>::PRIV_SIZE;
                    (*ops).setup = Some(Adapter::<T>::setup);
                    if T::HAS_VALIDATE {
                        (*ops).validate = Some(Self::validate);
                    }
                }
                // SAFETY: `ops` is initialised and pinned; the drop of `Self`
                // unregisters it before the memory goes away.
                // INVARIANT: registered on success.
                to_result(unsafe { bindings::rtnl_link_register(ops) })
            }),
            _p: PhantomData,
        })
    }

    /// Creates a device of this kind named `name` in the initial network
    /// namespace, as `ip link add NAME type KIND` would.
    ///
    /// The core owns the device; it goes away with `ip link del` or with the
    /// registration.
    ///
    /// Takes RTNL, so the caller must not hold it. A name of `IFNAMSIZ`
    /// bytes or more is `EINVAL`.
    pub fn add_device(&self, name: &CStr) -> Result {
        // `alloc_netdev_mqs()` would BUG() on it.
        if name.to_bytes().len() >= bindings::IFNAMSIZ as usize {
            return Err(EINVAL);
        }
        // SAFETY: `name` is a valid string that fits `dev->name`; the
        // private area is `PRIV_SIZE` (at most `INT_MAX`), as the kind's
        // `priv_size`, which `setup` expects.
        let dev = unsafe {
            bindings::alloc_netdev_mqs(
                Adapter::<T>::PRIV_SIZE as c_int,
                name.as_char_ptr(),
                bindings::NET_NAME_PREDICTABLE as u8,
                Some(Adapter::<T>::setup),
                1,
                1,
            )
        };
        if dev.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `dev` is valid and unregistered. `ops` outlives it: the
        // registration's drop deletes every device that points to it.
        unsafe { (*dev).rtnl_link_ops = self.ops.get() };
        // SAFETY: `dev` is valid and unregistered; this takes RTNL.
        let ret = to_result(unsafe { bindings::register_netdev(dev) });
        if ret.is_err() {
            // SAFETY: Not registered, so the device is still ours to free.
            unsafe { bindings::free_netdev(dev) };
        }
        ret
    }

    /// # Safety
    ///
    /// Only for the core to call, as `rtnl_link_ops.validate`, for a request
    /// to create or change a link of kind `T`.
    unsafe extern "C" fn validate(
        tb: *mut *mut bindings::nlattr,
        _data: *mut *mut bindings::nlattr,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // INVARIANT: `rtnl_newlink` passes `tb` with `__IFLA_MAX`
        // (`IFLA_MAX + 1`) entries.
        let tb = Attrs {
            tb: tb.cast_const(),
            len: bindings::__IFLA_MAX as usize,
            _p: PhantomData,
        };
        // INVARIANT: `extack` is null or valid for the call.
        let mut extack = ExtAck {
            ptr: extack,
            _p: PhantomData,
        };
        match T::validate(&tb, &mut extack) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

#[pinned_drop]
impl<T: Link> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: Registered (type invariant); unregistered exactly once here.
        unsafe { bindings::rtnl_link_unregister(self.ops.get()) };
    }
}
