// SPDX-License-Identifier: GPL-2.0

//! Network devices.
//!
//! A driver describes its devices with a type that implements [`Driver`]:
//! its methods become the devices' `net_device_ops`. Devices are created
//! through the driver's link kind ([`rtnl::Link`](super::rtnl::Link)),
//! which the module registers with
//! [`module_rtnl_link!`](crate::module_rtnl_link).
//!
//! Callbacks get the device as a [`Device<T, Ctx>`](Device), whose context
//! `Ctx` says what is valid where the core calls them, as
//! [`device::Device<Ctx>`](crate::device::Device) does for bus devices:
//! [`Registered`] where the core-managed statistics exist, [`Xmit`] in
//! `ndo_start_xmit`.
//!
//! # What the types guarantee
//!
//! No callback sees a device before it is set up or after it is freed,
//! statistics are touched only where they exist and updated only where
//! the task cannot change CPU, a netlink tap ([`Driver::NETLINK_TAP`]) is
//! listed exactly from its device's `ndo_open` to its `ndo_stop`, and a
//! link kind stays registered exactly as long as its module is loaded.
//!
//! They do not stop a driver from sleeping in a callback that runs in
//! atomic context: each callback's `# Context` section says where it runs.
//! Taking a [`Mutex`](crate::sync::Mutex), allocating with `GFP_KERNEL` or
//! calling [`fsleep`](crate::time::delay::fsleep) in
//! [`Driver::start_xmit`] or [`Driver::get_stats64`] compiles, and the
//! kernel then reports "scheduling while atomic" or "sleeping function
//! called from invalid context".
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::{
    netlink_tap,
    skbuff::SkBuff, //
};
use crate::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    impl_flags,
    prelude::*,
    types::Opaque, //
};
use core::{
    marker::PhantomData,
    ops::Deref,
    ptr::NonNull, //
};

mod private {
    pub trait Sealed {}
}

/// The context a [`Device`] is seen in.
pub trait Context: private::Sealed {}

/// A registered device: the per-CPU statistics that the core manages for
/// it ([`Driver::PCPU_STAT_TYPE`]) are allocated.
pub struct Registered;

/// A registered device in [`Driver::start_xmit`], which runs with bottom
/// halves or hard interrupts disabled on this CPU.
pub struct Xmit;

impl private::Sealed for Registered {}
impl Context for Registered {}
impl private::Sealed for Xmit {}
impl Context for Xmit {}

/// A network device of driver `T`, seen in context `Ctx`.
///
/// # Invariants
///
/// A `&Device<T, Ctx>` only exists while the `net_device` is valid, was set
/// up by `Adapter::<T>::setup` and went through `register_netdevice()`,
/// with the core-managed per-CPU statistics of [`Driver::PCPU_STAT_TYPE`]
/// allocated; callbacks also run while it is unregistered, until the core
/// frees it. A `&Device<T, Xmit>` is only handed to [`Driver::start_xmit`],
/// for one call, which runs with bottom halves disabled on this CPU
/// (`rcu_read_lock_bh()` in `__dev_queue_xmit()`, `local_bh_disable()` in
/// `__dev_direct_xmit()`) or with hard interrupts disabled (netpoll).
#[repr(transparent)]
pub struct Device<T, Ctx: Context = Registered>(
    Opaque<bindings::net_device>,
    PhantomData<(T, Ctx)>,
);

impl<T: Driver, Ctx: Context> Device<T, Ctx> {
    /// Creates a reference to the device at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must satisfy the type invariants of `Device<T, Ctx>` for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Self` is a transparent wrapper of `net_device`, and the
        // caller guarantees the invariants.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw `net_device`.
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }
}

impl<T: Driver> Deref for Device<T, Xmit> {
    type Target = Device<T>;

    fn deref(&self) -> &Device<T> {
        // SAFETY: The invariants of `Device<T, Xmit>` include those of
        // `Device<T>`; the layout is the same.
        unsafe { Device::from_raw(self.as_raw()) }
    }
}

impl<T: Driver> Device<T> {
    /// Returns the packets and bytes counted by
    /// [`lstats_add`](Device::lstats_add), summed over all CPUs.
    ///
    /// Only for drivers whose [`Driver::PCPU_STAT_TYPE`] is
    /// [`PcpuStatType::Lstats`]; anything else fails to build.
    pub fn lstats_read(&self) -> (u64, u64) {
        const { assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats)) };
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: The lstats are allocated (type invariant and the check
        // above); `dev_lstats_read` sums them in any context.
        unsafe { bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes) };
        (packets, bytes)
    }
}

impl<T: Driver> Device<T, Xmit> {
    /// Accounts one packet of `len` bytes in the core-managed per-CPU
    /// lstats (`dev_lstats_add`).
    ///
    /// Only for drivers whose [`Driver::PCPU_STAT_TYPE`] is
    /// [`PcpuStatType::Lstats`]; anything else fails to build.
    #[inline]
    pub fn lstats_add(&self, len: u32) {
        const { assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats)) };
        // SAFETY: The lstats are allocated (type invariant and the check
        // above), and bottom halves or hard interrupts are disabled on this
        // CPU (type invariant), so the task stays on the CPU whose copy it
        // updates (on PREEMPT_RT, BH-disabled sections are serialised per
        // CPU and migration is disabled). A netpoll transmit from
        // hard-interrupt context can still interrupt an update of an `lltx`
        // device (no queue lock serialises them). On 32-bit, where
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
}

/// A network device driver: the `net_device_ops` of its devices.
///
/// Methods that are not implemented leave the C pointer `NULL`, so that the
/// core's default applies. A device has no private data of the driver's.
#[vtable]
pub trait Driver: Sized + 'static {
    /// The per-CPU statistics the core keeps for each device.
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::None;

    /// While a device is up, it is a netlink tap of its network namespace
    /// (see [`netlink_tap`](super::netlink_tap)); its type is
    /// `ARPHRD_NETLINK`.
    const NETLINK_TAP: bool = false;

    /// Configures a newly allocated device (`rtnl_link_ops.setup`).
    ///
    /// # Context
    ///
    /// Process context, may sleep; RTNL may or may not be held.
    fn setup(dev: &mut Setup<'_, Self>);

    /// Transmits `skb` (`ndo_start_xmit`); the driver owns it now and must
    /// hand it on or free it.
    ///
    /// # Context
    ///
    /// Bottom halves disabled, or hard interrupts disabled (netpoll, or a
    /// device stacked on this one that transmits from netpoll). For a
    /// device with [`Setup::set_lltx`] it runs on several CPUs at once.
    /// Must not sleep: no [`Mutex`](crate::sync::Mutex), no `GFP_KERNEL`
    /// allocation. [`SkBuff::consume`] is correct in all these contexts.
    fn start_xmit(dev: &Device<Self, Xmit>, skb: SkBuff);

    /// Reports the interface statistics (`ndo_get_stats64`).
    ///
    /// # Context
    ///
    /// Any context, possibly atomic (e.g. under `rcu_read_lock()` for
    /// `/proc/net/dev`), without locks, concurrently with
    /// [`Driver::start_xmit`]. Must not sleep.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut LinkStats64<'_>) {
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

// Only a successful `ndo_open` may make a device up (see `Setup::set_flags`).
const _: () = assert!(
    Flags::all_bits() & bindings::net_device_flags_IFF_UP == 0,
    "IFF_UP among the settable flags"
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
    /// [`Device::lstats_add`] and read with [`Device::lstats_read`].
    Lstats,
}

impl<T: Driver> Setup<'_, T> {
    fn raw(&mut self) -> *mut bindings::net_device {
        self.ptr.as_ptr()
    }

    /// Replaces the interface flags.
    ///
    /// [`Flags`] holds only the flags [`Flag`] names. `IFF_UP` must never
    /// be one of them: the core sets it when `ndo_open` succeeds, and
    /// closes only devices that have it.
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

    /// Sets the initial MTU to `MTU` and the smallest MTU the core accepts
    /// in later changes to `MIN`; there is no maximum below `INT_MAX`.
    ///
    /// `dev_validate_mtu()` takes an MTU as an `int`, so one above `INT_MAX`
    /// would read as negative; that, and a minimum above the MTU, fail to
    /// build.
    pub fn set_mtu<const MTU: u32, const MIN: u32>(&mut self) {
        const {
            assert!(MTU <= i32::MAX as u32, "MTU above INT_MAX");
            assert!(MIN <= MTU, "minimum MTU above the MTU");
        };
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe {
            (*self.raw()).mtu = MTU;
            (*self.raw()).min_mtu = MIN;
        }
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
        ndo_open: if T::NETLINK_TAP {
            Some(Self::ndo_open)
        } else {
            None
        },
        ndo_stop: if T::NETLINK_TAP {
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
        ..pin_init::zeroed()
    };

    /// The size of the private area of a device of `T`: the abstraction's
    /// netlink tap, or nothing.
    pub(crate) const PRIV_SIZE: usize = if T::NETLINK_TAP {
        netlink_tap::PRIV_SIZE
    } else {
        0
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
        // The core allocates the chosen per-CPU stats at registration and
        // frees the device itself; nothing in the private area needs
        // dropping.
        unsafe {
            if T::NETLINK_TAP {
                // `netlink_add_tap()` accepts no other type.
                (*dev).type_ = bindings::ARPHRD_NETLINK as u16;
            }
            (*dev).set_pcpu_stat_type(stat_type);
            (*dev).netdev_ops = &Self::OPS;
            (*dev).needs_free_netdev = true;
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_open`, on a
    /// registered device of `T`, which has `NETLINK_TAP`.
    unsafe extern "C" fn ndo_open(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: The core calls `ndo_open` on a registered device that is
        // down, serialised with its `ndo_stop`; its private area was sized
        // for the tap (`PRIV_SIZE`).
        unsafe { netlink_tap::add::<T::OwnerModule>(dev) }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_stop`, on a device
    /// of `T` that is up.
    unsafe extern "C" fn ndo_stop(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: The core calls `ndo_stop` only on a device that a
        // successful `ndo_open` brought up, serialised with `ndo_open`.
        unsafe { netlink_tap::remove(dev) }
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
        // SAFETY: The core calls this on a registered device, with bottom
        // halves or interrupts disabled on this CPU; the reference is only
        // handed to `start_xmit`.
        T::start_xmit(unsafe { Device::from_raw(dev) }, skb);
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
        // its per-CPU statistics in `register_netdevice` and their release.
        T::get_stats64(unsafe { Device::from_raw(dev) }, &mut stats);
    }
}
