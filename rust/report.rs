// SPDX-License-Identifier: GPL-2.0

//! The report-access API: `pghot_record_access()` and its batch form,
//! exported to C callers, through which every source reports. Callable from
//! any context but NMI: nothing here sleeps or allocates.
//!
//! A report is first judged (refused for bad arguments, ignored for a page
//! that cannot be promoted, or taken with its promotion target), then
//! counted and recorded in the store.

use kernel::ffi::{
    c_int,
    c_uint,
    c_ulong, //
};
use kernel::prelude::*;

use crate::bindings::{
    Access as AccessReport,
    PfnClass,
    Source,
    Stat, //
};
use crate::engine::Access;
use crate::hotness::NR_SHARDS;
use crate::jiffies;
use crate::knob::{
    self,
    Setting, //
};
use crate::kpromoted;
use crate::nodes;
use crate::pfn;
use crate::state;
use crate::stats;
use crate::trace;

/// What became of a report that was not refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// Recorded for a lower-tier page, to be promoted to node `target`.
    /// `owned` when pghot holds the page's promotion from now on: its
    /// record is queued for kpromoted, or tracked and not hot yet. A report
    /// the store dropped (pool full), or whose hot record waits outside a
    /// full heap, is not owned: the kernel may promote the page itself.
    Taken { target: u32, owned: bool },
    /// Deliberately ignored: invalid PFN, top-tier page, not on the LRU, or
    /// no promotion target.
    Ignored,
}

/// The judgement of one report, before anything is counted or stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Refused with this error, counted in this counter.
    Refused(Error, Stat),
    /// Deliberately ignored, counted in this counter.
    Ignored(Stat),
    /// To be recorded, as the folio headed by `head`, for promotion to
    /// node `target`.
    Taken {
        source: Source,
        head: u64,
        target: u32,
    },
}

/// The switches a report is checked against: the live knobs, or a test's.
struct Switches<'a> {
    enabled: &'a Setting,
    sources: &'a [Setting; Source::COUNT],
}

impl Switches<'static> {
    const LIVE: Self = Switches {
        enabled: &knob::ENABLED,
        sources: &knob::SOURCES,
    };
}

/// Judges a report of `pfn` accessed from `nid` as seen by source `src`.
fn judge(pfn: u64, nid: i32, src: u32, switches: &Switches<'_>) -> Verdict {
    let Some(source) = Source::from_raw(src) else {
        return Verdict::Refused(EINVAL, Stat::Rejected);
    };
    if nid >= nodes::MAX_NODES as i32 || !nodes::nid_valid(nid) {
        return Verdict::Refused(EINVAL, Stat::Rejected);
    }
    if !switches.enabled.on() || !switches.sources[source as usize].on() {
        return Verdict::Refused(EAGAIN, Stat::IgnoredDisabled);
    }
    let page = pfn::classify(pfn);
    match page.class {
        PfnClass::NoPage => return Verdict::Ignored(Stat::IgnoredInvalidPfn),
        // The target set is the top tier's nodes with memory, and a page's
        // node has memory: membership is "already in the top tier".
        _ if nodes::is_target(page.nid) => return Verdict::Ignored(Stat::IgnoredToptier),
        PfnClass::OffLru => return Verdict::Ignored(Stat::IgnoredNotLru),
        PfnClass::OnLru => {}
    }
    match nodes::target_for(nid, page.nid) {
        Some(target) => Verdict::Taken {
            source,
            head: page.head,
            target,
        },
        None => Verdict::Ignored(Stat::IgnoredNoTarget),
    }
}

/// How far a reporter's `now` may stray from the current jiffies, in
/// seconds, before pghot uses its own clock: a bogus time far ahead would
/// otherwise age out every record of a shard at once.
const MAX_CLOCK_SKEW_S: u64 = 2;

/// `now` if it is within `MAX_CLOCK_SKEW_S` of the current jiffies, else
/// the current jiffies (wrap-around safe).
fn trusted_now(now: u64) -> u64 {
    let real = jiffies::now();
    let skew = MAX_CLOCK_SKEW_S * u64::from(jiffies::hz());
    let ahead = now.wrapping_sub(real);
    let behind = real.wrapping_sub(now);
    if ahead <= skew || behind <= skew {
        now
    } else {
        real
    }
}

/// Checks, counts and records one access.
pub(crate) fn record(pfn: u64, nid: i32, src: u32, now: u64) -> Result<Recorded> {
    let (source, head, target) = match judge(pfn, nid, src, &Switches::LIVE) {
        Verdict::Refused(e, stat) => {
            stats::inc(stat);
            return Err(e);
        }
        Verdict::Ignored(stat) => {
            stats::inc(stat);
            return Ok(Recorded::Ignored);
        }
        Verdict::Taken {
            source,
            head,
            target,
        } => (source, head, target),
    };
    stats::inc(Stat::accesses(source));
    let Some(store) = state::store() else {
        return Ok(Recorded::Taken {
            target,
            owned: false,
        });
    };
    let Some(r) = store.record(head, target, trusted_now(now)) else {
        return Ok(Recorded::Taken {
            target,
            owned: false,
        });
    };
    let o = r.outcome;
    if o.entered_heap {
        // It entered the heap by reaching the node's threshold.
        trace::hot(head, target, u32::from(r.threshold));
        // A shard's heap holds about 1/NR_SHARDS of the node's hot pages:
        // wake kpromoted once a full batch is likely waiting.
        let batch = knob::KPROMOTED_BATCH_NR.get() as usize;
        if r.heap_len.saturating_mul(NR_SHARDS) >= batch {
            kpromoted::wake(target);
        }
    }
    let stored = !matches!(o.access, Access::Dropped | Access::Invalid);
    Ok(Recorded::Taken {
        target,
        owned: o.queued || (stored && !o.hot),
    })
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
    batch: *const AccessReport,
    nr: c_uint,
) -> c_int {
    if nr == 0 {
        return 0;
    }
    if batch.is_null() {
        stats::inc(Stat::Rejected);
        return EINVAL.to_errno();
    }
    if !knob::ENABLED.on() {
        stats::inc(Stat::IgnoredDisabled);
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

#[cfg(pghot_kunit)]
#[path = "../kunit/report.rs"]
mod kunit;
