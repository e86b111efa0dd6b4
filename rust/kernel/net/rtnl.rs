// SPDX-License-Identifier: GPL-2.0

//! Link kinds for rtnetlink (`ip link add ... type KIND`).
//!
//! A driver implements [`Link`] and declares its module with
//! [`module_rtnl_link!`](crate::module_rtnl_link), which registers the
//! kind at load and unregisters it at unload. Only that macro can register
//! a kind: the registration lives in the module and nowhere else, so it can
//! neither outlive the module (the core would call into freed code) nor be
//! dropped from a callback (which would wait for itself under RTNL).
//!
//! C header: [`include/net/rtnetlink.h`](srctree/include/net/rtnetlink.h)
//!
//! # Examples
//!
//! A kind whose devices free what they are given, and which
//! refuses a hardware address:
//!
//! ```
//! # mod module_rtnl_link_sample {
//! use kernel::net::{
//!     netdev::{self, Device, Xmit},
//!     rtnl::{self, Attrs, LinkAttr},
//!     skbuff::SkBuff,
//! };
//! use kernel::prelude::*;
//!
//! kernel::module_rtnl_link! {
//!     link: Sink,
//!     name: "rust_sink",
//!     authors: ["Rust for Linux Contributors"],
//!     description: "Rust sink device",
//!     license: "GPL",
//!     alias: ["rtnl-link-rustsink"],
//! }
//!
//! struct Sink;
//!
//! #[vtable]
//! impl netdev::Driver for Sink {
//!     fn setup(_dev: &mut netdev::Setup<'_, Self>) {}
//!
//!     fn start_xmit(_dev: &Device<Self, Xmit>, skb: SkBuff) {
//!         skb.consume();
//!     }
//! }
//!
//! #[vtable]
//! impl rtnl::Link for Sink {
//!     const KIND: &'static CStr = c"rustsink";
//!
//!     fn validate(tb: &Attrs<'_>) -> Result {
//!         if tb.contains(LinkAttr::ADDRESS) {
//!             return Err(EINVAL);
//!         }
//!         Ok(())
//!     }
//! }
//! # }
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
    str::as_char_ptr_in_const_context,
    types::Opaque, //
};
use core::{
    marker::PhantomData,
    sync::atomic::{
        AtomicBool,
        Ordering, //
    },
};

/// A link attribute type (`IFLA_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkAttr(usize);

impl LinkAttr {
    /// `IFLA_ADDRESS`: the hardware address.
    pub const ADDRESS: Self = Self(bindings::IFLA_ADDRESS as usize);
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

/// A link kind whose devices are driven by `Self`.
#[vtable]
pub trait Link: Driver {
    /// The kind's name, as in `ip link add ... type KIND`.
    const KIND: &'static CStr;

    /// A device of this kind that a built-in driver creates in the initial
    /// network namespace at boot, down; `None` for none.
    ///
    /// A module never creates a device by itself (`ip link add` loads it on
    /// demand, from any namespace, and wants the device it asked for), so
    /// [`module_rtnl_link!`](crate::module_rtnl_link) refuses to build a
    /// module with a device here.
    const INIT_DEVICE: Option<&'static CStr> = None;

    /// Checks the attributes (`IFLA_*`) of a request that names this kind:
    /// one that creates a link, or one that changes an existing link and
    /// gives its kind. Kinds with attributes of their own
    /// (`IFLA_INFO_DATA`) are not supported yet.
    ///
    /// # Context
    ///
    /// Process context, may sleep; RTNL is not held (the core calls it
    /// before it looks the device up).
    fn validate(_tb: &Attrs<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The `rtnl_link_ops` of kind `T`, for [`module_rtnl_link!`] only.
///
/// The core writes into the table (list linkage, SRCU state), so it lives
/// in a `static` of the module, in writable memory.
///
/// # Invariants
///
/// `registered` is set from before `ops` is registered with
/// `rtnl_link_register()` until after it is unregistered; while it is set,
/// only the core and the one [`Registration`] that set it use `ops`.
///
/// [`module_rtnl_link!`]: crate::module_rtnl_link
#[doc(hidden)]
pub struct LinkOps<T: Link> {
    ops: Opaque<bindings::rtnl_link_ops>,
    registered: AtomicBool,
    _p: PhantomData<T>,
}

// SAFETY: The table is only written by the core, under its own locks, and
// by `Registration`, which `registered` makes exclusive.
unsafe impl<T: Link> Sync for LinkOps<T> {}

impl<T: Link> LinkOps<T> {
    /// The table of kind `T`.
    #[expect(
        clippy::new_without_default,
        reason = "only module_rtnl_link! makes one, for its static"
    )]
    pub const fn new() -> Self {
        Self {
            ops: Opaque::new(bindings::rtnl_link_ops {
                kind: as_char_ptr_in_const_context(T::KIND),
                priv_size: Adapter::<T>::PRIV_SIZE,
                setup: Some(Adapter::<T>::setup),
                validate: if T::HAS_VALIDATE {
                    Some(validate::<T>)
                } else {
                    None
                },
                ..pin_init::zeroed()
            }),
            registered: AtomicBool::new(false),
            _p: PhantomData,
        }
    }
}

/// A registered link kind, kept in the module that
/// [`module_rtnl_link!`](crate::module_rtnl_link) generates.
///
/// Dropping it unregisters the kind, which deletes every device of the kind
/// in every namespace and waits for them (it sleeps, and takes RTNL).
///
/// # Invariants
///
/// `ops` is registered with `rtnl_link_register()`, and `ops.registered`
/// is set while it is.
pub struct Registration<T: Link> {
    ops: &'static LinkOps<T>,
}

impl<T: Link> Registration<T> {
    /// Registers the kind of `ops`; `EBUSY` if it is registered already.
    ///
    /// # Safety
    ///
    /// Only for the module init that [`module_rtnl_link!`] generates: the
    /// result must be kept in the module instance, which the module's exit
    /// drops, and not be moved out of it, leaked or dropped before.
    ///
    /// [`module_rtnl_link!`]: crate::module_rtnl_link
    #[doc(hidden)]
    pub unsafe fn register(ops: &'static LinkOps<T>) -> Result<Self> {
        // Registering a table twice would reinitialise the SRCU state of a
        // registered kind. The flag is set before the kind is registered and
        // cleared only after it is unregistered (in `drop`), so it is set
        // whenever code of the driver can run, and a second call, e.g. to
        // the generated module's `init`, gets `EBUSY`.
        if ops.registered.swap(true, Ordering::Acquire) {
            return Err(EBUSY);
        }
        // INVARIANT: `registered` is set; it is cleared below on failure,
        // or in `drop` after unregistering.
        // SAFETY: `ops` is valid and `'static`; dropping the result
        // unregisters it, and the caller drops it at module exit at the
        // latest.
        let ret = to_result(unsafe { bindings::rtnl_link_register(ops.ops.get()) });
        if let Err(e) = ret {
            ops.registered.store(false, Ordering::Release);
            return Err(e);
        }
        // INVARIANT: Registered, and `registered` is set.
        Ok(Self { ops })
    }

    /// Creates the device [`Link::INIT_DEVICE`], if any, as
    /// `ip link add NAME type KIND` would in the initial namespace.
    ///
    /// The core owns the device; it goes away with `ip link del` or with
    /// the registration.
    ///
    /// # Safety
    ///
    /// Only for the init of a built-in module that
    /// [`module_rtnl_link!`](crate::module_rtnl_link) generates, right
    /// after [`Registration::register`], without RTNL held.
    #[doc(hidden)]
    pub unsafe fn add_init_device(&self) -> Result {
        let Some(name) = T::INIT_DEVICE else {
            return Ok(());
        };
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
        // SAFETY: `dev` is valid and unregistered. The table outlives it:
        // unregistering the kind deletes every device that points to it.
        unsafe { (*dev).rtnl_link_ops = self.ops.ops.get() };
        // SAFETY: `dev` is valid and unregistered; this takes RTNL, which
        // the caller does not hold.
        let ret = to_result(unsafe { bindings::register_netdev(dev) });
        if ret.is_err() {
            // SAFETY: Not registered, so the device is still ours to free.
            unsafe { bindings::free_netdev(dev) };
        }
        ret
    }
}

impl<T: Link> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: Registered (type invariant); unregistered exactly once
        // here. This deletes the kind's devices and waits for the users of
        // the table, so no callback of `T` runs afterwards.
        unsafe { bindings::rtnl_link_unregister(self.ops.ops.get()) };
        self.ops.registered.store(false, Ordering::Release);
    }
}

/// # Safety
///
/// Only for the core to call, as `rtnl_link_ops.validate`, for a request
/// to create or change a link of kind `T`.
unsafe extern "C" fn validate<T: Link>(
    tb: *mut *mut bindings::nlattr,
    _data: *mut *mut bindings::nlattr,
    _extack: *mut bindings::netlink_ext_ack,
) -> c_int {
    // INVARIANT: `rtnl_newlink` passes `tb` with `__IFLA_MAX`
    // (`IFLA_MAX + 1`) entries.
    let tb = Attrs {
        tb: tb.cast_const(),
        len: bindings::__IFLA_MAX as usize,
        _p: PhantomData,
    };
    match T::validate(&tb) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Declares a kernel module whose one link kind is `link`, a type that
/// implements [`Link`].
///
/// The module registers the kind at load and unregisters it, deleting
/// every device of the kind, at unload. A built-in module also creates
/// [`Link::INIT_DEVICE`]; if it cannot, it logs a warning and loads
/// anyway. The other fields are those of [`module!`](crate::prelude::module);
/// give the alias `rtnl-link-KIND` so that `ip link add ... type KIND`
/// loads the module on demand.
///
/// # Examples
///
/// See the [module documentation](self).
#[macro_export]
macro_rules! module_rtnl_link {
    (link: $link:ty, $($f:tt)*) => {
        struct Module {
            _reg: $crate::net::rtnl::Registration<$link>,
        }

        $crate::prelude::module! {
            type: Module,
            $($f)*
        }

        const _: () = {
            ::core::assert!(
                !(::core::cfg!(MODULE)
                    && <$link as $crate::net::rtnl::Link>::INIT_DEVICE.is_some()),
                "a module must not create a device by itself: INIT_DEVICE is for built-in kinds",
            );

            static OPS: $crate::net::rtnl::LinkOps<$link> = $crate::net::rtnl::LinkOps::new();

            impl $crate::Module for Module {
                fn init(_module: &'static $crate::ThisModule) -> $crate::error::Result<Self> {
                    // SAFETY: The registration is kept in the module
                    // instance, which module exit drops.
                    let reg = unsafe { $crate::net::rtnl::Registration::register(&OPS) }?;
                    // SAFETY: Right after registering, in module init,
                    // without RTNL.
                    if let Err(e) = unsafe { reg.add_init_device() } {
                        if let ::core::option::Option::Some(name) =
                            <$link as $crate::net::rtnl::Link>::INIT_DEVICE
                        {
                            // As C's "%pe": the error's name, else its number.
                            if e.name().is_some() {
                                $crate::pr_warn!("cannot create device {}: -{:?}\n", name, e);
                            } else {
                                $crate::pr_warn!(
                                    "cannot create device {}: {}\n",
                                    name,
                                    e.to_errno()
                                );
                            }
                        }
                    }
                    Ok(Module { _reg: reg })
                }
            }
        };
    };
}
