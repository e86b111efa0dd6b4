// SPDX-License-Identifier: GPL-2.0

//! Ethtool operations of network devices.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)
//!
//! # Examples
//!
//! A virtual device whose link is always up, as `ethtool DEV` reports it:
//!
//! ```
//! use kernel::net::{
//!     ethtool,
//!     netdev::{self, Device, Setup, Xmit},
//!     skbuff::SkBuff,
//! };
//! use kernel::prelude::*;
//!
//! struct AlwaysUp;
//!
//! #[vtable]
//! impl netdev::Driver for AlwaysUp {
//!     fn setup(dev: &mut Setup<'_, Self>) {
//!         dev.set_ethtool_ops();
//!     }
//!
//!     fn start_xmit(_dev: &Device<Self, Xmit>, skb: SkBuff) {
//!         skb.consume();
//!     }
//! }
//!
//! #[vtable]
//! impl ethtool::Operations for AlwaysUp {
//!     fn get_link(_dev: &Device<Self>) -> bool {
//!         true
//!     }
//! }
//! ```

use super::netdev::{
    Device,
    Driver, //
};
use crate::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    prelude::*, //
};
use core::marker::PhantomData;

/// Ethtool operations, installed with
/// [`Setup::set_ethtool_ops`](super::netdev::Setup::set_ethtool_ops).
///
/// Ethtool calls them on registered devices.
#[vtable]
pub trait Operations: Driver {
    /// Reports whether the link is up (`get_link`).
    ///
    /// # Context
    ///
    /// Process context, may sleep; RTNL held (ethtool's ioctl and netlink
    /// requests for a device whose ops are not instance-locked).
    fn get_link(_dev: &Device<Self>) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C callbacks of `T`.
pub(crate) struct Adapter<T>(PhantomData<T>);

impl<T: Operations> Adapter<T> {
    const OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_link: if T::HAS_GET_LINK {
            Some(Self::get_link)
        } else {
            None
        },
        ..pin_init::zeroed()
    };

    pub(crate) const fn table() -> &'static bindings::ethtool_ops {
        &Self::OPS
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_link`, on a device of
    /// `T`.
    unsafe extern "C" fn get_link(dev: *mut bindings::net_device) -> u32 {
        // SAFETY: Ethtool calls this on a registered device of `T`.
        u32::from(T::get_link(unsafe { Device::from_raw(dev) }))
    }
}
