// SPDX-License-Identifier: GPL-2.0

//! Network devices.
//!
//! A driver describes its devices with a type that implements [`Driver`]:
//! that type is the private data of each device (`netdev_priv`), its methods
//! are the device's `net_device_ops`. Devices are created through an
//! [`rtnl::Registration`](super::rtnl::Registration) of a link kind.
//!
//! The private data is initialised in place by [`Driver::init`] when the
//! device is registered (`ndo_init`) and dropped when the core frees the
//! device (`priv_destructor`), so it is valid in every other callback.
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h)

use super::skbuff::SkBuff;
use crate::{
    bindings,
    error::{from_result, VTABLE_DEFAULT_ERROR},
    prelude::*,
    types::Opaque,
};
use core::{marker::PhantomData, ops::Deref, ptr::NonNull};

/// A network device whose private data is `T`.
///
/// # Invariants
///
/// A `&Device<T>` is only handed out while the `net_device` is valid and its
/// private data holds an initialised, pinned `T`; callers hold no lock, so
/// only operations that are safe concurrently with any other are offered.
#[repr(transparent)]
pub struct Device<T>(Opaque<bindings::net_device>, PhantomData<T>);

impl<T: Driver> Device<T> {
    /// Creates a reference from a raw pointer.
    ///
    /// # Safety
    ///
    /// For `'a`, `ptr` must be a valid `net_device` created by
    /// [`Registration`](super::rtnl::Registration)`<T>` whose private data is
    /// initialised.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Self` is a transparent wrapper of `net_device`; validity is
        // guaranteed by the caller.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw `net_device`.
    pub(crate) fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// Returns the device's private data.
    #[inline]
    pub fn data(&self) -> Pin<&T> {
        // SAFETY: By the type invariant the private data holds an initialised
        // `T`, which stays pinned in the device until it is freed.
        unsafe { Pin::new_unchecked(&*priv_ptr::<T>(self.as_raw())) }
    }

    /// Returns the current MTU.
    pub fn mtu(&self) -> u32 {
        // SAFETY: `mtu` may be read at any time; writers use `WRITE_ONCE`.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).mtu) }
    }

    /// Accounts one packet of `len` bytes in the core-managed per-CPU lstats.
    ///
    /// Only for drivers whose [`Driver::PCPU_STAT_TYPE`] is
    /// [`PcpuStatType::Lstats`]; anything else fails to build.
    #[inline]
    pub fn lstats_add(&self, len: u32) {
        build_assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats));
        #[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
        {
            use super::stats::{this_cpu_add, this_cpu_inc};
            use bindings::pcpu_lstats;
            use core::mem::offset_of;
            // SAFETY: The device is valid and registered, so the core
            // allocated its per-CPU lstats as `T::PCPU_STAT_TYPE` asks
            // (checked above); on 64-bit they are only updated with CPU-local
            // operations (`dev_lstats_add` runs with BHs disabled).
            unsafe {
                let lstats = (*self.as_raw()).__bindgen_anon_2.lstats;
                let field = |offset| lstats.wrapping_byte_add(offset).cast();
                this_cpu_add(field(offset_of!(pcpu_lstats, bytes)), len.into());
                this_cpu_inc(field(offset_of!(pcpu_lstats, packets)));
            }
        }
        #[cfg(not(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML))))]
        {
            // SAFETY: The device is valid and registered, so the core
            // allocated its lstats as `T::PCPU_STAT_TYPE` asks (checked above).
            unsafe { bindings::dev_lstats_add(self.as_raw(), len) };
        }
    }

    /// Returns the packets and bytes counted by [`Device::lstats_add`],
    /// summed over all CPUs.
    pub fn lstats_read(&self) -> (u64, u64) {
        build_assert!(matches!(T::PCPU_STAT_TYPE, PcpuStatType::Lstats));
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: The device's lstats exist (checked above); the function
        // sums them over all CPUs.
        unsafe { bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes) };
        (packets, bytes)
    }
}

/// Returns the private area of `dev` as a `T` (`netdev_priv`), computed
/// inline: this is on every packet's path.
///
/// # Safety
///
/// `dev` must point to a valid `net_device`.
#[inline(always)]
unsafe fn priv_ptr<T>(dev: *mut bindings::net_device) -> *mut T {
    // SAFETY: `dev` is valid (caller); `priv` is its cache-line aligned
    // trailing area, the one `netdev_priv` returns.
    unsafe { (&raw mut (*dev).priv_).cast() }
}

/// A network device while the caller holds the RTNL lock.
///
/// Setup-time and administrative callbacks (`init`, `uninit`, `open`, `stop`,
/// `change_mtu`) run under RTNL, which serialises them against each other;
/// what needs that serialisation takes a `&RtnlDevice<T>`.
///
/// # Invariants
///
/// As for [`Device`], and the RTNL lock is held while the reference lives.
#[repr(transparent)]
pub struct RtnlDevice<T>(Device<T>);

impl<T: Driver> RtnlDevice<T> {
    /// # Safety
    ///
    /// As for [`Device::from_raw`], and the caller holds RTNL for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Self` is a transparent wrapper of `Device<T>`.
        unsafe { &*ptr.cast() }
    }

    /// Sets the MTU, from [`Driver::change_mtu`] once the driver accepts it.
    pub fn set_mtu(&self, mtu: u32) {
        // SAFETY: Writers of `mtu` hold RTNL (type invariant); readers use
        // `READ_ONCE`, hence the volatile write.
        unsafe { core::ptr::write_volatile(&raw mut (*self.as_raw()).mtu, mtu) };
    }
}

impl<T> Deref for RtnlDevice<T> {
    type Target = Device<T>;

    fn deref(&self) -> &Device<T> {
        &self.0
    }
}

/// The interface statistics reported by [`Driver::get_stats64`]: write
/// access to the core's buffer, which the core has zeroed.
///
/// That buffer may sit in an `IFLA_STATS64` attribute, which is only 4-byte
/// aligned where unaligned access is cheap, so no reference to it is made:
/// each field is written unaligned.
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
        // SAFETY: `ptr` is valid for writes (type invariant); the field
        // addresses are taken without a reference and written unaligned.
        unsafe {
            (&raw mut (*self.ptr).tx_packets).write_unaligned(packets);
            (&raw mut (*self.ptr).tx_bytes).write_unaligned(bytes);
        }
    }
}

/// The transmit context: the device a buffer is handed to in
/// [`Driver::start_xmit`], and the freeing that context allows.
///
/// # Invariants
///
/// Exists only for one `ndo_start_xmit` call on `dev`. If `T::NETPOLL` is
/// false, `dev` has `IFF_DISABLE_NETPOLL`, so netpoll does not transmit on
/// it directly.
pub struct Xmit<'a, T> {
    dev: &'a Device<T>,
    _not_send: PhantomData<*mut ()>,
}

impl<T> Deref for Xmit<'_, T> {
    type Target = Device<T>;

    fn deref(&self) -> &Device<T> {
        self.dev
    }
}

impl<T: Driver> Xmit<'_, T> {
    /// Frees `skb` after successful use.
    ///
    /// Netpoll transmits with hard interrupts disabled, so with
    /// [`Driver::NETPOLL`] this is [`SkBuff::consume`]. Without, it is
    /// `consume_skb()`, as C drivers free in `ndo_start_xmit`, which the core
    /// calls with bottom halves disabled; only a device stacked on this one
    /// (teql, a tunnel) that itself transmits from netpoll can still get here
    /// with interrupts disabled, as it can with a C driver.
    #[inline]
    pub fn consume(&self, skb: SkBuff) {
        if T::NETPOLL {
            skb.consume();
        } else {
            // No netpoll on this device (type invariant): the usual context
            // of `ndo_start_xmit`, where C drivers use `consume_skb()`.
            skb.consume_bh();
        }
    }
}

/// The result of [`Driver::start_xmit`] when the device cannot take a packet
/// now: the core keeps the buffer and retries later (`NETDEV_TX_BUSY`).
pub struct Busy(pub SkBuff);

/// A network device driver: the private data of each device and its
/// `net_device_ops`.
///
/// Methods that are not implemented leave the C pointer `NULL`, so that the
/// core's default applies.
#[vtable]
pub trait Driver: Sized + Send + Sync {
    /// The per-CPU statistics the core keeps for each device.
    const PCPU_STAT_TYPE: PcpuStatType = PcpuStatType::None;

    /// Whether netpoll (netconsole) may transmit through the device.
    ///
    /// Netpoll calls [`Driver::start_xmit`] with hard interrupts disabled.
    /// Without it (`IFF_DISABLE_NETPOLL`), [`Xmit::consume`] frees without
    /// checking the context first.
    const NETPOLL: bool = true;

    /// Configures a newly allocated device (`rtnl_link_ops.setup`).
    ///
    /// The private data does not exist yet.
    fn setup(dev: &mut Setup<'_, Self>);

    /// Initialises the private data in place (`ndo_init`), under RTNL.
    fn init() -> impl PinInit<Self, Error>;

    /// Called under RTNL when the device is unregistered (`ndo_uninit`).
    fn uninit(_dev: &RtnlDevice<Self>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Brings the device up (`ndo_open`), under RTNL.
    fn open(_dev: &RtnlDevice<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Takes the device down (`ndo_stop`), under RTNL.
    fn stop(_dev: &RtnlDevice<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits `skb` (`ndo_start_xmit`).
    ///
    /// For a device with [`Setup::set_lltx`] this may run on several CPUs at
    /// once, hence the shared access; with bottom halves disabled, or with
    /// hard interrupts disabled when netpoll transmits (see
    /// [`Driver::NETPOLL`]).
    fn start_xmit(dev: &Xmit<'_, Self>, skb: SkBuff) -> Result<(), Busy>;

    /// Reports the interface statistics (`ndo_get_stats64`), without locks.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut LinkStats64<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Validates and applies a new MTU (`ndo_change_mtu`), under RTNL; the
    /// core has already checked it against the minimum and maximum MTU.
    fn change_mtu(_dev: &RtnlDevice<Self>, _new_mtu: u32) -> Result {
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

/// Interface flags (`IFF_*`, `dev->flags`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    /// `IFF_NOARP`: the device does not use ARP.
    pub const NOARP: Self = Self(bindings::net_device_flags_IFF_NOARP);
    /// `IFF_POINTOPOINT`.
    pub const POINTOPOINT: Self = Self(bindings::net_device_flags_IFF_POINTOPOINT);
}

/// Private interface flags (`IFF_*`, `dev->priv_flags`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrivFlags(u32);

impl PrivFlags {
    /// `IFF_NO_QUEUE`: the device does not need a qdisc.
    pub const NO_QUEUE: Self = Self(bindings::netdev_priv_flags_IFF_NO_QUEUE);
    /// `IFF_DISABLE_NETPOLL`: netpoll may not use the device; set through
    /// [`Driver::NETPOLL`].
    pub(crate) const DISABLE_NETPOLL: Self = Self(bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL);
}

/// Device features (`NETIF_F_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features(bindings::netdev_features_t);

impl Features {
    /// `NETIF_F_SG`: scatter/gather.
    pub const SG: Self = Self(1 << bindings::NETIF_F_SG_BIT);
    /// `NETIF_F_FRAGLIST`: fragment lists.
    pub const FRAGLIST: Self = Self(1 << bindings::NETIF_F_FRAGLIST_BIT);
    /// `NETIF_F_HIGHDMA`: DMA to high memory.
    pub const HIGHDMA: Self = Self(1 << bindings::NETIF_F_HIGHDMA_BIT);
}

macro_rules! impl_bitor {
    ($($t:ty),*) => {$(
        impl core::ops::BitOr for $t {
            type Output = Self;
            fn bitor(self, rhs: Self) -> Self {
                Self(self.0 | rhs.0)
            }
        }
    )*};
}
impl_bitor!(Flags, PrivFlags, Features);

/// Per-CPU statistics the core allocates and frees for each device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PcpuStatType {
    /// None: the driver keeps its own, if any.
    None,
    /// Received packets and bytes (`struct pcpu_lstats`), counted with
    /// [`Device::lstats_add`].
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
        unsafe { (*self.raw()).flags = flags.0 };
    }

    /// Adds private flags.
    pub fn add_priv_flags(&mut self, flags: PrivFlags) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        let fast = unsafe { &mut (*self.raw()).__bindgen_anon_1.priv_flags_fast };
        fast.set_priv_flags(fast.priv_flags() | flags.0 as c_ulong);
    }

    /// Replaces the device features.
    pub fn set_features(&mut self, features: Features) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe { (*self.raw()).features = features.0 };
    }

    /// Declares that [`Driver::start_xmit`] needs no transmit lock, so the
    /// core may call it on several CPUs at once.
    pub fn set_lltx(&mut self, lltx: bool) {
        // SAFETY: Exclusive access to a valid device (type invariant).
        let fast = unsafe { &mut (*self.raw()).__bindgen_anon_1.priv_flags_fast };
        fast.set_lltx(c_ulong::from(lltx));
    }

    /// Sets the initial MTU and its bounds; a `max_mtu` of 0 means no upper
    /// bound but `INT_MAX`.
    pub fn set_mtu(&mut self, mtu: u32, min_mtu: u32, max_mtu: u32) {
        let dev = self.raw();
        // SAFETY: Exclusive access to a valid device (type invariant).
        unsafe {
            (*dev).mtu = mtu;
            (*dev).min_mtu = min_mtu;
            (*dev).max_mtu = max_mtu;
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
        ndo_stop: if T::HAS_STOP {
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
        ndo_change_mtu: if T::HAS_CHANGE_MTU {
            Some(Self::ndo_change_mtu)
        } else {
            None
        },
        // SAFETY: All-zero is a valid `net_device_ops`: every callback `None`.
        ..unsafe { core::mem::zeroed() }
    };

    /// The `rtnl_link_ops.setup` callback: the driver's configuration, then
    /// what every device of the abstraction needs.
    ///
    /// # Safety
    ///
    /// `dev` must be a valid, freshly allocated `net_device` with room for a
    /// `T` in its private area.
    pub(crate) unsafe extern "C" fn setup(dev: *mut bindings::net_device) {
        let Some(ptr) = NonNull::new(dev) else {
            return;
        };
        // INVARIANT: freshly allocated, so exclusively ours.
        let mut setup = Setup::<T> {
            ptr,
            _p: PhantomData,
        };
        T::setup(&mut setup);
        if !T::NETPOLL {
            // After the driver's setup, which can only add private flags.
            setup.add_priv_flags(PrivFlags::DISABLE_NETPOLL);
        }
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

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_init`, on a device of `T`.
    unsafe extern "C" fn ndo_init(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called under RTNL on a valid device whose private area was
        // sized for `T` by the registration.
        let slot = unsafe { priv_ptr::<T>(dev) };
        // SAFETY: `slot` is valid, suitably aligned (the registration checks
        // `T`'s alignment) and pinned in the device. On success the core
        // calls `priv_destructor` exactly once before freeing the device; on
        // failure it never does, and `__pinned_init` left nothing to drop.
        match unsafe { pin_init::raw_try_init(slot, T::init()) } {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device.priv_destructor`, on a device of `T`.
    unsafe extern "C" fn priv_destructor(dev: *mut bindings::net_device) {
        // SAFETY: Only called after a successful `ndo_init`, exactly once,
        // when no other reference to the device's private data remains.
        unsafe { core::ptr::drop_in_place(priv_ptr::<T>(dev)) };
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_uninit`, on a device of `T`.
    unsafe extern "C" fn ndo_uninit(dev: *mut bindings::net_device) {
        // SAFETY: Called under RTNL with initialised private data.
        T::uninit(unsafe { RtnlDevice::from_raw(dev) });
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_open`, on a device of `T`.
    unsafe extern "C" fn ndo_open(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called under RTNL with initialised private data.
        from_result(|| T::open(unsafe { RtnlDevice::from_raw(dev) }).map(|()| 0))
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_stop`, on a device of `T`.
    unsafe extern "C" fn ndo_stop(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called under RTNL with initialised private data.
        from_result(|| T::stop(unsafe { RtnlDevice::from_raw(dev) }).map(|()| 0))
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_start_xmit`, on a device of `T`.
    unsafe extern "C" fn ndo_start_xmit(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: The core hands us the only reference to `skb`, never NULL.
        let skb = unsafe { SkBuff::from_raw(NonNull::new_unchecked(skb)) };
        // INVARIANT: Lives for this call only. The device is one of `T`, set
        // up with `IFF_DISABLE_NETPOLL` when `T::NETPOLL` is false.
        let xmit = Xmit {
            // SAFETY: Called on a registered device with initialised private data.
            dev: unsafe { Device::from_raw(dev) },
            _not_send: PhantomData,
        };
        match T::start_xmit(&xmit, skb) {
            Ok(()) => bindings::netdev_tx::NETDEV_TX_OK,
            Err(Busy(skb)) => {
                // The core keeps the buffer and retries.
                let _ = skb.into_raw();
                bindings::netdev_tx::NETDEV_TX_BUSY
            }
        }
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_get_stats64`, on a device of `T`.
    unsafe extern "C" fn ndo_get_stats64(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // INVARIANT: The core passes a buffer valid for writes for the call.
        let mut stats = LinkStats64 {
            ptr: stats,
            _p: PhantomData,
        };
        // SAFETY: Called on a registered device with initialised private data.
        T::get_stats64(unsafe { Device::from_raw(dev) }, &mut stats);
    }

    /// # Safety
    ///
    /// Only for the core to call, as `net_device_ops.ndo_change_mtu`, on a device of `T`.
    unsafe extern "C" fn ndo_change_mtu(dev: *mut bindings::net_device, new_mtu: c_int) -> c_int {
        // The core checked `new_mtu` against `min_mtu`, which is positive.
        let Ok(mtu) = u32::try_from(new_mtu) else {
            return EINVAL.to_errno();
        };
        // SAFETY: Called under RTNL with initialised private data.
        from_result(|| T::change_mtu(unsafe { RtnlDevice::from_raw(dev) }, mtu).map(|()| 0))
    }
}
