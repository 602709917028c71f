// SPDX-License-Identifier: GPL-2.0

//! pghot's tracepoints (`events/pghot/`), declared in `pghot_trace.h` and
//! fired through the small C functions of `trace.c`.

use kernel::ffi::c_ulong;

use crate::bindings;

/// `pghot:pghot_hot`: a record reached `threshold` and entered the heap of
/// `nid`. Any context but NMI.
#[inline]
pub(crate) fn hot(pfn: u64, nid: u32, threshold: u32) {
    // SAFETY: a tracepoint call; it copies its arguments.
    unsafe { bindings::pghot_trace_hot(pfn as c_ulong, nid as i32, threshold) }
}

/// `pghot:pghot_migrate_batch`: kpromoted of `nid` asked to move
/// `nr_asked` folios and moved `nr_moved` base pages.
pub(crate) fn migrate_batch(nid: u32, nr_asked: u32, nr_moved: u32) {
    // SAFETY: a tracepoint call; it copies its arguments.
    unsafe { bindings::pghot_trace_migrate_batch(nid as i32, nr_asked, nr_moved) }
}
