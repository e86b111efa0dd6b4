// SPDX-License-Identifier: GPL-2.0

//! Socket buffers.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)

use crate::bindings;
use core::ptr::NonNull;

/// Why a socket buffer is dropped, as reported to the `kfree_skb` tracepoint
/// and drop monitor.
///
/// Corresponds to a subset of the kernel's [`enum skb_drop_reason`].
///
/// [`enum skb_drop_reason`]: srctree/include/net/dropreason-core.h
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// No reason was given.
    NotSpecified,
    /// The device is not up or has no carrier.
    DevReady,
    /// The device queue is full.
    FullRing,
    /// The packet is too big for the device.
    PktTooBig,
    /// Memory allocation failed.
    Nomem,
}

impl DropReason {
    fn as_raw(self) -> bindings::skb_drop_reason {
        match self {
            Self::NotSpecified => bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            Self::DevReady => bindings::skb_drop_reason_SKB_DROP_REASON_DEV_READY,
            Self::FullRing => bindings::skb_drop_reason_SKB_DROP_REASON_FULL_RING,
            Self::PktTooBig => bindings::skb_drop_reason_SKB_DROP_REASON_PKT_TOO_BIG,
            Self::Nomem => bindings::skb_drop_reason_SKB_DROP_REASON_NOMEM,
        }
    }
}

/// The packet type of a socket buffer (`skb->pkt_type`).
///
/// The netlink tap marks its copies [`PacketType::Kernel`] when they go to
/// the kernel and [`PacketType::User`] when they go to user space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketType {
    /// `PACKET_HOST`: addressed to this host.
    Host,
    /// `PACKET_BROADCAST`.
    Broadcast,
    /// `PACKET_MULTICAST`.
    Multicast,
    /// `PACKET_OTHERHOST`.
    OtherHost,
    /// `PACKET_OUTGOING`.
    Outgoing,
    /// `PACKET_LOOPBACK`.
    Loopback,
    /// `PACKET_USER`: a netlink message to user space.
    User,
    /// `PACKET_KERNEL`: a netlink message to the kernel.
    Kernel,
}

/// An owned socket buffer.
///
/// Owning the buffer means being responsible for freeing it. Hand it on or
/// free it explicitly with [`SkBuff::consume`] (it was used as intended) or
/// [`SkBuff::drop_reason`] (it was dropped, and why). A buffer that goes out of
/// scope is freed as dropped with [`DropReason::NotSpecified`], so it never
/// leaks, but drop monitor then cannot tell why.
///
/// Freeing goes through `dev_kfree_skb_any_reason`, which is safe in every
/// context a transmit path may run in, hard interrupts and sections with
/// interrupts disabled included; a transmit path that knows better frees
/// with [`Xmit::consume`](super::netdev::Xmit::consume).
///
/// # Invariants
///
/// `ptr` points to a valid `struct sk_buff` whose reference is owned by this
/// object.
pub struct SkBuff {
    ptr: NonNull<bindings::sk_buff>,
}

// SAFETY: An owned `sk_buff` may be freed or used on any CPU.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Takes ownership of a raw socket buffer.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid `sk_buff` whose reference the caller transfers.
    pub(crate) unsafe fn from_raw(ptr: NonNull<bindings::sk_buff>) -> Self {
        // INVARIANT: guaranteed by the safety requirements.
        Self { ptr }
    }

    /// Gives up ownership, returning the raw pointer.
    pub(crate) fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// Returns the length of the data, in bytes.
    #[inline]
    pub fn len(&self) -> u32 {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { (*self.ptr.as_ptr()).len }
    }

    /// Returns `true` when the buffer holds no data.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the protocol field in host byte order.
    ///
    /// For a copy made by the netlink tap this is the netlink protocol
    /// (`NETLINK_ROUTE`, ...).
    #[inline]
    pub fn protocol(&self) -> u16 {
        // SAFETY: `ptr` is valid by the type invariant.
        u16::from_be(unsafe {
            (*self.ptr.as_ptr())
                .__bindgen_anon_4
                .headers
                .as_ref()
                .protocol
        })
    }

    /// Returns the packet type.
    #[inline]
    pub fn packet_type(&self) -> PacketType {
        // SAFETY: `ptr` is valid by the type invariant.
        let raw = unsafe {
            (*self.ptr.as_ptr())
                .__bindgen_anon_4
                .headers
                .as_ref()
                .pkt_type()
        };
        match u32::from(raw) {
            bindings::PACKET_HOST => PacketType::Host,
            bindings::PACKET_BROADCAST => PacketType::Broadcast,
            bindings::PACKET_MULTICAST => PacketType::Multicast,
            bindings::PACKET_OTHERHOST => PacketType::OtherHost,
            bindings::PACKET_OUTGOING => PacketType::Outgoing,
            bindings::PACKET_LOOPBACK => PacketType::Loopback,
            bindings::PACKET_USER => PacketType::User,
            _ => PacketType::Kernel,
        }
    }

    /// Frees the buffer after successful use (`SKB_CONSUMED`).
    #[inline]
    pub fn consume(self) {
        let ptr = self.into_raw();
        // SAFETY: We owned `ptr` and give the reference up here.
        unsafe { bindings::dev_kfree_skb_any_reason(ptr, bindings::skb_drop_reason_SKB_CONSUMED) };
    }

    /// Frees the buffer after successful use with `consume_skb()`, for a
    /// caller in the usual context of a transmit path (bottom halves
    /// disabled): cheaper than [`SkBuff::consume`], which checks the context
    /// first.
    ///
    /// Not `unsafe`: the rule against hard interrupts guards against
    /// destructors that take locks, not against memory errors.
    #[inline]
    pub(crate) fn consume_bh(self) {
        let ptr = self.into_raw();
        // What `consume_skb()` does, which is inline in some configurations.
        // SAFETY: We owned `ptr` and give the reference up here.
        unsafe {
            bindings::sk_skb_reason_drop(
                core::ptr::null_mut(),
                ptr,
                bindings::skb_drop_reason_SKB_CONSUMED,
            )
        };
    }

    /// Frees the buffer as dropped, for `reason`.
    #[inline]
    pub fn drop_reason(self, reason: DropReason) {
        let ptr = self.into_raw();
        // SAFETY: We owned `ptr` and give the reference up here.
        unsafe { bindings::dev_kfree_skb_any_reason(ptr, reason.as_raw()) };
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: We own the reference; this is its last use.
        unsafe {
            bindings::dev_kfree_skb_any_reason(
                self.ptr.as_ptr(),
                bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            )
        };
    }
}
