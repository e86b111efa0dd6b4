// SPDX-License-Identifier: GPL-2.0

//! Network devices.
//!
//! A driver describes its devices with a type that implements [`Driver`]:
//! its methods become the devices' `net_device_ops`, and its associated
//! type [`Driver::Data`] is the private data of each device
//! (`netdev_priv`). Devices are created through an
//! [`rtnl::Registration`](super::rtnl::Registration) of a link kind.
//!
//! The private data is initialised in place by [`Driver::init`] when the
//! device is registered (`ndo_init`) and dropped when the core is done with
//! the device (`priv_destructor`), so it is valid in every other callback.
//!
//! Each callback receives a view of the device that offers only what is
//! valid in the context the core calls it in: [`RtnlDevice`] while RTNL is
//! held, [`Open`] in `ndo_open`, [`Xmit`] in `ndo_start_xmit`, and
//! [`Registered`] where the core-managed statistics exist.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)
//!
//! # Examples
//!
//! A software device that only counts and frees what it is given, in the
//! shape of `dummy`: its private data is a number fixed at creation.
//!
//! ```
//! use kernel::net::{
//!     netdev::{self, Feature, Flag, HwType, PcpuStatType, PrivFlag, Registered, Setup, Xmit},
//!     rtnl,
//!     skbuff::SkBuff,
//! };
//! use kernel::prelude::*;
//!
//! struct Sink;
//!
//! struct SinkData {
//!     id: u32,
//! }
//!
//! #[vtable]
//! impl netdev::Driver for Sink {
//!     type Data = SinkData;
//!     const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;
//!
//!     fn setup(dev: &mut Setup<'_, Self>) {
//!         dev.set_type(HwType::NONE);
//!         dev.set_flags(Flag::NoArp.into());
//!         dev.add_priv_flags(PrivFlag::NoQueue.into());
//!         dev.set_lltx(true);
//!         dev.set_features(Feature::Sg | Feature::HighDma);
//!         dev.set_mtu(1500);
//!         dev.set_min_mtu(68);
//!         dev.set_max_mtu(65535);
//!     }
//!
//!     fn init() -> impl PinInit<SinkData, Error> {
//!         Ok::<_, Error>(SinkData { id: 7 })
//!     }
//!
//!     fn start_xmit(dev: &Xmit<Self>, skb: SkBuff) {
//!         dev.lstats_add(skb.len());
//!         skb.consume();
//!     }
//!
//!     fn get_stats64(dev: &Registered<Self>, stats: &mut netdev::LinkStats64<'_>) {
//!         let (packets, bytes) = dev.lstats_read();
//!         stats.set_tx(packets, bytes);
//!     }
//! }
//!
//! #[vtable]
//! impl rtnl::Link for Sink {
//!     const KIND: &'static CStr = c"rustsink";
//! }
//!
//! // Registering the kind makes `ip link add NAME type rustsink` work; the
//! // kind and all its devices go away with the registration.
//! let kind = KBox::pin_init(rtnl::Registration::<Sink>::new(), GFP_KERNEL)?;
//! drop(kind);
//! # let _ = |dev: &netdev::Device<Sink>| dev.data().id;
//! # Ok::<(), Error>(())
//! ```

use super::skbuff::SkBuff;
use crate::{
    bindings,
    error::{
        from_result,
        to_result,
        VTABLE_DEFAULT_ERROR, //
    },
    impl_flags,
    prelude::*, //
};
use core::{
    cell::UnsafeCell,
    marker::PhantomData,
    ops::Deref,
    ptr::NonNull, //
};

/// What the private area of a device of `T` holds: the bookkeeping of the
/// abstraction, then the driver's data.
///
/// # Invariants
///
/// `netlink_tap` is only accessed under RTNL. It is null, or the tap that
/// [`Open::add_netlink_tap`] put on the tap list of the device's namespace
/// during the current `ndo_open`, which lies inside `data` and stays on the
/// list until the adapter removes it in `ndo_stop` (or when `ndo_open`
/// fails).
#[repr(C)]
#[pin_data]
pub(crate) struct Priv<T: Driver> {
    pub(crate) netlink_tap: UnsafeCell<*mut bindings::netlink_tap>,
    #[pin]
    data: T::Data,
}

/// Returns the private area of `dev` (`netdev_priv`).
///
/// # Safety
///
/// `dev` must point to a valid `net_device`.
#[inline]
unsafe fn priv_ptr<T: Driver>(dev: *mut bindings::net_device) -> *mut Priv<T> {
    // SAFETY: `dev` is valid (caller).
    unsafe { bindings::netdev_priv(dev) }.cast()
}

/// A network device of driver `T`.
///
/// Callbacks that the core may run concurrently with anything else get a
/// `&Device<T>`; it offers only what is safe then.
///
/// # Invariants
///
/// A `&Device<T>` only exists while the `net_device` is valid and its
/// private area holds an initialised, pinned `Priv<T>`.
#[repr(transparent)]
pub struct Device<T>(crate::types::Opaque<bindings::net_device>, PhantomData<T>);

impl<T: Driver> Device<T> {
    /// Returns the raw `net_device`.
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// Returns the bookkeeping and data of the device.
    pub(crate) fn private(&self) -> &Priv<T> {
        // SAFETY: By the type invariant the private area holds an
        // initialised `Priv<T>` for as long as `self` lives.
        unsafe { &*priv_ptr::<T>(self.as_raw()) }
    }

    /// Returns the device's private data.
    #[inline]
    pub fn data(&self) -> Pin<&T::Data> {
        // SAFETY: The data stays pinned in the device until it is dropped
        // (type invariant of `Device`).
        unsafe { Pin::new_unchecked(&self.private().data) }
    }
}

/// Defines a view of [`Device`] that adds guarantees about the context: a
/// transparent wrapper that dereferences to the view it extends.
macro_rules! device_view {
    ($(#[$meta:meta])* $name:ident => $target:ident) => {
        $(#[$meta])*
        #[repr(transparent)]
        pub struct $name<T>($target<T>);

        impl<T> Deref for $name<T> {
            type Target = $target<T>;

            fn deref(&self) -> &$target<T> {
                &self.0
            }
        }

        impl<T: Driver> $name<T> {
            /// Creates a reference to the device at `ptr`.
            ///
            /// # Safety
            ///
            /// `ptr` must satisfy the type invariants of `Self` for `'a`.
            pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
                // SAFETY: `Self` is a transparent wrapper of `net_device`,
                // and the caller guarantees the invariants.
                unsafe { &*ptr.cast() }
            }
        }
    };
}

device_view!(
    /// A network device while the caller holds RTNL.
    ///
    /// The administrative callbacks (`uninit`, `open`, `stop`) run under
    /// RTNL, which serialises them against each other.
    ///
    /// # Invariants
    ///
    /// As for [`Device`], and RTNL is held while the reference lives.
    RtnlDevice => Device
);

device_view!(
    /// A registered network device: the per-CPU statistics that the core
    /// manages for it ([`Driver::PCPU_STAT_TYPE`]) are allocated.
    ///
    /// The core allocates them after `ndo_init`, and frees them before
    /// `ndo_uninit` when registration fails late, so `init` and `uninit`
    /// never see this type.
    ///
    /// # Invariants
    ///
    /// As for [`Device`], and the core-managed per-CPU statistics of the
    /// device are allocated while the reference lives.
    Registered => Device
);

impl<T: Driver> Registered<T> {
    /// Returns the packets and bytes counted by [`Xmit::lstats_add`],
    /// summed over all CPUs.
    ///
    /// Only for drivers whose
    /// [`Driver::PCPU_STAT_TYPE`] is [`PcpuStatType::Lstats`]; anything else
    /// fails to build.
    pub fn lstats_read(&self) -> (u64, u64) {
        const { assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats)) };
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: The lstats are allocated (type invariant and the check
        // above); `dev_lstats_read` sums them in any context.
        unsafe { bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes) };
        (packets, bytes)
    }
}

device_view!(
    /// The device in [`Driver::open`]: RTNL is held and the device is being
    /// brought up.
    ///
    /// What is added through it (a netlink tap, see
    /// [`Open::add_netlink_tap`](Open::add_netlink_tap)) is removed by the
    /// abstraction when the device goes down or when `open` fails, so it can
    /// never outlive the device's time up in one network namespace.
    ///
    /// # Invariants
    ///
    /// As for [`RtnlDevice`], and the reference is only handed to
    /// [`Driver::open`], for the call.
    Open => RtnlDevice
);

device_view!(
    /// The device in [`Driver::start_xmit`].
    ///
    /// # Invariants
    ///
    /// As for [`Registered`], the reference is only handed to
    /// [`Driver::start_xmit`], for one call, which runs with bottom halves
    /// disabled on this CPU (e.g. under `rcu_read_lock_bh()` in
    /// `__dev_queue_xmit()`, `local_bh_disable()` in `__dev_direct_xmit()`)
    /// or with hard interrupts disabled (netpoll).
    Xmit => Registered
);

impl<T: Driver> Xmit<T> {
    /// Accounts one packet of `len` bytes in the core-managed per-CPU
    /// lstats (`dev_lstats_add`).
    ///
    /// Only for drivers whose
    /// [`Driver::PCPU_STAT_TYPE`] is [`PcpuStatType::Lstats`]; anything else
    /// fails to build.
    #[inline]
    pub fn lstats_add(&self, len: u32) {
        const { assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats)) };
        // SAFETY: The lstats are allocated (type invariant of `Registered`
        // and the check above), and bottom halves or hard interrupts are
        // disabled on this CPU (type invariant), so the task stays on the
        // CPU whose copy it updates (on PREEMPT_RT, BH-disabled sections are
        // serialised per CPU and migration is disabled). A netpoll transmit
        // from hard-interrupt context can still interrupt an update of an
        // `lltx` device (no queue lock serialises them). On 32-bit, where
        // `u64_stats_t` is a plain `u64`, the counters may then be wrong, as
        // with `dev_lstats_add()` in C drivers; no memory is accessed out of
        // bounds or after it is freed.
        unsafe { bindings::dev_lstats_add(self.as_raw(), len) };
    }
}

/// The interface statistics reported by [`Driver::get_stats64`]: write
/// access to the core's buffer, which the core has zeroed.
///
/// That buffer may sit in an `IFLA_STATS64` attribute, which is only 4-byte
/// aligned on architectures with cheap unaligned access, so no reference
/// to it is ever made: each field is written unaligned.
///
/// # Invariants
///
/// `ptr` is valid for writes of a `rtnl_link_stats64`, not necessarily
/// aligned, for `'a`.
pub struct LinkStats64<'a> {
    ptr: *mut bindings::rtnl_link_stats64,
    _p: PhantomData<&'a mut bindings::rtnl_link_stats64>,
}

impl LinkStats64<'_> {
    /// Sets the received packets and bytes.
    pub fn set_rx(&mut self, packets: u64, bytes: u64) {
        // SAFETY: `ptr` is valid for writes (type invariant); the field
        // addresses are taken without a reference and written unaligned.
        unsafe {
            (&raw mut (*self.ptr).rx_packets).write_unaligned(packets);
            (&raw mut (*self.ptr).rx_bytes).write_unaligned(bytes);
        }
    }

    /// Sets the transmitted packets and bytes.
    pub fn set_tx(&mut self, packets: u64, bytes: u64) {
        // SAFETY: As in `set_rx`.
        unsafe {
            (&raw mut (*self.ptr).tx_packets).write_unaligned(packets);
            (&raw mut (*self.ptr).tx_bytes).write_unaligned(bytes);
        }
    }
}

/// A network device driver: the `net_device_ops` of its devices and the
/// type of their private data.
///
/// Methods that are not implemented leave the C pointer `NULL`, so that the
/// core's default applies.
#[vtable]
pub trait Driver: Sized + 'static {
    /// The private data of each device.
    type Data: Send + Sync;

    /// The per-CPU statistics the core keeps for each device.
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::None;

    /// Configures a newly allocated device (`rtnl_link_ops.setup`).
    ///
    /// The private data does not exist yet.
    fn setup(dev: &mut Setup<'_, Self>);

    /// Initialises the private data in place (`ndo_init`), under RTNL.
    fn init() -> impl PinInit<Self::Data, Error>;

    /// Called under RTNL when the device is unregistered, or when its
    /// registration fails after [`Driver::init`] (`ndo_uninit`).
    fn uninit(_dev: &RtnlDevice<Self>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Brings the device up (`ndo_open`), under RTNL.
    fn open(_dev: &Open<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Takes the device down (`ndo_stop`), under RTNL, after the
    /// abstraction removed what [`Driver::open`] added through [`Open`].
    fn stop(_dev: &RtnlDevice<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits `skb` (`ndo_start_xmit`); the driver owns it now and must
    /// hand it on or free it.
    ///
    /// For a device with [`Setup::set_lltx`] this may run on several CPUs
    /// at once, hence the shared access. The core calls it with bottom
    /// halves disabled, and netpoll, or a device stacked on this one that
    /// transmits from netpoll, with hard interrupts disabled: free `skb`
    /// with [`SkBuff::consume`] or [`SkBuff::drop_reason`], which are
    /// correct in both.
    fn start_xmit(dev: &Xmit<Self>, skb: SkBuff);

    /// Reports the interface statistics (`ndo_get_stats64`).
    ///
    /// Called without locks and possibly in atomic context (e.g. under
    /// `rcu_read_lock()` for `/proc/net/dev`): it must not sleep.
    fn get_stats64(_dev: &Registered<Self>, _stats: &mut LinkStats64<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A device being configured in [`Driver::setup`], before anyone else can
/// see it.
///
/// # Invariants
///
/// `ptr` is a valid `net_device` that is not yet registered, so the holder
/// has exclusive access to it.
pub struct Setup<'a, T> {
    ptr: NonNull<bindings::net_device>,
    _p: PhantomData<(&'a mut bindings::net_device, T)>,
}

/// Device type (`dev->type`), an `ARPHRD_*` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HwType(u16);

impl HwType {
    /// `ARPHRD_NETLINK`: a netlink monitor.
    pub const NETLINK: Self = Self(bindings::ARPHRD_NETLINK as u16);
    /// `ARPHRD_NONE`: no link-layer header.
    pub const NONE: Self = Self(bindings::ARPHRD_NONE as u16);
}

impl_flags!(
    /// Interface flags (`IFF_*` of `dev->flags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Flags(u32);

    /// One interface flag.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Flag {
        /// `IFF_NOARP`: the device does not use ARP.
        NoArp = bindings::net_device_flags_IFF_NOARP,
    }
);

impl_flags!(
    /// Private interface flags (`IFF_*` of `dev->priv_flags`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct PrivFlags(u32);

    /// One private interface flag.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum PrivFlag {
        /// `IFF_NO_QUEUE`: the device needs no qdisc.
        NoQueue = bindings::netdev_priv_flags_IFF_NO_QUEUE,
    }
);

impl_flags!(
    /// Device features (`NETIF_F_*`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Features(u64);

    /// One device feature.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Feature {
        /// `NETIF_F_SG`: scatter/gather.
        Sg = 1 << bindings::NETIF_F_SG_BIT,
        /// `NETIF_F_FRAGLIST`: fragment lists.
        FragList = 1 << bindings::NETIF_F_FRAGLIST_BIT,
        /// `NETIF_F_HIGHDMA`: DMA to high memory.
        HighDma = 1 << bindings::NETIF_F_HIGHDMA_BIT,
    }
);

/// Per-CPU statistics the core allocates and frees for each device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PcpuStatType {
    /// None: the driver keeps its own, if any.
    None,
    /// Packets and bytes (`struct pcpu_lstats`), counted with
    /// [`Xmit::lstats_add`] and read with [`Registered::lstats_read`].
    Lstats,
}

impl<T: Driver> Setup<'_, T> {
    fn raw(&mut self) -> *mut bindings::net_device {
        self.ptr.as_ptr()
    }

    /// Sets the device type.
    pub fn set_type(&mut self, hw: HwType) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).type_ = hw.0 };
    }

    /// Replaces the interface flags.
    pub fn set_flags(&mut self, flags: Flags) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).flags = flags.into() };
    }

    /// Adds private flags.
    pub fn add_priv_flags(&mut self, flags: PrivFlags) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { bindings::netdev_add_priv_flags(self.raw(), flags.into()) };
    }

    /// Replaces the device features.
    pub fn set_features(&mut self, features: Features) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).features = features.into() };
    }

    /// Declares that [`Driver::start_xmit`] needs no transmit lock, so the
    /// core may call it on several CPUs at once.
    pub fn set_lltx(&mut self, lltx: bool) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { bindings::netdev_set_lltx(self.raw(), lltx) };
    }

    /// Sets the initial MTU.
    pub fn set_mtu(&mut self, mtu: u32) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).mtu = mtu };
    }

    /// Sets the smallest MTU the core accepts in later changes.
    pub fn set_min_mtu(&mut self, min_mtu: u32) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).min_mtu = min_mtu };
    }

    /// Sets the largest MTU the core accepts in later changes; 0, the
    /// default, means `INT_MAX`.
    pub fn set_max_mtu(&mut self, max_mtu: u32) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).max_mtu = max_mtu };
    }

    /// Installs the ethtool operations of `T`.
    pub fn set_ethtool_ops(&mut self)
    where
        T: super::ethtool::Operations,
    {
        // SAFETY: Exclusive access to a valid device (type invariant); the
        // table is a `'static` constant.
        unsafe { (*self.raw()).ethtool_ops = super::ethtool::Adapter::<T>::table() };
    }
}

/// The C callbacks of `T`.
pub(crate) struct Adapter<T>(PhantomData<T>);

impl<T: Driver> Adapter<T> {
    const OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_init: Some(Self::ndo_init),
        ndo_uninit: if T::HAS_UNINIT {
            Some(Self::ndo_uninit)
        } else {
            None
        },
        ndo_open: if T::HAS_OPEN {
            Some(Self::ndo_open)
        } else {
            None
        },
        // What `open` added is removed in `ndo_stop`.
        ndo_stop: if T::HAS_OPEN || T::HAS_STOP {
            Some(Self::ndo_stop)
        } else {
            None
        },
        ndo_start_xmit: Some(Self::ndo_start_xmit),
        ndo_get_stats64: if T::HAS_GET_STATS64 {
            Some(Self::ndo_get_stats64)
        } else {
            None
        },
        // SAFETY: All-zero is a valid `net_device_ops`: every callback `None`.
        ..unsafe { core::mem::zeroed() }
    };

    /// The size of the private area of a device of `T`.
    pub(crate) const PRIV_SIZE: usize = {
        // `net_device.priv` is `____cacheline_aligned` and the device is
        // allocated aligned for its type.
        assert!(
            align_of::<Priv<T>>() <= align_of::<bindings::net_device>(),
            "private data is aligned as `struct net_device` only"
        );
        // `alloc_netdev_mqs()` takes the size as an `int`.
        assert!(
            size_of::<Priv<T>>() <= i32::MAX as usize,
            "private data too large"
        );
        size_of::<Priv<T>>()
    };

    /// The `rtnl_link_ops.setup` callback: the driver's configuration, then
    /// what every device of the abstraction needs.
    ///
    /// # Safety
    ///
    /// `dev` must be a valid, freshly allocated `net_device` with
    /// [`Self::PRIV_SIZE`] bytes of private area.
    pub(crate) unsafe extern "C" fn setup(dev: *mut bindings::net_device) {
        let Some(ptr) = NonNull::new(dev) else {
            return;
        };
        // INVARIANT: Freshly allocated, so exclusively ours.
        let mut setup = Setup::<T> {
            ptr,
            _p: PhantomData,
        };
        T::setup(&mut setup);
        let stat_type = match T::PCPU_STAT_TYPE {
            PcpuStatType::None => bindings::netdev_stat_type_NETDEV_PCPU_STAT_NONE,
            PcpuStatType::Lstats => bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS,
        };
        // SAFETY: The device is valid and not yet visible to anyone else.
        // The core allocates the chosen per-CPU stats at registration, and
        // frees the device itself after `priv_destructor` drops the data.
        unsafe {
            (*dev).set_pcpu_stat_type(stat_type);
            (*dev).netdev_ops = &Self::OPS;
            (*dev).needs_free_netdev = true;
            (*dev).priv_destructor = Some(Self::priv_destructor);
        }
    }

    fn init_priv() -> impl PinInit<Priv<T>, Error> {
        try_pin_init!(Priv {
            netlink_tap: UnsafeCell::new(core::ptr::null_mut()),
            data <- T::init(),
        })
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_init`, on a device
    /// set up by [`Self::setup`].
    unsafe extern "C" fn ndo_init(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: A valid device whose private area was sized and aligned
        // for `Priv<T>` (`PRIV_SIZE`).
        let slot = unsafe { priv_ptr::<T>(dev) };
        // SAFETY: `slot` is valid and pinned in the device. On success the
        // core calls `priv_destructor` exactly once, also when registration
        // fails later; on failure it never does, and the initialiser left
        // nothing to drop.
        match unsafe { pin_init::raw_try_init(slot, Self::init_priv()) } {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device.priv_destructor`, on a
    /// device of `T`.
    unsafe extern "C" fn priv_destructor(dev: *mut bindings::net_device) {
        // SAFETY: Only called after a successful `ndo_init`, exactly once,
        // when no other reference to the private data remains; the device
        // is down, so no netlink tap points into the data.
        unsafe { core::ptr::drop_in_place(priv_ptr::<T>(dev)) };
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_uninit`, on a
    /// device of `T`.
    unsafe extern "C" fn ndo_uninit(dev: *mut bindings::net_device) {
        // SAFETY: Called under RTNL with initialised private data.
        T::uninit(unsafe { RtnlDevice::from_raw(dev) });
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_open`, on a
    /// registered device of `T`.
    unsafe extern "C" fn ndo_open(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called under RTNL with initialised private data; the
        // reference is only handed to `open`.
        let open = unsafe { Open::<T>::from_raw(dev) };
        let ret = T::open(open);
        if ret.is_err() {
            // The device stays down: undo what `open` added. The error of
            // `open` is the one to report.
            let _ = Self::remove_netlink_tap(open);
        }
        from_result(|| ret.map(|()| 0))
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_stop`, on a device
    /// of `T` that is up.
    unsafe extern "C" fn ndo_stop(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called under RTNL with initialised private data.
        let rtnl = unsafe { RtnlDevice::<T>::from_raw(dev) };
        // Before the device can change namespace or go away.
        let removed = Self::remove_netlink_tap(rtnl);
        let stopped = if T::HAS_STOP { T::stop(rtnl) } else { Ok(()) };
        from_result(|| removed.and(stopped).map(|()| 0))
    }

    /// Takes the netlink tap added in `open`, if any, off its list.
    fn remove_netlink_tap(dev: &RtnlDevice<T>) -> Result {
        let slot = dev.private().netlink_tap.get();
        // SAFETY: RTNL is held (`RtnlDevice`), which serialises every
        // access to the slot (type invariant of `Priv`).
        let tap = unsafe { core::ptr::replace(slot, core::ptr::null_mut()) };
        if tap.is_null() {
            return Ok(());
        }
        // SAFETY: `tap` is on the list of the device's namespace, where
        // `open` put it: the device cannot change namespace while up. This
        // takes it off, waits for RCU readers and drops its module
        // reference.
        to_result(unsafe { bindings::netlink_remove_tap(tap) })
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_start_xmit`, on a
    /// registered device of `T`.
    unsafe extern "C" fn ndo_start_xmit(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: The core hands the caller's reference on `skb` over to the
        // driver (it may share the data with other references, as pktgen
        // does, but this reference is the driver's to free); never NULL.
        let skb = unsafe { SkBuff::from_raw(NonNull::new_unchecked(skb)) };
        // SAFETY: The core calls this on a registered device with
        // initialised private data, with bottom halves or interrupts
        // disabled on this CPU; the reference is only handed to `start_xmit`.
        T::start_xmit(unsafe { Xmit::from_raw(dev) }, skb);
        bindings::netdev_tx::NETDEV_TX_OK
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_get_stats64`, on a
    /// registered device of `T`.
    unsafe extern "C" fn ndo_get_stats64(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // INVARIANT: The core passes a buffer valid for writes for the
        // call, 4-byte aligned at least.
        let mut stats = LinkStats64 {
            ptr: stats,
            _p: PhantomData,
        };
        // SAFETY: The core reads statistics only between the allocation of
        // its per-CPU statistics in `register_netdevice` and their release,
        // and with initialised private data.
        T::get_stats64(unsafe { Registered::from_raw(dev) }, &mut stats);
    }
}

#[cfg(CONFIG_RUST_NETDEV_KUNIT_TEST)]
#[macros::kunit_tests(rust_netdev)]
mod tests {
    use super::*;
    use crate::net::rtnl;
    use core::sync::atomic::{
        AtomicUsize,
        Ordering, //
    };

    static INITS: AtomicUsize = AtomicUsize::new(0);
    static UNINITS: AtomicUsize = AtomicUsize::new(0);
    static DROPS: AtomicUsize = AtomicUsize::new(0);

    /// A driver whose registration fails after `ndo_init`: its devices
    /// claim the index of `lo`, which the core refuses after it allocated
    /// the per-CPU statistics.
    struct Failing;

    /// Owns an allocation, so that a second drop is a double free that
    /// KASAN reports.
    struct FailingData {
        _owned: KBox<u64>,
    }

    impl Drop for FailingData {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[vtable]
    impl Driver for Failing {
        type Data = FailingData;
        const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::Lstats;

        fn setup(dev: &mut Setup<'_, Self>) {
            dev.set_type(HwType::NONE);
            // SAFETY: Exclusive access to the unregistered device; the index
            // of `lo` in the initial namespace is always taken.
            unsafe { (*dev.raw()).ifindex = 1 };
        }

        fn init() -> impl PinInit<FailingData, Error> {
            INITS.fetch_add(1, Ordering::Relaxed);
            Ok::<_, Error>(FailingData {
                _owned: KBox::new(0, GFP_KERNEL)?,
            })
        }

        fn uninit(_dev: &RtnlDevice<Self>) {
            UNINITS.fetch_add(1, Ordering::Relaxed);
        }

        fn start_xmit(_dev: &Xmit<Self>, skb: SkBuff) {
            skb.consume();
        }
    }

    #[vtable]
    impl rtnl::Link for Failing {
        const KIND: &'static CStr = c"rustfail";
    }

    /// A registration that fails after `ndo_init` calls `uninit` once and
    /// drops the private data exactly once.
    #[test]
    fn failed_registration_drops_data_once() -> Result {
        let kind = KBox::pin_init(rtnl::Registration::<Failing>::new(), GFP_KERNEL)?;
        let (inits, uninits, drops) = (
            INITS.load(Ordering::Relaxed),
            UNINITS.load(Ordering::Relaxed),
            DROPS.load(Ordering::Relaxed),
        );
        assert_eq!(kind.add_device(c"rustfail%d"), Err(EBUSY));
        assert_eq!(INITS.load(Ordering::Relaxed), inits + 1);
        assert_eq!(UNINITS.load(Ordering::Relaxed), uninits + 1);
        assert_eq!(DROPS.load(Ordering::Relaxed), drops + 1);
        Ok(())
    }
}
