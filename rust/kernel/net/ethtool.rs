// SPDX-License-Identifier: GPL-2.0

//! Ethtool operations of network devices.
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h)

use super::netdev::{Device, Driver};
use crate::{bindings, error::VTABLE_DEFAULT_ERROR, prelude::*, types::Opaque};
use core::marker::PhantomData;

/// Driver information for `ethtool -i`.
///
/// # Invariants
///
/// Wraps a valid, exclusively borrowed `ethtool_drvinfo`.
#[repr(transparent)]
pub struct DrvInfo(Opaque<bindings::ethtool_drvinfo>);

/// Copies `src` into `dst`, truncated and always NUL-terminated.
fn copy_cstr(dst: &mut [c_char], src: &CStr) {
    let Some(room) = dst.len().checked_sub(1) else {
        return;
    };
    let bytes = src.to_bytes();
    let n = bytes.len().min(room);
    for (d, s) in dst.iter_mut().zip(bytes.iter().take(n)) {
        *d = *s as c_char;
    }
    if let Some(end) = dst.get_mut(n) {
        *end = 0;
    }
}

impl DrvInfo {
    /// Sets the driver name.
    pub fn set_driver(&mut self, name: &CStr) {
        // SAFETY: Exclusive access to a valid struct (type invariant).
        copy_cstr(unsafe { &mut (*self.0.get()).driver }, name);
    }

    /// Sets the driver version.
    pub fn set_version(&mut self, version: &CStr) {
        // SAFETY: Exclusive access to a valid struct (type invariant).
        copy_cstr(unsafe { &mut (*self.0.get()).version }, version);
    }

    /// Sets the bus information.
    pub fn set_bus_info(&mut self, bus: &CStr) {
        // SAFETY: Exclusive access to a valid struct (type invariant).
        copy_cstr(unsafe { &mut (*self.0.get()).bus_info }, bus);
    }
}

/// Ethtool operations, installed with
/// [`Setup::set_ethtool_ops`](super::netdev::Setup::set_ethtool_ops).
///
/// Statistics for `ethtool -S` are described once, by [`STATS_NAMES`], so
/// their count, names and values cannot disagree.
///
/// [`STATS_NAMES`]: Operations::STATS_NAMES
#[vtable]
pub trait Operations: Driver {
    /// The names of the values [`Operations::get_stats`] reports, each
    /// shorter than `ETH_GSTRING_LEN` (32) bytes.
    const STATS_NAMES: &'static [&'static CStr] = &[];

    /// Reports whether the link is up (`get_link`).
    fn get_link(_dev: &Device<Self>) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills in driver information (`get_drvinfo`).
    fn get_drvinfo(_dev: &Device<Self>, _info: &mut DrvInfo) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes the statistics named by [`Operations::STATS_NAMES`] into
    /// `stats`, one value per name, in the same order.
    fn get_stats(_dev: &Device<Self>, _stats: &mut [u64]) {
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
        get_drvinfo: if T::HAS_GET_DRVINFO {
            Some(Self::get_drvinfo)
        } else {
            None
        },
        get_sset_count: if T::HAS_GET_STATS {
            Some(Self::get_sset_count)
        } else {
            None
        },
        get_strings: if T::HAS_GET_STATS {
            Some(Self::get_strings)
        } else {
            None
        },
        get_ethtool_stats: if T::HAS_GET_STATS {
            Some(Self::get_ethtool_stats)
        } else {
            None
        },
        // SAFETY: All-zero is a valid `ethtool_ops`: no callbacks, no caps.
        ..unsafe { core::mem::zeroed() }
    };

    pub(crate) const fn table() -> &'static bindings::ethtool_ops {
        &Self::OPS
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_link`, on a device of `T`.
    unsafe extern "C" fn get_link(dev: *mut bindings::net_device) -> u32 {
        // SAFETY: Ethtool calls this on a registered device of `T`.
        u32::from(T::get_link(unsafe { Device::from_raw(dev) }))
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_drvinfo`, on a device of `T`.
    unsafe extern "C" fn get_drvinfo(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: `info` is valid and ours for the call; `DrvInfo` is a
        // transparent wrapper of it.
        let info = unsafe { &mut *info.cast::<DrvInfo>() };
        // SAFETY: Ethtool calls this on a registered device of `T`.
        T::get_drvinfo(unsafe { Device::from_raw(dev) }, info);
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_sset_count`, on a device of `T`.
    unsafe extern "C" fn get_sset_count(_dev: *mut bindings::net_device, sset: c_int) -> c_int {
        if sset == bindings::ethtool_stringset_ETH_SS_STATS as c_int {
            T::STATS_NAMES.len() as c_int
        } else {
            EOPNOTSUPP.to_errno()
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_strings`, on a device of `T`.
    unsafe extern "C" fn get_strings(_dev: *mut bindings::net_device, sset: u32, data: *mut u8) {
        if sset != bindings::ethtool_stringset_ETH_SS_STATS {
            return;
        }
        let mut cursor = data;
        for name in T::STATS_NAMES {
            // SAFETY: Ethtool sized `data` for `get_sset_count` strings of
            // `ETH_GSTRING_LEN` bytes; `ethtool_puts` pads and advances.
            unsafe { bindings::ethtool_puts(&mut cursor, name.as_char_ptr()) };
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `ethtool_ops.get_ethtool_stats`, on a device of `T`.
    unsafe extern "C" fn get_ethtool_stats(
        dev: *mut bindings::net_device,
        _stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: Ethtool sized `data` for `get_sset_count` values.
        let values = unsafe { core::slice::from_raw_parts_mut(data, T::STATS_NAMES.len()) };
        values.fill(0);
        // SAFETY: Ethtool calls this on a registered device of `T`.
        T::get_stats(unsafe { Device::from_raw(dev) }, values);
    }
}
