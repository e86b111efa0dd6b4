// SPDX-License-Identifier: GPL-2.0

//! Socket buffers handed to a network device.
//!
//! [`SkBuff`] is a buffer that a device owns in its transmit path. It is
//! not [`NetlinkSkBuff`](super::netlink::NetlinkSkBuff), which builds
//! generic netlink messages and frees them with `nlmsg_free()`, that is
//! `kfree_skb()`, which must not run with interrupts disabled: a device's
//! buffer may arrive so, hence every way to free an [`SkBuff`] is the
//! `_any` variant. Both own one reference on a valid `sk_buff` and free it
//! at the latest when dropped.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h)

use crate::bindings;
use core::ptr::NonNull;

/// An owned socket buffer.
///
/// Owning the buffer means being responsible for freeing it: hand it on or
/// free it with [`SkBuff::consume`] once it was used as intended. A buffer
/// that goes out of scope is freed as dropped, for no given reason, so
/// that it never leaks.
///
/// Every free goes through `dev_kfree_skb_any_reason()`, which is correct
/// in every context a transmit path can run in, interrupts disabled
/// included.
///
/// A buffer handed to a work item outlives the call that got it: the work
/// runs the module's code, so it must end before the module unloads.
///
/// # Invariants
///
/// `ptr` points to a valid `struct sk_buff`, and this object owns one
/// reference on it.
///
/// # Examples
///
/// ```
/// use kernel::net::skbuff::SkBuff;
///
/// /// Counts the bytes of a buffer, then frees it as used.
/// fn count(skb: SkBuff, total: &mut u64) {
///     *total += u64::from(skb.len());
///     skb.consume();
/// }
/// # let _ = count;
/// ```
pub struct SkBuff {
    ptr: NonNull<bindings::sk_buff>,
}

// SAFETY: An owned reference on an `sk_buff` may be used and freed on any
// CPU.
unsafe impl Send for SkBuff {}

impl SkBuff {
    /// Takes over a reference on a socket buffer.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid `sk_buff` and the caller must transfer one
    /// reference on it.
    pub(crate) unsafe fn from_raw(ptr: NonNull<bindings::sk_buff>) -> Self {
        // INVARIANT: Guaranteed by the safety requirements.
        Self { ptr }
    }

    /// Gives the reference up without freeing it, returning the raw pointer.
    fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// Returns the length of the data, in bytes.
    #[inline]
    #[expect(
        clippy::len_without_is_empty,
        reason = "a transmitted buffer is never asked whether it is empty"
    )]
    pub fn len(&self) -> u32 {
        // SAFETY: `ptr` is valid by the type invariant.
        unsafe { (*self.ptr.as_ptr()).len }
    }

    /// Frees the buffer after successful use (`dev_consume_skb_any()`).
    #[inline]
    pub fn consume(self) {
        let ptr = self.into_raw();
        // SAFETY: We owned a reference on `ptr` and give it up here.
        unsafe { bindings::dev_kfree_skb_any_reason(ptr, bindings::skb_drop_reason_SKB_CONSUMED) };
    }
}

impl Drop for SkBuff {
    fn drop(&mut self) {
        // SAFETY: We own a reference; this is its last use.
        unsafe {
            bindings::dev_kfree_skb_any_reason(
                self.ptr.as_ptr(),
                bindings::skb_drop_reason_SKB_DROP_REASON_NOT_SPECIFIED,
            )
        };
    }
}
