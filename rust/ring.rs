// SPDX-License-Identifier: GPL-2.0

//! A fixed ring of samples with one producer and one consumer, both on the
//! same CPU: the sampler's overflow handler pushes in NMI, and the CPU's
//! irq_work drains. Neither side locks, waits or allocates; the producer
//! can interrupt the consumer at any point (NMI), never the other way
//! round. A push into a full ring is counted and the sample dropped.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;

use kernel::sync::atomic::{
    Acquire,
    Atomic,
    Relaxed,
    Release, //
};

/// Samples a ring holds; a power of two. Each NMI queues an irq_work, which
/// runs as soon as the NMI returns, so a ring holds more than one sample
/// only while its CPU has interrupts off.
pub(crate) const RING_LEN: usize = 64;

/// A single-producer, single-consumer ring of `T`.
pub(crate) struct Ring<T: Copy> {
    slots: [UnsafeCell<MaybeUninit<T>>; RING_LEN],
    /// Next slot the producer fills; only the producer writes it.
    head: Atomic<u32>,
    /// Next slot the consumer reads; only the consumer writes it.
    tail: Atomic<u32>,
    /// Pushes that found the ring full, not yet taken by the consumer.
    overflow: Atomic<u32>,
}

// SAFETY: a slot is written only by the one producer while it is outside
// `tail..head`, and read only by the one consumer while it is inside; the
// Release/Acquire pairs on `head` and `tail` order those accesses. The
// callers of `push` and `drain` uphold one producer and one consumer.
unsafe impl<T: Copy + Send> Sync for Ring<T> {}

impl<T: Copy> Ring<T> {
    /// An empty ring.
    pub(crate) const fn new() -> Self {
        Ring {
            slots: [const { UnsafeCell::new(MaybeUninit::uninit()) }; RING_LEN],
            head: Atomic::new(0),
            tail: Atomic::new(0),
            overflow: Atomic::new(0),
        }
    }

    /// Appends `item`; false, and counted as overflow, if the ring is full.
    /// Only one producer may call this at a time.
    pub(crate) fn push(&self, item: T) -> bool {
        let head = self.head.load(Relaxed);
        // Acquire: the consumer has finished reading the slots it freed.
        let tail = self.tail.load(Acquire);
        if head.wrapping_sub(tail) as usize >= RING_LEN {
            self.overflow.fetch_add(1, Relaxed);
            return false;
        }
        let slot = &self.slots[head as usize % RING_LEN];
        // SAFETY: `head` is outside `tail..head`, so the consumer does not
        // read this slot until the Release store below publishes it, and
        // there is only one producer.
        unsafe { (*slot.get()).write(item) };
        self.head.store(head.wrapping_add(1), Release);
        true
    }

    /// Takes every queued item, in order, and returns how many were taken
    /// and how many pushes overflowed since the last drain. Only one
    /// consumer may call this at a time.
    pub(crate) fn drain(&self, mut f: impl FnMut(T)) -> (u32, u32) {
        let mut tail = self.tail.load(Relaxed);
        // Acquire: the slots up to `head` are written.
        let head = self.head.load(Acquire);
        let mut taken: u32 = 0;
        while tail != head {
            let slot = &self.slots[tail as usize % RING_LEN];
            // SAFETY: `tail` is inside `tail..head`: the producer wrote it
            // before its Release store of `head`, and does not touch it
            // again until the Release store of `tail` below frees it.
            let item = unsafe { (*slot.get()).assume_init_read() };
            tail = tail.wrapping_add(1);
            // Free each slot before handling its item, which may take long.
            self.tail.store(tail, Release);
            f(item);
            taken = taken.saturating_add(1);
        }
        (taken, self.overflow.xchg(0, Relaxed))
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/ring.rs"]
mod kunit;
