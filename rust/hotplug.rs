// SPDX-License-Identifier: GPL-2.0

//! Memory hotplug: when memory of some node goes online or offline, tiers
//! and targets may change, so they are recomputed and the kpromoted threads
//! matched to them.

use kernel::ffi::c_ulong;
use kernel::prelude::*;

use crate::bindings::{
    self,
    Registration,
    Stat, //
};
use crate::kpromoted;
use crate::nodes;
use crate::state;
use crate::stats;

#[no_mangle]
pub(crate) extern "C" fn pghot_memory_changed() {
    stats::inc(Stat::HotplugEvents);
    let before = nodes::targets();
    let after = nodes::refresh();
    if after != before {
        pr_info!(
            "memory hotplug: target nodes {:#x} -> {:#x}\n",
            before,
            after
        );
    }
    if state::store().is_some() {
        if let Err(e) = kpromoted::sync() {
            pr_warn!("cannot match kpromoted threads to target nodes: {:?}\n", e);
        }
    }
}

/// Memory `[start, start + nr)` is going offline, and no report, scan or
/// promotion turns its PFNs into pages any more (`shim.c`): forgets its
/// records, so that nothing is promoted from it after it is gone.
#[no_mangle]
pub(crate) extern "C" fn pghot_memory_going_offline(start: c_ulong, nr: c_ulong) {
    let Some(store) = state::store() else {
        return;
    };
    let dropped = (start..start.saturating_add(nr))
        .filter(|&pfn| store.remove(pfn as u64))
        .count();
    stats::add(Stat::RecordsOfflined, dropped as u64);
}

/// Registers for memory hotplug notifications, which call
/// `pghot_memory_changed`; unregistered when the result is dropped.
pub(crate) fn register() -> Result<Registration> {
    // The notifier only calls `pghot_memory_changed` (process context);
    // unregistering waits for callbacks in progress (the chain's rwsem).
    // SAFETY: a matching register/unregister pair, called from init.
    unsafe {
        Registration::new(
            bindings::pghot_hotplug_register,
            bindings::pghot_hotplug_unregister,
        )
    }
}
