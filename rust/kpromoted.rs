// SPDX-License-Identifier: GPL-2.0

//! What a kpromoted thread does in one pass: prune idle records, take the
//! hottest candidates for its node, apply the rate limit and the dynamic
//! threshold, and migrate the admitted pages in one batch. The thread itself
//! (creation, binding, sleeping) lives in `kpromoted.c`.

use kernel::ffi::{c_int, c_uint, c_ulong};
use kernel::prelude::*;

use crate::bindings::{self, pghot_promote_result};
use crate::engine::Candidate;
use crate::knob::{self, MAX_BATCH};
use crate::state;
use crate::stats;

/// Fewest pool slots a shard's prune visits per kpromoted pass.
const PRUNE_MIN: u64 = 16;

/// Counters for each `pghot_fail` reason, in order.
const FAIL_STATS: [u32; bindings::PGHOT_FAIL_NR as usize] = [
    bindings::PGHOT_STAT_FAIL_INVALID,
    bindings::PGHOT_STAT_FAIL_TOPTIER,
    bindings::PGHOT_STAT_FAIL_NOT_LRU,
    bindings::PGHOT_STAT_FAIL_ISOLATED,
    bindings::PGHOT_STAT_FAIL_PINNED,
    bindings::PGHOT_STAT_FAIL_SHARED,
    bindings::PGHOT_STAT_FAIL_NO_SPACE,
    bindings::PGHOT_STAT_FAIL_MIGRATE,
];

/// One pass for target node `nid`. Returns the time to sleep, in ms.
#[no_mangle]
pub(crate) extern "C" fn pghot_kpromoted_pass(nid: c_int) -> c_uint {
    let sleep_ms = knob::KPROMOTED_SLEEP_MS.get() as c_uint;
    let (Some(store), Ok(nid)) = (state::store(), u32::try_from(nid)) else {
        return sleep_ms;
    };
    if !knob::ENABLED.on() {
        return sleep_ms;
    }
    if let Err(e) = promote(store, nid) {
        pr_warn!("kpromoted{}: pass failed: {:?}\n", nid, e);
    }
    sleep_ms
}

fn promote(store: &crate::hotness::Store, nid: u32) -> Result {
    let now = bindings::jiffies();
    // Visit each shard's whole pool about once per window: stale records
    // go within a few windows, at a cost spread evenly over the passes.
    let sleep = knob::KPROMOTED_SLEEP_MS.get();
    let window = knob::FREQ_WINDOW_MS.get().max(1);
    let per_shard = knob::POOL_SIZE.get() / crate::hotness::NR_SHARDS as u64;
    let budget =
        (per_shard.saturating_mul(sleep) / window).clamp(PRUNE_MIN, per_shard.max(PRUNE_MIN));
    store.prune(now, budget as u32);

    let batch = (knob::KPROMOTED_BATCH_NR.get() as usize).min(MAX_BATCH);
    // Process context, outside every lock: allocating here is allowed, and
    // it keeps 4096-entry buffers off the kernel stack.
    let mut cands = KVec::from_elem(Candidate::default(), batch, GFP_KERNEL)?;
    // Even a pass with no candidate goes on: the dynamic threshold must see
    // the quiet periods too, or a raised threshold would never come down.
    let n = store.take_hottest(nid, now, &mut cands);
    // The limit is in pages and a candidate may be a large folio: admit
    // folio by folio. A folio is taken if any budget is left, so a window
    // may overshoot by at most one folio, like NUMA balancing's own limit.
    let mut pfns = KVec::with_capacity(n, GFP_KERNEL)?;
    let (mut candidate_pages, mut limited_pages) = (0u64, 0u64);
    {
        let mut policy = store.policy.lock();
        let hz = bindings::hz();
        for c in &cands[..n] {
            let pages = u64::from(bindings::pfn_nr_pages(c.pfn).max(1));
            candidate_pages += pages;
            if policy.limiter.admit(nid, pages, now, hz) == 0 {
                limited_pages += pages;
                continue;
            }
            pfns.push(c.pfn as c_ulong, GFP_KERNEL)?;
        }
        policy.tuner.count(nid, candidate_pages);
        let before = policy.tuner.threshold(nid);
        let budget = policy.limiter.budget();
        if let Some(t) = policy.tuner.adjust(nid, now, hz, budget) {
            if t > before {
                stats::inc(bindings::PGHOT_STAT_THRESHOLD_UP);
            } else if t < before {
                stats::inc(bindings::PGHOT_STAT_THRESHOLD_DOWN);
            }
            store.set_threshold(nid, t);
        }
    }
    stats::add(bindings::PGHOT_STAT_PROMOTE_CANDIDATES, candidate_pages);
    stats::add(bindings::PGHOT_STAT_RATE_LIMITED, limited_pages);
    if pfns.is_empty() {
        return Ok(());
    }

    let res: pghot_promote_result = bindings::promote_batch(&pfns, nid);
    stats::inc(bindings::PGHOT_STAT_BATCHES);
    stats::add(bindings::PGHOT_STAT_PROMOTED, u64::from(res.nr_moved));
    for (stat, count) in FAIL_STATS.iter().zip(res.fail.iter()) {
        stats::add(*stat, u64::from(*count));
    }
    bindings::trace_migrate_batch(nid, pfns.len() as u32, res.nr_moved);

    // Moved pages left the lower tier; the others must earn hotness again.
    // Rate-limited ones stay tracked and come back when they heat up again.
    for &pfn in pfns.iter() {
        store.remove(pfn as u64);
    }
    Ok(())
}
