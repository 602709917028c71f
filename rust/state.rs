// SPDX-License-Identifier: GPL-2.0

//! The live state reachable from C callbacks (report path, kpromoted,
//! sysfs, hotplug), and what a knob write or a hotplug event changes.
//!
//! The store is published before any source or thread can run and
//! unpublished only after every source is unregistered, every kpromoted has
//! stopped and the sysfs files are gone, so a callback that finds it may use
//! it for the whole call.

use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed, Release};

use crate::bindings::{self, pghot_knob};
use crate::hotness::Store;
use crate::knob;
use crate::nodes;

static STORE: Atomic<*mut Store> = Atomic::new(core::ptr::null_mut());

/// Set when teardown begins: from then on no kpromoted may start, whatever
/// a late knob write or hotplug event asks.
static STOPPING: Atomic<bool> = Atomic::new(false);

/// The published store, if the module is live.
#[inline]
pub(crate) fn store() -> Option<&'static Store> {
    let p = STORE.load(Relaxed);
    // SAFETY: a non-null pointer was published by `publish` from a pinned
    // box that is only freed after `unpublish`, which runs once nothing can
    // call in any more (see the module comment).
    unsafe { p.as_ref() }
}

/// Makes `store` reachable from callbacks.
pub(crate) fn publish(store: &Store) {
    STORE.store(core::ptr::from_ref(store).cast_mut(), Release);
}

/// Makes the store unreachable; call only once no callback can run.
pub(crate) fn unpublish() {
    STORE.store(core::ptr::null_mut(), Release);
}

/// Runs kpromoted on exactly the target nodes while pghot is enabled.
pub(crate) fn sync_threads() -> Result {
    bindings::kpromoted_sync()
}

/// Stops every kpromoted for good (module teardown).
pub(crate) fn stop_threads() {
    STOPPING.store(true, Release);
    let _ = bindings::kpromoted_sync();
}

/// The nodes that should run kpromoted now; asked under the C side's
/// thread mutex, so the answer and the threads always agree.
#[no_mangle]
pub(crate) extern "C" fn pghot_kpromoted_wanted() -> u64 {
    if STOPPING.load(Relaxed) || !knob::ENABLED.on() {
        0
    } else {
        nodes::targets()
    }
}

/// Applies a knob's new `value` to what it drives.
pub(crate) fn apply(id: pghot_knob, value: u64) -> Result {
    let Some(store) = store() else {
        return Ok(());
    };
    match id {
        bindings::PGHOT_KNOB_ENABLED => sync_threads(),
        bindings::PGHOT_KNOB_FREQ_THRESHOLD => {
            let mut policy = store.policy.lock();
            policy.reset_threshold(value as u8)?;
            for nid in 0..nodes::nr_nodes() {
                store.set_threshold(nid, value as u8);
            }
            Ok(())
        }
        bindings::PGHOT_KNOB_FREQ_WINDOW_MS => store.set_window(bindings::msecs_to_jiffies(value)),
        bindings::PGHOT_KNOB_PROMOTE_RATE_LIMIT_MBPS => {
            store.policy.lock().limiter.set_rate(value);
            Ok(())
        }
        bindings::PGHOT_KNOB_KPROMOTED_SLEEP_MS => {
            // A thread asleep for the old period picks up the new one now.
            for nid in 0..nodes::nr_nodes() {
                bindings::kpromoted_wake(nid);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Memory of some node went online or offline: tiers and targets may have
/// changed, so recompute them and start or stop threads to match.
#[no_mangle]
pub(crate) extern "C" fn pghot_memory_changed() {
    crate::stats::inc(bindings::PGHOT_STAT_HOTPLUG_EVENTS);
    let before = nodes::targets();
    let after = nodes::refresh();
    if after != before {
        pr_info!(
            "memory hotplug: target nodes {:#x} -> {:#x}\n",
            before,
            after
        );
    }
    if store().is_some() {
        if let Err(e) = sync_threads() {
            pr_warn!("cannot match kpromoted threads to target nodes: {:?}\n", e);
        }
    }
}
