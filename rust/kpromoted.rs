// SPDX-License-Identifier: GPL-2.0

//! kpromoted: what a thread does in one pass (prune idle records, take the
//! hottest candidates for its node, apply the rate limit and the dynamic
//! threshold, migrate the admitted pages in one batch), and which nodes
//! run a thread. The threads themselves (creation, binding, sleeping) live
//! in `kpromoted.c`, the page side of migration in `migrate.c`.

use kernel::error::to_result;
use kernel::ffi::{
    c_int,
    c_uint,
    c_ulong, //
};
use kernel::pr_warn_once;
use kernel::prelude::*;
use kernel::sync::atomic::{
    Acquire,
    Atomic,
    Relaxed,
    Release, //
};

use crate::bindings::{
    self,
    Fail,
    PromoteResult,
    Stat, //
};
use crate::engine::Candidate;
use crate::hotness::{
    Store,
    NR_SHARDS, //
};
use crate::jiffies;
use crate::knob::{
    self,
    MAX_BATCH, //
};
use crate::nodes;
use crate::pfn;
use crate::state;
use crate::stats;
use crate::trace;

/// Fewest pool slots a shard's prune visits per kpromoted pass.
const PRUNE_MIN: u64 = 16;

/// The buffers of a pass, one set per target node, allocated by the
/// node's first pass and kept until unload, so that passes never allocate.
struct Scratch {
    /// Candidates taken from the heaps, `MAX_BATCH` of them.
    cands: KVec<Candidate>,
    /// PFNs admitted by the rate limit; capacity `MAX_BATCH`.
    pfns: KVec<c_ulong>,
}

static SCRATCH: [Atomic<*mut Scratch>; nodes::MAX_NODES] =
    [const { Atomic::new(core::ptr::null_mut()) }; nodes::MAX_NODES];

/// Runs `f` on the buffers of node `nid`, allocating them the first time.
///
/// Only the kpromoted thread of `nid` calls this (from its pass), and the C
/// side runs at most one thread per node: a new one starts only after
/// `kthread_stop()` of the old one returned. So the buffers of `nid` are
/// never used by two passes at once.
fn with_scratch<R>(nid: u32, f: impl FnOnce(&mut Scratch) -> R) -> Result<R> {
    let slot = SCRATCH.get(nid as usize).ok_or(EINVAL)?;
    let mut p = slot.load(Acquire);
    if p.is_null() {
        let scratch = KBox::new(
            Scratch {
                cands: KVec::from_elem(Candidate::default(), MAX_BATCH, GFP_KERNEL)?,
                pfns: KVec::with_capacity(MAX_BATCH, GFP_KERNEL)?,
            },
            GFP_KERNEL,
        )?;
        p = KBox::into_raw(scratch);
        slot.store(p, Release);
    }
    // `p` is freed only by `free_scratch`, after every thread stopped, and
    // only this node's single thread gets here (see above).
    // SAFETY: `p` came from `KBox::into_raw` and the reference is unique.
    Ok(f(unsafe { &mut *p }))
}

/// Frees the buffers of every node; call only once every thread stopped.
fn free_scratch() {
    for slot in SCRATCH.iter() {
        let p = slot.xchg(core::ptr::null_mut(), Relaxed);
        if !p.is_null() {
            // SAFETY: `p` came from `KBox::into_raw` in `with_scratch`, and
            // no thread is left that could use it.
            drop(unsafe { KBox::from_raw(p) });
        }
    }
}

/// Set when teardown begins: from then on no kpromoted may start, whatever
/// a late knob write or hotplug event asks.
static STOPPING: Atomic<bool> = Atomic::new(false);

/// The nodes that should run kpromoted now; asked under the C side's
/// thread mutex, so the answer and the threads always agree.
#[no_mangle]
pub(crate) extern "C" fn pghot_kpromoted_wanted() -> u64 {
    if STOPPING.load(Relaxed) || !knob::ENABLED.on() {
        0
    } else {
        nodes::targets()
    }
}

/// Runs kpromoted on exactly the target nodes while pghot is enabled.
/// Sleeps.
pub(crate) fn sync() -> Result {
    // SAFETY: process context (sysfs store, module init/exit, hotplug
    // notifier); the C side decides and acts under one mutex.
    to_result(unsafe { bindings::pghot_kpromoted_sync() })
}

/// Wakes the kpromoted thread of `nid`, if it runs. Any context but NMI.
#[inline]
pub(crate) fn wake(nid: u32) {
    // SAFETY: looks the thread up under RCU and wakes it; any id is fine.
    unsafe { bindings::pghot_kpromoted_wake(nid as i32) }
}

/// Whether a kpromoted thread serves `nid`.
pub(crate) fn running(nid: u32) -> bool {
    // SAFETY: reads an RCU-published pointer without dereferencing it.
    unsafe { bindings::pghot_kpromoted_running(nid as i32) }
}

/// The kpromoted threads of a loaded module: started on creation, stopped
/// for good on drop.
pub(crate) struct Threads(());

impl Threads {
    pub(crate) fn start() -> Result<Self> {
        let threads = Threads(());
        sync()?;
        Ok(threads)
    }
}

impl Drop for Threads {
    fn drop(&mut self) {
        STOPPING.store(true, Release);
        // With `STOPPING` set, sync stops every thread (each after its
        // pass) and fails only for starting one, so none is left after it.
        let _ = sync();
        free_scratch();
    }
}

/// Carries out the `/dev/pghot` move handed to this thread, if there is
/// one (`agent.c` keeps the request; its PFNs come back through
/// `pghot_agent_move_run()` in `agent.rs`). Sleeps.
fn serve_agent_move(nid: u32) {
    // SAFETY: called from the kpromoted thread of `nid`, which may sleep;
    // any node id is accepted.
    unsafe { bindings::pghot_agent_move_serve(nid as c_int) }
}

/// Isolates and migrates the pages of `pfns` to `nid` in one batch. Sleeps.
fn promote_batch(pfns: &[c_ulong], nid: u32) -> PromoteResult {
    let mut res = PromoteResult::default();
    // SAFETY: `pfns` is valid for `pfns.len()` reads, `res` for a write;
    // called from a kpromoted thread, which may sleep.
    unsafe {
        bindings::pghot_promote_batch(pfns.as_ptr(), pfns.len() as u32, nid as i32, &mut res)
    };
    res
}

/// One pass for target node `nid`. Returns the time to sleep, in ms: 0
/// when the pass took a full batch and the rate limit refused none of it,
/// since more hot pages are then likely waiting.
#[no_mangle]
pub(crate) extern "C" fn pghot_kpromoted_pass(nid: c_int) -> c_uint {
    let sleep_ms = knob::KPROMOTED_SLEEP_MS.get() as c_uint;
    let (Some(store), Ok(nid)) = (state::store(), u32::try_from(nid)) else {
        return sleep_ms;
    };
    if !knob::ENABLED.on() {
        return sleep_ms;
    }
    serve_agent_move(nid);
    match with_scratch(nid, |scratch| promote(store, nid, scratch)) {
        Ok(Pass::Full) => 0,
        Ok(Pass::Partial) => sleep_ms,
        Err(e) => {
            pr_warn_once!("kpromoted: no memory for pass buffers: {:?}\n", e);
            sleep_ms
        }
    }
}

/// How much a pass found to do.
enum Pass {
    /// A full batch, all of it admitted by the rate limit.
    Full,
    /// Less than that.
    Partial,
}

fn promote(store: &Store, nid: u32, scratch: &mut Scratch) -> Pass {
    let now = jiffies::now();
    // Visit each shard's whole pool about once per window: stale records
    // go within a few windows, at a cost spread evenly over the passes.
    let sleep = knob::KPROMOTED_SLEEP_MS.get();
    let window = knob::FREQ_WINDOW_MS.get().max(1);
    let per_shard = knob::POOL_SIZE.get() / NR_SHARDS as u64;
    let budget =
        (per_shard.saturating_mul(sleep) / window).clamp(PRUNE_MIN, per_shard.max(PRUNE_MIN));
    store.prune(now, budget as u32);

    let batch = (knob::KPROMOTED_BATCH_NR.get() as usize).min(MAX_BATCH);
    let cands = &mut scratch.cands[..batch];
    let pfns = &mut scratch.pfns;
    pfns.clear();
    // Even a pass with no candidate goes on: the dynamic threshold must see
    // the quiet periods too, or a raised threshold would never come down.
    let n = store.take_hottest(nid, now, cands);
    // The limit is in pages and a candidate may be a large folio: admit
    // folio by folio. A folio is taken if any budget is left, so a window
    // may overshoot by at most one folio, like NUMA balancing's own limit.
    let (mut candidate_pages, mut limited_pages) = (0u64, 0u64);
    {
        let mut policy = store.policy.lock();
        let hz = jiffies::hz();
        for c in &cands[..n] {
            let pages = u64::from(pfn::nr_pages(c.pfn).max(1));
            candidate_pages += pages;
            if policy.limiter.admit(nid, pages, now, hz) == 0 {
                limited_pages += pages;
                continue;
            }
            // At most `batch <= MAX_BATCH` candidates, the capacity.
            let _ = pfns.push_within_capacity(c.pfn as c_ulong);
        }
        policy.tuner.count(nid, candidate_pages);
        let before = policy.tuner.threshold(nid);
        let budget = policy.limiter.budget();
        if let Some(t) = policy.tuner.adjust(nid, now, hz, budget) {
            if t > before {
                stats::inc(Stat::ThresholdUp);
            } else if t < before {
                stats::inc(Stat::ThresholdDown);
            }
            store.set_threshold(nid, t);
        }
    }
    stats::add(Stat::PromoteCandidates, candidate_pages);
    stats::add(Stat::RateLimited, limited_pages);
    if pfns.is_empty() {
        return Pass::Partial;
    }

    let res = promote_batch(pfns, nid);
    stats::inc(Stat::Batches);
    stats::add(Stat::Promoted, u64::from(res.nr_moved));
    for (reason, count) in Fail::all().zip(res.fail.iter()) {
        stats::add(Stat::fail(reason), u64::from(*count));
    }
    trace::migrate_batch(nid, pfns.len() as u32, res.nr_moved);

    // Moved pages left the lower tier; the others must earn hotness again.
    // Rate-limited ones stay tracked and come back when they heat up again.
    for &pfn in pfns.iter() {
        store.remove(pfn as u64);
    }
    if n == batch && limited_pages == 0 {
        Pass::Full
    } else {
        Pass::Partial
    }
}
