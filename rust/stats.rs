// SPDX-License-Identifier: GPL-2.0

//! Event counters. The storage is per-CPU in the C shim (Rust has no per-CPU
//! abstraction yet); this file gives them names on the Rust side.

use crate::bindings::{self, pghot_stat};

/// An event pghot counts; one file under `/sys/kernel/mm/pghot/stats/`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stat {
    /// A report for a PFN with no online page.
    IgnoredInvalidPfn,
    /// A report for a page already in the top tier.
    IgnoredToptier,
    /// A report for a page that is not on an LRU list.
    IgnoredNotLru,
    /// A report while pghot is disabled.
    IgnoredDisabled,
    /// A report with a bad source or node.
    Rejected,
}

impl Stat {
    fn raw(self) -> pghot_stat {
        match self {
            Stat::IgnoredInvalidPfn => bindings::PGHOT_STAT_IGNORED_INVALID_PFN,
            Stat::IgnoredToptier => bindings::PGHOT_STAT_IGNORED_TOPTIER,
            Stat::IgnoredNotLru => bindings::PGHOT_STAT_IGNORED_NOT_LRU,
            Stat::IgnoredDisabled => bindings::PGHOT_STAT_IGNORED_DISABLED,
            Stat::Rejected => bindings::PGHOT_STAT_REJECTED,
        }
    }

    /// Counts one event.
    #[inline]
    pub(crate) fn inc(self) {
        bindings::stat_inc(self.raw());
    }

    /// The total so far, summed over CPUs.
    pub(crate) fn read(self) -> u64 {
        bindings::stat_read(self.raw())
    }
}

/// Counts one access recorded from `raw`, a per-source counter.
#[inline]
pub(crate) fn inc_source(raw: pghot_stat) {
    bindings::stat_inc(raw);
}

/// Accesses recorded from the source counted in `raw`.
pub(crate) fn read_source(raw: pghot_stat) -> u64 {
    bindings::stat_read(raw)
}
