// SPDX-License-Identifier: GPL-2.0

//! Per-CPU 64-bit statistics counters.
//!
//! Each CPU updates its own copy of the counters inside a `u64_stats_sync`
//! write section, so writers never share a cache line; readers sum all
//! possible CPUs with the fetch/retry protocol, which keeps 64-bit values
//! from tearing on 32-bit machines. On x86-64 an update is one CPU-local
//! instruction, as C's `this_cpu_add()`: these counters sit on per-packet
//! paths, where helper calls and preemption toggling would cost more than
//! the count itself.
//!
//! C header: [`include/linux/u64_stats_sync.h`](srctree/include/linux/u64_stats_sync.h)

use crate::{
    alloc::{AllocError, Flags},
    bindings,
    prelude::*,
};
use core::{marker::PhantomData, ptr::NonNull};

/// The counters of one CPU.
#[repr(C)]
struct Slot<const N: usize> {
    syncp: bindings::u64_stats_sync,
    counters: [bindings::u64_stats_t; N],
}

/// A set of `N` per-CPU 64-bit counters.
///
/// # Invariants
///
/// `ptr` is a per-CPU allocation of a `Slot<N>` for every possible CPU,
/// zeroed and with an initialised `syncp`, owned by this object.
///
/// # Examples
///
/// ```
/// use kernel::net::stats::PerCpuCounters;
///
/// let stats = PerCpuCounters::<2>::new(GFP_KERNEL)?;
/// assert_eq!(stats.sum(), [0, 0]);
/// stats.update(|c| {
///     c.add(0, 3);
///     c.add(1, 1);
/// });
/// stats.update(|c| c.add(0, 4));
/// assert_eq!(stats.sum(), [7, 1]);
/// # Ok::<(), kernel::alloc::AllocError>(())
/// ```
pub struct PerCpuCounters<const N: usize> {
    ptr: NonNull<Slot<N>>,
    _p: PhantomData<Slot<N>>,
}

// SAFETY: The allocation is not tied to the thread that made it.
unsafe impl<const N: usize> Send for PerCpuCounters<N> {}

// SAFETY: Writers only touch the instance of the CPU they run on, either
// with one CPU-local instruction per update or inside a write section with
// preemption disabled (and interrupts too where 64-bit updates are not
// atomic); readers use the `u64_stats_sync` retry protocol.
unsafe impl<const N: usize> Sync for PerCpuCounters<N> {}

/// Write access to the current CPU's counters inside one write section.
///
/// # Invariants
///
/// On x86-64 SMP, `slot` is the per-CPU address of the allocation and every
/// update is a single CPU-local instruction (`this_cpu_add()` or
/// `this_cpu_inc()`); elsewhere
/// `slot` is the current CPU's slot, and a `u64_stats_sync` write section on
/// it is open (with preemption disabled) for the lifetime of this object.
pub struct CounterWriter<'a, const N: usize> {
    // Readers on other CPUs may load the slot at any time: no `&mut`.
    slot: *mut Slot<N>,
    _p: PhantomData<&'a PerCpuCounters<N>>,
}

impl<const N: usize> CounterWriter<'_, N> {
    /// Adds `value` to counter `index`; an index out of range is ignored.
    #[inline]
    pub fn add(&mut self, index: usize, value: u32) {
        if index >= N {
            return;
        }
        #[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
        {
            // SAFETY: `index < N` keeps the counter inside the live per-CPU
            // allocation, whose counters are only written this way.
            unsafe { this_cpu_add(self.per_cpu_counter(index), value.into()) };
        }
        #[cfg(not(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML))))]
        {
            // SAFETY: `index < N` keeps the pointer inside the valid slot, and
            // by the type invariant this CPU is the only writer of this slot.
            let counter = unsafe { &raw mut (*self.slot).counters[index] };
            // SAFETY: As above.
            unsafe { bindings::u64_stats_add(counter, value as c_ulong) };
        }
    }

    /// Adds one to counter `index`; an index out of range is ignored.
    #[inline]
    pub fn inc(&mut self, index: usize) {
        #[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
        {
            if index >= N {
                return;
            }
            // SAFETY: `index < N` keeps the counter inside the live per-CPU
            // allocation, whose counters are only written this way.
            unsafe { this_cpu_inc(self.per_cpu_counter(index)) };
        }
        #[cfg(not(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML))))]
        {
            self.add(index, 1);
        }
    }

    /// Returns the per-CPU address of counter `index`.
    #[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
    #[inline]
    fn per_cpu_counter(&self, index: usize) -> *mut bindings::u64_stats_t {
        self.slot
            .wrapping_byte_add(
                core::mem::offset_of!(Slot<N>, counters)
                    + index * size_of::<bindings::u64_stats_t>(),
            )
            .cast()
    }
}

/// Adds `value` to the current CPU's instance of the per-CPU `counter`
/// (`this_cpu_add`): one instruction, which neither preemption nor an
/// interrupt can split, so it needs no write section.
///
/// # Safety
///
/// `counter` must be the per-CPU address (not one CPU's instance) of a
/// `u64_stats_t` in a live per-CPU allocation, whose writers all update it
/// with CPU-local operations.
#[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
#[inline(always)]
pub(crate) unsafe fn this_cpu_add(counter: *mut bindings::u64_stats_t, value: u64) {
    // SAFETY: The `gs` base is the current CPU's per-CPU offset, so this
    // addresses the current CPU's instance, which the caller guarantees to be
    // a live `u64_stats_t` (a `local64_t` on 64-bit); one `add` is atomic
    // against everything that runs on this CPU, and readers on other CPUs
    // load the 8 aligned bytes whole.
    unsafe {
        core::arch::asm!(
            "add qword ptr gs:[{counter}], {value}",
            counter = in(reg) counter,
            value = in(reg) value,
            options(nostack),
        )
    };
}

/// Adds one to the current CPU's instance of the per-CPU `counter`
/// (`this_cpu_inc`), like [`this_cpu_add`] but with no register to load.
///
/// # Safety
///
/// As for [`this_cpu_add`].
#[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
#[inline(always)]
pub(crate) unsafe fn this_cpu_inc(counter: *mut bindings::u64_stats_t) {
    // SAFETY: The `gs` base is the current CPU's per-CPU offset and the
    // caller guarantees a live `u64_stats_t` there; one `inc` is atomic
    // against everything on this CPU, and other CPUs load the 8 bytes whole.
    unsafe {
        core::arch::asm!(
            "inc qword ptr gs:[{counter}]",
            counter = in(reg) counter,
            options(nostack),
        )
    };
}

impl<const N: usize> PerCpuCounters<N> {
    /// Allocates a zeroed set of counters for every possible CPU.
    pub fn new(flags: Flags) -> Result<Self, AllocError> {
        // SAFETY: FFI call with a valid size and alignment.
        let raw = unsafe {
            bindings::__alloc_percpu_gfp(
                size_of::<Slot<N>>(),
                align_of::<Slot<N>>(),
                flags.as_raw(),
            )
        };
        let ptr = NonNull::new(raw.cast::<Slot<N>>()).ok_or(AllocError)?;
        for cpu in possible_cpus() {
            // SAFETY: `ptr` is a live per-CPU allocation and `cpu` is a
            // possible CPU, so the slot is valid memory owned by us.
            let slot = unsafe { bindings::per_cpu_ptr(ptr.as_ptr().cast(), cpu) }.cast::<Slot<N>>();
            // SAFETY: `slot` is valid and nobody else can see it yet.
            unsafe { bindings::u64_stats_init(&raw mut (*slot).syncp) };
        }
        // INVARIANT: allocated (zeroed by the allocator) and initialised above.
        Ok(Self {
            ptr,
            _p: PhantomData,
        })
    }

    /// Updates the current CPU's counters in one write section.
    ///
    /// Safe from any context, interrupts included.
    #[inline]
    pub fn update(&self, f: impl FnOnce(&mut CounterWriter<'_, N>)) {
        #[cfg(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML)))]
        {
            // INVARIANT: Each `add` or `inc` is one CPU-local instruction
            // on the per-CPU address: no section, no preemption to disable.
            f(&mut CounterWriter {
                slot: self.ptr.as_ptr(),
                _p: PhantomData,
            });
        }
        #[cfg(not(all(CONFIG_X86_64, CONFIG_SMP, not(CONFIG_UML))))]
        {
            // SAFETY: The per-CPU allocation is live (type invariant);
            // `get_cpu_ptr` disables preemption until `put_cpu_ptr` below.
            let slot = unsafe { bindings::get_cpu_ptr(self.ptr.as_ptr().cast()) }.cast::<Slot<N>>();
            // SAFETY: `slot` is this CPU's valid slot; `syncp` was initialised in `new`.
            let flags = unsafe { bindings::u64_stats_update_begin_irqsave(&raw mut (*slot).syncp) };
            // INVARIANT: the write section on this CPU's slot is open.
            let mut writer = CounterWriter {
                slot,
                _p: PhantomData,
            };
            f(&mut writer);
            // SAFETY: Closes the section opened above with its flags.
            unsafe { bindings::u64_stats_update_end_irqrestore(&raw mut (*slot).syncp, flags) };
            // SAFETY: Pairs with `get_cpu_ptr` above.
            unsafe { bindings::put_cpu_ptr(self.ptr.as_ptr().cast()) };
        }
    }

    /// Adds `value` to counter `index` of the current CPU; an index out of
    /// range is ignored. Safe from any context.
    #[inline]
    pub fn add(&self, index: usize, value: u32) {
        self.update(|c| c.add(index, value));
    }

    /// Adds one to counter `index` of the current CPU; an index out of range
    /// is ignored. Safe from any context.
    #[inline]
    pub fn inc(&self, index: usize) {
        self.update(|c| c.inc(index));
    }

    /// Returns the sum of each counter over all possible CPUs.
    pub fn sum(&self) -> [u64; N] {
        let mut total = [0u64; N];
        // SAFETY: The allocation is live and holds a `Slot<N>` per CPU.
        unsafe { sum_slots(self.ptr.as_ptr().cast(), &mut total) };
        total
    }
}

/// Adds each counter of a per-CPU allocation of slots, over all possible
/// CPUs, to `total`: one out-of-line copy for every `N`, as reading is rare.
///
/// # Safety
///
/// `ptr` must be a live per-CPU allocation of a `Slot<M>` with
/// `M == total.len()`, and its `syncp` initialised.
#[inline(never)]
unsafe fn sum_slots(ptr: *mut Slot<0>, total: &mut [u64]) {
    for cpu in possible_cpus() {
        // SAFETY: `cpu` is a possible CPU and the allocation is live.
        let slot = unsafe { bindings::per_cpu_ptr(ptr.cast(), cpu) }
            .cast::<Slot<0>>()
            .cast_const();
        // SAFETY: `slot` is valid (caller).
        let counters = unsafe { &raw const (*slot).counters }.cast::<bindings::u64_stats_t>();
        for (index, sum) in total.iter_mut().enumerate() {
            // SAFETY: `index < M`: inside the slot (caller).
            let counter = unsafe { counters.add(index) };
            let value = loop {
                // SAFETY: `syncp` is initialised (caller).
                let start = unsafe { bindings::u64_stats_fetch_begin(&raw const (*slot).syncp) };
                // SAFETY: `counter` is valid, see above.
                let value = unsafe { bindings::u64_stats_read(counter) };
                // SAFETY: As above; `start` comes from `u64_stats_fetch_begin`.
                if !unsafe { bindings::u64_stats_fetch_retry(&raw const (*slot).syncp, start) } {
                    break value;
                }
            };
            *sum = sum.wrapping_add(value);
        }
    }
}

impl<const N: usize> Drop for PerCpuCounters<N> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `__alloc_percpu_gfp` and is freed only here.
        unsafe { bindings::free_percpu(self.ptr.as_ptr().cast()) };
    }
}

/// Iterates over the CPUs in `mask`.
///
/// # Safety
///
/// `mask` must be valid for as long as the iterator is used.
unsafe fn cpus_in(mask: *mut bindings::cpumask) -> impl Iterator<Item = u32> {
    (0..crate::cpu::nr_cpu_ids()).filter(move |&cpu| {
        // SAFETY: `mask` is valid as the caller guarantees; `cpu` is in range.
        unsafe { bindings::cpumask_test_cpu(cpu as c_int, mask) }
    })
}

/// Iterates over the possible CPUs.
fn possible_cpus() -> impl Iterator<Item = u32> {
    // SAFETY: `__cpu_possible_mask` is a static cpumask that lives forever.
    unsafe { cpus_in(&raw mut bindings::__cpu_possible_mask) }
}

#[cfg(CONFIG_RUST_NETDEV_KUNIT_TEST)]
#[macros::kunit_tests(rust_net_stats)]
mod tests {
    use super::*;
    use crate::error::from_err_ptr;
    use core::sync::atomic::{AtomicUsize, Ordering};

    const ROUNDS: u64 = 200_000;

    #[test]
    fn empty_reads_zero() -> Result {
        let stats = PerCpuCounters::<4>::new(GFP_KERNEL)?;
        assert_eq!(stats.sum(), [0; 4]);
        Ok(())
    }

    #[test]
    fn out_of_range_index_is_ignored() -> Result {
        let stats = PerCpuCounters::<2>::new(GFP_KERNEL)?;
        stats.update(|c| {
            c.add(2, 5);
            c.add(1, u32::MAX);
            c.add(1, 1);
        });
        assert_eq!(stats.sum(), [0, 1 << 32]);
        Ok(())
    }

    struct Shared {
        stats: PerCpuCounters<2>,
        finished: AtomicUsize,
    }

    /// # Safety
    ///
    /// `data` must point to a `Shared` that outlives the thread.
    unsafe extern "C" fn writer(data: *mut c_void) -> c_int {
        // SAFETY: `data` is the `Shared` the test keeps alive until every
        // writer is stopped.
        let shared = unsafe { &*data.cast::<Shared>() };
        for _ in 0..ROUNDS {
            shared.stats.update(|c| {
                c.add(0, 1);
                c.add(1, 3);
            });
        }
        shared.finished.fetch_add(1, Ordering::Release);
        0
    }

    /// One writer kthread bound to each online CPU, and reads meanwhile:
    /// no read goes backwards, and the final sums are exact.
    #[test]
    fn concurrent_writers_sum_exactly() -> Result {
        let shared = KBox::new(
            Shared {
                stats: PerCpuCounters::new(GFP_KERNEL)?,
                finished: AtomicUsize::new(0),
            },
            GFP_KERNEL,
        )?;
        let stats = &shared.stats;
        let data = (&raw const *shared).cast_mut().cast::<c_void>();
        let mut threads = KVec::new();
        let mut started = Ok(());
        // SAFETY: `__cpu_online_mask` is a static cpumask.
        for cpu in unsafe { cpus_in(&raw mut bindings::__cpu_online_mask) } {
            // SAFETY: `writer` matches the thread function type and `data`
            // outlives the thread (stopped below).
            let task = match from_err_ptr(unsafe {
                bindings::kthread_create_on_cpu(
                    Some(writer),
                    data,
                    cpu,
                    c"rust_stats/%u".as_char_ptr(),
                )
            }) {
                Ok(task) => task,
                Err(e) => {
                    started = Err(e);
                    break;
                }
            };
            // SAFETY: `task` is a new kthread; the reference taken here is
            // dropped by `kthread_stop_put`.
            unsafe {
                bindings::get_task_struct(task);
                bindings::wake_up_process(task);
            }
            if let Err(e) = threads.push(task, GFP_KERNEL) {
                // SAFETY: As below.
                unsafe { bindings::kthread_stop_put(task) };
                started = Err(e.into());
                break;
            }
        }
        // Assert only once every writer is stopped: they use `stats`.
        let mut went_back = false;
        let mut last = [0u64; 2];
        for _ in 0..1000 {
            let now = stats.sum();
            went_back |= now[0] < last[0] || now[1] < last[1];
            last = now;
        }
        // A kthread stopped before it ran never runs: wait for the writers
        // (bounded, in case one never gets a CPU).
        for _ in 0..10_000 {
            if shared.finished.load(Ordering::Acquire) == threads.len() {
                break;
            }
            // SAFETY: Sleeping is allowed in a KUnit test.
            unsafe { bindings::msleep(1) };
        }
        for task in &threads {
            // SAFETY: We hold a reference on `task` from `get_task_struct`.
            unsafe { bindings::kthread_stop_put(*task) };
        }
        started?;
        assert!(!went_back);
        let n = threads.len() as u64;
        assert!(n > 0);
        assert_eq!(shared.finished.load(Ordering::Acquire), threads.len());
        assert_eq!(stats.sum(), [ROUNDS * n, 3 * ROUNDS * n]);
        Ok(())
    }
}
