// SPDX-License-Identifier: GPL-2.0

//! The NUMA hint fault source: the kernel's hook (kernel/patches/0001) calls
//! in on a hint fault on a lower-tier folio. pghot takes over its promotion
//! when it recorded the access and a kpromoted thread serves the target;
//! otherwise the kernel promotes as it does without pghot.

use kernel::error::to_result;
use kernel::ffi::{
    c_int,
    c_ulong, //
};
use kernel::prelude::*;

use crate::bindings::{
    self,
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
        Ok(Recorded::Taken(target)) => kpromoted::running(target),
        _ => false,
    }
}

/// Registration with the kernel's NUMA hint fault hook, undone on drop.
pub(crate) struct HintFaultConsumer(());

impl HintFaultConsumer {
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: registers a static consumer whose callback only calls
        // `pghot_hint_fault`, which never sleeps or allocates.
        to_result(unsafe { bindings::pghot_hint_fault_register() })?;
        Ok(HintFaultConsumer(()))
    }
}

impl Drop for HintFaultConsumer {
    fn drop(&mut self) {
        // SAFETY: `register` succeeded; unregistering waits until no fault
        // path is still inside the callback, so nothing runs after drop.
        unsafe { bindings::pghot_hint_fault_unregister() }
    }
}
