// SPDX-License-Identifier: GPL-2.0

//! Event counters, per CPU in the C shim (the `kernel` crate has no per-CPU
//! abstraction yet). The engine's own counters are read from the store by
//! the sysfs interface; everything here is safe from any context but NMI.

use crate::bindings::{
    self,
    Stat, //
};

/// Adds one to the per-CPU event counter `stat`.
#[inline]
pub(crate) fn inc(stat: Stat) {
    add(stat, 1);
}

/// Adds `n` to the per-CPU event counter `stat`.
#[inline]
pub(crate) fn add(stat: Stat, n: u64) {
    if n != 0 {
        // SAFETY: a per-CPU add, valid in every context but NMI; the C
        // side ignores counters that are not per-CPU.
        unsafe { bindings::pghot_stat_add(stat, n) }
    }
}

/// Sum of a per-CPU event counter over all CPUs; 0 for the engine's.
pub(crate) fn read_percpu(stat: Stat) -> u64 {
    // SAFETY: reads per-CPU memory that lives as long as the module.
    unsafe { bindings::pghot_stat_read(stat) }
}
