// SPDX-License-Identifier: GPL-2.0

//! Counters under `/sys/kernel/mm/pghot/stats/`. Event counts are per-CPU in
//! the C shim (Rust has no per-CPU abstraction yet); the record and heap
//! counters are the hotness engine's own, summed over shards when read.

use crate::bindings::{self, pghot_stat};
use crate::knob;
use crate::state;

/// Adds one to the per-CPU event counter `stat`. Any context but NMI.
#[inline]
pub(crate) fn inc(stat: pghot_stat) {
    bindings::stat_add(stat, 1);
}

/// Adds `n` to the per-CPU event counter `stat`. Any context but NMI.
#[inline]
pub(crate) fn add(stat: pghot_stat, n: u64) {
    if n != 0 {
        bindings::stat_add(stat, n);
    }
}

/// The current value of any counter.
pub(crate) fn read(stat: pghot_stat) -> u64 {
    if stat < bindings::PGHOT_STAT_NR_PERCPU {
        return bindings::stat_read(stat);
    }
    let Some(store) = state::store() else {
        return 0;
    };
    let (s, len) = store.stats();
    match stat {
        bindings::PGHOT_STAT_RECORDS => len as u64,
        bindings::PGHOT_STAT_RECORDS_CREATED => s.created,
        bindings::PGHOT_STAT_RECORDS_REPLACED => s.replaced,
        bindings::PGHOT_STAT_RECORDS_PRUNED => s.pruned,
        bindings::PGHOT_STAT_RECORDS_DROPPED => s.dropped,
        bindings::PGHOT_STAT_TURNED_HOT => s.turned_hot,
        bindings::PGHOT_STAT_HEAP_INSERTED => s.heap_inserted,
        bindings::PGHOT_STAT_HEAP_FULL => s.heap_full,
        _ => 0,
    }
}

/// sysfs show for counter `stat`.
///
/// # Safety
///
/// `buf` must be a sysfs show buffer of `PAGE_SIZE` bytes.
#[no_mangle]
pub(crate) unsafe extern "C" fn pghot_stat_show(stat: pghot_stat, buf: *mut u8) -> isize {
    // SAFETY: the caller guarantees `buf` is a PAGE_SIZE sysfs buffer.
    let out = unsafe { knob::sysfs_buf(buf) };
    knob::format_u64(read(stat), out) as isize
}
