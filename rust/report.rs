// SPDX-License-Identifier: GPL-2.0

//! The report-access API: `pghot_record_access()` and its batch form,
//! exported to C callers, and the adapter for the NUMA hint fault source.
//! Callable from any context but NMI: nothing here sleeps or allocates.

use kernel::ffi::{c_int, c_uint, c_ulong};
use kernel::prelude::*;

use crate::bindings::{self, pghot_access};
use crate::knob;
use crate::source::Source;
use crate::stats::{self, Stat};

/// What became of a report that was not refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// Counted as an access to a lower-tier page.
    Taken,
    /// Deliberately ignored: invalid PFN, top-tier page, or not on the LRU.
    Ignored,
}

/// Checks and records one access. `now` is kept for the hotness engine.
pub(crate) fn record(pfn: u64, nid: i32, src: u32, _now: u64) -> Result<Recorded> {
    let Some(source) = Source::from_raw(src) else {
        Stat::Rejected.inc();
        return Err(EINVAL);
    };
    if !bindings::nid_valid(nid) {
        Stat::Rejected.inc();
        return Err(EINVAL);
    }
    if knob::ENABLED.get() == 0 {
        Stat::IgnoredDisabled.inc();
        return Err(EAGAIN);
    }
    let (class, _page_nid) = bindings::pfn_classify(pfn);
    match class {
        bindings::PGHOT_PFN_LOWER_TIER => {
            stats::inc_source(source.stat());
            Ok(Recorded::Taken)
        }
        bindings::PGHOT_PFN_TOPTIER => {
            Stat::IgnoredToptier.inc();
            Ok(Recorded::Ignored)
        }
        bindings::PGHOT_PFN_NOT_LRU => {
            Stat::IgnoredNotLru.inc();
            Ok(Recorded::Ignored)
        }
        _ => {
            Stat::IgnoredInvalidPfn.inc();
            Ok(Recorded::Ignored)
        }
    }
}

/// Reports that `pfn` was accessed from node `nid` at jiffies `now`, as seen
/// by source `src`. See `include/pghot.h`.
#[no_mangle]
pub extern "C" fn pghot_record_access(pfn: c_ulong, nid: c_int, src: c_uint, now: c_ulong) -> c_int {
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
pub unsafe extern "C" fn pghot_record_accesses(batch: *const pghot_access, nr: c_uint) -> c_int {
    if nr == 0 {
        return 0;
    }
    if batch.is_null() {
        Stat::Rejected.inc();
        return EINVAL.to_errno();
    }
    if knob::ENABLED.get() == 0 {
        Stat::IgnoredDisabled.inc();
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
/// folio. Returns whether pghot takes over its promotion; it does not until
/// kpromoted exists, so the kernel still promotes as before.
#[no_mangle]
pub extern "C" fn pghot_hint_fault(pfn: c_ulong, nid: c_int, now: c_ulong) -> bool {
    let _ = record(pfn as u64, nid, bindings::PGHOT_SRC_HINT_FAULT, now as u64);
    false
}
