// SPDX-License-Identifier: GPL-2.0

//! The report-access API: `pghot_record_access()` and its batch form,
//! exported to C callers, and the adapter for the NUMA hint fault source.
//! Callable from any context but NMI: nothing here sleeps or allocates.

use kernel::ffi::{c_int, c_uint, c_ulong};
use kernel::prelude::*;

use crate::bindings::{self, pghot_access};
use crate::hotness::NR_SHARDS;
use crate::knob;
use crate::nodes;
use crate::source::Source;
use crate::state;
use crate::stats;

/// What became of a report that was not refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// Recorded for a lower-tier page, to be promoted to this node.
    Taken(u32),
    /// Deliberately ignored: invalid PFN, top-tier page, not on the LRU, or
    /// no promotion target.
    Ignored,
}

/// How far a reporter's `now` may stray from the current jiffies, in
/// seconds, before pghot uses its own clock: a bogus time far ahead would
/// otherwise age out every record of a shard at once.
const MAX_CLOCK_SKEW_S: u64 = 2;

/// `now` if it is within `MAX_CLOCK_SKEW_S` of the current jiffies, else
/// the current jiffies (wrap-around safe).
fn trusted_now(now: u64) -> u64 {
    let real = bindings::jiffies();
    let skew = MAX_CLOCK_SKEW_S * u64::from(bindings::hz());
    let ahead = now.wrapping_sub(real);
    let behind = real.wrapping_sub(now);
    if ahead <= skew || behind <= skew {
        now
    } else {
        real
    }
}

/// Checks and records one access.
pub(crate) fn record(pfn: u64, nid: i32, src: u32, now: u64) -> Result<Recorded> {
    let Some(source) = Source::from_raw(src) else {
        stats::inc(bindings::PGHOT_STAT_REJECTED);
        return Err(EINVAL);
    };
    if nid >= nodes::MAX_NODES as i32 || !bindings::nid_valid(nid) {
        stats::inc(bindings::PGHOT_STAT_REJECTED);
        return Err(EINVAL);
    }
    if !knob::ENABLED.on() || !source.enabled() {
        stats::inc(bindings::PGHOT_STAT_IGNORED_DISABLED);
        return Err(EAGAIN);
    }
    let (class, page_nid) = bindings::pfn_classify(pfn);
    let ignored = match class {
        bindings::PGHOT_PFN_INVALID => Some(bindings::PGHOT_STAT_IGNORED_INVALID_PFN),
        // The target set is the top tier's nodes with memory, and a page's
        // node has memory: membership is "already in the top tier".
        _ if nodes::is_target(page_nid) => Some(bindings::PGHOT_STAT_IGNORED_TOPTIER),
        bindings::PGHOT_PFN_NOT_LRU => Some(bindings::PGHOT_STAT_IGNORED_NOT_LRU),
        _ => None,
    };
    if let Some(stat) = ignored {
        stats::inc(stat);
        return Ok(Recorded::Ignored);
    }
    let Some(target) = nodes::target_for(nid, page_nid) else {
        stats::inc(bindings::PGHOT_STAT_IGNORED_NO_TARGET);
        return Ok(Recorded::Ignored);
    };
    stats::inc(source.stat());
    if let Some(store) = state::store() {
        if let Some(r) = store.record(pfn, target, trusted_now(now)) {
            if r.outcome.entered_heap {
                // It entered the heap by reaching the node's threshold.
                bindings::trace_hot(pfn, target, u32::from(r.threshold));
                // A shard's heap holds about 1/NR_SHARDS of the node's hot
                // pages: wake kpromoted once a full batch is likely waiting.
                let batch = knob::KPROMOTED_BATCH_NR.get() as usize;
                if r.heap_len.saturating_mul(NR_SHARDS) >= batch {
                    bindings::kpromoted_wake(target);
                }
            }
        }
    }
    Ok(Recorded::Taken(target))
}

/// Reports that `pfn` was accessed from node `nid` at jiffies `now`, as seen
/// by source `src`. See `include/pghot.h`.
#[no_mangle]
pub(crate) extern "C" fn pghot_record_access(
    pfn: c_ulong,
    nid: c_int,
    src: c_uint,
    now: c_ulong,
) -> c_int {
    match record(pfn as u64, nid, src, now as u64) {
        Ok(_) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Reports `nr` accesses; returns how many were taken or ignored, or a
/// negative errno when pghot is disabled or `batch` is NULL.
///
/// # Safety
///
/// `batch` must point to `nr` readable `struct pghot_access`, or `nr` be 0.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_record_accesses(
    batch: *const pghot_access,
    nr: c_uint,
) -> c_int {
    if nr == 0 {
        return 0;
    }
    if batch.is_null() {
        stats::inc(bindings::PGHOT_STAT_REJECTED);
        return EINVAL.to_errno();
    }
    if !knob::ENABLED.on() {
        stats::inc(bindings::PGHOT_STAT_IGNORED_DISABLED);
        return EAGAIN.to_errno();
    }
    // SAFETY: the caller guarantees `batch` points to `nr` initialised
    // entries that stay valid for the duration of the call.
    let batch = unsafe { core::slice::from_raw_parts(batch, nr as usize) };
    let mut done: c_int = 0;
    for a in batch {
        if record(a.pfn as u64, a.nid, a.src, a.now as u64).is_ok() {
            done = done.saturating_add(1);
        }
    }
    done
}

/// The NUMA hint fault source: the kernel saw a hint fault on a lower-tier
/// folio. pghot takes over its promotion when it recorded the access and a
/// kpromoted thread serves the target; otherwise the kernel promotes as it
/// does without pghot.
#[no_mangle]
pub(crate) extern "C" fn pghot_hint_fault(pfn: c_ulong, nid: c_int, now: c_ulong) -> bool {
    match record(pfn as u64, nid, bindings::PGHOT_SRC_HINT_FAULT, now as u64) {
        Ok(Recorded::Taken(target)) => bindings::kpromoted_running(target),
        _ => false,
    }
}
