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
    let budget = (per_shard.saturating_mul(sleep) / window).clamp(PRUNE_MIN, per_shard.max(PRUNE_MIN));
    store.prune(now, budget as u32);

    let batch = (knob::KPROMOTED_BATCH_NR.get() as usize).min(MAX_BATCH);
    // Process context, outside every lock: allocating here is allowed, and
    // it keeps 4096-entry buffers off the kernel stack.
    let mut cands = KVec::from_elem(Candidate::default(), batch, GFP_KERNEL)?;
    let n = store.take_hottest(nid, now, &mut cands);
    if n == 0 {
        return Ok(());
    }
    stats::add(bindings::PGHOT_STAT_PROMOTE_CANDIDATES, n as u64);

    let admitted = {
        let mut policy = store.policy.lock();
        let hz = bindings::hz();
        policy.tuner.count(nid, n as u64);
        let admitted = policy.limiter.admit(nid, n as u64, now, hz) as usize;
        let budget = policy.limiter.budget();
        let before = policy.tuner.threshold(nid);
        if let Some(t) = policy.tuner.adjust(nid, now, hz, budget) {
            if t > before {
                stats::inc(bindings::PGHOT_STAT_THRESHOLD_UP);
            } else if t < before {
                stats::inc(bindings::PGHOT_STAT_THRESHOLD_DOWN);
            }
            store.set_threshold(nid, t);
        }
        admitted.min(n)
    };
    stats::add(bindings::PGHOT_STAT_RATE_LIMITED, (n - admitted) as u64);
    if admitted == 0 {
        return Ok(());
    }

    let mut pfns = KVec::with_capacity(admitted, GFP_KERNEL)?;
    for c in &cands[..admitted] {
        pfns.push(c.pfn as c_ulong, GFP_KERNEL)?;
    }
    let res: pghot_promote_result = bindings::promote_batch(&pfns, nid);
    stats::inc(bindings::PGHOT_STAT_BATCHES);
    stats::add(bindings::PGHOT_STAT_PROMOTED, u64::from(res.nr_moved));
    for (stat, count) in FAIL_STATS.iter().zip(res.fail.iter()) {
        stats::add(*stat, u64::from(*count));
    }
    bindings::trace_migrate_batch(nid, admitted as u32, res.nr_moved);

    // Moved pages left the lower tier; the others must earn hotness again.
    for c in &cands[..admitted] {
        store.remove(c.pfn);
    }
    Ok(())
}
