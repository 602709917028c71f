// SPDX-License-Identifier: GPL-2.0

//! The NUMA hint fault source: the kernel's hook (kernel/patches/0001) calls
//! in on a hint fault on a lower-tier folio. pghot takes over its promotion
//! when it holds the page (its record is queued for kpromoted, or tracked
//! and not hot yet) and a kpromoted thread serves the target; otherwise, as
//! when the store was full, the kernel promotes as it does without pghot.
//! File folios that kpromoted could not move are left to the kernel before
//! they get here (`pghot_hint_fault_cb()` in `shim.c`).

use kernel::ffi::{
    c_int,
    c_ulong, //
};
use kernel::prelude::*;

use crate::bindings::{
    self,
    Registration,
    Source, //
};
use crate::kpromoted;
use crate::report::{
    self,
    Recorded, //
};

#[no_mangle]
pub(crate) extern "C" fn pghot_hint_fault(pfn: c_ulong, nid: c_int, now: c_ulong) -> bool {
    match report::record(pfn as u64, nid, Source::HintFault as u32, now as u64) {
        Ok(Recorded::Taken {
            target,
            owned: true,
        }) => kpromoted::running(target),
        _ => false,
    }
}

/// Registers with the kernel's NUMA hint fault hook; unregistered when the
/// result is dropped.
pub(crate) fn register() -> Result<Registration> {
    // The consumer's callback only calls `pghot_hint_fault`, which never
    // sleeps or allocates, and unregistering waits for every fault path.
    // SAFETY: a matching register/unregister pair, called from init.
    unsafe {
        Registration::new(
            bindings::pghot_hint_fault_register,
            bindings::pghot_hint_fault_unregister,
        )
    }
}
