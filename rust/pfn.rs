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

/// What a PFN is, read without a reference (a hint).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PfnInfo {
    pub(crate) class: PfnClass,
    /// The page's node; `NUMA_NO_NODE` for `PfnClass::NoPage`.
    pub(crate) nid: i32,
    /// The PFN of the head of the page's folio: a large folio is one
    /// record, whichever of its pages a source saw.
    pub(crate) head: u64,
}

/// The class, node and folio head of `pfn`.
pub(crate) fn classify(pfn: u64) -> PfnInfo {
    let mut nid = NUMA_NO_NODE;
    let mut head: c_ulong = pfn as c_ulong;
    // SAFETY: `nid` and `head` are valid for writes for the duration of
    // the call; the function accepts any PFN and checks it with
    // `pfn_to_online_page()`.
    let class = unsafe { bindings::pghot_pfn_classify(pfn as c_ulong, &mut nid, &mut head) };
    PfnInfo {
        class,
        nid,
        head: head as u64,
    }
}

/// Base pages of the folio holding `pfn` now (0 if it is not an online
/// page). Racy by nature: the folio may be split or freed meanwhile.
pub(crate) fn nr_pages(pfn: u64) -> u32 {
    // SAFETY: accepts any PFN; reads page flags without a reference.
    unsafe { bindings::pghot_pfn_nr_pages(pfn as c_ulong) }
}
