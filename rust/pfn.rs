// SPDX-License-Identifier: GPL-2.0

//! What a reported PFN is: an online page or not, on an LRU list or not,
//! its node, and the size of its folio. Hints read without a reference;
//! kpromoted checks again under one before it isolates.

use kernel::ffi::c_ulong;

use crate::bindings::{
    self,
    PfnClass,
    NUMA_NO_NODE, //
};

/// The class of `pfn` and, unless it has no online page, its node.
pub(crate) fn classify(pfn: u64) -> (PfnClass, i32) {
    let mut nid = NUMA_NO_NODE;
    // SAFETY: `nid` is valid for writes for the duration of the call; the
    // function accepts any PFN and checks it with `pfn_to_online_page()`.
    let class = unsafe { bindings::pghot_pfn_classify(pfn as c_ulong, &mut nid) };
    (class, nid)
}

/// Base pages of the folio holding `pfn` now (0 if it is not an online
/// page). Racy by nature: the folio may be split or freed meanwhile.
pub(crate) fn nr_pages(pfn: u64) -> u32 {
    // SAFETY: accepts any PFN; reads page flags without a reference.
    unsafe { bindings::pghot_pfn_nr_pages(pfn as c_ulong) }
}
