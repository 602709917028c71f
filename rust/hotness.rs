// SPDX-License-Identifier: GPL-2.0

//! The hotness store inside the kernel: the engine's shards, each behind its
//! own interrupt-safe spinlock, and the promotion policy (rate limit and
//! dynamic threshold) that only kpromoted uses.
//!
//! Locking: a report locks exactly one shard, chosen by a hash of the PFN,
//! with interrupts off (reports come from hard-IRQ context too), so reports
//! on different PFNs rarely meet on a lock and never on a global one.
//! kpromoted locks one shard at a time to take candidates or prune. The
//! policy sits behind a mutex of its own, taken only by kpromoted threads
//! and knob writes, never on the report path. The only nesting is a shard
//! lock taken inside the policy mutex (to apply a new threshold), never the
//! other way round.

use core::pin::Pin;

use kernel::alloc::KVVec;
use kernel::prelude::*;
use kernel::sync::{
    new_mutex,
    Mutex, //
};

use crate::engine::{
    self,
    shard_of,
    Alloc,
    Candidate,
    Outcome,
    Params,
    RateLimiter,
    Shard,
    Stats,
    ThresholdTuner,
    TunerParams, //
};
use crate::lock::SpinLockIrq;

/// Shards of the store. A power of two well above the CPU count of the
/// machines pghot targets keeps lock contention between reporters low.
pub(crate) const NR_SHARDS: usize = 16;

/// The engine's storage, from the kernel allocator (vmalloc for big pools).
pub(crate) struct KernelAlloc;

impl Alloc for KernelAlloc {
    type Buf<T: Copy> = KVVec<T>;

    fn alloc<T: Copy>(&self, n: usize, init: T) -> Result<KVVec<T>, engine::AllocError> {
        KVVec::from_elem(init, n, GFP_KERNEL).map_err(|_| engine::AllocError)
    }
}

/// Maps engine construction errors to errnos.
pub(crate) fn errno(e: engine::Error) -> Error {
    match e {
        engine::Error::NoMemory => ENOMEM,
        engine::Error::Invalid(_) => EINVAL,
    }
}

/// What a report did, as the report path needs to know.
pub(crate) struct StoreOutcome {
    /// The engine's outcome.
    pub(crate) outcome: Outcome,
    /// Records in the target's heap in this shard, after the report.
    pub(crate) heap_len: usize,
    /// The target's current (possibly tuned) hotness threshold.
    pub(crate) threshold: u8,
}

/// Rate limiter and threshold tuner, shared by the kpromoted threads.
pub(crate) struct Policy {
    pub(crate) limiter: RateLimiter<KernelAlloc>,
    pub(crate) tuner: ThresholdTuner<KernelAlloc>,
}

/// Most pool slots one hold of a shard lock visits when pruning.
const PRUNE_CHUNK: u32 = 256;

/// The store of per-PFN hotness.
#[pin_data]
pub(crate) struct Store {
    #[pin]
    shards: [SpinLockIrq<Option<Shard<KernelAlloc>>>; NR_SHARDS],
    #[pin]
    pub(crate) policy: Mutex<Policy>,
}

impl Store {
    /// Allocates every shard and the policy up front; nothing allocates later.
    pub(crate) fn new(
        params: &Params,
        rate_mbps: u64,
        tuner: TunerParams,
    ) -> Result<Pin<KBox<Self>>> {
        let mut built = KVec::with_capacity(NR_SHARDS, GFP_KERNEL)?;
        for _ in 0..NR_SHARDS {
            built.push(Shard::new(params, &KernelAlloc).map_err(errno)?, GFP_KERNEL)?;
        }
        let policy = Policy {
            limiter: RateLimiter::new(
                params.nr_nodes,
                rate_mbps,
                kernel::page::PAGE_SHIFT as u32,
                &KernelAlloc,
            )
            .map_err(errno)?,
            tuner: ThresholdTuner::new(params.nr_nodes, tuner, &KernelAlloc).map_err(errno)?,
        };
        let mut shards = built.into_iter();
        let store = KBox::pin_init(
            pin_init!(Store {
                shards <- pin_init::pin_init_array_from_fn(|_| {
                    SpinLockIrq::new(shards.next(), c"pghot_shard", kernel::static_lock_class!())
                }),
                policy <- new_mutex!(policy, "pghot_policy"),
            }),
            GFP_KERNEL,
        )?;
        Ok(store)
    }

    /// Records one access to `pfn` for target node `nid`. Interrupt-safe,
    /// allocation-free. Also returns the heap length of `nid` in the shard,
    /// for the caller's decision to wake kpromoted.
    #[inline]
    pub(crate) fn record(&self, pfn: u64, nid: u32, now: u64) -> Option<StoreOutcome> {
        let mut guard = self.shards[shard_of(pfn, NR_SHARDS)].lock();
        let shard = Option::as_mut(&mut *guard)?;
        let outcome = shard.record_access(pfn, nid, now);
        Some(StoreOutcome {
            outcome,
            heap_len: shard.heap_len(nid),
            threshold: shard.threshold(nid),
        })
    }

    /// Takes up to `out.len()` of the hottest candidates for node `nid`,
    /// fairly from every shard (PFNs hash evenly over shards).
    pub(crate) fn take_hottest(&self, nid: u32, now: u64, out: &mut [Candidate]) -> usize {
        let mut taken = 0;
        // Two rounds: an even share first, then whatever shards still hold.
        for round in 0..2 {
            for s in self.shards.iter() {
                if taken >= out.len() {
                    return taken;
                }
                let room = out.len() - taken;
                let want = if round == 0 {
                    room.min(out.len().div_ceil(NR_SHARDS))
                } else {
                    room
                };
                let mut guard = s.lock();
                if let Some(shard) = Option::as_mut(&mut *guard) {
                    taken += shard.take_hottest(nid, now, &mut out[taken..taken + want]);
                }
            }
        }
        taken
    }

    /// Forgets `pfn` (promoted, or no longer promotable). Returns whether
    /// it was tracked.
    pub(crate) fn remove(&self, pfn: u64) -> bool {
        let mut guard = self.shards[shard_of(pfn, NR_SHARDS)].lock();
        Option::as_mut(&mut *guard).is_some_and(|shard| shard.remove(pfn))
    }

    /// Prunes idle records, visiting at most `budget` slots per shard, at
    /// most [`PRUNE_CHUNK`] of them per hold of a shard's lock, so that
    /// interrupts are never off for long.
    pub(crate) fn prune(&self, now: u64, budget: u32) {
        for s in self.shards.iter() {
            let mut left = budget;
            while left > 0 {
                let step = left.min(PRUNE_CHUNK);
                match Option::as_mut(&mut *s.lock()) {
                    Some(shard) => shard.prune(now, step),
                    None => break,
                };
                left -= step;
            }
        }
    }

    /// Sets the hotness threshold of `nid` in every shard.
    pub(crate) fn set_threshold(&self, nid: u32, threshold: u8) {
        for s in self.shards.iter() {
            if let Some(shard) = Option::as_mut(&mut *s.lock()) {
                let _ = shard.set_threshold(nid, threshold);
            }
        }
    }

    /// Sets the window length in every shard.
    pub(crate) fn set_window(&self, window_jiffies: u64) -> Result {
        for s in self.shards.iter() {
            if let Some(shard) = Option::as_mut(&mut *s.lock()) {
                shard.set_window(window_jiffies).map_err(errno)?;
            }
        }
        Ok(())
    }

    /// Sum of the engine counters over shards, and the number of records.
    pub(crate) fn stats(&self) -> (Stats, usize) {
        let mut sum = Stats::default();
        let mut len = 0;
        for s in self.shards.iter() {
            if let Some(shard) = Option::as_ref(&*s.lock()) {
                sum.merge(shard.stats());
                len += shard.len();
            }
        }
        (sum, len)
    }

    /// Visits the hottest records of node `nid`, shard by shard, with a
    /// shard's lock held during its visit (for debugfs).
    pub(crate) fn for_each_hot(
        &self,
        nid: u32,
        max_per_shard: usize,
        mut f: impl FnMut(Candidate),
    ) {
        for s in self.shards.iter() {
            if let Some(shard) = Option::as_ref(&*s.lock()) {
                shard.hottest(nid).take(max_per_shard).for_each(&mut f);
            }
        }
    }
}

impl Store {
    /// Visits every record in the heaps of node `nid` with its age in
    /// jiffies at `now`, a shard's lock held during its visit (for the
    /// agent device).
    pub(crate) fn for_each_hot_aged(&self, nid: u32, now: u64, mut f: impl FnMut(Candidate, u64)) {
        for s in self.shards.iter() {
            if let Some(shard) = Option::as_ref(&*s.lock()) {
                shard.hottest_aged(nid, now).for_each(|(c, age)| f(c, age));
            }
        }
    }
}

/// Store parameters for `per_shard` records per shard, `nr_nodes` node
/// ids, a clock of `hz` ticks per second and `threshold` accesses to turn
/// hot. The window is built at `longest_window_jiffies`, the longest the
/// caller will ever set, so that the engine's time resolution serves every
/// window; the real window is set right after.
pub(crate) fn params(
    per_shard: u32,
    nr_nodes: u32,
    hz: u32,
    threshold: u8,
    longest_window_jiffies: u64,
) -> Result<Params> {
    let mut p = Params::with_capacity(per_shard, nr_nodes.max(1), hz);
    p.freq_threshold = threshold;
    p.window_jiffies = longest_window_jiffies;
    // Each shard's heaps hold its share of a few batches.
    p.heap_capacity = (per_shard / 4).clamp(16, 4096);
    p.memory_bytes().ok_or(ENOMEM)?;
    Ok(p)
}

/// Tuner settings: every two seconds, one step up when more candidates came
/// than the rate limit admits, one step down when fewer did, never below
/// `threshold` (the administrator's choice is the loosest setting) and
/// never above the 15 a record can count.
pub(crate) fn tuner_params(threshold: u8, hz: u32) -> TunerParams {
    TunerParams {
        period_jiffies: 2 * u64::from(hz),
        min: threshold,
        max: 15,
        step: 1,
        initial: threshold,
    }
}

impl Policy {
    /// Restarts the dynamic threshold of `nr_nodes` nodes from `threshold`
    /// (a `freq_threshold` write). Allocates; process context only.
    pub(crate) fn reset_threshold(&mut self, nr_nodes: u32, threshold: u8, hz: u32) -> Result {
        self.tuner =
            ThresholdTuner::new(nr_nodes.max(1), tuner_params(threshold, hz), &KernelAlloc)
                .map_err(errno)?;
        Ok(())
    }
}

#[cfg(pghot_kunit)]
#[path = "../kunit/hotness.rs"]
mod kunit;
